// The CA lifecycle: create root and subordinate CAs, activate, deactivate, schedule destruction
// (naming the subordinates that go with it, behind the alias typed), delete, OCSP. `caFor` is
// how every CA command finds its CA: the tree node it was invoked on, else a pick.
import * as vscode from 'vscode';
import type { Ca, CaStatus } from '../../ncloud';
import { KEY_TYPES } from '../../ncloud/vocabulary';
import type { Ext } from '../ext';
import type { Profile } from '../profiles';
import { CaNode, ProfileNode } from '../tree';
import { checkAlias, checkCommonName, checkCountry, checkOrganization, checkPeriod, checkUrl } from '../validation';
import { wizard } from '../wizard';
import { activeProfile } from './profiles';

const t = vscode.l10n.t;

export interface CaTarget {
  profile: Profile;
  ca: Ca;
  node?: CaNode;
}

/** Every CA of `profile`, all pages. */
export async function listCas(ext: Ext, profile: Profile, signal?: AbortSignal): Promise<Ca[]> {
  const client = await ext.services.client(profile);
  const out: Ca[] = [];
  for await (const ca of client.pca.allCas({ signal })) {
    out.push(ca);
  }
  return out;
}

/** The CA a command acts on: the tree node's, else one the user picks among those `accept`s. */
export async function caFor(ext: Ext, arg: unknown, title: string, accept: (ca: Ca) => boolean): Promise<CaTarget | undefined> {
  if (arg instanceof CaNode) {
    return { profile: arg.profileNode.profile, ca: arg.ca, node: arg };
  }
  const profile = await activeProfile(ext);
  if (!profile) {
    return undefined;
  }
  const all = await ext.services.run(t('Loading CAs of {0}', profile.name), (signal) => listCas(ext, profile, signal), profile);
  if (!all) {
    return undefined;
  }
  const usable = all.filter(accept);
  if (usable.length === 0) {
    void vscode.window.showInformationMessage(all.length ? t('No CA in {0} can do this now (check their status).', profile.name) : t('{0} has no CA yet: create a root CA first.', profile.name));
    return undefined;
  }
  const pick = await ext.ctx.prompter.pick(
    usable.map((ca) => ({ label: ca.caInfo.alias, description: `${ca.caInfo.status} · ${ca.caCertInfo?.commonName ?? ''}`, detail: ca.caInfo.caTag, ca })),
    { title, placeHolder: t('Pick a CA') },
  );
  return pick ? { profile, ca: pick.ca, node: ext.tree.profileNode(profile.id)?.caNode(pick.ca.caInfo.caTag) } : undefined;
}

export function refreshProfile(ext: Ext, profile: Profile): void {
  ext.tree.refresh(ext.tree.profileNode(profile.id));
}

/** After an issuance: the CA's certificate list (or the whole profile when the CA is not shown). */
export function refreshCerts(ext: Ext, profile: Profile, caTag: string): void {
  const node = ext.tree.profileNode(profile.id)?.caNode(caTag);
  if (node) {
    ext.tree.refresh(node.certs);
  } else {
    refreshProfile(ext, profile);
  }
}

export function createCa(ext: Ext, kind: 'root' | 'sub') {
  return async (arg?: unknown): Promise<Ca | undefined> => {
    let issuer: CaTarget | undefined;
    let profile: Profile | undefined;
    if (kind === 'sub') {
      issuer = await caFor(ext, arg, t('Create Subordinate CA: issuer'), (ca) => ca.caInfo.status === 'ACTIVE');
      profile = issuer?.profile;
    } else {
      profile = arg instanceof ProfileNode ? arg.profile : await activeProfile(ext);
    }
    if (!profile || (kind === 'sub' && !issuer)) {
      return undefined;
    }
    const title = issuer ? t('Create Subordinate CA under {0}', issuer.ca.caInfo.alias) : t('Create Root CA');
    const answers = await wizard(ext.ctx.prompter, title, 6, async (w) => {
      const alias = await w.input({ prompt: t('Alias (unique in the account)'), placeHolder: kind === 'root' ? 'dev-root' : 'dev-issuing', validateInput: checkAlias });
      const keyType = (await w.pick(KEY_TYPES.map((k) => ({ label: k })), { placeHolder: t('Key type') })).label;
      const period = await w.input({ prompt: t('Validity in days (1-3650), or MAX'), value: kind === 'root' ? '3650' : '1825', validateInput: checkPeriod });
      const commonName = await w.input({ prompt: t('Common name (CN)'), value: alias, validateInput: checkCommonName });
      const organization = await w.input({ prompt: t('Organization (O), optional'), validateInput: checkOrganization });
      const country = await w.input({ prompt: t('Country (C), optional'), value: 'KR', validateInput: checkCountry });
      return { alias, keyType, period, commonName, organization, country };
    });
    if (!answers) {
      return undefined;
    }
    const { alias, keyType, period, commonName, organization, country } = answers;
    const created = await ext.services.run(
      t('Creating CA {0}', alias),
      async (signal) =>
        (await ext.services.client(profile)).pca.createCa(
          {
            caType: kind === 'root' ? 'PRIVATE_ROOT' : 'PRIVATE_SUB',
            ...(issuer ? { issuerTag: issuer.ca.caInfo.caTag } : {}),
            alias,
            keyType,
            period,
            x509Parameters: { commonName, ...(organization ? { organization } : {}), ...(country ? { country } : {}) },
          },
          { signal },
        ),
      profile,
    );
    if (created) {
      ext.walkthrough.mark('ca');
      refreshProfile(ext, profile);
      ext.ctx.log.info(`created CA ${alias} (${created.caInfo.caTag}) in ${profile.name}`);
      // The tree shows it; a toast would only crowd the next command's progress.
      vscode.window.setStatusBarMessage(t('Created CA {0} ({1}).', alias, created.caInfo.status), 5000);
    }
    return created;
  };
}

export function setCaStatus(ext: Ext, status: 'ACTIVE' | 'DEACTIVATED') {
  return async (arg?: unknown): Promise<boolean> => {
    const from: CaStatus = status === 'ACTIVE' ? 'DEACTIVATED' : 'ACTIVE';
    const target = await caFor(ext, arg, status === 'ACTIVE' ? t('Activate CA') : t('Deactivate CA'), (ca) => ca.caInfo.status === from);
    if (!target) {
      return false;
    }
    const alias = target.ca.caInfo.alias;
    if (status === 'DEACTIVATED' && !(await ext.ctx.prompter.confirm(t('Deactivate {0}?', alias), t('It stops signing certificates and CRLs until you activate it again.'), t('Deactivate')))) {
      return false;
    }
    const done = await ext.services.run(status === 'ACTIVE' ? t('Activating {0}', alias) : t('Deactivating {0}', alias), async (signal) => (await ext.services.client(target.profile)).pca.updateCa(target.ca.caInfo.caTag, { status }, { signal }), target.profile);
    if (done) {
      refreshProfile(ext, target.profile);
    }
    return done !== undefined;
  };
}

/** Schedules destruction: names every subordinate that goes with it and asks for the alias. */
export function destroyCa(ext: Ext) {
  return async (arg?: unknown): Promise<boolean> => {
    const target = await caFor(ext, arg, t('Schedule CA Destruction'), (ca) => ca.caInfo.status === 'ACTIVE' || ca.caInfo.status === 'DEACTIVATED' || ca.caInfo.status === 'PENDING');
    if (!target) {
      return false;
    }
    const all = await ext.services.run(t('Loading CAs of {0}', target.profile.name), (signal) => listCas(ext, target.profile, signal), target.profile);
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
    if (!(await ext.ctx.prompter.confirm(t('Schedule the destruction of {0}?', alias), detail, t('Continue…')))) {
      return false;
    }
    const typed = await ext.ctx.prompter.input({ title: t('Schedule CA Destruction'), prompt: t('Type {0} to confirm', alias), validateInput: (v) => (v === alias ? undefined : t('Type the alias exactly: {0}', alias)) });
    if (typed !== alias) {
      return false;
    }
    const done = await ext.services.run(t('Scheduling the destruction of {0}', alias), async (signal) => (await ext.services.client(target.profile)).pca.updateCa(target.ca.caInfo.caTag, { status: 'DESTROYING' }, { signal }), target.profile);
    if (done) {
      refreshProfile(ext, target.profile);
    }
    return done !== undefined;
  };
}

export function deleteCa(ext: Ext) {
  return async (arg?: unknown): Promise<boolean> => {
    const target = await caFor(ext, arg, t('Delete CA'), (ca) => ca.caInfo.status === 'DESTROYING');
    if (!target) {
      return false;
    }
    const alias = target.ca.caInfo.alias;
    if (!(await ext.ctx.prompter.confirm(t('Delete {0} now?', alias), t('It is already scheduled for destruction; this deletes it and its key immediately. This cannot be undone.'), t('Delete')))) {
      return false;
    }
    const done = await ext.services.run(t('Deleting {0}', alias), async (signal) => (await ext.services.client(target.profile)).pca.deleteCa(target.ca.caInfo.caTag, { signal }), target.profile);
    if (done === undefined) {
      return false;
    }
    refreshProfile(ext, target.profile);
    return true;
  };
}

export function setOcsp(ext: Ext, on: boolean) {
  return async (arg?: unknown): Promise<boolean> => {
    const target = await caFor(ext, arg, on ? t('Enable OCSP') : t('Disable OCSP'), () => true);
    if (!target) {
      return false;
    }
    const client = await ext.services.client(target.profile);
    const tag = target.ca.caInfo.caTag;
    let url: string | undefined;
    if (on) {
      url = await ext.ctx.prompter.input({ title: t('Enable OCSP for {0}', target.ca.caInfo.alias), prompt: t('OCSP responder URL written into new certificates'), value: target.ca.caInfo.urlInfo.ocsp[0] ?? '', validateInput: checkUrl });
      if (url === undefined) {
        return false;
      }
    }
    const done = await ext.services.run(on ? t('Enabling OCSP') : t('Disabling OCSP'), (signal) => (url !== undefined ? client.pca.enableOcsp(tag, url, { signal }) : client.pca.disableOcsp(tag, { signal })), target.profile);
    if (done !== undefined) {
      refreshProfile(ext, target.profile);
    }
    return done !== undefined;
  };
}
