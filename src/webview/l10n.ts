// The webview's strings in the user's language: the host sends VS Code's l10n bundle for the
// display language (l10n/bundle.l10n.<lang>.json) with every `show`, and t() looks each English
// string up in it, as vscode.l10n.t does on the host. Without a bundle (English) the string is
// used as it is.

import { render, type Text } from '../pki/messages';

let bundle: Record<string, string> = {};

/** Sets the bundle the host sent (undefined: English). */
export function setBundle(b: Record<string, string> | undefined): void {
  bundle = b ?? {};
}

/** The translation of `message`, with {0}, {1}... replaced by `args`. */
export function t(message: string, ...args: (string | number)[]): string {
  const s = bundle[message] ?? message;
  return args.length ? s.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m)) : s;
}

/** A message of the PKI core (a finding, a chain problem) in the user's language. */
export function tx(m: Text): string {
  return render(m, (english) => bundle[english]);
}
