// The dev certificate's usage guide (media/dev-certificate-usage.md) in the user's language.
// Plain Node (no `vscode`), so a unit test checks the choice.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The guide's path (relative to the extension) for `language` ("ko", "ko-KR"...): its translation when there is one, else the English. */
export function usageGuide(root: string, language: string): string {
  const lang = language.toLowerCase().split('-')[0];
  const translated = `media/dev-certificate-usage.${lang}.md`;
  return lang !== 'en' && existsSync(join(root, translated)) ? translated : 'media/dev-certificate-usage.md';
}
