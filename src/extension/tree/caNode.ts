import * as vscode from 'vscode';
import type { Ca } from '../../ncloud';
import { CertListNode } from './certificatePages';
import { CaFileNode } from './leafNodes';
import { Node } from './node';
import type { ProfileNode } from './profileNode';
import { escapeMd, expiryColor, relativeDays, STATUS_ICON, statusWord } from './render';
import { CONTEXT_VALUE } from '../keys';

/** A CA: its subordinates, its certificates, its CRL and chain. */
export class CaNode extends Node {
  subs: CaNode[] = [];
  readonly certs: CertListNode;

  constructor(
    readonly profileNode: ProfileNode,
    public ca: Ca,
  ) {
    super();
    this.certs = new CertListNode(this);
  }

  get tag(): string {
    return this.ca.caInfo.caTag;
  }

  item(): vscode.TreeItem {
    const { caInfo: i, caCertInfo: c } = this.ca;
    const t = new vscode.TreeItem(i.alias, vscode.TreeItemCollapsibleState.Collapsed);
    t.id = `ca:${this.profileNode.profile.id}:${i.caTag}`;
    const expiry = c?.notAfterDate ? vscode.l10n.t('expires {0}', relativeDays(c.notAfterDate)) : '';
    t.description = [statusWord(i.status), c?.publicKeyAlgorithm, expiry].filter(Boolean).join(' · ');
    const [icon, color] = STATUS_ICON[i.status] ?? ['question', undefined];
    t.iconPath = new vscode.ThemeIcon(icon, expiryColor(c?.notBeforeDate, c?.notAfterDate) ?? (color ? new vscode.ThemeColor(color) : undefined));
    t.contextValue = CONTEXT_VALUE.ca(i.status, i.caType === 'PRIVATE_ROOT');
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${escapeMd(i.alias)}** · ${i.caType === 'PRIVATE_ROOT' ? vscode.l10n.t('root CA') : vscode.l10n.t('subordinate CA')}\n\n`);
    const rows: [string, string | undefined][] = [
      [vscode.l10n.t('Status'), statusWord(i.status)],
      [vscode.l10n.t('Subject'), c ? [c.commonName, c.organizationUnit, c.organization, c.country].filter(Boolean).join(', ') : undefined],
      [vscode.l10n.t('Issuer'), c?.issuerName],
      [vscode.l10n.t('Valid'), c?.notBeforeDate && c.notAfterDate ? `${new Date(c.notBeforeDate).toISOString().slice(0, 10)} → ${new Date(c.notAfterDate).toISOString().slice(0, 10)}` : undefined],
      [vscode.l10n.t('Key'), c?.publicKeyAlgorithm],
      [vscode.l10n.t('Certificates signed'), String(i.signingCount)],
      [vscode.l10n.t('CA tag'), i.caTag],
      [vscode.l10n.t('Destroyed on'), i.destroyDate ? new Date(i.destroyDate).toISOString() : undefined],
    ];
    md.appendMarkdown(rows.filter(([, v]) => v).map(([k, v]) => `${k}: ${escapeMd(v!)}`).join('  \n'));
    t.tooltip = md;
    return t;
  }

  override children(): Promise<Node[]> {
    const extra = [this.certs, new CaFileNode(this, 'crl'), new CaFileNode(this, 'chain')];
    for (const n of [...this.subs, ...extra]) {
      n.parent = this;
    }
    return Promise.resolve([...this.subs, ...extra]);
  }
}
