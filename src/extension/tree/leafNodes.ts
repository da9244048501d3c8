// The leaves of the Private CA view: an issued certificate, "Load more…", and a CA's CRL or chain.
import * as vscode from 'vscode';
import type { EndCert } from '../../ncloud';
import type { CaNode } from './caNode';
import type { CertListNode } from './certificatePages';
import { Node } from './node';
import { escapeMd, expiryColor, relativeDays } from './render';
import { CONTEXT_VALUE } from '../keys';

export class CertNode extends Node {
  constructor(
    readonly list: CertListNode,
    readonly cert: EndCert,
    readonly revoked: boolean,
  ) {
    super();
  }

  item(): vscode.TreeItem {
    const c = this.cert;
    const t = new vscode.TreeItem(c.commonName || c.serialNo);
    t.id = `cert:${this.list.caNode.profileNode.profile.id}:${this.list.caNode.tag}:${c.serialNo}`;
    const expired = c.notAfterDate < Date.now();
    const state = this.state(expired);
    t.description = `${state} · ${c.publicKeyAlgorithm} · ${expired ? vscode.l10n.t('expired {0}', relativeDays(c.notAfterDate)) : vscode.l10n.t('expires {0}', relativeDays(c.notAfterDate))}`;
    t.iconPath = new vscode.ThemeIcon(this.revoked ? 'circle-slash' : 'workspace-trusted', this.revoked ? new vscode.ThemeColor('errorForeground') : expiryColor(c.notBeforeDate, c.notAfterDate));
    t.contextValue = CONTEXT_VALUE.cert(this.revoked);
    t.command = { command: 'ncloudPki.inspectTreeItem', title: vscode.l10n.t('Inspect'), arguments: [this] };
    return t;
  }

  private state(expired = this.cert.notAfterDate < Date.now()): string {
    return this.revoked ? vscode.l10n.t('revoked') : expired ? vscode.l10n.t('expired') : vscode.l10n.t('valid');
  }

  override tooltip(): vscode.MarkdownString {
    const c = this.cert;
    const state = this.state();
    return new vscode.MarkdownString(
      [
        `**${escapeMd(c.commonName)}**`,
        `${vscode.l10n.t('Serial')}: \`${c.serialNo}\``,
        `${vscode.l10n.t('Valid')}: ${new Date(c.notBeforeDate).toISOString().slice(0, 10)} → ${new Date(c.notAfterDate).toISOString().slice(0, 10)}`,
        `${vscode.l10n.t('Key')}: ${c.publicKeyAlgorithm}, ${c.signatureAlgorithm}`,
        `${vscode.l10n.t('Status')}: ${state}`,
      ].join('  \n'),
    );
  }
}

export class LoadMoreNode extends Node {
  constructor(readonly list: CertListNode) {
    super();
  }
  item(): vscode.TreeItem {
    const t = new vscode.TreeItem(vscode.l10n.t('Load more…'));
    t.iconPath = new vscode.ThemeIcon('more');
    t.contextValue = CONTEXT_VALUE.loadMore;
    t.command = { command: 'ncloudPki.loadMore', title: vscode.l10n.t('Load more'), arguments: [this] };
    return t;
  }
}

/** What a CA publishes, shown under it: its CRL or its chain (inspect, download). */
export class CaFileNode extends Node {
  constructor(
    readonly caNode: CaNode,
    readonly kind: 'crl' | 'chain',
  ) {
    super();
  }
  item(): vscode.TreeItem {
    const crl = this.kind === 'crl';
    const t = new vscode.TreeItem(crl ? vscode.l10n.t('CRL') : vscode.l10n.t('Chain'));
    t.id = `${this.kind}:${this.caNode.profileNode.profile.id}:${this.caNode.tag}`;
    t.iconPath = new vscode.ThemeIcon(crl ? 'list-unordered' : 'link');
    t.contextValue = CONTEXT_VALUE[this.kind];
    if (crl) {
      t.description = vscode.l10n.t('revocation list');
    }
    t.command = { command: 'ncloudPki.inspectTreeItem', title: vscode.l10n.t('Inspect'), arguments: [this] };
    return t;
  }
}
