import * as vscode from 'vscode';
import type { CmCertificate } from '../../../ncloud';
import { Node } from '../node';
import type { CmProfileNode } from './cmProfileNode';
import { CONTEXT_VALUE } from '../../keys';

/** A Certificate Manager certificate with its status in words. */
export class CmCertNode extends Node {
  constructor(
    readonly profileNode: CmProfileNode,
    readonly cert: CmCertificate,
    readonly status: string,
  ) {
    super();
  }
  item(): vscode.TreeItem {
    const c = this.cert;
    const t = new vscode.TreeItem(c.certificateName);
    t.id = `cm:${this.profileNode.profile.id}:${c.certificateNo}`;
    t.description = `${this.status} · ${c.commonName}${c.validEndDate ? ` · ${vscode.l10n.t('until {0}', String(c.validEndDate).slice(0, 10))}` : ''}`;
    t.iconPath = new vscode.ThemeIcon(c.statusCode === 0 ? 'sync' : c.statusCode > 0 ? 'workspace-trusted' : 'warning', c.statusCode < 0 ? new vscode.ThemeColor('errorForeground') : undefined);
    t.contextValue = CONTEXT_VALUE.cmCert(c.statusCode === 0);
    t.tooltip = [`${c.certificateName} (#${c.certificateNo})`, `${vscode.l10n.t('Common name')}: ${c.commonName}`, `DNS: ${c.dnsName}`, `${vscode.l10n.t('Status')}: ${this.status} (${c.statusCode})`, c.certificateTypeName ?? ''].filter(Boolean).join('\n');
    return t;
  }
}
