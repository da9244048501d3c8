// Profiles: where NCP is (site or endpoint) and which access key to use. The secret key lives only
// in SecretStorage; globalState holds the rest. The "Local emulator" profile needs no account.
import * as vscode from 'vscode';
import { GLOBAL_STATE, SECRET_KEY } from './keys';

import type { SiteName } from '../ncloud/vocabulary';

export type { SiteName };

export interface Profile {
  id: string;
  name: string;
  kind: 'emulator' | 'ncp';
  site?: SiteName;
  /** A custom endpoint (a proxy, a standalone emulator), instead of a site. */
  endpoint?: string;
  accessKey?: string;
}

export const EMULATOR_PROFILE: Profile = { id: 'emulator', name: 'Local emulator', kind: 'emulator' };

/** A profile as shown: the emulator's name is in the user's language (whatever it was saved in). */
function shown(p: Profile): Profile {
  return p.kind === 'emulator' ? { ...p, name: vscode.l10n.t('Local emulator') } : p;
}

const LIST_KEY = GLOBAL_STATE.profiles;
const ACTIVE_KEY = GLOBAL_STATE.activeProfile;
const secretKey = SECRET_KEY;

export class Profiles implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly extension: vscode.ExtensionContext) {}

  all(): Profile[] {
    return this.extension.globalState.get<Profile[]>(LIST_KEY, []).map(shown);
  }

  get(id: string): Profile | undefined {
    return this.all().find((p) => p.id === id);
  }

  /** The profile palette commands act on: the chosen one, else the only one. */
  active(): Profile | undefined {
    const all = this.all();
    return all.find((p) => p.id === this.extension.globalState.get<string>(ACTIVE_KEY)) ?? all[0];
  }

  async setActive(id: string): Promise<void> {
    await this.extension.globalState.update(ACTIVE_KEY, id);
    this.changed.fire();
  }

  /** Adds or replaces a profile; the secret goes to SecretStorage and nowhere else. */
  async save(profile: Profile, secret?: string): Promise<void> {
    const rest = this.all().filter((p) => p.id !== profile.id);
    if (secret !== undefined) {
      await this.extension.secrets.store(secretKey(profile.id), secret);
    }
    await this.extension.globalState.update(LIST_KEY, [...rest, profile]);
    if (rest.length === 0) {
      await this.extension.globalState.update(ACTIVE_KEY, profile.id);
    }
    this.changed.fire();
  }

  /** Signs out: forgets the profile and deletes its secret. */
  async remove(id: string): Promise<void> {
    await this.extension.secrets.delete(secretKey(id));
    await this.extension.globalState.update(
      LIST_KEY,
      this.all().filter((p) => p.id !== id),
    );
    if (this.extension.globalState.get<string>(ACTIVE_KEY) === id) {
      await this.extension.globalState.update(ACTIVE_KEY, undefined);
    }
    this.changed.fire();
  }

  secret(id: string): Thenable<string | undefined> {
    return this.extension.secrets.get(secretKey(id));
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** NCP's access keys are 20 characters of letters and digits; secret keys 40. Checked as typed. */
export function checkAccessKey(v: string): string | undefined {
  return /^[A-Za-z0-9]{16,64}$/.test(v.trim()) ? undefined : vscode.l10n.t('An access key is 16-64 letters and digits (NCP console → My Page → Authentication Key).');
}
