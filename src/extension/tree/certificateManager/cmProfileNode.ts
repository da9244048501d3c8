import * as vscode from 'vscode';
import type { Profile } from '../../profiles';
import type { Services } from '../../services';
import { guarded, InfoNode, Node } from '../node';
import { CmCertNode } from './cmCertNode';
import { CONTEXT_VALUE } from '../../keys';

/** A profile in the Certificate Manager view: its certificates. */
export class CmProfileNode extends Node {
  constructor(
    readonly profile: Profile,
    readonly services: Services,
  ) {
    super();
  }
  item(): vscode.TreeItem {
    const t = new vscode.TreeItem(this.profile.name, vscode.TreeItemCollapsibleState.Expanded);
    t.id = `cm:${this.profile.id}`;
    t.iconPath = new vscode.ThemeIcon(this.profile.kind === 'emulator' ? 'vm' : 'cloud');
    t.contextValue = CONTEXT_VALUE.cmProfile;
    return t;
  }
  override children(): Promise<Node[]> {
    return guarded(this, async () => {
      const client = await this.services.client(this.profile);
      const out: Node[] = [];
      for await (const c of client.cm.all()) {
        out.push(new CmCertNode(this, c, this.services.backend().CM_STATUS[c.statusCode] ?? String(c.statusCode)));
      }
      return out.length ? out : [new InfoNode(vscode.l10n.t('No certificates in Certificate Manager'))];
    });
  }
}
