// The getting-started walkthrough (package.json `contributes.walkthroughs`) completes its steps on
// context keys; this sets them when the real events happen (keys.ts says why there are two kinds).
// VS Code remembers a completed step, so setting a key again is harmless.
import * as vscode from 'vscode';
import { WALKTHROUGH_CONTEXT } from './keys';

export type WalkthroughStep = keyof typeof WALKTHROUGH_CONTEXT;

export class Walkthrough implements vscode.Disposable {
  private readonly marked = new vscode.EventEmitter<WalkthroughStep>();
  /** Fires each time the user does what a step asks (the integration test listens). */
  readonly onDidMark = this.marked.event;

  /** The user just did what the step asks. */
  mark(step: WalkthroughStep): void {
    void vscode.commands.executeCommand('setContext', WALKTHROUGH_CONTEXT[step].did, true);
    this.marked.fire(step);
  }

  /** What the step asks for is already there (a saved profile, a listed CA). */
  found(step: 'profile' | 'ca'): void {
    void vscode.commands.executeCommand('setContext', WALKTHROUGH_CONTEXT[step].has, true);
  }

  dispose(): void {
    this.marked.dispose();
  }
}
