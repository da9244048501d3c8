// Every user-facing string has its Korean translation: vscode.l10n.t() strings in the extension,
// and every %key% that package.json uses.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';

const ROOT = join(__dirname, '../../../..');
const json = (f: string) => JSON.parse(readFileSync(join(ROOT, f), 'utf8')) as Record<string, unknown>;

test('l10n: every vscode.l10n.t() string of src/extension has a Korean translation', () => {
  const ko = json('l10n/bundle.l10n.ko.json');
  const dir = join(ROOT, 'src/extension');
  const used = new Set<string>();
  for (const f of (readdirSync(dir, { recursive: true }) as string[]).filter((x) => x.endsWith('.ts'))) {
    const src = readFileSync(join(dir, f), 'utf8');
    for (const m of src.matchAll(/(?:vscode\.l10n\.t|\bt)\(\s*'((?:[^'\\]|\\.)*)'/g)) {
      used.add(m[1].replace(/\\'/g, "'"));
    }
  }
  assert.ok(used.size > 150, `found ${used.size} strings`);
  const missing = [...used].filter((s) => typeof ko[s] !== 'string' || !ko[s]);
  assert.deepEqual(missing, []);
  for (const s of used) {
    const holes = (x: string) => (x.match(/\{\d\}/g) ?? []).sort().join();
    assert.equal(holes(ko[s] as string), holes(s), `placeholders of "${s}"`);
  }
});

test('l10n: every %key% in package.json is in package.nls.json and package.nls.ko.json', () => {
  const pkg = readFileSync(join(ROOT, 'package.json'), 'utf8');
  const keys = new Set([...pkg.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]));
  const en = json('package.nls.json');
  const ko = json('package.nls.ko.json');
  assert.ok(keys.size > 40);
  assert.deepEqual([...keys].filter((k) => !en[k]), []);
  assert.deepEqual([...keys].filter((k) => !ko[k]), []);
});
