// The Certificates view's commands: group by, index again, inspect a row.
import * as vscode from 'vscode';
import { GROUPINGS, type Grouping, type Row } from '../certificates';
import type { Ext } from '../ext';

export function groupBy(ext: Ext) {
  return async (choice?: Grouping): Promise<void> => {
    const names: Record<Grouping, string> = { expiry: vscode.l10n.t('Expiry (no groups)'), file: vscode.l10n.t('File'), issuer: vscode.l10n.t('Issuer'), finding: vscode.l10n.t('Finding') };
    const picked = choice ?? (await ext.ctx.prompter.pick(GROUPINGS.map((g) => ({ label: names[g], g, picked: g === ext.certificates.grouping })), { title: vscode.l10n.t('Group certificates by') }))?.g;
    if (picked) {
      ext.certificates.setGrouping(picked);
    }
  };
}

export function reindex(ext: Ext) {
  return () => ext.certificates.start();
}

export function inspectEntry(ext: Ext) {
  return (row?: Row) => (row && 'entry' in row ? ext.pem.inspect({ uri: row.entry.uri, range: row.entry.range }) : undefined);
}
