// Profiles: the local emulator, NCP accounts (secret key in SecretStorage only), editing, signing
// out, which one is active. `activeProfile` is the step every palette command starts with.
import * as vscode from 'vscode';
import type { DoctorReport } from '../../ncloud';
import type { Ext } from '../ext';
import { checkAccessKey, EMULATOR_PROFILE, type Profile, type SiteName } from '../profiles';
import { ProfileNode } from '../tree';
import { checkEndpoint, checkSecretKey, required } from '../validation';
import { wizard } from '../wizard';

const t = vscode.l10n.t;

function refreshTrees(ext: Ext): void {
  ext.tree.refresh();
  ext.cmTree.refresh();
}

/** Adds the "Local emulator" profile (no account) and starts the emulator. */
async function startEmulatorProfile(ext: Ext): Promise<Profile | undefined> {
  const started = await ext.services.run(t('Starting the local emulator'), () => ext.services.startEmulator());
  if (!started) {
    return undefined;
  }
  await ext.profiles.save(EMULATOR_PROFILE);
  await ext.profiles.setActive(EMULATOR_PROFILE.id);
  refreshTrees(ext);
  ext.walkthrough.mark('profile');
  return EMULATOR_PROFILE;
}

async function addNcpProfile(ext: Ext): Promise<Profile | undefined> {
  const profile = await wizard(ext.ctx.prompter, t('Add NCP Profile'), 4, async (w) => {
    const name = await w.input({ prompt: t('A name for this account'), value: 'NCP', validateInput: (v) => required(v) ?? (ext.profiles.all().some((x) => x.name === v.trim()) ? t('A profile with this name exists') : undefined) });
    const site = await w.pick(
      [
        { label: 'public', description: t('NAVER Cloud Platform (ncloud.com)') },
        { label: 'gov', description: t('Gov (gov-ncloud.com)') },
        { label: 'fin', description: t('Financial (fin-ncloud.com)') },
        { label: 'custom', description: t('A custom endpoint (a proxy, or an emulator started with ncloud-pki emulator)') },
      ],
      { placeHolder: t('Which NCP site?') },
    );
    const endpoint = site.label === 'custom' ? await w.input({ prompt: t('Endpoint URL'), value: 'http://127.0.0.1:8787', validateInput: checkEndpoint }, false) : undefined;
    const accessKey = await w.input({ prompt: t('Access key ID'), validateInput: checkAccessKey });
    const secret = await w.input({ prompt: t('Secret key (kept in VS Code SecretStorage, nowhere else)'), password: true, validateInput: checkSecretKey });
    const p: Profile = { id: `p${Date.now().toString(36)}`, name: name.trim(), kind: 'ncp', ...(endpoint ? { endpoint } : { site: site.label as SiteName }), accessKey: accessKey.trim() };
    return { p, secret: secret.trim() };
  });
  if (!profile) {
    return undefined;
  }
  await ext.profiles.save(profile.p, profile.secret);
  ext.walkthrough.mark('profile');
  refreshTrees(ext);
  // Check the credentials now, so a typo shows here and not on the first real action.
  const listed = await ext.services.run(t('Checking the credentials of {0}', profile.p.name), async (signal) => (await ext.services.client(profile.p)).pca.listCas(1, { signal }), profile.p);
  if (listed) {
    // Offered, not awaited: the command ends while the message stays.
    const test = t('Test Connection');
    void vscode.window.showInformationMessage(t('Profile {0} added.', profile.p.name), test).then((c) => (c === test ? vscode.commands.executeCommand('ncloudPki.testConnection', { profile: profile.p.id }) : undefined));
  }
  return profile.p;
}

/** "NCP PKI: Test Connection": both APIs, signature, clock skew and permission to list; says what to do. */
export function testConnection(ext: Ext) {
  return async (arg?: ProfileNode | { profile: string }): Promise<DoctorReport | undefined> => {
    const profile = await pickProfile(ext, arg, t('Test which profile?'));
    if (!profile) {
      return undefined;
    }
    const report = await ext.services.run(t('Testing the connection of {0}', profile.name), () => ext.services.doctor(profile), profile);
    if (!report) {
      return undefined;
    }
    const lines = report.checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.detail}${c.fix ? ` → ${c.fix}` : ''}`).join('\n');
    ext.ctx.log.info(`${profile.name}: Test Connection\n${lines}`);
    if (report.ok) {
      void vscode.window.showInformationMessage(t('{0}: connection OK (both APIs reached, signature accepted, clock in sync, listing allowed).', profile.name));
    } else {
      void vscode.window.showWarningMessage(t('{0}: connection has problems.', profile.name), { modal: false, detail: lines }, t('Show Log')).then((c) => (c ? ext.ctx.log.show(true) : undefined));
    }
    return report;
  };
}

/** The profile a command acts on: the tree node's, the one named, else one the user picks. */
async function pickProfile(ext: Ext, arg: ProfileNode | { profile: string } | undefined, title: string, filter: (p: Profile) => boolean = () => true): Promise<Profile | undefined> {
  if (arg instanceof ProfileNode) {
    return arg.profile;
  }
  if (arg && 'profile' in arg) {
    return ext.profiles.get(arg.profile);
  }
  const all = ext.profiles.all().filter(filter);
  if (all.length <= 1) {
    return all[0];
  }
  const pick = await ext.ctx.prompter.pick(
    all.map((p) => ({ label: p.name, description: p.kind === 'emulator' ? t('local emulator') : (p.endpoint ?? p.site), profile: p })),
    { title },
  );
  return pick?.profile;
}

/** The profile a palette command acts on; offers the emulator or a new profile when there is none. */
export async function activeProfile(ext: Ext): Promise<Profile | undefined> {
  const p = ext.profiles.active();
  if (p) {
    return p;
  }
  const emulator = t('Use Local Emulator');
  const add = t('Add NCP Profile');
  const pick = await ext.ctx.prompter.choose(t('No NCP profile yet. Work offline with the local emulator, or add your NCP access key.'), emulator, add);
  return pick === emulator ? startEmulatorProfile(ext) : pick === add ? addNcpProfile(ext) : undefined;
}

export function useEmulator(ext: Ext) {
  return (): Promise<Profile | undefined> => startEmulatorProfile(ext);
}

export function addProfile(ext: Ext) {
  return (): Promise<Profile | undefined> => addNcpProfile(ext);
}

export function editProfile(ext: Ext) {
  return async (arg?: ProfileNode | { profile: string }): Promise<void> => {
    const profile = await pickProfile(ext, arg, t('Edit which profile?'), (x) => x.kind === 'ncp');
    if (!profile) {
      return;
    }
    const p = ext.ctx.prompter;
    const title = t('Edit {0}', profile.name);
    const what = await p.pick([{ label: t('Secret key') }, { label: t('Access key') }, { label: t('Name') }], { title });
    if (!what) {
      return;
    }
    if (what.label === t('Secret key')) {
      const secret = await p.input({ title, prompt: t('New secret key'), password: true, validateInput: checkSecretKey });
      if (secret !== undefined) {
        await ext.profiles.save(profile, secret.trim());
      }
    } else if (what.label === t('Access key')) {
      const accessKey = await p.input({ title, prompt: t('Access key ID'), value: profile.accessKey, validateInput: checkAccessKey });
      if (accessKey !== undefined) {
        await ext.profiles.save({ ...profile, accessKey: accessKey.trim() });
      }
    } else {
      const name = await p.input({ title, prompt: t('Name'), value: profile.name, validateInput: required });
      if (name !== undefined) {
        await ext.profiles.save({ ...profile, name: name.trim() });
      }
    }
    refreshTrees(ext);
  };
}

/** Sign out: the profile and its secret key are forgotten. NCP itself is not touched. */
export function removeProfile(ext: Ext) {
  return async (arg?: ProfileNode): Promise<void> => {
    const profile = await pickProfile(ext, arg, t('Sign out of which profile?'));
    if (!profile) {
      return;
    }
    const detail = profile.kind === 'emulator' ? t('The emulator keeps its data; "Use Local Emulator" brings it back.') : t('Its secret key is deleted from this computer. Nothing changes in NCP.');
    if (!(await ext.ctx.prompter.confirm(t('Sign out of "{0}"?', profile.name), detail, t('Sign Out')))) {
      return;
    }
    await ext.profiles.remove(profile.id);
    refreshTrees(ext);
  };
}

export function switchProfile(ext: Ext) {
  return async (arg?: ProfileNode): Promise<void> => {
    const profile = await pickProfile(ext, arg, t('Make which profile active?'));
    if (profile) {
      await ext.profiles.setActive(profile.id);
      ext.tree.refresh();
    }
  };
}
