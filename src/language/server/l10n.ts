// The server's words for the PKI core's messages (findings, chain problems) in the client's
// language. `initialize` carries the locale (VS Code sends its display language); the table, keyed
// by message id, comes from the extension's l10n bundle for that language (l10n/ beside dist/), so
// the Problems panel says what the inspector says. No bundle for the locale: English.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render, TEXTS, type Text, type TextId } from '../../pki/messages';

export type Say = (t: Text) => string;

/** The bundle folder of the packaged extension: dist/server.js → l10n/. */
const L10N = join(__dirname, '..', 'l10n');

/** How the server words messages for `locale` ("ko", "ko-KR", "en"...). */
export function speaker(locale: string | undefined, dir = L10N): Say {
  const table = messagesFor(locale, dir);
  return table.size ? (t) => render(t, (_english, id) => table.get(id)) : (t) => render(t);
}

/** Message id → translated template, from `bundle.l10n.<locale>.json` (or its language part). */
function messagesFor(locale: string | undefined, dir: string): Map<TextId, string> {
  const table = new Map<TextId, string>();
  const lower = locale?.toLowerCase();
  for (const name of lower && lower !== 'en' ? [...new Set([lower, lower.split('-')[0]])] : []) {
    let bundle: Record<string, unknown>;
    try {
      bundle = JSON.parse(readFileSync(join(dir, `bundle.l10n.${name}.json`), 'utf8')) as Record<string, unknown>;
    } catch {
      continue; // no bundle for this language
    }
    for (const [id, english] of Object.entries(TEXTS) as [TextId, string][]) {
      const said = bundle[english];
      if (typeof said === 'string') {
        table.set(id, said);
      }
    }
    break;
  }
  return table;
}
