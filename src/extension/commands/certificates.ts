// Certificates from a Private CA: issue (NCP generates the key), sign a CSR (from a file, or a key
// generated here that never leaves this computer), the one-command dev certificate, "Reissue from
// {CA}…", revoke, download. Every issuance that writes cert.pem / key.pem / chain.pem goes through
// issueInto(): the files are checked before NCP is asked, written 0600 for the key, kept out of git.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { Ca, IssueCertRequest, IssuedCert, KeyType } from '../../ncloud';
import type { BlockRef } from '../../language/protocol';
import { setting } from '../config';
import type { Ext } from '../ext';
import { trustPem } from './trust';
import { WORKSPACE_STATE } from '../keys';
import { CertNode } from '../tree';
import { checkCommonName, checkIps, checkLeafPeriod, lifetimeText, list, safeName } from '../validation';
import { lifetimeLimits } from '../../pki/lifetime';
import { wizard } from '../wizard';
import { checkFree, folderFor, ignoreKey, saveAs, writeInto } from '../workspaceFiles';
import type { Profile } from '../profiles';
import { KEY_TYPES } from '../../ncloud/vocabulary';
import { usageGuide } from '../usage';
import { caFor, listCas, refreshCerts, refreshProfile } from './cas';
import { activeProfile } from './profiles';

const t = vscode.l10n.t;
const ISSUED = ['cert.pem', 'key.pem', 'chain.pem'];

/**
 * Issues a certificate from the CA `caTag` of `profile` into `folder` as cert.pem, key.pem (0600) and chain.pem:
 * asks before replacing files (before NCP is asked), offers to keep the key out of git, refreshes
 * the CA's certificates. Undefined when the user declined or anything failed (already reported).
 */
export async function issueInto(ext: Ext, folder: vscode.Uri, profile: Profile, caTag: string, request: IssueCertRequest, title: string): Promise<IssuedCert | undefined> {
  if (!(await checkFree(ext.ctx, folder, ISSUED))) {
    return undefined;
  }
  const issued = await ext.services.run(title, async (signal) => (await ext.services.client(profile)).pca.issueCert(caTag, request, { signal }), profile);
  if (!issued || !writeInto(ext.ctx, folder, [{ name: 'cert.pem', content: issued.certificate }, { name: 'key.pem', content: issued.privateKey ?? '', secret: true }, { name: 'chain.pem', content: issued.caChain }])) {
    return undefined;
  }
  await ignoreKey(ext.ctx, vscode.Uri.joinPath(folder, 'key.pem'));
  refreshCerts(ext, profile, caTag);
  return issued;
}

/** Opens what NCP just issued in the inspector, with a way back to it in the tree. */
function inspectIssued(ext: Ext, profile: Profile, caTag: string, label: string, signed: { certificate: string; caChain: string; serialNo: string }): void {
  void ext.inspector.show({ text: `${signed.certificate}\n${signed.caChain}`, source: { kind: 'ncp', label, reveal: { profile: profile.id, caTag, serialNo: signed.serialNo } } });
}

export function issueCertificate(ext: Ext) {
  return async (arg?: unknown): Promise<vscode.Uri | undefined> => {
    const target = await caFor(ext, arg, t('Issue Certificate: CA'), (ca) => ca.caInfo.status === 'ACTIVE');
    if (!target) {
      return undefined;
    }
    const a = await wizard(ext.ctx.prompter, t('Issue Certificate from {0}', target.ca.caInfo.alias), 5, async (w) => {
      const commonName = await w.input({ prompt: t('Common name (CN)'), placeHolder: 'api.example.internal', validateInput: checkCommonName });
      const dns = list(await w.input({ prompt: t('DNS names, comma separated'), value: commonName }));
      const ips = list(await w.input({ prompt: t('IP addresses, comma separated (optional)'), validateInput: checkIps }));
      const keyType = (await w.pick(KEY_TYPES.map((k) => ({ label: k })), { placeHolder: t('Key type (NCP generates the key)') })).label;
      const period = await w.input({ prompt: t('Validity in days (1-3650), or MAX'), value: '365', validateInput: checkLeafPeriod });
      return { commonName, dns, ips, keyType, period };
    });
    const folder = a && (await folderFor(ext.ctx, 'certificateFolder', safeName(a.commonName)));
    if (!a || !folder) {
      return undefined;
    }
    const request: IssueCertRequest = { keyType: a.keyType, period: a.period, x509Parameters: { commonName: a.commonName, ...(a.dns.length ? { altName: a.dns.join(',') } : {}), ...(a.ips.length ? { ip: a.ips.join(',') } : {}) } };
    const issued = await issueInto(ext, folder, target.profile, target.ca.caInfo.caTag, request, t('Issuing a certificate for {0}', a.commonName));
    if (!issued) {
      return undefined;
    }
    inspectIssued(ext, target.profile, target.ca.caInfo.caTag, a.commonName, issued);
    return folder;
  };
}

/** Signs a CSR from a file, or one generated here so the key never leaves this computer. */
export function signCsr(ext: Ext) {
  return async (arg?: unknown): Promise<vscode.Uri | undefined> => {
    const target = await caFor(ext, arg, t('Sign a CSR: CA'), (ca) => ca.caInfo.status === 'ACTIVE');
    if (!target) {
      return undefined;
    }
    const p = ext.ctx.prompter;
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
    let out: { cert: string; chain: string };
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
      out = { cert: `${name}.crt`, chain: `${name}.chain.pem` };
      if (!(await checkFree(ext.ctx, folder, [out.cert, out.chain]))) {
        return undefined;
      }
    } else {
      const a = await wizard(p, title, 3, async (w) => {
        const commonName = await w.input({ prompt: t('Common name (CN)'), validateInput: checkCommonName });
        const dns = list(await w.input({ prompt: t('DNS names, comma separated'), value: commonName }));
        const keyType = (await w.pick((['EC256', 'EC384', 'RSA2048', 'RSA4096'] as const).map((k) => ({ label: k })), { placeHolder: t('Key type (generated on this computer)') })).label;
        return { commonName, dns, keyType };
      });
      if (!a) {
        return undefined;
      }
      name = safeName(a.commonName);
      folder = await folderFor(ext.ctx, 'certificateFolder', name);
      out = { cert: 'cert.pem', chain: 'chain.pem' };
      if (!folder || !(await checkFree(ext.ctx, folder, ['key.pem', 'request.csr', out.cert, out.chain]))) {
        return undefined;
      }
      const generated = await ext.services.run(t('Generating a {0} key and CSR', a.keyType), () => ext.services.backend().generateCsr({ keyType: a.keyType, subject: { commonName: a.commonName }, dnsNames: a.dns }));
      if (!generated) {
        return undefined;
      }
      csrPem = generated.csrPem;
      // The key is on disk before NCP is asked: a failed signing loses nothing.
      if (!writeInto(ext.ctx, folder, [{ name: 'key.pem', content: generated.privateKeyPem, secret: true }, { name: 'request.csr', content: csrPem }])) {
        return undefined;
      }
      await ignoreKey(ext.ctx, vscode.Uri.joinPath(folder, 'key.pem'));
    }
    const period = await p.input({ title, prompt: t('Validity in days (1-3650), or MAX'), value: '365', validateInput: checkLeafPeriod });
    if (period === undefined) {
      return undefined;
    }
    const signed = await ext.services.run(t('Signing {0}', name), async (signal) => (await ext.services.client(target.profile)).pca.signCsr(target.ca.caInfo.caTag, { csrPem, period }, { signal }), target.profile);
    if (!signed || !writeInto(ext.ctx, folder, [{ name: out.cert, content: signed.certificate }, { name: out.chain, content: signed.caChain }])) {
      return undefined;
    }
    refreshCerts(ext, target.profile, target.ca.caInfo.caTag);
    inspectIssued(ext, target.profile, target.ca.caInfo.caTag, name, signed);
    return folder;
  };
}

/** The CA for a dev certificate: the only active one, the one used last time, or a new dev root. */
async function devCa(ext: Ext, profile: Profile): Promise<Ca | undefined> {
  const cas = await ext.services.run(t('Loading CAs of {0}', profile.name), (signal) => listCas(ext, profile, signal), profile);
  if (!cas) {
    return undefined;
  }
  const active = cas.filter((c) => c.caInfo.status === 'ACTIVE');
  if (active.length === 0) {
    const create = t('Create a Dev Root CA');
    if ((await ext.ctx.prompter.choose(t('{0} has no active CA to sign a dev certificate.', profile.name), create)) !== create) {
      return undefined;
    }
    const created = await ext.services.run(t('Creating a dev root CA'), async (signal) => (await ext.services.client(profile)).pca.createCa({ caType: 'PRIVATE_ROOT', alias: `dev-root-${Date.now().toString(36).slice(-4)}`, keyType: 'EC256', period: '3650', x509Parameters: { commonName: 'NCP PKI Dev Root', organization: 'Development' } }, { signal }), profile);
    if (created) {
      ext.walkthrough.mark('ca');
      refreshProfile(ext, profile);
    }
    return created;
  }
  if (active.length === 1) {
    return active[0];
  }
  const last = ext.ctx.extension.workspaceState.get<string>(WORKSPACE_STATE.devCa);
  const pick = await ext.ctx.prompter.pick(
    active.map((c) => ({ label: c.caInfo.alias, description: c.caCertInfo?.commonName, picked: c.caInfo.caTag === last, ca: c })).sort((a, b) => Number(b.picked) - Number(a.picked)),
    { title: t('Issue Dev Certificate: which CA?') },
  );
  return pick?.ca;
}

/** One command: a localhost certificate from the active profile's CA, into the workspace. */
export function issueDevCertificate(ext: Ext) {
  return async (): Promise<vscode.Uri | undefined> => {
    const profile = await activeProfile(ext);
    const ca = profile && (await devCa(ext, profile));
    if (!profile || !ca) {
      return undefined;
    }
    await ext.ctx.extension.workspaceState.update(WORKSPACE_STATE.devCa, ca.caInfo.caTag);
    const folder = await folderFor(ext.ctx, 'devCertificate.folder');
    if (!folder) {
      return undefined;
    }
    const days = setting('devCertificate.validityDays');
    const request: IssueCertRequest = { keyType: 'EC256', period: String(days), x509Parameters: { commonName: 'localhost', altName: 'localhost', ip: '127.0.0.1,::1' } };
    const issued = await issueInto(ext, folder, profile, ca.caInfo.caTag, request, t('Issuing a dev certificate for localhost'));
    if (!issued) {
      return undefined;
    }
    ext.walkthrough.mark('devCertificate');
    const rel = vscode.workspace.asRelativePath(folder);
    const over = lifetimeLimits(days, Date.now());
    if (over.length > 0) {
      void vscode.window.showWarningMessage(t('The dev certificate is valid for {0} days (ncloudPki.devCertificate.validityDays): {1}', days, over.map(lifetimeText).join(' ')));
    }
    const howTo = t('How to Use');
    const inspect = t('Inspect');
    const trust = t('Trust CA on This Computer…');
    // A notification, not a question: the command is done and its result returned at once.
    void vscode.window.showInformationMessage(t('Dev certificate for localhost, 127.0.0.1 and ::1 written to {0}: cert.pem, key.pem, chain.pem (valid {1} days).', rel, days), howTo, inspect, trust).then(async (pick) => {
      if (pick === howTo) {
        await showUsage(ext, rel);
      } else if (pick === trust) {
        await trustPem(ext, issued.caChain, ca.caInfo.alias, profile.kind === 'emulator');
      } else if (pick === inspect) {
        await ext.inspector.show({ text: `${issued.certificate}\n${issued.caChain}`, source: { kind: 'ncp', label: 'localhost' } });
      }
    });
    return folder;
  };
}

/** How to use the dev certificate (media/dev-certificate-usage.md, or its translation): Node, nginx, trusting the CA. */
async function showUsage(ext: Ext, rel: string): Promise<void> {
  const template = readFileSync(ext.ctx.extension.asAbsolutePath(usageGuide(ext.ctx.extension.extensionPath, vscode.env.language)), 'utf8');
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: template.replaceAll('{rel}', rel) });
  await vscode.commands.executeCommand('markdown.showPreview', doc.uri).then(undefined, () => vscode.window.showTextDocument(doc));
}

/**
 * "Reissue from {CA}…" (a code lens on a certificate that CA issued): a new certificate with the
 * same names, a new key from NCP, written beside the old one as cert.pem, key.pem, chain.pem.
 */
export function reissue(ext: Ext) {
  return async (ref: BlockRef & { profile: string; caTag: string }): Promise<vscode.Uri | undefined> => {
    const profile = ext.profiles.get(ref.profile);
    if (!profile) {
      void vscode.window.showInformationMessage(t('The profile that knew this CA is gone; refresh the NCP PKI view.'));
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(ref.uri));
    const b = ext.services.backend();
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
    const period = await ext.ctx.prompter.input({ title: t('Reissue {0}', cn), prompt: t('Validity in days (1-3650), or MAX'), value: String(Math.min(days, 3650)), validateInput: checkLeafPeriod });
    if (period === undefined || document.uri.scheme !== 'file') {
      return undefined;
    }
    const folder = vscode.Uri.joinPath(document.uri, '..');
    const request: IssueCertRequest = { keyType, period, x509Parameters: { commonName: cn, ...(dns.length ? { altName: dns.join(',') } : {}), ...(ips.length ? { ip: ips.join(',') } : {}) } };
    const issued = await issueInto(ext, folder, profile, ref.caTag, request, t('Reissuing {0}', cn));
    if (!issued) {
      return undefined;
    }
    inspectIssued(ext, profile, ref.caTag, cn, issued);
    return folder;
  };
}

export function revokeCertificate(ext: Ext) {
  return async (arg?: unknown): Promise<boolean> => {
    if (!(arg instanceof CertNode)) {
      void vscode.window.showInformationMessage(t('Choose the certificate to revoke in the NCP PKI view (right-click → Revoke).'));
      return false;
    }
    const c = arg.cert;
    const ca = arg.list.caNode;
    if (!(await ext.ctx.prompter.confirm(t('Revoke {0}?', c.commonName), t('Serial {0}, issued by {1}. It goes on the CRL; this cannot be undone.', c.serialNo, ca.ca.caInfo.alias), t('Revoke')))) {
      return false;
    }
    const profile = ca.profileNode.profile;
    const done = await ext.services.run(t('Revoking {0}', c.commonName), async (signal) => (await ext.services.client(profile)).pca.revokeCert(ca.tag, c.serialNo, { signal }), profile);
    if (done === undefined) {
      return false;
    }
    ext.tree.refresh(ca.certs);
    // The language server hears of the new CRL (its "revoked" diagnostics).
    void ext.knownCas.changed(profile.id, ca.tag);
    return true;
  };
}

/** Saves a certificate from the tree (or a CA's own certificate) through a save dialog. */
export function downloadCertificate(ext: Ext) {
  return async (arg?: unknown): Promise<vscode.Uri | undefined> => {
    if (arg instanceof CertNode) {
      return saveAs(ext.ctx, `${safeName(arg.cert.commonName)}.crt`, arg.cert.certPem);
    }
    const target = await caFor(ext, arg, t('Download Chain'), () => true);
    return target && saveAs(ext.ctx, `${target.ca.caInfo.alias}.crt`, target.ca.caCertInfo?.certPem ?? '');
  };
}
