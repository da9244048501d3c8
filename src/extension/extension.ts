import * as vscode from 'vscode';
import { Context } from './context';
import { commandTable } from './commands';

/**
 * Activation only wires: it builds the context, registers the command table and views.
 * Heavy modules (undici, @peculiar/x509, the language client) load on first use.
 */
export async function activate(extensionContext: vscode.ExtensionContext): Promise<Context> {
  const ctx = new Context(extensionContext);
  try {
    for (const [id, handler] of Object.entries(commandTable(ctx))) {
      ctx.register(vscode.commands.registerCommand(id, handler));
    }
    return ctx;
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
