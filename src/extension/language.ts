// The PEM language client: its own bundle (dist/client.js), loaded by pem.ts only once a document
// that holds PEM is open, so activation never pays for vscode-languageclient.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { Commands, KnownIssuersNotification, LANGUAGE_CLIENT_ID, PEM_LANGUAGES, VerifyChainRequest, type KnownIssuer } from '../language/protocol';

export interface PemClient extends vscode.Disposable {
  verifyChain(uri: vscode.Uri): Promise<VerifyChainRequest.Result>;
  setKnownIssuers(issuers: KnownIssuer[]): Promise<void>;
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
    synchronize: { configurationSection: 'ncloudPki' },
    // Hovers link to the inspector; only our own commands may run from them.
    markdown: { isTrusted: { enabledCommands: [Commands.inspect] } },
  };
  const client = new LanguageClient(LANGUAGE_CLIENT_ID, vscode.l10n.t('NCP PKI Language Server'), serverOptions, clientOptions);
  await client.start();
  return {
    verifyChain: (uri) => client.sendRequest(VerifyChainRequest.method, { uri: uri.toString() } satisfies VerifyChainRequest.Params),
    setKnownIssuers: (issuers) => client.sendNotification(KnownIssuersNotification.method, { issuers } satisfies KnownIssuersNotification.Params),
    dispose: () => void client.dispose(),
  };
}
