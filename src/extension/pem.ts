// PEM in the editor: starts the language client the first time a document holds PEM, and carries
// the commands its hovers and code lenses point at.
import * as vscode from 'vscode';
import { PEM_LANGUAGES, PEM_MARKERS, type BlockRef, type KnownIssuer, type VerifyChainRequest } from '../language/protocol';
import type { Context } from './context';
import type { Inspector, Rendered } from './inspector';
import type { PemClient, startPemClient } from './language';

const LANGUAGES = new Set<string>(PEM_LANGUAGES);

function basename(uri: vscode.Uri): string {
  return uri.path.split('/').pop() || uri.toString(true);
}

function holdsPem(text: string): boolean {
  return PEM_MARKERS.some((m) => text.includes(m));
}

export class PemFeature implements vscode.Disposable {
  private client: Promise<PemClient> | undefined;

  constructor(
    private readonly ctx: Context,
    private readonly inspector: Inspector,
  ) {
    ctx.register(vscode.workspace.onDidOpenTextDocument((d) => this.consider(d, d.getText())));
    // Pasting PEM into an open document (an untitled one, say) counts too; only the inserted text is read.
    ctx.register(vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.forEach((c) => this.consider(e.document, c.text))));
    for (const d of vscode.workspace.textDocuments) {
      this.consider(d, d.getText());
    }
  }

  private consider(document: vscode.TextDocument, text: string): void {
    if (!this.client && LANGUAGES.has(document.languageId) && (document.languageId === 'pem' || holdsPem(text))) {
      this.start().catch(() => undefined);
    }
  }

  /** The running client, started on first use. A failed start is reported and may be retried. */
  start(): Promise<PemClient> {
    this.client ??= this.load().catch((err: unknown) => {
      this.client = undefined;
      const message = err instanceof Error ? err.message : String(err);
      this.ctx.log.error(`language server failed to start: ${message}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('The PEM language server did not start: {0}', message), vscode.l10n.t('Show Log')).then((pick) => pick && this.ctx.log.show());
      throw err;
    });
    return this.client;
  }

  private issuers: KnownIssuer[] = [];

  /** The CAs the extension knows from NCP: the server puts "Reissue from …" on what they issued. */
  setKnownIssuers(issuers: KnownIssuer[]): void {
    this.issuers = issuers;
    void this.client?.then((c) => c.setKnownIssuers(issuers)).catch(() => undefined);
  }

  private async load(): Promise<PemClient> {
    const started = performance.now();
    // A separate bundle, so that activation does not load vscode-languageclient.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { startPemClient: start } = require(this.ctx.extension.asAbsolutePath('dist/client.js')) as { startPemClient: typeof startPemClient };
    const client = await start(this.ctx.extension);
    this.ctx.register(client);
    if (this.issuers.length) {
      await client.setKnownIssuers(this.issuers);
    }
    this.ctx.log.info(`language server started in ${Math.round(performance.now() - started)} ms`);
    return client;
  }

  /**
   * `ncloudPki.inspect`: the inspector on a lens's block (`BlockRef`), a file from the explorer
   * (`Uri`), or the active editor's selection, else its whole text scrolled to the cursor's block.
   */
  async inspect(arg?: BlockRef | vscode.Uri): Promise<Rendered | undefined> {
    if (arg instanceof vscode.Uri) {
      const bytes = await vscode.workspace.fs.readFile(arg);
      const opened = await this.inspector.openContainer(bytes, basename(arg));
      if (opened !== null) {
        return opened && this.inspector.show({ text: opened.text, source: { kind: 'file', uri: arg.toString(), label: opened.label } });
      }
      return this.inspector.show({ bytes, source: { kind: 'file', uri: arg.toString(), label: basename(arg) }, userFile: true });
    }
    if (arg) {
      const uri = vscode.Uri.parse(arg.uri);
      const document = await vscode.workspace.openTextDocument(uri);
      return this.inspector.show({ text: document.getText(), source: { kind: 'document', uri: arg.uri, label: basename(uri) }, focusLine: arg.range.start.line });
    }
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      const pick = await vscode.window.showInformationMessage(vscode.l10n.t('Open a file that holds a PEM block, then run Inspect Certificate again.'), vscode.l10n.t('Inspect Clipboard'));
      return pick ? this.inspectClipboard() : undefined;
    }
    const { document, selection } = editor;
    const label = basename(document.uri);
    // A JWK/JWKS open as JSON: its certificates and key types, never the JSON (it may hold "d").
    if (selection.isEmpty && /^\s*\{/.test(document.getText(new vscode.Range(0, 0, 5, 0)))) {
      const opened = await this.inspector.openContainer(new TextEncoder().encode(document.getText()), label);
      if (opened !== null) {
        return opened && this.inspector.show({ text: opened.text, source: { kind: 'document', uri: document.uri.toString(), label: opened.label } });
      }
    }
    if (!selection.isEmpty) {
      return this.inspector.show({ text: document.getText(selection), source: { kind: 'selection', uri: document.uri.toString(), label: vscode.l10n.t('Selection in {0}', label) } });
    }
    return this.inspector.show({ text: document.getText(), source: { kind: 'document', uri: document.uri.toString(), label }, focusLine: selection.active.line, userFile: document.uri.scheme === 'file' });
  }

  /** `ncloudPki.inspectClipboard`: whatever PEM the clipboard holds (private keys are never sent). */
  async inspectClipboard(): Promise<Rendered | undefined> {
    const text = await vscode.env.clipboard.readText();
    if (!text.trim()) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The clipboard is empty. Copy a certificate, chain, CSR or CRL in PEM, then run Inspect Clipboard again.'));
      return undefined;
    }
    return this.inspector.show({ text, source: { kind: 'clipboard', label: vscode.l10n.t('Clipboard') } });
  }

  /** `ncloudPki.verifyChain`: orders and checks the certificates of a document, and says what it found. */
  async verifyChain(arg?: { uri: string }): Promise<VerifyChainRequest.Result | undefined> {
    const uri = arg ? vscode.Uri.parse(arg.uri) : vscode.window.activeTextEditor?.document.uri;
    if (!uri) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a file that holds a certificate chain, then run Verify Chain again.'));
      return undefined;
    }
    const client = await this.start();
    const result = await client.verifyChain(uri);
    const path = result.links.map((l) => l.subject).join(' → ');
    this.ctx.log.info(`verify chain ${uri.toString(true)}: ${result.ok ? 'ok' : result.problems.join('; ')}`);
    for (const l of result.links) {
      this.ctx.log.info(`  ${l.subject} ← ${l.issuer}: signature ${l.signature}${l.expired ? ', expired' : ''}`);
    }
    if (result.links.length === 0) {
      void vscode.window.showWarningMessage(vscode.l10n.t('No certificates to verify in this file.'));
    } else if (result.ok) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Chain verified: {0}', path));
    } else {
      void vscode.window.showWarningMessage(vscode.l10n.t('Chain problems: {0}', result.problems.join('; ')), vscode.l10n.t('Show Log')).then((pick) => pick && this.ctx.log.show());
    }
    return result;
  }

  dispose(): void {
    this.client = undefined;
  }
}
