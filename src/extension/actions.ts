// What the NCP PKI commands do. Each asks through the Prompter, acts through Services.run
// (progress, cancellation, errors with a next step), writes files without overwriting silently
// (keys mode 0600), and refreshes only the tree nodes it changed.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { Ca, CaStatus, KeyType } from '../ncloud';
import type { Context } from './context';
import type { BlockRef, KnownIssuer } from '../language/protocol';
import type { Inspector } from './inspector';
import type { PemFeature } from './pem';
import { checkAccessKey, EMULATOR_PROFILE, type Profile, type Profiles, type SiteName } from './profiles';
import type { Services } from './services';
import { CaNode, CertNode, ChainNode, CmCertNode, CmProfileNode, CmTree, CrlNode, LoadMoreNode, Node, PkiTree, ProfileNode } from './tree';
import { checkFree, folderFor, ignoreKey, saveTo, writeInto } from './workspaceFiles';

const t = vscode.l10n.t;
const KEY_TYPES: KeyType[] = ['EC256', 'EC521', 'RSA2048', 'RSA4096'];

/** NCP's CA alias rule (NCP-API.md): 3-15 letters, digits, - or _, starting with a letter. */
export function checkAlias(v: string): string | undefined {
  return /^[A-Za-z][A-Za-z0-9_-]{2,14}$/.test(v) ? undefined : t('3-15 letters, digits, - or _, starting with a letter');
}

export function checkPeriod(v: string): string | undefined {
  if (v === 'MAX') {
    return undefined;
  }
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 && n <= 3650 ? undefined : t('Days from 1 to 3650, or MAX');
}

function checkCommonName(v: string): string | undefined {
  return v.trim().length >= 1 && v.length <= 64 ? undefined : t('1-64 characters');
}

function checkCountry(v: string): string | undefined {
  return v === '' || /^[A-Z]{2}$/.test(v) ? undefined : t('Two capital letters (ISO 3166), e.g. KR');
}

function checkIps(v: string): string | undefined {
  const bad = v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && !/^(\d{1,3}\.){3}\d{1,3}$/.test(s) && !/^[0-9a-fA-F:]+$/.test(s));
  return bad.length ? t('Not an IP address: {0}', bad.join(', ')) : undefined;
}

function list(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+|_+$/g, '') || 'certificate';
}

export class Actions {
  constructor(
    private readonly ctx: Context,
    private readonly services: Services,
    private readonly profiles: Profiles,
    private readonly tree: PkiTree,
    private readonly cmTree: CmTree,
    private readonly inspector: Inspector,
  ) {}

  // ---- profiles ----------------------------------------------------------------------------

  /** Adds the "Local emulator" profile (no account) and starts the emulator. */
  async useEmulator(): Promise<Profile | undefined> {
    const started = await this.services.run(t('Starting the local emulator'), () => this.services.startEmulator());
    if (!started) {
      return undefined;
    }
    await this.profiles.save(EMULATOR_PROFILE);
    await this.profiles.setActive(EMULATOR_PROFILE.id);
    this.tree.refresh();
    this.cmTree.refresh();
    return EMULATOR_PROFILE;
  }

  async addProfile(): Promise<Profile | undefined> {
    const p = this.ctx.prompter;
    const title = t('Add NCP Profile');
    const name = await p.input({ title: `${title} (1/4)`, prompt: t('A name for this account'), value: 'NCP', validateInput: (v) => (v.trim() ? (this.profiles.all().some((x) => x.name === v.trim()) ? t('A profile with this name exists') : undefined) : t('Required')) });
    if (name === undefined) {
      return undefined;
    }
    const site = await p.pick(
      [
        { label: 'public', description: t('NAVER Cloud Platform (ncloud.com)') },
        { label: 'gov', description: t('Gov (gov-ncloud.com)') },
        { label: 'fin', description: t('Financial (fin-ncloud.com)') },
        { label: 'custom', description: t('A custom endpoint (a proxy, or an emulator started with ncloud-pki emulator)') },
      ],
      { title: `${title} (2/4)`, placeHolder: t('Which NCP site?') },
    );
    if (!site) {
      return undefined;
    }
    let endpoint: string | undefined;
    if (site.label === 'custom') {
      endpoint = await p.input({ title, prompt: t('Endpoint URL'), value: 'http://127.0.0.1:8787', validateInput: (v) => (/^https?:\/\/[^\s/]+/.test(v) ? undefined : t('A URL such as https://ncloud.example or http://127.0.0.1:8787')) });
      if (endpoint === undefined) {
        return undefined;
      }
    }
    const accessKey = await p.input({ title: `${title} (3/4)`, prompt: t('Access key ID'), validateInput: checkAccessKey });
    if (accessKey === undefined) {
      return undefined;
    }
    const secret = await p.input({ title: `${title} (4/4)`, prompt: t('Secret key (kept in VS Code SecretStorage, nowhere else)'), password: true, validateInput: (v) => (v.trim().length >= 16 ? undefined : t('The secret key is 16 characters or more')) });
    if (secret === undefined) {
      return undefined;
    }
    const profile: Profile = { id: `p${Date.now().toString(36)}`, name: name.trim(), kind: 'ncp', ...(endpoint ? { endpoint } : { site: site.label as SiteName }), accessKey: accessKey.trim() };
    await this.profiles.save(profile, secret.trim());
    this.tree.refresh();
    this.cmTree.refresh();
    // Check the credentials now, so a typo shows here and not on the first real action.
    await this.services.run(t('Checking the credentials of {0}', profile.name), async (signal) => (await this.services.client(profile)).pca.listCas(1, { signal }), profile);
    return profile;
  }

  async editProfile(arg?: ProfileNode | { profile: string }): Promise<void> {
    const profile = await this.pickProfile(arg, t('Edit which profile?'), (x) => x.kind === 'ncp');
    if (!profile) {
      return;
    }
    const what = await this.ctx.prompter.pick([{ label: t('Secret key') }, { label: t('Access key') }, { label: t('Name') }], { title: t('Edit {0}', profile.name) });
    if (!what) {
      return;
    }
    if (what.label === t('Secret key')) {
      const secret = await this.ctx.prompter.input({ title: t('Edit {0}', profile.name), prompt: t('New secret key'), password: true, validateInput: (v) => (v.trim().length >= 16 ? undefined : t('The secret key is 16 characters or more')) });
      if (secret !== undefined) {
        await this.profiles.save(profile, secret.trim());
      }
    } else if (what.label === t('Access key')) {
      const accessKey = await this.ctx.prompter.input({ title: t('Edit {0}', profile.name), prompt: t('Access key ID'), value: profile.accessKey, validateInput: checkAccessKey });
      if (accessKey !== undefined) {
        await this.profiles.save({ ...profile, accessKey: accessKey.trim() });
      }
    } else {
      const name = await this.ctx.prompter.input({ title: t('Edit {0}', profile.name), prompt: t('Name'), value: profile.name, validateInput: (v) => (v.trim() ? undefined : t('Required')) });
      if (name !== undefined) {
        await this.profiles.save({ ...profile, name: name.trim() });
      }
    }
    this.tree.refresh();
    this.cmTree.refresh();
  }

  /** Sign out: the profile and its secret key are forgotten. NCP itself is not touched. */
  async removeProfile(arg?: ProfileNode): Promise<void> {
    const profile = await this.pickProfile(arg, t('Sign out of which profile?'));
    if (!profile) {
      return;
    }
    const detail = profile.kind === 'emulator' ? t('The emulator keeps its data; "Use Local Emulator" brings it back.') : t('Its secret key is deleted from this computer. Nothing changes in NCP.');
    if (!(await this.ctx.prompter.confirm(t('Sign out of "{0}"?', profile.name), detail, t('Sign Out')))) {
      return;
    }
    await this.profiles.remove(profile.id);
    this.tree.refresh();
    this.cmTree.refresh();
  }

  async switchProfile(arg?: ProfileNode): Promise<void> {
    const profile = await this.pickProfile(arg, t('Make which profile active?'));
    if (profile) {
      await this.profiles.setActive(profile.id);
      this.tree.refresh();
    }
  }

  private async pickProfile(arg: ProfileNode | { profile: string } | undefined, title: string, filter: (p: Profile) => boolean = () => true): Promise<Profile | undefined> {
    if (arg instanceof ProfileNode) {
      return arg.profile;
    }
    if (arg && 'profile' in arg) {
      return this.profiles.get(arg.profile);
    }
    const all = this.profiles.all().filter(filter);
    if (all.length <= 1) {
      return all[0];
    }
    const pick = await this.ctx.prompter.pick(
      all.map((p) => ({ label: p.name, description: p.kind === 'emulator' ? t('local emulator') : (p.endpoint ?? p.site), profile: p })),
      { title },
    );
    return pick?.profile;
  }

  /** The profile a palette command acts on; offers the emulator when there is none. */
  private async activeProfile(): Promise<Profile | undefined> {
    const p = this.profiles.active();
    if (p) {
      return p;
    }
    const emulator = t('Use Local Emulator');
    const add = t('Add NCP Profile');
    const pick = await vscode.window.showInformationMessage(t('No NCP profile yet. Work offline with the local emulator, or add your NCP access key.'), emulator, add);
    return pick === emulator ? this.useEmulator() : pick === add ? this.addProfile() : undefined;
  }

  // ---- CAs ---------------------------------------------------------------------------------

  private async cas(profile: Profile, signal?: AbortSignal): Promise<Ca[]> {
    const client = await this.services.client(profile);
    const out: Ca[] = [];
    for await (const ca of client.pca.allCas({ signal })) {
      out.push(ca);
    }
    return out;
  }

  /** The CA a command acts on: the tree node's, else one the user picks among those `accept`s. */
  private async caFor(arg: unknown, title: string, accept: (ca: Ca) => boolean): Promise<{ profile: Profile; ca: Ca; node?: CaNode } | undefined> {
    if (arg instanceof CaNode) {
      return { profile: arg.profileNode.profile, ca: arg.ca, node: arg };
    }
    const profile = await this.activeProfile();
    if (!profile) {
      return undefined;
    }
    const all = await this.services.run(t('Loading CAs of {0}', profile.name), (signal) => this.cas(profile, signal), profile);
    if (!all) {
      return undefined;
    }
    const usable = all.filter(accept);
    if (usable.length === 0) {
      void vscode.window.showInformationMessage(all.length ? t('No CA in {0} can do this now (check their status).', profile.name) : t('{0} has no CA yet: create a root CA first.', profile.name));
      return undefined;
    }
    const pick = await this.ctx.prompter.pick(
      usable.map((ca) => ({ label: ca.caInfo.alias, description: `${ca.caInfo.status} · ${ca.caCertInfo?.commonName ?? ''}`, detail: ca.caInfo.caTag, ca })),
      { title, placeHolder: t('Pick a CA') },
    );
    return pick ? { profile, ca: pick.ca, node: this.tree.profileNode(profile.id)?.caNode(pick.ca.caInfo.caTag) } : undefined;
  }

  private refreshProfile(profile: Profile): void {
    this.tree.refresh(this.tree.profileNode(profile.id));
  }

  async createCa(kind: 'root' | 'sub', arg?: unknown): Promise<Ca | undefined> {
    let issuer: { profile: Profile; ca: Ca } | undefined;
    let profile: Profile | undefined;
    if (kind === 'sub') {
      issuer = await this.caFor(arg, t('Create Subordinate CA: issuer'), (ca) => ca.caInfo.status === 'ACTIVE');
      profile = issuer?.profile;
    } else {
      profile = arg instanceof ProfileNode ? arg.profile : await this.activeProfile();
    }
    if (!profile || (kind === 'sub' && !issuer)) {
      return undefined;
    }
    const title = kind === 'root' ? t('Create Root CA') : t('Create Subordinate CA under {0}', issuer!.ca.caInfo.alias);
    const p = this.ctx.prompter;
    const alias = await p.input({ title: `${title} (1/6)`, prompt: t('Alias (unique in the account)'), placeHolder: kind === 'root' ? 'dev-root' : 'dev-issuing', validateInput: checkAlias });
    if (alias === undefined) {
      return undefined;
    }
    const key = await p.pick(
      KEY_TYPES.map((k) => ({ label: k })),
      { title: `${title} (2/6)`, placeHolder: t('Key type') },
    );
    if (!key) {
      return undefined;
    }
    const period = await p.input({ title: `${title} (3/6)`, prompt: t('Validity in days (1-3650), or MAX'), value: kind === 'root' ? '3650' : '1825', validateInput: checkPeriod });
    if (period === undefined) {
      return undefined;
    }
    const commonName = await p.input({ title: `${title} (4/6)`, prompt: t('Common name (CN)'), value: alias, validateInput: checkCommonName });
    if (commonName === undefined) {
      return undefined;
    }
    const organization = await p.input({ title: `${title} (5/6)`, prompt: t('Organization (O), optional'), validateInput: (v) => (v.length <= 64 ? undefined : t('At most 64 characters')) });
    if (organization === undefined) {
      return undefined;
    }
    const country = await p.input({ title: `${title} (6/6)`, prompt: t('Country (C), optional'), value: 'KR', validateInput: checkCountry });
    if (country === undefined) {
      return undefined;
    }
    const created = await this.services.run(
      t('Creating CA {0}', alias),
      async (signal) =>
        (await this.services.client(profile)).pca.createCa(
          {
            caType: kind === 'root' ? 'PRIVATE_ROOT' : 'PRIVATE_SUB',
            ...(issuer ? { issuerTag: issuer.ca.caInfo.caTag } : {}),
            alias,
            keyType: key.label as KeyType,
            period,
            x509Parameters: { commonName, ...(organization ? { organization } : {}), ...(country ? { country } : {}) },
          },
          { signal },
        ),
      profile,
    );
    if (created) {
      this.refreshProfile(profile);
      this.ctx.log.info(`created CA ${alias} (${created.caInfo.caTag}) in ${profile.name}`);
      // The tree shows it; a toast would only crowd the next command's progress.
      vscode.window.setStatusBarMessage(t('Created CA {0} ({1}).', alias, created.caInfo.status), 5000);
    }
    return created;
  }

  async setCaStatus(status: 'ACTIVE' | 'DEACTIVATED', arg?: unknown): Promise<boolean> {
    const from: CaStatus = status === 'ACTIVE' ? 'DEACTIVATED' : 'ACTIVE';
    const target = await this.caFor(arg, status === 'ACTIVE' ? t('Activate CA') : t('Deactivate CA'), (ca) => ca.caInfo.status === from);
    if (!target) {
      return false;
    }
    const alias = target.ca.caInfo.alias;
    if (status === 'DEACTIVATED' && !(await this.ctx.prompter.confirm(t('Deactivate {0}?', alias), t('It stops signing certificates and CRLs until you activate it again.'), t('Deactivate')))) {
      return false;
    }
    const done = await this.services.run(status === 'ACTIVE' ? t('Activating {0}', alias) : t('Deactivating {0}', alias), async (signal) => (await this.services.client(target.profile)).pca.updateCa(target.ca.caInfo.caTag, { status }, { signal }), target.profile);
    if (done) {
      this.refreshProfile(target.profile);
    }
    return done !== undefined;
  }

  /** Schedules destruction: names every subordinate that goes with it and asks for the alias. */
  async destroyCa(arg?: unknown): Promise<boolean> {
    const target = await this.caFor(arg, t('Schedule CA Destruction'), (ca) => ca.caInfo.status === 'ACTIVE' || ca.caInfo.status === 'DEACTIVATED' || ca.caInfo.status === 'PENDING');
    if (!target) {
      return false;
    }
    const all = await this.services.run(t('Loading CAs of {0}', target.profile.name), (signal) => this.cas(target.profile, signal), target.profile);
    if (!all) {
      return false;
    }
    const subs: Ca[] = [];
    const walk = (tag: string) => {
      for (const c of all.filter((x) => x.caInfo.issuerTag === tag && x.caInfo.status !== 'DESTROYING')) {
        subs.push(c);
        walk(c.caInfo.caTag);
      }
    };
    walk(target.ca.caInfo.caTag);
    const alias = target.ca.caInfo.alias;
    const detail = [
      t('In 72 hours NCP deletes {0} and its private key for good; certificates it issued can no longer be revoked.', alias),
      subs.length ? t('These subordinate CAs are destroyed with it: {0}.', subs.map((s) => s.caInfo.alias).join(', ')) : t('It has no subordinate CAs.'),
    ].join('\n\n');
    if (!(await this.ctx.prompter.confirm(t('Schedule the destruction of {0}?', alias), detail, t('Continue…')))) {
      return false;
    }
    const typed = await this.ctx.prompter.input({ title: t('Schedule CA Destruction'), prompt: t('Type {0} to confirm', alias), validateInput: (v) => (v === alias ? undefined : t('Type the alias exactly: {0}', alias)) });
    if (typed !== alias) {
      return false;
    }
    const done = await this.services.run(t('Scheduling the destruction of {0}', alias), async (signal) => (await this.services.client(target.profile)).pca.updateCa(target.ca.caInfo.caTag, { status: 'DESTROYING' }, { signal }), target.profile);
    if (done) {
      this.refreshProfile(target.profile);
    }
    return done !== undefined;
  }

  async deleteCa(arg?: unknown): Promise<boolean> {
    const target = await this.caFor(arg, t('Delete CA'), (ca) => ca.caInfo.status === 'DESTROYING');
    if (!target) {
      return false;
    }
    const alias = target.ca.caInfo.alias;
    if (!(await this.ctx.prompter.confirm(t('Delete {0} now?', alias), t('It is already scheduled for destruction; this deletes it and its key immediately. This cannot be undone.'), t('Delete')))) {
      return false;
    }
    const done = await this.services.run(t('Deleting {0}', alias), async (signal) => (await this.services.client(target.profile)).pca.deleteCa(target.ca.caInfo.caTag, { signal }), target.profile);
    if (done !== undefined) {
      this.refreshProfile(target.profile);
      return true;
    }
    return false;
  }

  // ---- certificates ------------------------------------------------------------------------

  async issueCertificate(arg?: unknown): Promise<vscode.Uri | undefined> {
    const target = await this.caFor(arg, t('Issue Certificate: CA'), (ca) => ca.caInfo.status === 'ACTIVE');
    if (!target) {
      return undefined;
    }
    const p = this.ctx.prompter;
    const title = t('Issue Certificate from {0}', target.ca.caInfo.alias);
    const commonName = await p.input({ title: `${title} (1/5)`, prompt: t('Common name (CN)'), placeHolder: 'api.example.internal', validateInput: checkCommonName });
    if (commonName === undefined) {
      return undefined;
    }
    const dns = await p.input({ title: `${title} (2/5)`, prompt: t('DNS names, comma separated'), value: commonName });
    if (dns === undefined) {
      return undefined;
    }
    const ips = await p.input({ title: `${title} (3/5)`, prompt: t('IP addresses, comma separated (optional)'), validateInput: checkIps });
    if (ips === undefined) {
      return undefined;
    }
    const key = await p.pick(
      KEY_TYPES.map((k) => ({ label: k })),
      { title: `${title} (4/5)`, placeHolder: t('Key type (NCP generates the key)') },
    );
    if (!key) {
      return undefined;
    }
    const period = await p.input({ title: `${title} (5/5)`, prompt: t('Validity in days (1-3650), or MAX'), value: '365', validateInput: checkPeriod });
    if (period === undefined) {
      return undefined;
    }
    const folder = await folderFor(this.ctx, 'certificateFolder', safeName(commonName));
    if (!folder || !(await checkFree(this.ctx, folder, ['cert.pem', 'key.pem', 'chain.pem']))) {
      return undefined;
    }
    const issued = await this.services.run(
      t('Issuing a certificate for {0}', commonName),
      async (signal) => (await this.services.client(target.profile)).pca.issueCert(target.ca.caInfo.caTag, { keyType: key.label as KeyType, period, x509Parameters: { commonName, ...(list(dns).length ? { altName: list(dns).join(',') } : {}), ...(list(ips).length ? { ip: list(ips).join(',') } : {}) } }, { signal }),
      target.profile,
    );
    if (!issued) {
      return undefined;
    }
    if (!writeInto(this.ctx, folder, [{ name: 'cert.pem', content: issued.certificate }, { name: 'key.pem', content: issued.privateKey ?? '', secret: true }, { name: 'chain.pem', content: issued.caChain }])) {
      return undefined;
    }
    await ignoreKey(this.ctx, vscode.Uri.joinPath(folder, 'key.pem'));
    this.refreshCerts(target);
    void this.inspector.show({ text: `${issued.certificate}\n${issued.caChain}`, source: { kind: 'ncp', label: commonName, reveal: { profile: target.profile.id, caTag: target.ca.caInfo.caTag, serialNo: issued.serialNo } } });
    return folder;
  }

  private refreshCerts(target: { profile: Profile; ca: Ca; node?: CaNode }): void {
    const node = target.node ?? this.tree.profileNode(target.profile.id)?.caNode(target.ca.caInfo.caTag);
    if (node) {
      this.tree.refresh(node.certs);
    } else {
      this.refreshProfile(target.profile);
    }
  }

  /** Signs a CSR from a file, or one generated here so the key never leaves this computer. */
  async signCsr(arg?: unknown): Promise<vscode.Uri | undefined> {
    const target = await this.caFor(arg, t('Sign a CSR: CA'), (ca) => ca.caInfo.status === 'ACTIVE');
    if (!target) {
      return undefined;
    }
    const p = this.ctx.prompter;
    const title = t('Sign a CSR with {0}', target.ca.caInfo.alias);
    const fromFile = t('Choose a .csr file…');
    const generate = t('Generate a key and CSR here (the key never leaves this computer)');
    const how = await p.pick([{ label: generate }, { label: fromFile }], { title });
    if (!how) {
      return undefined;
    }
    let csrPem: string;
    let name: string;
    let folder: vscode.Uri | undefined;
    if (how.label === fromFile) {
      const file = await p.openFile({ title, filters: { CSR: ['csr', 'pem', 'req'] }, canSelectFiles: true, canSelectFolders: false });
      if (!file) {
        return undefined;
      }
      csrPem = readFileSync(file.fsPath, 'utf8');
      if (!csrPem.includes('-----BEGIN CERTIFICATE REQUEST-----') && !csrPem.includes('-----BEGIN NEW CERTIFICATE REQUEST-----')) {
        void vscode.window.showErrorMessage(t('{0} holds no PEM certificate request (-----BEGIN CERTIFICATE REQUEST-----).', vscode.workspace.asRelativePath(file)));
        return undefined;
      }
      name = file.path.split('/').pop()!.replace(/\.[^.]+$/, '');
      folder = vscode.Uri.file(dirname(file.fsPath));
      if (!(await checkFree(this.ctx, folder, [`${name}.crt`, `${name}.chain.pem`]))) {
        return undefined;
      }
    } else {
      const commonName = await p.input({ title: `${title} (1/3)`, prompt: t('Common name (CN)'), validateInput: checkCommonName });
      if (commonName === undefined) {
        return undefined;
      }
      const dns = await p.input({ title: `${title} (2/3)`, prompt: t('DNS names, comma separated'), value: commonName });
      if (dns === undefined) {
        return undefined;
      }
      const key = await p.pick(
        (['EC256', 'EC384', 'RSA2048', 'RSA4096'] as const).map((k) => ({ label: k })),
        { title: `${title} (3/3)`, placeHolder: t('Key type (generated on this computer)') },
      );
      if (!key) {
        return undefined;
      }
      name = safeName(commonName);
      folder = await folderFor(this.ctx, 'certificateFolder', name);
      if (!folder || !(await checkFree(this.ctx, folder, ['key.pem', 'request.csr', 'cert.pem', 'chain.pem']))) {
        return undefined;
      }
      const generated = await this.services.run(t('Generating a {0} key and CSR', key.label), () => this.services.backend().generateCsr({ keyType: key.label, subject: { commonName }, dnsNames: list(dns) }));
      if (!generated) {
        return undefined;
      }
      csrPem = generated.csrPem;
      // The key is on disk before NCP is asked: a failed signing loses nothing.
      if (!writeInto(this.ctx, folder, [{ name: 'key.pem', content: generated.privateKeyPem, secret: true }, { name: 'request.csr', content: csrPem }])) {
        return undefined;
      }
      await ignoreKey(this.ctx, vscode.Uri.joinPath(folder, 'key.pem'));
    }
    const period = await p.input({ title, prompt: t('Validity in days (1-3650), or MAX'), value: '365', validateInput: checkPeriod });
    if (period === undefined) {
      return undefined;
    }
    const signed = await this.services.run(t('Signing {0}', name), async (signal) => (await this.services.client(target.profile)).pca.signCsr(target.ca.caInfo.caTag, { csrPem, period }, { signal }), target.profile);
    if (!signed) {
      return undefined;
    }
    const certName = how.label === fromFile ? `${name}.crt` : 'cert.pem';
    const chainName = how.label === fromFile ? `${name}.chain.pem` : 'chain.pem';
    if (!writeInto(this.ctx, folder, [{ name: certName, content: signed.certificate }, { name: chainName, content: signed.caChain }])) {
      return undefined;
    }
    this.refreshCerts(target);
    void this.inspector.show({ text: `${signed.certificate}\n${signed.caChain}`, source: { kind: 'ncp', label: name, reveal: { profile: target.profile.id, caTag: target.ca.caInfo.caTag, serialNo: signed.serialNo } } });
    return folder;
  }

  /** One command: a localhost certificate from the active profile's CA, into the workspace. */
  async issueDevCertificate(): Promise<vscode.Uri | undefined> {
    const profile = await this.activeProfile();
    if (!profile) {
      return undefined;
    }
    const cas = await this.services.run(t('Loading CAs of {0}', profile.name), (signal) => this.cas(profile, signal), profile);
    if (!cas) {
      return undefined;
    }
    let active = cas.filter((c) => c.caInfo.status === 'ACTIVE');
    if (active.length === 0) {
      const create = t('Create a Dev Root CA');
      const pick = await vscode.window.showInformationMessage(t('{0} has no active CA to sign a dev certificate.', profile.name), create);
      if (pick !== create) {
        return undefined;
      }
      const created = await this.services.run(t('Creating a dev root CA'), async (signal) => (await this.services.client(profile)).pca.createCa({ caType: 'PRIVATE_ROOT', alias: `dev-root-${Date.now().toString(36).slice(-4)}`, keyType: 'EC256', period: '3650', x509Parameters: { commonName: 'NCP PKI Dev Root', organization: 'Development' } }, { signal }), profile);
      if (!created) {
        return undefined;
      }
      this.refreshProfile(profile);
      active = [created];
    }
    let ca = active[0];
    if (active.length > 1) {
      const last = this.ctx.extension.workspaceState.get<string>('ncloudPki.devCa');
      const pick = await this.ctx.prompter.pick(
        active.map((c) => ({ label: c.caInfo.alias, description: c.caCertInfo?.commonName, picked: c.caInfo.caTag === last, ca: c })).sort((a, b) => Number(b.picked) - Number(a.picked)),
        { title: t('Issue Dev Certificate: which CA?') },
      );
      if (!pick) {
        return undefined;
      }
      ca = pick.ca;
    }
    await this.ctx.extension.workspaceState.update('ncloudPki.devCa', ca.caInfo.caTag);
    const folder = await folderFor(this.ctx, 'devCertificate.folder');
    if (!folder || !(await checkFree(this.ctx, folder, ['cert.pem', 'key.pem', 'chain.pem']))) {
      return undefined;
    }
    const days = vscode.workspace.getConfiguration('ncloudPki').get<number>('devCertificate.validityDays', 30);
    const issued = await this.services.run(
      t('Issuing a dev certificate for localhost'),
      async (signal) => (await this.services.client(profile)).pca.issueCert(ca.caInfo.caTag, { keyType: 'EC256', period: String(days), x509Parameters: { commonName: 'localhost', altName: 'localhost', ip: '127.0.0.1,::1' } }, { signal }),
      profile,
    );
    if (!issued) {
      return undefined;
    }
    if (!writeInto(this.ctx, folder, [{ name: 'cert.pem', content: issued.certificate }, { name: 'key.pem', content: issued.privateKey ?? '', secret: true }, { name: 'chain.pem', content: issued.caChain }])) {
      return undefined;
    }
    await ignoreKey(this.ctx, vscode.Uri.joinPath(folder, 'key.pem'));
    this.refreshCerts({ profile, ca });
    const rel = vscode.workspace.asRelativePath(folder);
    const howTo = t('How to Use');
    const inspect = t('Inspect');
    void vscode.window.showInformationMessage(t('Dev certificate for localhost, 127.0.0.1 and ::1 written to {0}: cert.pem, key.pem, chain.pem (valid {1} days).', rel, days), howTo, inspect).then(async (pick) => {
      if (pick === howTo) {
        await this.showUsage(rel);
      } else if (pick === inspect) {
        await this.inspector.show({ text: `${issued.certificate}\n${issued.caChain}`, source: { kind: 'ncp', label: 'localhost' } });
      }
    });
    return folder;
  }

  /** How to use the dev certificate: Node, nginx, and trusting the CA. */
  async showUsage(rel: string): Promise<void> {
    const content = usage(rel);
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
    await vscode.commands.executeCommand('markdown.showPreview', doc.uri).then(undefined, () => vscode.window.showTextDocument(doc));
  }

  async revokeCertificate(arg?: unknown): Promise<boolean> {
    if (!(arg instanceof CertNode)) {
      void vscode.window.showInformationMessage(t('Choose the certificate to revoke in the NCP PKI view (right-click → Revoke).'));
      return false;
    }
    const c = arg.cert;
    const ca = arg.list.caNode;
    if (!(await this.ctx.prompter.confirm(t('Revoke {0}?', c.commonName), t('Serial {0}, issued by {1}. It goes on the CRL; this cannot be undone.', c.serialNo, ca.ca.caInfo.alias), t('Revoke')))) {
      return false;
    }
    const profile = ca.profileNode.profile;
    const done = await this.services.run(t('Revoking {0}', c.commonName), async (signal) => (await this.services.client(profile)).pca.revokeCert(ca.tag, c.serialNo, { signal }), profile);
    if (done === undefined) {
      return false;
    }
    this.tree.refresh(ca.certs);
    return true;
  }

  async rotateCrl(arg?: unknown): Promise<boolean> {
    const target = await this.caFor(arg instanceof CrlNode ? arg.caNode : arg, t('Rotate CRL'), (ca) => ca.caInfo.status === 'ACTIVE');
    if (!target) {
      return false;
    }
    const done = await this.services.run(t('Rotating the CRL of {0}', target.ca.caInfo.alias), async (signal) => (await this.services.client(target.profile)).pca.rotateCrl(target.ca.caInfo.caTag, { signal }), target.profile);
    if (done !== undefined) {
      vscode.window.setStatusBarMessage(t('New CRL issued by {0}', target.ca.caInfo.alias), 4000);
    }
    return done !== undefined;
  }

  async setCrlExpiry(arg?: unknown): Promise<boolean> {
    const target = await this.caFor(arg instanceof CrlNode ? arg.caNode : arg, t('CRL Validity'), () => true);
    if (!target) {
      return false;
    }
    const client = await this.services.client(target.profile);
    const current = await this.services.run(t('Reading the CRL settings of {0}', target.ca.caInfo.alias), (signal) => client.pca.getCrlConfig(target.ca.caInfo.caTag, { signal }), target.profile);
    if (!current) {
      return false;
    }
    const days = await this.ctx.prompter.input({ title: t('CRL Validity of {0}', target.ca.caInfo.alias), prompt: t('Days each CRL is valid (at least 3)'), value: current.expiry, validateInput: (v) => (Number.isInteger(Number(v)) && Number(v) >= 3 ? undefined : t('Whole days, 3 or more')) });
    if (days === undefined) {
      return false;
    }
    return (await this.services.run(t('Saving the CRL validity'), (signal) => client.pca.setCrlConfig(target.ca.caInfo.caTag, Number(days), { signal }), target.profile)) !== undefined;
  }

  async setOcsp(on: boolean, arg?: unknown): Promise<boolean> {
    const target = await this.caFor(arg, on ? t('Enable OCSP') : t('Disable OCSP'), () => true);
    if (!target) {
      return false;
    }
    const client = await this.services.client(target.profile);
    let url: string | undefined;
    if (on) {
      url = await this.ctx.prompter.input({ title: t('Enable OCSP for {0}', target.ca.caInfo.alias), prompt: t('OCSP responder URL written into new certificates'), value: target.ca.caInfo.urlInfo.ocsp[0] ?? '', validateInput: (v) => (/^https?:\/\/\S+$/.test(v) ? undefined : t('An http(s) URL')) });
      if (url === undefined) {
        return false;
      }
    }
    const done = await this.services.run(on ? t('Enabling OCSP') : t('Disabling OCSP'), (signal) => (on ? client.pca.enableOcsp(target.ca.caInfo.caTag, url!, { signal }) : client.pca.disableOcsp(target.ca.caInfo.caTag, { signal })), target.profile);
    if (done !== undefined) {
      this.refreshProfile(target.profile);
    }
    return done !== undefined;
  }

  /** Downloads a certificate, the chain or the CRL through a save dialog (which asks before replacing). */
  async download(what: 'certificate' | 'chain' | 'crl', arg?: unknown): Promise<vscode.Uri | undefined> {
    let profile: Profile;
    let fetch: (signal: AbortSignal) => Promise<string>;
    let name: string;
    if (arg instanceof CertNode) {
      profile = arg.list.caNode.profileNode.profile;
      const cert = arg.cert;
      fetch = async () => cert.certPem;
      name = `${safeName(cert.commonName)}.crt`;
    } else {
      const node = arg instanceof CrlNode || arg instanceof ChainNode ? arg.caNode : arg;
      const target = await this.caFor(node, what === 'crl' ? t('Download CRL') : t('Download Chain'), () => true);
      if (!target) {
        return undefined;
      }
      profile = target.profile;
      const client = await this.services.client(profile);
      const tag = target.ca.caInfo.caTag;
      fetch = (signal) => (what === 'crl' ? client.pca.getCrl(tag, { signal }) : what === 'chain' ? client.pca.getChain(tag, { signal }) : Promise.resolve(target.ca.caCertInfo?.certPem ?? ''));
      name = `${target.ca.caInfo.alias}.${what === 'crl' ? 'crl' : what === 'chain' ? 'chain.pem' : 'crt'}`;
    }
    const pem = await this.services.run(t('Downloading {0}', name), fetch, profile);
    if (pem === undefined) {
      return undefined;
    }
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await this.ctx.prompter.saveFile({ title: t('Save {0}', name), ...(root ? { defaultUri: vscode.Uri.joinPath(root, name) } : {}) });
    if (!target) {
      return undefined;
    }
    return (await saveTo(this.ctx, target, pem)) ? target : undefined;
  }

  /** Opens a tree item (certificate, CA, CRL, chain) in the inspector. */
  async inspectTreeItem(node: Node): Promise<void> {
    let text: string | undefined;
    let label: string;
    let profile: Profile;
    let reveal: { profile: string; caTag: string; serialNo?: string } | undefined;
    if (node instanceof CertNode) {
      text = `${node.cert.certPem}\n${node.cert.caChain}`;
      label = node.cert.commonName;
      profile = node.list.caNode.profileNode.profile;
      reveal = { profile: profile.id, caTag: node.list.caNode.tag, serialNo: node.cert.serialNo };
    } else if (node instanceof CaNode) {
      text = `${node.ca.caCertInfo?.certPem ?? ''}\n${node.ca.caCertInfo?.chainPem ?? ''}`;
      label = node.ca.caInfo.alias;
      profile = node.profileNode.profile;
      reveal = { profile: profile.id, caTag: node.tag };
    } else if (node instanceof CrlNode || node instanceof ChainNode) {
      const ca = node.caNode;
      profile = ca.profileNode.profile;
      const client = await this.services.client(profile);
      label = `${ca.ca.caInfo.alias} ${node instanceof CrlNode ? 'CRL' : t('chain')}`;
      reveal = { profile: profile.id, caTag: ca.tag };
      text = await this.services.run(t('Downloading {0}', label), (signal) => (node instanceof CrlNode ? client.pca.getCrl(ca.tag, { signal }) : client.pca.getChain(ca.tag, { signal })), profile);
    } else {
      return;
    }
    if (text !== undefined) {
      await this.inspector.show({ text, source: { kind: 'ncp', label, ...(reveal ? { reveal } : {}) } });
    }
  }

  private readonly issuersByProfile = new Map<string, KnownIssuer[]>();

  /** Tells the language server which CAs of which profile issued what (their subject and key id). */
  learnIssuers(profile: Profile, cas: Ca[], pem: PemFeature): void {
    const b = this.services.backend();
    const known: KnownIssuer[] = [];
    for (const ca of cas) {
      const block = ca.caCertInfo?.certPem ? b.scanPem(ca.caCertInfo.certPem)[0] : undefined;
      const d = block ? b.decodeBlock(block) : undefined;
      if (d?.kind === 'certificate' && ca.caInfo.status === 'ACTIVE') {
        known.push({ subject: d.subject, ...(d.subjectKeyId ? { keyId: d.subjectKeyId } : {}), profile: profile.id, caTag: ca.caInfo.caTag, alias: ca.caInfo.alias });
      }
    }
    this.issuersByProfile.set(profile.id, known);
    pem.setKnownIssuers([...this.issuersByProfile.values()].flat());
  }

  /**
   * "Reissue from {CA}…" (a code lens on a certificate that CA issued): a new certificate with the
   * same names, a new key from NCP, written beside the old one as cert.pem, key.pem, chain.pem.
   */
  async reissue(ref: BlockRef & { profile: string; caTag: string }): Promise<vscode.Uri | undefined> {
    const profile = this.profiles.get(ref.profile);
    if (!profile) {
      void vscode.window.showInformationMessage(t('The profile that knew this CA is gone; refresh the NCP PKI view.'));
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(ref.uri));
    const b = this.services.backend();
    const text = document.getText(new vscode.Range(ref.range.start.line, ref.range.start.character, ref.range.end.line, ref.range.end.character));
    const block = b.scanPem(text)[0];
    const d = block ? b.decodeBlock(block) : undefined;
    if (d?.kind !== 'certificate') {
      void vscode.window.showErrorMessage(t('There is no certificate here any more; edit undone?'));
      return undefined;
    }
    const cn = d.subjectAttributes.find((a) => a.type === 'CN')?.value ?? d.subject;
    const dns = d.sans.filter((s) => s.type === 'dns' || s.type === 'email').map((s) => s.value);
    const ips = d.sans.filter((s) => s.type === 'ip').map((s) => s.value);
    const keyType: KeyType = d.publicKey.algorithm === 'RSA' ? ((d.publicKey.size ?? 2048) > 2048 ? 'RSA4096' : 'RSA2048') : d.publicKey.curve === 'P-521' ? 'EC521' : 'EC256';
    const days = Math.max(1, Math.round((Date.parse(d.notAfter) - Date.parse(d.notBefore)) / 86_400_000));
    const title = t('Reissue {0}', cn);
    const period = await this.ctx.prompter.input({ title, prompt: t('Validity in days (1-3650), or MAX'), value: String(Math.min(days, 3650)), validateInput: checkPeriod });
    if (period === undefined) {
      return undefined;
    }
    const folder = vscode.Uri.joinPath(document.uri, '..');
    if (document.uri.scheme !== 'file' || !(await checkFree(this.ctx, folder, ['cert.pem', 'key.pem', 'chain.pem']))) {
      return undefined;
    }
    const issued = await this.services.run(
      t('Reissuing {0}', cn),
      async (signal) => (await this.services.client(profile)).pca.issueCert(ref.caTag, { keyType, period, x509Parameters: { commonName: cn, ...(dns.length ? { altName: dns.join(',') } : {}), ...(ips.length ? { ip: ips.join(',') } : {}) } }, { signal }),
      profile,
    );
    if (!issued) {
      return undefined;
    }
    if (!writeInto(this.ctx, folder, [{ name: 'cert.pem', content: issued.certificate }, { name: 'key.pem', content: issued.privateKey ?? '', secret: true }, { name: 'chain.pem', content: issued.caChain }])) {
      return undefined;
    }
    await ignoreKey(this.ctx, vscode.Uri.joinPath(folder, 'key.pem'));
    const node = this.tree.profileNode(profile.id)?.caNode(ref.caTag);
    if (node) {
      this.tree.refresh(node.certs);
    }
    void this.inspector.show({ text: `${issued.certificate}\n${issued.caChain}`, source: { kind: 'ncp', label: cn, reveal: { profile: profile.id, caTag: ref.caTag, serialNo: issued.serialNo } } });
    return folder;
  }

  /** Shows a CA (or one of its certificates, once its page is loaded) in the Private CA view. */
  async reveal(where: { profile: string; caTag: string; serialNo?: string }): Promise<boolean> {
    const view = this.treeView;
    await this.tree.getChildren();
    const profileNode = this.tree.profileNode(where.profile);
    if (!view || !profileNode) {
      return false;
    }
    const found = await this.services.run(t('Finding it in the NCP PKI view'), async (signal) => {
      // Load the path from the profile down: every CA, then the certificate's pages.
      await profileNode.children();
      const ca = profileNode.caNode(where.caTag);
      if (!ca || !where.serialNo) {
        return ca;
      }
      await ca.certs.loadAll(signal);
      const kids = await ca.certs.children();
      return kids.find((k) => k instanceof CertNode && k.cert.serialNo === where.serialNo) ?? ca;
    }, profileNode.profile);
    if (!found) {
      void vscode.window.showInformationMessage(t('It is no longer in the NCP PKI view (refresh it?).'));
      return false;
    }
    await view.reveal(found, { select: true, focus: true, expand: false });
    return true;
  }

  /** The Private CA tree view, for reveal (set by activate()). */
  treeView: vscode.TreeView<Node> | undefined;

  async loadMore(node: LoadMoreNode): Promise<void> {
    const profile = node.list.caNode.profileNode.profile;
    const done = await this.services.run(t('Loading more certificates'), (signal) => node.list.loadPage(signal), profile);
    if (done !== undefined) {
      // The list keeps its pages: fire a change without resetting it.
      this.tree.refreshKeep(node.list);
    }
  }

  // ---- Certificate Manager -----------------------------------------------------------------

  /** Reissue with a CSR generated here: the key is written to the workspace (0600), never sent. */
  async cmReissue(arg?: unknown): Promise<boolean> {
    if (!(arg instanceof CmCertNode)) {
      void vscode.window.showInformationMessage(t('Choose the certificate in the Certificate Manager view (right-click → Reissue).'));
      return false;
    }
    const c = arg.cert;
    const profile = arg.profileNode.profile;
    const title = t('Reissue {0}', c.certificateName);
    const commonName = await this.ctx.prompter.input({ title: `${title} (1/3)`, prompt: t('Common name (CN)'), value: c.commonName, validateInput: checkCommonName });
    if (commonName === undefined) {
      return false;
    }
    const dns = await this.ctx.prompter.input({ title: `${title} (2/3)`, prompt: t('DNS names, comma separated'), value: c.dnsName || commonName });
    if (dns === undefined) {
      return false;
    }
    const method = await this.ctx.prompter.pick(
      [
        { label: 'D', description: t('DNS: add the CNAME record NCP gives you') },
        { label: 'E', description: t('E-mail: approve the mail sent to the domain admin') },
      ],
      { title: `${title} (3/3)`, placeHolder: t('Domain validation method') },
    );
    if (!method) {
      return false;
    }
    const folder = await folderFor(this.ctx, 'certificateFolder', safeName(c.certificateName));
    if (!folder || !(await checkFree(this.ctx, folder, ['key.pem', 'request.csr']))) {
      return false;
    }
    const generated = await this.services.run(t('Generating a key and CSR'), () => this.services.backend().generateCsr({ keyType: 'RSA2048', subject: { commonName }, dnsNames: list(dns) }));
    if (!generated) {
      return false;
    }
    if (!writeInto(this.ctx, folder, [{ name: 'key.pem', content: generated.privateKeyPem, secret: true }, { name: 'request.csr', content: generated.csrPem }])) {
      return false;
    }
    await ignoreKey(this.ctx, vscode.Uri.joinPath(folder, 'key.pem'));
    const done = await this.services.run(title, async (signal) => (await this.services.client(profile)).cm.reissue(c.certificateNo, { csr: generated.csrPem, certificateName: c.certificateName, commonName, dnsName: list(dns), validationMethod: method.label as 'D' | 'E' }, { signal }), profile);
    if (!done) {
      return false;
    }
    this.cmTree.refresh();
    void vscode.window.showInformationMessage(t('Reissue of {0} requested; it shows as Issuing until NCP finishes. The key is in {1}.', c.certificateName, vscode.workspace.asRelativePath(folder)));
    return true;
  }

  async cmDownload(arg?: unknown): Promise<vscode.Uri | undefined> {
    if (!(arg instanceof CmCertNode)) {
      void vscode.window.showInformationMessage(t('Choose the certificate in the Certificate Manager view (right-click → Download).'));
      return undefined;
    }
    const profile = arg.profileNode.profile;
    const c = arg.cert;
    const zip = await this.services.run(t('Downloading {0}', c.certificateName), async (signal) => (await this.services.client(profile)).cm.download(c.certificateNo, { signal }), profile);
    if (!zip) {
      return undefined;
    }
    const root = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await this.ctx.prompter.saveFile({ title: t('Save {0}', `${c.certificateName}.zip`), filters: { ZIP: ['zip'] }, ...(root ? { defaultUri: vscode.Uri.joinPath(root, `${safeName(c.certificateName)}.zip`) } : {}) });
    if (!target) {
      return undefined;
    }
    return (await saveTo(this.ctx, target, zip)) ? target : undefined;
  }

  async filterCas(): Promise<void> {
    const statuses: CaStatus[] = ['ACTIVE', 'DEACTIVATED', 'DESTROYING', 'PENDING'];
    const all = t('All statuses');
    const pick = await this.ctx.prompter.pick([{ label: all }, ...statuses.map((s) => ({ label: s }))], { title: t('Show CAs with status') });
    if (pick) {
      this.tree.setStatusFilter(pick.label === all ? undefined : [pick.label as CaStatus]);
    }
  }

  refresh(node?: Node): void {
    if (node instanceof CmProfileNode || node instanceof CmCertNode) {
      this.cmTree.refresh(node instanceof CmCertNode ? node.profileNode : node);
    } else {
      this.tree.refresh(node);
      if (!node) {
        this.cmTree.refresh();
      }
    }
  }
}

function usage(rel: string): string {
  return `# Using the dev certificate in \`${rel}\`

\`cert.pem\` is for \`localhost\`, \`127.0.0.1\` and \`::1\`; \`key.pem\` is its private key (mode 0600,
keep it out of git); \`chain.pem\` is the CA chain, root last.

## Node.js

\`\`\`js
const https = require('node:https');
const fs = require('node:fs');
https.createServer({
  key: fs.readFileSync('${rel}/key.pem'),
  cert: fs.readFileSync('${rel}/cert.pem') + fs.readFileSync('${rel}/chain.pem'),
}, (req, res) => res.end('hello over TLS\\n')).listen(8443);
\`\`\`

Clients written in Node trust the CA with:

\`\`\`sh
NODE_EXTRA_CA_CERTS=${rel}/chain.pem node client.js
\`\`\`

## nginx

\`\`\`nginx
server {
  listen 8443 ssl;
  ssl_certificate     /path/to/${rel}/fullchain.pem;   # cat cert.pem chain.pem > fullchain.pem
  ssl_certificate_key /path/to/${rel}/key.pem;
}
\`\`\`

## curl and the system

\`\`\`sh
curl --cacert ${rel}/chain.pem https://localhost:8443/
sudo cp ${rel}/chain.pem /usr/local/share/ca-certificates/ncp-dev.crt && sudo update-ca-certificates   # Debian/Ubuntu
\`\`\`
`;
}
