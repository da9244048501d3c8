// The "Certificates" view and its status-bar count: every certificate, CSR, CRL and key in the
// workspace, as the language server indexes them (src/language/server/inventory.ts). The host only
// keeps the rows the server sends and draws them; it never reads the files itself.
import * as vscode from 'vscode';
import type { InventoryEntry, InventoryNotification } from '../language/protocol';
import { setting } from './config';
import type { Context } from './context';
import { CONTEXT_VALUE } from './keys';
import type { PemFeature } from './pem';

export type Grouping = 'expiry' | 'file' | 'issuer' | 'finding';
export const GROUPINGS: Grouping[] = ['expiry', 'file', 'issuer', 'finding'];

const DAY = 86_400_000;
const KIND_ICON: Record<string, string> = { certificate: 'shield', pkcs7: 'shield', csr: 'mail', crl: 'list-flat', privateKey: 'key', publicKey: 'key' };

/** A group (file, issuer, finding) or one entry. */
export type Row = { group: string; label: string; entries: InventoryEntry[] } | { entry: InventoryEntry };

function daysLeft(e: InventoryEntry, now: number): number | undefined {
  return e.notAfter ? Math.floor((Date.parse(e.notAfter) - now) / DAY) : undefined;
}

/** Soonest to expire first; what does not expire (CSRs, keys) last, by name. */
function byExpiry(a: InventoryEntry, b: InventoryEntry): number {
  return (a.notAfter ?? '\uffff').localeCompare(b.notAfter ?? '\uffff') || a.name.localeCompare(b.name) || a.uri.localeCompare(b.uri) || a.range.start.line - b.range.start.line;
}

/** A row's words for what the known CAs say (src/language/server/cas.ts), in the description. */
const CA_WORDS: Record<string, () => string> = {
  revoked: () => vscode.l10n.t('revoked'),
  'issuer-expires-first': () => vscode.l10n.t('issuer expires first'),
  'development-ca': () => vscode.l10n.t('from a development CA'),
};

const cnOf = (dn: string | undefined) => (dn ? (/(?:^|,\s*)CN=([^,]+)/.exec(dn)?.[1] ?? dn) : undefined);

export class CertificatesView implements vscode.TreeDataProvider<Row>, vscode.Disposable {
  private files = new Map<string, InventoryEntry[]>();
  /** While the server indexes afresh, its rows gather here and replace `files` when it is done (the view never flashes empty). */
  private fresh: Map<string, InventoryEntry[]> | undefined;
  /** How many complete indexings (start to done) the view has taken. */
  indexings = 0;
  private readonly changed = new vscode.EventEmitter<Row | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly updated = new vscode.EventEmitter<InventoryNotification.Params>();
  /** Each inventory message from the server, after the view took it in (tests wait on it). */
  readonly onDidUpdate = this.updated.event;
  grouping: Grouping = 'expiry';
  readonly view: vscode.TreeView<Row>;
  private readonly status: vscode.StatusBarItem;
  private progress: { resolve: () => void; report: (m: string) => void } | undefined;
  progressState = { scanned: 0, total: 0, done: false, ms: 0 };

  constructor(
    private readonly ctx: Context,
    private readonly pem: PemFeature,
  ) {
    this.view = ctx.register(vscode.window.createTreeView('ncloudPki.certificates', { treeDataProvider: this, showCollapseAll: true }));
    this.status = ctx.register(vscode.window.createStatusBarItem('ncloudPki.expiring', vscode.StatusBarAlignment.Left, 10));
    this.status.name = vscode.l10n.t('Expiring certificates');
    this.status.command = 'ncloudPki.certificates.focus';
    ctx.register(this.changed);
    ctx.register(this.updated);
    ctx.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('files.exclude') || e.affectsConfiguration('search.exclude')) {
          void this.start();
        } else if (e.affectsConfiguration('ncloudPki.expiryWarningDays')) {
          this.refresh();
        }
      }),
    );
    ctx.register(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.start()));
  }

  /** Starts the language server if needed and asks it to index the workspace folders. */
  async start(): Promise<void> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    if (!folders.length) {
      return;
    }
    const client = await this.pem.start();
    if (!this.subscribed) {
      this.subscribed = true;
      this.ctx.register(client.onInventory((p) => this.take(p)));
    }
    this.fresh = new Map();
    this.showProgress();
    await client.startInventory({ roots: folders.map((f) => f.uri.fsPath), exclude: excludes() });
  }

  private subscribed = false;

  private showProgress(): void {
    this.progress?.resolve();
    void vscode.window.withProgress({ location: { viewId: 'ncloudPki.certificates' }, title: vscode.l10n.t('Indexing certificates') }, (p) => new Promise<void>((resolve) => (this.progress = { resolve, report: (message) => p.report({ message }) })));
  }

  private take(p: InventoryNotification.Params): void {
    const into = this.fresh ?? this.files;
    for (const f of p.files) {
      if (f.entries.length) {
        into.set(f.uri, f.entries);
      } else {
        into.delete(f.uri);
      }
    }
    if (p.done && this.fresh) {
      this.files = this.fresh;
      this.fresh = undefined;
      this.indexings++;
    }
    this.progressState = { scanned: p.scanned, total: p.total, done: p.done, ms: p.ms };
    if (p.done) {
      this.progress?.resolve();
      this.progress = undefined;
      this.view.message = this.files.size ? undefined : vscode.l10n.t('No certificates, requests, CRLs or keys in this workspace.');
      this.ctx.log.info(`certificates: ${this.entries().length} block(s) in ${this.files.size} file(s), ${p.total} file(s) walked in ${p.ms.toFixed(0)} ms`);
    } else {
      const text = vscode.l10n.t('Indexing: {0} of {1} files', p.scanned, p.total);
      this.progress?.report(text);
      this.view.message = text;
    }
    this.refresh();
    this.updated.fire(p);
  }

  refresh(): void {
    this.changed.fire(undefined);
    const warn = setting('expiryWarningDays');
    const now = Date.now();
    const soon = this.entries().filter((e) => {
      const d = daysLeft(e, now);
      return d !== undefined && d <= warn;
    }).length;
    this.status.text = `$(shield) ${soon}`;
    this.status.tooltip = vscode.l10n.t('{0} certificate(s) expired or expiring within {1} days: show the Certificates view', soon, warn);
    if (this.files.size) {
      this.status.show();
    } else {
      this.status.hide();
    }
  }

  /** Every entry, soonest to expire first. */
  entries(): InventoryEntry[] {
    return [...this.files.values()].flat().sort(byExpiry);
  }

  setGrouping(g: Grouping): void {
    this.grouping = g;
    this.changed.fire(undefined);
  }

  getChildren(row?: Row): Row[] {
    if (row) {
      return 'group' in row ? row.entries.map((entry) => ({ entry })) : [];
    }
    const all = this.entries();
    if (this.grouping === 'expiry') {
      return all.map((entry) => ({ entry }));
    }
    const groups = new Map<string, InventoryEntry[]>();
    const add = (key: string, e: InventoryEntry) => groups.set(key, [...(groups.get(key) ?? []), e]);
    for (const e of all) {
      if (this.grouping === 'file') {
        add(vscode.workspace.asRelativePath(vscode.Uri.parse(e.uri)), e);
      } else if (this.grouping === 'issuer') {
        add(cnOf(e.issuer) ?? vscode.l10n.t('(no issuer)'), e);
      } else if (e.findings.length) {
        new Set(e.findings.map((f) => f.code)).forEach((code) => add(code, e));
      } else {
        add(vscode.l10n.t('(no findings)'), e);
      }
    }
    // Groups in the order of their soonest entry (entries are sorted already).
    return [...groups].map(([label, entries]) => ({ group: this.grouping, label, entries }));
  }

  getTreeItem(row: Row): vscode.TreeItem {
    if ('group' in row) {
      const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.Expanded);
      item.description = String(row.entries.length);
      item.iconPath = new vscode.ThemeIcon(row.group === 'file' ? 'file' : row.group === 'issuer' ? 'organization' : 'warning');
      return item;
    }
    const e = row.entry;
    const days = daysLeft(e, Date.now());
    const item = new vscode.TreeItem(e.name, vscode.TreeItemCollapsibleState.None);
    const where = `${vscode.workspace.asRelativePath(vscode.Uri.parse(e.uri))}:${e.range.start.line + 1}`;
    const left = days === undefined ? undefined : days < 0 ? vscode.l10n.t('expired {0} days ago', -days) : vscode.l10n.t('{0} days left', days);
    const issuer = cnOf(e.issuer);
    // What the user's CAs say of it (the days left do not tell it): revoked, issuer expires first, development CA.
    const fromCas = e.findings.flatMap((f) => (CA_WORDS[f.code] ? [CA_WORDS[f.code]()] : []));
    item.description = [...fromCas, left, issuer && e.kind !== 'crl' ? vscode.l10n.t('by {0}', issuer) : undefined, where].filter(Boolean).join(' · ');
    // Coloured as its diagnostics are: expired (or another error, such as revoked) is an error; expiring within the window, or another warning, a warning.
    const codes = new Set(e.findings.map((f) => f.code));
    const color =
      codes.has('expired') || (days !== undefined && days < 0) || e.findings.some((f) => f.severity === 'error')
        ? 'list.errorForeground'
        : codes.has('expiring-soon') || (days !== undefined && days <= setting('expiryWarningDays')) || e.findings.some((f) => f.severity === 'warning')
          ? 'list.warningForeground'
          : undefined;
    item.iconPath = new vscode.ThemeIcon(KIND_ICON[e.kind] ?? 'file-code', color ? new vscode.ThemeColor(color) : undefined);
    item.tooltip = new vscode.MarkdownString(undefined, false);
    item.tooltip.appendText([e.subject ?? e.name, e.issuer ? vscode.l10n.t('Issuer: {0}', e.issuer) : '', e.notAfter ? vscode.l10n.t('Expires: {0}', e.notAfter) : '', where, ...e.findings.map((f) => `${f.severity === 'error' ? vscode.l10n.t('error') : f.severity === 'warning' ? vscode.l10n.t('warning') : vscode.l10n.t('info')}: ${f.code}`)].filter(Boolean).join('\n'));
    item.contextValue = CONTEXT_VALUE.inventoryEntry;
    const range = new vscode.Range(e.range.start.line, e.range.start.character, e.range.start.line, e.range.start.character);
    item.command = { command: 'vscode.open', title: vscode.l10n.t('Open'), arguments: [vscode.Uri.parse(e.uri), { selection: range } satisfies vscode.TextDocumentShowOptions] };
    return item;
  }

  dispose(): void {
    this.progress?.resolve();
  }
}

/** files.exclude and search.exclude, as patterns relative to each folder (what is switched on). */
function excludes(): string[] {
  const on = (section: string) =>
    Object.entries(vscode.workspace.getConfiguration().get<Record<string, unknown>>(section) ?? {})
      .filter(([, v]) => v === true)
      .map(([k]) => k);
  return [...new Set([...on('files.exclude'), ...on('search.exclude')])];
}
