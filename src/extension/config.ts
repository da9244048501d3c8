// The `ncloudPki.*` settings the extension reads, through one typed function; each has its one
// default in keys.ts (the same as package.json's; an integration test compares them in VS Code). The language server reads its
// own settings (src/language/protocol.ts `ServerSettings`).
import * as vscode from 'vscode';
import { SETTING_DEFAULTS } from './keys';

export type Settings = typeof SETTING_DEFAULTS;

/** The current value of an `ncloudPki.*` setting. */
export function setting<K extends keyof Settings>(key: K): Settings[K] {
  return vscode.workspace.getConfiguration('ncloudPki').get<Settings[K]>(key, SETTING_DEFAULTS[key]);
}
