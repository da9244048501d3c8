// The messages of the core (src/pki/messages.ts: decoder, TLS probe, container reader) in the
// user's language, through the display language's l10n bundle as vscode.l10n.t would; English
// when there is no bundle.
import * as vscode from 'vscode';
import { render, type Text } from '../pki/messages';

export function say(m: Text): string {
  return render(m, (english) => vscode.l10n.bundle?.[english]);
}
