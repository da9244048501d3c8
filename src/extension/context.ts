import * as vscode from 'vscode';
import { windowPrompter, type Prompter } from './ui';

/**
 * The extension's composition root. Every disposable it creates is registered here and
 * released when VS Code disposes the extension context.
 */
export class Context implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private logChannel: vscode.LogOutputChannel | undefined;
  /** Every question the extension asks goes through this; integration tests install a scripted one. */
  prompter: Prompter = windowPrompter;

  constructor(readonly extension: vscode.ExtensionContext) {
    extension.subscriptions.push(this);
  }

  /** Takes ownership of a disposable; returns it for chaining. */
  register<T extends vscode.Disposable>(disposable: T): T {
    this.disposables.push(disposable);
    return disposable;
  }

  /** The extension's log, created on first use. */
  get log(): vscode.LogOutputChannel {
    this.logChannel ??= this.register(vscode.window.createOutputChannel('NCP PKI', { log: true }));
    return this.logChannel;
  }

  dispose(): void {
    while (this.disposables.length) {
      this.disposables.pop()?.dispose();
    }
  }
}
