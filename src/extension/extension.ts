import * as vscode from 'vscode';
import { Context } from './context';
import { commandTable } from './commands';
import { CertificateEditor, Inspector } from './inspector';
import { PemFeature } from './pem';

/**
 * Activation only wires: it builds the context, registers the command table and views.
 * Heavy modules (undici, @peculiar/x509, the language client) load on first use.
 */
/** What activate() returns to other extensions and to the integration tests. */
export interface Api {
  /** Fires with what the inspector webview rendered, each time it renders. */
  readonly inspector: Pick<Inspector, 'onDidRender'>;
}

export async function activate(extensionContext: vscode.ExtensionContext): Promise<Api> {
  const ctx = new Context(extensionContext);
  try {
    const inspector = new Inspector(ctx);
    const pem = ctx.register(new PemFeature(ctx, inspector));
    const editor = new CertificateEditor(inspector);
    for (const viewType of CertificateEditor.viewTypes) {
      ctx.register(vscode.window.registerCustomEditorProvider(viewType, editor, { supportsMultipleEditorsPerDocument: true }));
    }
    for (const [id, handler] of Object.entries(commandTable(ctx, pem))) {
      ctx.register(vscode.commands.registerCommand(id, handler as (...args: unknown[]) => unknown));
    }
    return { inspector };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    void vscode.window.showErrorMessage(vscode.l10n.t('NCP PKI failed to start: {0}', message));
    ctx.dispose();
    throw err;
  }
}

export function deactivate(): void {
  // Everything is owned by the Context, which VS Code disposes through context.subscriptions.
}
