import * as vscode from 'vscode';
import type { Ca, CaStatus } from '../../ncloud';
import type { Profile, Profiles } from '../profiles';
import type { Services } from '../services';
import { CertListNode } from './certificatePages';
import { TreeProvider, type Node } from './node';
import { ProfileNode } from './profileNode';

/** The Private CA view: profiles → CAs → certificates, CRL, chain. */
export class PkiTree extends TreeProvider {
  private readonly casLoaded = new vscode.EventEmitter<{ profile: Profile; cas: Ca[] }>();
  /** Every time a profile's CAs were listed (the language server learns which CAs issued what). */
  readonly onDidLoadCas = this.casLoaded.event;
  private readonly nodes = new Map<string, ProfileNode>();
  private filter: CaStatus[] | undefined;

  constructor(
    readonly services: Services,
    readonly profiles: Profiles,
  ) {
    super();
  }

  statusFilter(): CaStatus[] | undefined {
    return this.filter;
  }

  setStatusFilter(filter: CaStatus[] | undefined): void {
    this.filter = filter;
    this.refresh();
  }

  /** Refreshes one node (and what is under it), or everything. */
  override refresh(node?: Node): void {
    if (node instanceof CertListNode) {
      node.reset();
    }
    super.refresh(node);
  }

  /** Re-renders a node without forgetting what it loaded ("Load more"). */
  refreshKeep(node: Node): void {
    this.changed.fire(node);
  }

  protected roots(): Node[] {
    return this.profiles.all().map((p) => {
      let n = this.nodes.get(p.id);
      // globalState hands out fresh objects: keep the node (and what it loaded) while the profile is the same.
      if (!n || JSON.stringify(n.profile) !== JSON.stringify(p)) {
        n = new ProfileNode(p, this);
        this.nodes.set(p.id, n);
      }
      return n;
    });
  }

  profileNode(id: string): ProfileNode | undefined {
    return this.nodes.get(id);
  }

  /** Called by profile nodes when they listed their CAs. */
  loadedCas(profile: Profile, cas: Ca[]): void {
    this.casLoaded.fire({ profile, cas });
  }

  override dispose(): void {
    super.dispose();
    this.casLoaded.dispose();
  }
}
