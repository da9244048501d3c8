// The certificate inspector's host side: one "Inspect Certificate" panel, and a readonly custom
// editor for certificate files. Both load dist/webview.js, which decodes the text inside the
// webview; the host only sends text (private keys cut out) and answers copy/save requests.
import { readdir } from 'node:fs/promises';
import * as vscode from 'vscode';
import { maybeContainer } from '../export/sniff';
import { PEM_MARKERS } from '../language/protocol';
import type { HostMessage, IssuerSource, IssuersMessage, Source, TlsView, WebviewMessage } from '../webview/protocol';
import { setting } from './config';
import type { Context } from './context';
import { publicBlocks, webviewContent } from './redact';
import { say } from './say';
import { saveTo } from './workspaceFiles';

export type Rendered = Extract<WebviewMessage, { type: 'rendered' }>;

/** What to inspect: text from an editor or the clipboard, or a file's bytes. */
export interface InspectInput {
  text?: string;
  bytes?: Uint8Array;
  source: Source;
  focusLine?: number;
  /** The user opened this file themselves: a key-only file may be shown (type and size). */
  userFile?: boolean;
  canOpenAsText?: boolean;
  /** A live endpoint's facts (the text is the chain it served). */
  tls?: TlsView;
  /** Where the issuers are, when the caller knows (a served chain: your CAs, the system store); else they are looked for. */
  issuers?: IssuerSource[];
}

function nonce(): string {
  return crypto.randomUUID().replace(/-/g, '');
}

const BEGIN_CERTIFICATE = '-----BEGIN CERTIFICATE-----';
const CERT_FILE = /\.(pem|crt|cer|der|chain)$/i;
const MAX_FILES_BESIDE = 40;
const MAX_FILE_BYTES = 1_000_000;

/** The CERTIFICATE blocks of a text and nothing else (never a key), or '' when it has none. */
function certificateBlocks(text: string): string {
  // Only blocks proven public (a key labelled CERTIFICATE, or one between two, never goes along).
  return publicBlocks(text, 'CERTIFICATE');
}

/** The issuers `show` said would follow, once found (the webview waits for them before the chain). */
async function postIssuers(webview: vscode.Webview, show: HostMessage, issuers: Promise<IssuerSource[]>): Promise<void> {
  if (show.issuersFollow) {
    await webview.postMessage({ type: 'issuers', id: show.id, issuers: await issuers } satisfies IssuersMessage);
  }
}

/**
 * A folder's entries. On disk through node:fs, whose listing carries each entry's type: VS Code's
 * readDirectory stats every entry, and beside the Debian bundle (/etc/ssl/certs, 290 symlinks)
 * that took 100–500 ms of the inspector's start.
 */
async function listFolder(folder: vscode.Uri): Promise<[string, vscode.FileType][]> {
  if (folder.scheme === 'file') {
    const entries = await readdir(folder.fsPath, { withFileTypes: true }).catch(() => []);
    return entries.map((e) => [e.name, e.isFile() ? vscode.FileType.File : e.isDirectory() ? vscode.FileType.Directory : vscode.FileType.Unknown]);
  }
  return Promise.resolve(vscode.workspace.fs.readDirectory(folder)).catch(() => []);
}

/** A DER file as a PEM certificate (the webview decodes it; not a certificate, it is skipped there). */
function toPemCertificate(bytes: Uint8Array): string {
  return `${BEGIN_CERTIFICATE}\n${Buffer.from(bytes).toString('base64')}\n-----END CERTIFICATE-----`;
}

/** True for DER: a binary file starting with a SEQUENCE and holding no PEM armor. */
function isBinary(bytes: Uint8Array): boolean {
  return bytes.length > 1 && bytes[0] === 0x30 && bytes.subarray(0, 1024).some((b) => b < 0x09 || (b > 0x0d && b < 0x20) || b > 0x7e);
}

export class Inspector {
  private panel: vscode.WebviewPanel | undefined;
  private panelMessage: HostMessage | undefined;
  private panelIssuers: Promise<IssuerSource[]> = Promise.resolve([]);
  private nextId = 1;
  private readonly rendered = new vscode.EventEmitter<{ source: Source; report: Rendered }>();
  private readonly failed = new vscode.EventEmitter<number>();
  /** Every render in any inspector view (panel or custom editor). Tests and the log listen. */
  readonly onDidRender = this.rendered.event;

  constructor(
    private readonly ctx: Context,
    /** Shows an NCP item in the Private CA view (the "Reveal" button). */
    private readonly reveal: (where: NonNullable<Source['reveal']>) => Thenable<unknown>,
  ) {
    ctx.register(this.rendered);
    ctx.register(this.failed);
  }

  private expiryWarningDays(): number {
    return setting('expiryWarningDays');
  }

  /** CA certificates of the NCP profiles, by profile id (the tree sets them as it loads CAs). */
  private readonly profileCas = new Map<string, IssuerSource[]>();

  /** The CA certificates of every profile (PEM texts), as the tree loaded them. */
  /** The CAs of every profile, as issuer sources. */
  profileCaSources(): IssuerSource[] {
    return [...this.profileCas.values()].flat();
  }

  /** The CAs of a profile, offered as issuers of what the inspector shows. */
  setProfileCas(profile: string, cas: IssuerSource[]): void {
    this.profileCas.set(profile, cas);
  }

  /**
   * Where the issuers of an inspected certificate may be: certificate files beside it (chain.pem,
   * fullchain.pem first), other open editors, the CAs of the profiles. Certificates only.
   */
  async issuerSources(source: Source): Promise<IssuerSource[]> {
    if (source.kind === 'ncp' || source.kind === 'tls') {
      return [];
    }
    const out: IssuerSource[] = [];
    const seen = new Set<string>(source.uri ? [source.uri] : []);
    const add = (from: string, uri: string, text: string) => {
      const certs = seen.has(uri) ? '' : certificateBlocks(text);
      if (certs) {
        seen.add(uri);
        out.push({ from, text: certs });
      }
    };
    const self = source.uri ? vscode.Uri.parse(source.uri) : undefined;
    if (self && self.scheme !== 'untitled') {
      const folder = vscode.Uri.joinPath(self, '..');
      const entries = await listFolder(folder);
      const first = ['chain.pem', 'fullchain.pem', 'ca.pem', 'ca.crt'];
      const names = entries
        // Not the inspected file itself: it is read already (the Debian bundle again cost 100–150 ms).
        .filter(([name, type]) => type === vscode.FileType.File && CERT_FILE.test(name) && !seen.has(vscode.Uri.joinPath(folder, name).toString()))
        .map(([name]) => name)
        .sort((a, b) => (first.includes(a) ? first.indexOf(a) : first.length) - (first.includes(b) ? first.indexOf(b) : first.length) || a.localeCompare(b))
        .slice(0, MAX_FILES_BESIDE);
      // Read together, not one after another.
      const files = await Promise.all(
        names.map(async (name) => {
          const uri = vscode.Uri.joinPath(folder, name);
          // Unreadable: not a candidate.
          return { name, uri, bytes: await Promise.resolve(vscode.workspace.fs.readFile(uri)).catch(() => undefined) };
        }),
      );
      for (const { name, uri, bytes } of files) {
        if (bytes && bytes.length <= MAX_FILE_BYTES) {
          const text = isBinary(bytes) ? toPemCertificate(bytes) : new TextDecoder().decode(bytes);
          add(vscode.l10n.t('{0} beside it', name), uri.toString(), text);
        }
      }
    }
    for (const doc of vscode.workspace.textDocuments) {
      if (!doc.isClosed && doc.getText().includes(BEGIN_CERTIFICATE)) {
        add(vscode.l10n.t('open editor {0}', doc.uri.path.split('/').pop() ?? doc.uri.toString()), doc.uri.toString(), doc.getText());
      }
    }
    for (const cas of this.profileCas.values()) {
      out.push(...cas);
    }
    return out;
  }

  /**
   * A PKCS#12, Java keystore or JWK/JWKS file opened here in the host: the password asked (again
   * while wrong), then only its certificates as PEM and a label naming each key's type. Null when
   * `bytes` is no such container; undefined when the user cancelled or it cannot be read.
   */
  async openContainer(bytes: Uint8Array, label: string): Promise<{ text: string; label: string } | null | undefined> {
    if (!maybeContainer(bytes, label)) {
      return null;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const b = require(this.ctx.extension.asAbsolutePath('dist/backend.js')) as typeof import('./backend');
    const format = b.containerFormat(bytes, label);
    if (!format) {
      return null;
    }
    let password: string | undefined;
    let prompt = vscode.l10n.t('The password of {0}', label);
    for (;;) {
      try {
        const c = b.readContainer(bytes, label, password);
        const kind = format === 'pkcs12' ? 'PKCS#12' : format === 'jks' ? 'JKS' : 'JWK';
        const keys = c.keys.map((k) => (k.private ? vscode.l10n.t('private key "{0}": {1}', k.name, k.type) : vscode.l10n.t('public key "{0}": {1}', k.name, k.type)));
        return { text: b.certificatesPem(c), label: `${label} (${[kind, ...keys].join('; ')})` };
      } catch (err) {
        if (!(err instanceof b.PasswordNeeded)) {
          void vscode.window.showErrorMessage(vscode.l10n.t('Could not read {0}: {1}', label, err instanceof b.ContainerError ? say(err.text) : (err as Error).message));
          return undefined;
        }
        if (err.wrong) {
          prompt = vscode.l10n.t('Wrong password for {0}: try again', label);
        }
      }
      password = await this.ctx.prompter.input({ title: vscode.l10n.t('Open {0}', label), prompt, password: true });
      if (password === undefined) {
        return undefined;
      }
    }
  }

  /** The message for `input`, with private keys cut out unless the user opened a key file. */
  message(input: InspectInput, issuers: IssuerSource[] = []): HostMessage {
    const base = { id: this.nextId++, source: input.source, expiryWarningDays: this.expiryWarningDays(), canOpenAsText: input.canOpenAsText === true, ...(input.focusLine !== undefined ? { focusLine: input.focusLine } : {}), ...(issuers.length ? { issuers } : {}), ...(vscode.l10n.bundle ? { l10n: vscode.l10n.bundle } : {}), ...(input.tls ? { tls: input.tls } : {}) };
    const content = webviewContent({ ...input, binary: input.bytes !== undefined && isBinary(input.bytes) });
    return { type: 'show', ...content, ...base };
  }

  /** Sets up a webview to show `message`, now and after every reload (the `ready` handshake). */
  attach(webview: vscode.Webview, message: () => HostMessage, onOpenAsText?: () => void, issuers?: () => Promise<IssuerSource[]>): vscode.Disposable {
    const dist = vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'media');
    webview.options = { enableScripts: true, localResourceRoots: [dist, media] };
    const n = nonce();
    const csp = [`default-src 'none'`, `style-src ${webview.cspSource}`, `font-src ${webview.cspSource}`, `img-src ${webview.cspSource}`, `script-src 'nonce-${n}' ${webview.cspSource}`].join('; ');
    const uri = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.ctx.extension.extensionUri, ...p)).toString();
    webview.html = `<!DOCTYPE html>
<html lang="${vscode.env.language}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${uri('dist', 'codicons', 'codicon.css')}">
<link rel="stylesheet" href="${uri('media', 'inspector.css')}">
<title>${vscode.l10n.t('Inspect Certificate')}</title>
</head>
<body>
<main id="root" aria-live="polite"><p>${vscode.l10n.t('Decoding…')}</p></main>
<script type="module" nonce="${n}" src="${uri('dist', 'webview.js')}"></script>
</body>
</html>`;
    return webview.onDidReceiveMessage((m: WebviewMessage) => this.receive(webview, m, message, onOpenAsText, issuers));
  }

  private async receive(webview: vscode.Webview, m: WebviewMessage, message: () => HostMessage, onOpenAsText?: () => void, issuers?: () => Promise<IssuerSource[]>): Promise<void> {
    switch (m.type) {
      case 'ready': {
        const show = message();
        const found = issuers?.();
        await webview.postMessage(show);
        if (found) {
          await postIssuers(webview, show, found);
        }
        break;
      }
      case 'rendered': {
        const source = message().source;
        this.ctx.log.info(`inspector: ${source.label}: ${m.blocks.length} block(s) rendered in ${m.ms.toFixed(0)} ms`);
        this.rendered.fire({ source, report: m });
        break;
      }
      case 'copy':
        await vscode.env.clipboard.writeText(m.text);
        vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', m.what), 3000);
        break;
      case 'save':
        await this.save(m.format, m.data, m.name);
        break;
      case 'openAsText':
        onOpenAsText?.();
        break;
      case 'reveal': {
        const where = message().source.reveal;
        if (where) {
          await this.reveal(where);
        }
        break;
      }
      case 'error':
        this.ctx.log.error(`inspector: ${m.message}`);
        this.failed.fire(m.id);
        void vscode.window.showErrorMessage(vscode.l10n.t('The inspector could not show this: {0}', m.message));
        break;
    }
  }

  /** Save as PEM or DER; the save dialog asks before it replaces a file. */
  private async save(format: 'pem' | 'der', data: string, name: string): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const file = `${name}.${format === 'pem' ? 'pem' : 'der'}`;
    const target = await this.ctx.prompter.saveFile({
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, file) } : {}),
      filters: format === 'pem' ? { PEM: ['pem', 'crt'] } : { DER: ['der', 'cer'] },
      saveLabel: vscode.l10n.t('Save {0}', format.toUpperCase()),
    });
    if (!target) {
      return;
    }
    if (await saveTo(this.ctx, target, format === 'pem' ? data : Buffer.from(data, 'base64'))) {
      vscode.window.setStatusBarMessage(vscode.l10n.t('Saved {0}', target.fsPath), 3000);
    }
  }

  /** Shows `input` in the "Inspect Certificate" panel; resolves with what the webview rendered. */
  async show(input: InspectInput): Promise<Rendered | undefined> {
    // Posted before the issuers are looked for: the cards need none of them, only the chain does,
    // and every await here lets the host's other work in first (100–200 ms for the Debian bundle).
    const message: HostMessage = { ...this.message(input), issuersFollow: true };
    // Given issuers are read from anywhere (workspace files): only their certificates go along.
    const given = input.issuers?.map((i) => ({ from: i.from, text: certificateBlocks(i.text) })).filter((i) => i.text);
    const issuers = given ? Promise.resolve(given) : this.issuerSources(input.source).catch(() => []);
    this.panelMessage = message;
    this.panelIssuers = issuers;
    const title = vscode.l10n.t('Inspect: {0}', input.source.label);
    let panel = this.panel;
    const fresh = !panel;
    if (panel) {
      panel.title = title;
      // Beside the editor it inspects, as a new panel opens: revealed in the active editor's own group,
      // the panel would hide that editor, and the webview, hidden meanwhile, loads again each time.
      const active = vscode.window.tabGroups.activeTabGroup;
      const shared = panel.viewColumn === active.viewColumn && !(active.activeTab?.input instanceof vscode.TabInputWebview);
      panel.reveal(shared ? vscode.ViewColumn.Beside : undefined, false);
    } else {
      panel = vscode.window.createWebviewPanel('ncloudPki.inspector', title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, { enableFindWidget: true });
      panel.iconPath = vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'media', 'pki.svg');
      this.panel = panel;
      const sub = this.attach(panel.webview, () => this.panelMessage!, undefined, () => this.panelIssuers);
      panel.onDidDispose(() => {
        sub.dispose();
        this.panel = undefined;
      });
      this.ctx.register(panel);
    }
    const done = this.nextRender(message.id, panel);
    // A fresh panel asks for its content with `ready`; a live one gets it now.
    if (!fresh) {
      await panel.webview.postMessage(message);
      await postIssuers(panel.webview, message, issuers);
    }
    return done;
  }

  /** The report of render `id` (undefined when the panel closes first). */
  private nextRender(id: number, panel: vscode.WebviewPanel): Promise<Rendered | undefined> {
    return new Promise((resolve) => {
      const subs: vscode.Disposable[] = [];
      const finish = (r: Rendered | undefined) => {
        subs.forEach((s) => s.dispose());
        resolve(r);
      };
      subs.push(this.onDidRender((e) => e.report.id === id && finish(e.report)));
      subs.push(this.failed.event((failedId) => failedId === id && finish(undefined)));
      subs.push(panel.onDidDispose(() => finish(undefined)));
    });
  }
}

/** The readonly custom editor for certificate files (PEM or DER). */
export class CertificateEditor implements vscode.CustomReadonlyEditorProvider {
  static readonly viewTypes = ['ncloudPki.certificate', 'ncloudPki.certificatePem'];

  constructor(private readonly inspector: Inspector) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    const uri = document.uri;
    const label = uri.path.split('/').pop() ?? uri.toString();
    const read = async (): Promise<HostMessage> => {
      try {
        const bytes = await vscode.workspace.fs.readFile(uri);
        const opened = await this.inspector.openContainer(bytes, label);
        if (opened !== null) {
          const source: Source = { kind: 'file', uri: uri.toString(), label: opened?.label ?? label };
          return this.inspector.message({ text: opened?.text ?? '', source, canOpenAsText: false }, opened ? await this.inspector.issuerSources(source) : []);
        }
        const text = isBinary(bytes) ? undefined : new TextDecoder().decode(bytes);
        const hasPem = text !== undefined && PEM_MARKERS.some((m) => text.includes(m));
        const source: Source = { kind: 'file', uri: uri.toString(), label };
        return this.inspector.message({ bytes, source, userFile: true, canOpenAsText: hasPem }, await this.inspector.issuerSources(source));
      } catch (err) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Could not read {0}: {1}', label, err instanceof Error ? err.message : String(err)));
        return { type: 'show', id: 0, text: '', source: { kind: 'file', uri: uri.toString(), label }, redactions: [], expiryWarningDays: 30, canOpenAsText: true };
      }
    };
    let current = await read();
    const subs = [
      this.inspector.attach(panel.webview, () => current, () => void vscode.commands.executeCommand('vscode.openWith', uri, 'default')),
    ];
    // Follow the file: a renewed certificate shows without reopening.
    if (uri.scheme === 'file') {
      const folder = vscode.Uri.joinPath(uri, '..');
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, label));
      const reload = async () => {
        current = await read();
        await panel.webview.postMessage(current);
      };
      subs.push(watcher, watcher.onDidChange(reload), watcher.onDidCreate(reload));
    }
    panel.onDidDispose(() => subs.forEach((s) => s.dispose()));
  }
}
