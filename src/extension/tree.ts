// The NCP PKI trees. Nodes render themselves and load their own children; the providers stay thin
// and never throw: a failed load becomes an error node with the reason and a retry.
import * as vscode from 'vscode';
import type { Ca, CaStatus, CmCertificate, EndCert, NcpClient } from '../ncloud';
import type { Profile, Profiles } from './profiles';
import { expiresSoon } from '../pki/expiry';
import { loadCertPage, normalizeSerial } from './certPages';
import { asNcpError, type Services } from './services';

const DAY = 86_400_000;

export abstract class Node {
  parent: Node | undefined;
  abstract item(): vscode.TreeItem;
  children(): Promise<Node[]> {
    return Promise.resolve([]);
  }
}

function errorText(err: unknown): string {
  const ncp = asNcpError(err);
  return ncp ? `${ncp.message}${ncp.code ? ` (${ncp.code})` : ''}` : err instanceof Error ? err.message : String(err);
}

export class ErrorNode extends Node {
  constructor(
    readonly message: string,
    readonly retry: Node | undefined,
    readonly hint?: string,
  ) {
    super();
  }
  item(): vscode.TreeItem {
    const t = new vscode.TreeItem(vscode.l10n.t('Could not load: {0}', this.message));
    t.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    t.tooltip = this.hint ? `${this.message}\n\n${this.hint}` : this.message;
    t.contextValue = 'error';
    t.command = { command: 'ncloudPki.refresh', title: vscode.l10n.t('Retry'), arguments: [this.retry] };
    return t;
  }
}

class InfoNode extends Node {
  constructor(
    readonly label: string,
    readonly icon = 'info',
  ) {
    super();
  }
  item(): vscode.TreeItem {
    const t = new vscode.TreeItem(this.label);
    t.iconPath = new vscode.ThemeIcon(this.icon);
    return t;
  }
}

/** Runs `load`, turning a failure into an error node that retries `owner`. */
async function guarded(owner: Node, load: () => Promise<Node[]>): Promise<Node[]> {
  try {
    const nodes = await load();
    for (const n of nodes) {
      n.parent = owner;
    }
    return nodes;
  } catch (err) {
    const e = new ErrorNode(errorText(err), owner, asNcpError(err)?.hint);
    e.parent = owner;
    return [e];
  }
}

function relativeDays(ms: number, now = Date.now()): string {
  const d = Math.round((ms - now) / DAY);
  if (d === 0) {
    return vscode.l10n.t('today');
  }
  return d > 0 ? vscode.l10n.t('in {0} days', d) : vscode.l10n.t('{0} days ago', -d);
}

function expiryColor(notBefore: number | null | undefined, notAfter: number | null | undefined): vscode.ThemeColor | undefined {
  if (!notAfter) {
    return undefined;
  }
  const now = Date.now();
  const warn = vscode.workspace.getConfiguration('ncloudPki').get<number>('expiryWarningDays', 30);
  return notAfter < now ? new vscode.ThemeColor('errorForeground') : expiresSoon(notBefore ?? notAfter, notAfter, now, warn) ? new vscode.ThemeColor('editorWarning.foreground') : undefined;
}

const STATUS_ICON: Record<CaStatus, [string, string | undefined]> = {
  ACTIVE: ['verified', 'testing.iconPassed'],
  DEACTIVATED: ['circle-slash', 'disabledForeground'],
  DESTROYING: ['trash', 'errorForeground'],
  PENDING: ['clock', 'editorWarning.foreground'],
};

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
    t.contextValue = `profile.${this.profile.kind}${active ? '.active' : ''}`;
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
    t.contextValue = `ca.${i.status}.${i.caType === 'PRIVATE_ROOT' ? 'root' : 'sub'}`;
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
    t.contextValue = 'certs';
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
    const state = this.revoked ? vscode.l10n.t('revoked') : expired ? vscode.l10n.t('expired') : vscode.l10n.t('valid');
    t.description = `${state} · ${c.publicKeyAlgorithm} · ${expired ? vscode.l10n.t('expired {0}', relativeDays(c.notAfterDate)) : vscode.l10n.t('expires {0}', relativeDays(c.notAfterDate))}`;
    t.iconPath = new vscode.ThemeIcon(this.revoked ? 'circle-slash' : 'workspace-trusted', this.revoked ? new vscode.ThemeColor('errorForeground') : expiryColor(c.notBeforeDate, c.notAfterDate));
    t.contextValue = this.revoked ? 'cert.revoked' : 'cert';
    t.tooltip = new vscode.MarkdownString(
      [
        `**${escapeMd(c.commonName)}**`,
        `${vscode.l10n.t('Serial')}: \`${c.serialNo}\``,
        `${vscode.l10n.t('Valid')}: ${new Date(c.notBeforeDate).toISOString().slice(0, 10)} → ${new Date(c.notAfterDate).toISOString().slice(0, 10)}`,
        `${vscode.l10n.t('Key')}: ${c.publicKeyAlgorithm}, ${c.signatureAlgorithm}`,
        `${vscode.l10n.t('Status')}: ${state}`,
      ].join('  \n'),
    );
    t.command = { command: 'ncloudPki.inspectTreeItem', title: vscode.l10n.t('Inspect'), arguments: [this] };
    return t;
  }
}

export class LoadMoreNode extends Node {
  constructor(readonly list: CertListNode) {
    super();
  }
  item(): vscode.TreeItem {
    const t = new vscode.TreeItem(vscode.l10n.t('Load more…'));
    t.iconPath = new vscode.ThemeIcon('more');
    t.contextValue = 'loadMore';
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
    t.contextValue = this.kind;
    if (crl) {
      t.description = vscode.l10n.t('revocation list');
    }
    t.command = { command: 'ncloudPki.inspectTreeItem', title: vscode.l10n.t('Inspect'), arguments: [this] };
    return t;
  }
}

function statusWord(s: CaStatus): string {
  return { ACTIVE: vscode.l10n.t('Active'), DEACTIVATED: vscode.l10n.t('Deactivated'), DESTROYING: vscode.l10n.t('Destroying'), PENDING: vscode.l10n.t('Pending') }[s] ?? s;
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

/** The Private CA view: profiles → CAs → certificates, CRL, chain. */
export class PkiTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly casLoaded = new vscode.EventEmitter<{ profile: Profile; cas: Ca[] }>();
  /** Every time a profile's CAs were listed (the language server learns which CAs issued what). */
  readonly onDidLoadCas = this.casLoaded.event;
  private readonly nodes = new Map<string, ProfileNode>();
  private filter: CaStatus[] | undefined;

  constructor(
    readonly services: Services,
    readonly profiles: Profiles,
  ) {}

  statusFilter(): CaStatus[] | undefined {
    return this.filter;
  }

  setStatusFilter(filter: CaStatus[] | undefined): void {
    this.filter = filter;
    void vscode.commands.executeCommand('setContext', 'ncloudPki.filtered', filter !== undefined);
    this.refresh();
  }

  /** Refreshes one node (and what is under it), or everything. */
  refresh(node?: Node): void {
    if (node instanceof CertListNode) {
      node.reset();
    }
    this.changed.fire(node);
  }

  /** Re-renders a node without forgetting what it loaded ("Load more"). */
  refreshKeep(node: Node): void {
    this.changed.fire(node);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return node.item();
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node) {
      return node.children();
    }
    const profiles = this.profiles.all();
    return profiles.map((p) => {
      let n = this.nodes.get(p.id);
      // globalState hands out fresh objects: keep the node (and what it loaded) while the profile is the same.
      if (!n || JSON.stringify(n.profile) !== JSON.stringify(p)) {
        n = new ProfileNode(p, this);
        this.nodes.set(p.id, n);
      }
      return n;
    });
  }

  getParent(node: Node): Node | undefined {
    return node.parent;
  }

  profileNode(id: string): ProfileNode | undefined {
    return this.nodes.get(id);
  }

  /** Called by profile nodes when they listed their CAs. */
  loadedCas(profile: Profile, cas: Ca[]): void {
    this.casLoaded.fire({ profile, cas });
  }

  dispose(): void {
    this.changed.dispose();
    this.casLoaded.dispose();
  }
}

/** The Certificate Manager view: profiles → certificates with their status in words. */
export class CmTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    readonly services: Services,
    readonly profiles: Profiles,
  ) {}

  refresh(node?: Node): void {
    this.changed.fire(node);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return node.item();
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (node) {
      return node.children();
    }
    return this.profiles.all().map((p) => new CmProfileNode(p, this.services));
  }

  getParent(node: Node): Node | undefined {
    return node.parent;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

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
    t.contextValue = 'cmProfile';
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
    t.contextValue = `cmCert.${c.statusCode === 0 ? 'issuing' : 'ready'}`;
    t.tooltip = [`${c.certificateName} (#${c.certificateNo})`, `${vscode.l10n.t('Common name')}: ${c.commonName}`, `DNS: ${c.dnsName}`, `${vscode.l10n.t('Status')}: ${this.status} (${c.statusCode})`, c.certificateTypeName ?? ''].filter(Boolean).join('\n');
    return t;
  }
}
