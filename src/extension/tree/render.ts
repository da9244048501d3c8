// How tree items word and colour things: relative days, expiry colour, CA status words and icons.
import * as vscode from 'vscode';
import { setting } from '../config';
import type { CaStatus } from '../../ncloud';
import { expiresSoon } from '../../pki/expiry';

const DAY = 86_400_000;

export function relativeDays(ms: number, now = Date.now()): string {
  const d = Math.round((ms - now) / DAY);
  if (d === 0) {
    return vscode.l10n.t('today');
  }
  return d > 0 ? vscode.l10n.t('in {0} days', d) : vscode.l10n.t('{0} days ago', -d);
}

export function expiryColor(notBefore: number | null | undefined, notAfter: number | null | undefined): vscode.ThemeColor | undefined {
  if (!notAfter) {
    return undefined;
  }
  const now = Date.now();
  const warn = setting('expiryWarningDays');
  return notAfter < now ? new vscode.ThemeColor('errorForeground') : expiresSoon(notBefore ?? notAfter, notAfter, now, warn) ? new vscode.ThemeColor('editorWarning.foreground') : undefined;
}

export const STATUS_ICON: Record<CaStatus, [string, string | undefined]> = {
  ACTIVE: ['verified', 'testing.iconPassed'],
  DEACTIVATED: ['circle-slash', 'disabledForeground'],
  DESTROYING: ['trash', 'errorForeground'],
  PENDING: ['clock', 'editorWarning.foreground'],
};


export function statusWord(s: CaStatus): string {
  return { ACTIVE: vscode.l10n.t('Active'), DEACTIVATED: vscode.l10n.t('Deactivated'), DESTROYING: vscode.l10n.t('Destroying'), PENDING: vscode.l10n.t('Pending') }[s] ?? s;
}

export function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}
