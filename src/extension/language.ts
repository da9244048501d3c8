// The PEM language client: its own bundle (dist/client.js), loaded by pem.ts only once a document
// that holds PEM is open, so activation never pays for vscode-languageclient.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, vsdiag, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { Commands, InventoryNotification, InventoryStartNotification, KnownIssuersNotification, LANGUAGE_CLIENT_ID, PEM_LANGUAGES, VerifyChainRequest, type KnownIssuer } from '../language/protocol';

export interface PemClient extends vscode.Disposable {
  verifyChain(uri: vscode.Uri): Promise<VerifyChainRequest.Result>;
  setKnownIssuers(issuers: KnownIssuer[]): Promise<void>;
  /** Indexes the workspace in the server (again); progress and entries arrive through `onInventory`. */
  startInventory(params: InventoryStartNotification.Params): Promise<void>;
  onInventory(listener: (p: InventoryNotification.Params) => void): vscode.Disposable;
}

/** Starts dist/server.js over IPC and resolves when it has answered `initialize`. */
export async function startPemClient(extension: vscode.ExtensionContext): Promise<PemClient> {
  const module = extension.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: PEM_LANGUAGES.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    // Every file event reaches the server: its workspace inventory re-indexes what changed.
    synchronize: { configurationSection: 'ncloudPki', fileEvents: vscode.workspace.createFileSystemWatcher('**/*') },
    // Hovers link to the inspector; only our own commands may run from them.
    markdown: { isTrusted: { enabledCommands: [Commands.inspect] } },
    // Open documents' diagnostics are pushed; the server answers pulls with the same ones (for
    // editors that only pull), so VS Code's document pulls are answered empty here, not shown twice.
    // Closed files come from the workspace pull.
    middleware: { provideDiagnostics: () => ({ kind: vsdiag.DocumentDiagnosticReportKind.full, items: [] }) },
  };
  const client = new LanguageClient(LANGUAGE_CLIENT_ID, vscode.l10n.t('NCP PKI Language Server'), serverOptions, clientOptions);
  await client.start();
  return {
    verifyChain: (uri) => client.sendRequest(VerifyChainRequest.method, { uri: uri.toString() } satisfies VerifyChainRequest.Params),
    setKnownIssuers: (issuers) => client.sendNotification(KnownIssuersNotification.method, { issuers } satisfies KnownIssuersNotification.Params),
    startInventory: (params) => client.sendNotification(InventoryStartNotification.method, params),
    onInventory: (listener) => client.onNotification(InventoryNotification.method, listener),
    dispose: () => void client.dispose(),
  };
}
