// Multi-step input: numbered steps ("Create Root CA (2/6)") through the Prompter, and an Escape on
// any step ends the whole wizard quietly instead of one `if (x === undefined) return` per step.
import type * as vscode from 'vscode';
import type { Prompter } from './ui';

class Cancelled extends Error {}

export class Wizard {
  private step = 0;

  constructor(
    private readonly prompter: Prompter,
    readonly title: string,
    private readonly total: number,
  ) {}

  /** The next numbered title, or the plain title for a step outside the count. */
  private next(numbered: boolean): string {
    return numbered && this.total > 1 ? `${this.title} (${++this.step}/${this.total})` : this.title;
  }

  async input(options: vscode.InputBoxOptions, numbered = true): Promise<string> {
    const v = await this.prompter.input({ title: this.next(numbered), ...options });
    if (v === undefined) {
      throw new Cancelled();
    }
    return v;
  }

  async pick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions = {}, numbered = true): Promise<T> {
    const v = await this.prompter.pick(items, { title: this.next(numbered), ...options });
    if (v === undefined) {
      throw new Cancelled();
    }
    return v;
  }

  /** Ends the wizard quietly (as Escape does). */
  cancel(): never {
    throw new Cancelled();
  }
}

/** Runs `body` as a wizard; undefined when the user escaped any step. */
export async function wizard<T>(prompter: Prompter, title: string, total: number, body: (w: Wizard) => Promise<T>): Promise<T | undefined> {
  try {
    return await body(new Wizard(prompter, title, total));
  } catch (err) {
    if (err instanceof Cancelled) {
      return undefined;
    }
    throw err;
  }
}
