import * as vscode from 'vscode';
import type { Ca, NcpClient } from '../../ncloud';
import type { Profile } from '../profiles';
import { CaNode } from './caNode';
import { guarded, InfoNode, Node } from './node';
import type { PkiTree } from './pkiTree';
import { CONTEXT_VALUE } from '../keys';

/** A profile in the Private CA view: its CAs, subordinates nested under their issuer. */
export class ProfileNode extends Node {
  /** CA nodes by caTag, kept across reloads so a refresh of one CA keeps its place. */
  private readonly cas = new Map<string, CaNode>();

  constructor(
    readonly profile: Profile,
    readonly tree: PkiTree,
  ) {
    super();
  }

  item(): vscode.TreeItem {
    const t = new vscode.TreeItem(this.profile.name, vscode.TreeItemCollapsibleState.Expanded);
    t.id = `profile:${this.profile.id}`;
    const active = this.tree.profiles.active()?.id === this.profile.id;
    t.description = `${this.profile.kind === 'emulator' ? vscode.l10n.t('offline, on this computer') : (this.profile.endpoint ?? vscode.l10n.t('{0} site', this.profile.site ?? 'public'))}${active ? ` · ${vscode.l10n.t('active')}` : ''}`;
    t.iconPath = new vscode.ThemeIcon(this.profile.kind === 'emulator' ? 'vm' : 'cloud');
    t.contextValue = CONTEXT_VALUE.profile(this.profile.kind, active);
    t.tooltip = this.profile.kind === 'ncp' ? `${this.profile.name}\n${vscode.l10n.t('Access key: {0}', this.profile.accessKey ?? '')}` : this.profile.name;
    return t;
  }

  client(): Promise<NcpClient> {
    return this.tree.services.client(this.profile);
  }

  override children(): Promise<Node[]> {
    return guarded(this, async () => {
      const client = await this.client();
      const all: Ca[] = [];
      for await (const ca of client.pca.allCas()) {
        all.push(ca);
      }
      this.tree.loadedCas(this.profile, all);
      const byTag = new Map(all.map((c) => [c.caInfo.caTag, c]));
      const nodes = all.map((ca) => {
        let n = this.cas.get(ca.caInfo.caTag);
        if (n) {
          n.ca = ca;
        } else {
          n = new CaNode(this, ca);
          this.cas.set(ca.caInfo.caTag, n);
        }
        n.subs = [];
        return n;
      });
      const roots: CaNode[] = [];
      for (const n of nodes) {
        const issuer = n.ca.caInfo.issuerTag ?? issuerBySubject(n.ca, all);
        const parent = issuer && byTag.has(issuer) ? this.cas.get(issuer) : undefined;
        if (parent && parent !== n) {
          parent.subs.push(n);
          n.parent = parent;
        } else {
          roots.push(n);
          n.parent = this;
        }
      }
      const filter = this.tree.statusFilter();
      const visible = (n: CaNode): boolean => !filter || filter.includes(n.ca.caInfo.status) || n.subs.some(visible);
      const shown = roots.filter(visible);
      if (shown.length === 0) {
        return [new InfoNode(all.length ? vscode.l10n.t('No CA matches the filter') : vscode.l10n.t('No CAs yet: create a root CA'), all.length ? 'filter' : 'info')];
      }
      return shown;
    }).then((nodes) => {
      for (const n of nodes) {
        if (!(n instanceof CaNode)) {
          n.parent = this;
        }
      }
      return nodes;
    });
  }

  caNode(caTag: string): CaNode | undefined {
    return this.cas.get(caTag);
  }
}

/** NCP does not say which CA issued a subordinate; the emulator does (issuerTag). Else match names. */
function issuerBySubject(ca: Ca, all: Ca[]): string | undefined {
  if (ca.caInfo.caType !== 'PRIVATE_SUB' || !ca.caCertInfo?.issuerName) {
    return undefined;
  }
  const cn = /CN=([^,]+)/.exec(ca.caCertInfo.issuerName)?.[1];
  return all.find((c) => c !== ca && c.caCertInfo?.commonName === cn)?.caInfo.caTag;
}
