import * as vscode from 'vscode';
import type { NcpClient } from '../../ncloud';
import { asNcpError } from '../errors';
import type { CaNode } from './caNode';
import { loadCertPage, normalizeSerial } from './certPages';
import { CertNode, LoadMoreNode } from './leafNodes';
import { guarded, InfoNode, Node } from './node';
import { CONTEXT_VALUE } from '../keys';

/** "Certificates" under a CA: pages of issued certificates, loaded on demand, revoked ones marked from the CRL. */
export class CertListNode extends Node {
  /** Loaded certificates, page by page. */
  private loaded: CertNode[] = [];
  private nextPage = 1;
  private totalPages = 0;
  total: number | undefined;
  private revoked: Set<string> | undefined;

  constructor(readonly caNode: CaNode) {
    super();
    this.parent = caNode;
  }

  item(): vscode.TreeItem {
    const t = new vscode.TreeItem(vscode.l10n.t('Certificates'), vscode.TreeItemCollapsibleState.Collapsed);
    t.id = `certs:${this.caNode.profileNode.profile.id}:${this.caNode.tag}`;
    t.iconPath = new vscode.ThemeIcon('files');
    t.description = this.total !== undefined ? String(this.total) : undefined;
    t.contextValue = CONTEXT_VALUE.certs;
    return t;
  }

  /** Forgets what was loaded; the next expand starts at page 1. A load in flight is dropped. */
  reset(): void {
    this.loaded = [];
    this.nextPage = 1;
    this.totalPages = 0;
    this.revoked = undefined;
    this.generation++;
    this.inFlight = undefined;
  }

  /** Bumped by reset(): a page that arrives for an older generation is thrown away. */
  private generation = 0;
  /** The page being loaded: the view and a command asking at once share one request. */
  private inFlight: Promise<void> | undefined;

  override children(): Promise<Node[]> {
    return guarded(this, async () => {
      if (this.nextPage === 1) {
        await this.loadPage();
      }
      const out: Node[] = [...this.loaded];
      if (this.nextPage <= this.totalPages) {
        out.push(new LoadMoreNode(this));
      }
      if (out.length === 0) {
        out.push(new InfoNode(vscode.l10n.t('No certificates issued yet')));
      }
      return out;
    });
  }

  /** Loads the next page of serial numbers and their details (once, however many ask). */
  loadPage(signal?: AbortSignal): Promise<void> {
    const generation = this.generation;
    const load = async () => {
      const client = await this.caNode.profileNode.client();
      const tag = this.caNode.tag;
      const [page, revoked] = await Promise.all([loadCertPage(client, tag, this.nextPage, signal), this.revoked ? Promise.resolve(this.revoked) : this.revokedSerials(client, signal)]);
      if (generation !== this.generation) {
        return;
      }
      this.revoked = revoked;
      this.total = page.totalCnt;
      this.totalPages = page.totalPageNo;
      this.loaded.push(...page.certs.map((c) => Object.assign(new CertNode(this, c, revoked.has(normalizeSerial(c.serialNo))), { parent: this })));
      this.nextPage++;
    };
    const p = (this.inFlight ??= load().finally(() => {
      if (this.inFlight === p) {
        this.inFlight = undefined;
      }
    }));
    return p;
  }

  /** Every page at once (for "load everything" and the benchmark). */
  async loadAll(signal?: AbortSignal): Promise<number> {
    if (this.nextPage === 1) {
      await this.loadPage(signal);
    }
    while (this.nextPage <= this.totalPages) {
      await this.loadPage(signal);
    }
    return this.loaded.length;
  }

  /** Serial numbers on the CA's CRL (decoded with the PKI core). */
  private async revokedSerials(client: NcpClient, signal?: AbortSignal): Promise<Set<string>> {
    try {
      const pem = await client.pca.getCrl(this.caNode.tag, { signal });
      const b = this.caNode.profileNode.tree.services.backend();
      const block = b.scanPem(pem)[0];
      const d = block ? b.decodeBlock(block) : undefined;
      return new Set(d?.kind === 'crl' ? d.entries.map((e) => normalizeSerial(e.serialNumber)) : []);
    } catch (err) {
      // A CA without a CRL yet (a pending subordinate) lists its certificates all the same.
      if (asNcpError(err)?.kind === 'cancelled') {
        throw err;
      }
      return new Set();
    }
  }
}
