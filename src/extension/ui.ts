// Every question the extension asks goes through a Prompter. The real one is VS Code's quick input
// and dialogs; integration tests install a scripted one that answers in order and checks each
// answer with the same validation the user gets (the UI tier drives the real quick input).
import * as vscode from 'vscode';

export interface Prompter {
  input(options: vscode.InputBoxOptions): Promise<string | undefined>;
  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T | undefined>;
  /** A modal question; true when the user chose `action`. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  /** A non-modal question with buttons (a notification); the label chosen, or undefined. */
  choose(message: string, ...actions: string[]): Promise<string | undefined>;
  openFile(options: vscode.OpenDialogOptions): Promise<vscode.Uri | undefined>;
  saveFile(options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined>;
}

export const windowPrompter: Prompter = {
  input: async (o) => vscode.window.showInputBox({ ignoreFocusOut: true, ...o }),
  pick: async (items, o) => vscode.window.showQuickPick(items, { ignoreFocusOut: true, ...o }),
  confirm: async (message, detail, action) => (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action,
  choose: async (message, ...actions) => vscode.window.showInformationMessage(message, ...actions),
  openFile: async (o) => (await vscode.window.showOpenDialog({ canSelectMany: false, ...o }))?.[0],
  saveFile: async (o) => vscode.window.showSaveDialog(o),
};

/** One scripted answer: text for an input, a label (or predicate) for a pick, a boolean for a confirm, a button label for a choice, a Uri for a dialog. */
export type Answer = string | boolean | vscode.Uri | undefined | ((item: vscode.QuickPickItem) => boolean);

/** Answers questions from a list, in order; a wrong kind of question or an invalid answer throws. */
export class ScriptedPrompter implements Prompter {
  /** The titles/prompts of the questions asked, for assertions. */
  readonly asked: string[] = [];
  /** Warnings and information shown under accepted answers (non-blocking validation messages). */
  readonly notes: string[] = [];

  constructor(private readonly answers: Answer[]) {}

  get remaining(): number {
    return this.answers.length;
  }

  private next(kind: string, question: string): Answer {
    this.asked.push(question);
    if (this.answers.length === 0) {
      throw new Error(`no scripted answer for ${kind} "${question}"`);
    }
    return this.answers.shift();
  }

  async input(o: vscode.InputBoxOptions): Promise<string | undefined> {
    const a = this.next('input', `${o.title ?? ''} ${o.prompt ?? ''}`.trim());
    if (a === undefined) {
      return undefined;
    }
    if (typeof a !== 'string') {
      throw new Error(`expected a text answer for "${o.prompt}"`);
    }
    const invalid = await o.validateInput?.(a);
    // A warning or an information message lets the answer through, as the input box does.
    if (invalid && typeof invalid === 'object' && invalid.severity !== vscode.InputBoxValidationSeverity.Error) {
      this.notes.push(invalid.message);
    }
    const message = typeof invalid === 'string' ? invalid : invalid && typeof invalid === 'object' && invalid.severity === vscode.InputBoxValidationSeverity.Error ? invalid.message : undefined;
    if (message) {
      throw new Error(`invalid answer "${a}" for "${o.prompt}": ${message}`);
    }
    return a;
  }

  async pick<T extends vscode.QuickPickItem>(items: readonly T[], o: vscode.QuickPickOptions): Promise<T | undefined> {
    const a = this.next('pick', o.title ?? o.placeHolder ?? '');
    if (a === undefined) {
      return undefined;
    }
    const found = items.find((i) => (typeof a === 'function' ? a(i) : i.label === a));
    if (!found) {
      throw new Error(`no item "${String(a)}" in "${o.title ?? o.placeHolder}": ${items.map((i) => i.label).join(', ')}`);
    }
    return found;
  }

  async confirm(message: string, detail: string): Promise<boolean> {
    return this.next('confirm', `${message}\n${detail}`) === true;
  }

  async choose(message: string, ...actions: string[]): Promise<string | undefined> {
    const a = this.next('choice', message);
    if (a !== undefined && (typeof a !== 'string' || !actions.includes(a))) {
      throw new Error(`no button "${String(a)}" in "${message}": ${actions.join(', ')}`);
    }
    return a;
  }

  async openFile(o: vscode.OpenDialogOptions): Promise<vscode.Uri | undefined> {
    return this.next('open dialog', o.title ?? '') as vscode.Uri | undefined;
  }

  async saveFile(o: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined> {
    return this.next('save dialog', o.title ?? '') as vscode.Uri | undefined;
  }
}
