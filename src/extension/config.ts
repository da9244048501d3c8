// The `ncloudPki.*` settings the extension reads, through one typed function; each has its one
// default in keys.ts (the same as package.json's; an integration test compares them in VS Code). The language server reads its
// own settings (src/language/protocol.ts `ServerSettings`).
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { SETTING_DEFAULTS } from './keys';

export type Settings = typeof SETTING_DEFAULTS;

/** The current value of an `ncloudPki.*` setting. */
export function setting<K extends keyof Settings>(key: K): Settings[K] {
  return vscode.workspace.getConfiguration('ncloudPki').get<Settings[K]>(key, SETTING_DEFAULTS[key]);
}

/** `ncloudPki.recordTraffic` as an absolute folder (`~/` is the home folder, a relative path is under the first workspace folder), or undefined when off. */
export function recordFolder(): string | undefined {
  const raw = setting('recordTraffic').trim();
  if (!raw) {
    return undefined;
  }
  if (raw === '~' || raw.startsWith('~/')) {
    return join(homedir(), raw.slice(1));
  }
  const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? homedir();
  return isAbsolute(raw) ? raw : join(base, raw);
}
