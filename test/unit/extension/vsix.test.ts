// What the .vsix carries: `vsce ls` (the packer's own file list, after .vscodeignore) against what
// the extension loads, followed from package.json's `main` through every `dist/…` path and every
// `./file` a loaded bundle or stylesheet names. Nothing loaded may be missing; nothing else from
// dist/ (the CLI bundles, source maps) may ride along, nor sources, tests or build output.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import test from 'node:test';

const root = join(__dirname, '../../../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/**
 * The dist files reached from `entry`: `dist/x.js` paths, `'dist', 'x'` joins and `./x` beside a
 * file. Bundled libraries mention paths of their own packages (`dist/commonjs/index.js`): only
 * names that `exists` are followed.
 */
function loadedFrom(entry: string, read: (file: string) => string, exists: (file: string) => boolean): Set<string> {
  const seen = new Set<string>();
  const todo = [posix.normalize(entry)];
  while (todo.length) {
    const file = todo.pop()!;
    if (seen.has(file)) {
      continue;
    }
    seen.add(file);
    const text = read(file);
    const found = [
      ...[...text.matchAll(/\bdist\/([\w./-]+\.(?:js|css|ttf))\b/g)].map((m) => `dist/${m[1]}`),
      ...[...text.matchAll(/["']dist["'],\s*["']([\w.-]+)["'](?:,\s*["']([\w.-]+)["'])?/g)].map((m) => posix.join('dist', m[1], m[2] ?? '')),
      ...[...text.matchAll(/["'(]\.\/([\w.-]+\.(?:js|css|ttf))(?:[?#][^"')]*)?["')]/g)].map((m) => posix.join(posix.dirname(file), m[1])),
    ];
    todo.push(...found.filter((f) => f.startsWith('dist/') && exists(f)));
  }
  return seen;
}

test('vsix: ships every dist file the extension loads and no other (no CLI, no maps, no sources)', { skip: !existsSync(join(root, pkg.main)) && 'run `node esbuild.config.mjs` first' }, () => {
  const vsce = join(root, 'node_modules/.bin/vsce');
  const listed = execFileSync(vsce, ['ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);
  const loaded = loadedFrom(pkg.main, (f) => readFileSync(join(root, f), 'utf8'), (f) => existsSync(join(root, f)));
  assert.ok(loaded.size >= 7, `followed from ${pkg.main}: ${[...loaded].join(', ')}`);
  const shippedDist = listed.filter((f) => f.startsWith('dist/'));
  assert.deepEqual(shippedDist.filter((f) => !loaded.has(f)).sort(), [], 'in the .vsix but never loaded');
  assert.deepEqual([...loaded].filter((f) => !listed.includes(f)).sort(), [], 'loaded but left out of the .vsix');
  assert.deepEqual(listed.filter((f) => /^(src|out|test|scripts|docs|node_modules|\.ci|\.vscode)\/|\.map$|^dist\/cli(-\w+)?\.js$/.test(f)), []);
  // README's screenshots are for the repository and the Marketplace page (linked), not the package.
  assert.ok(existsSync(join(root, 'media/screenshots/inspector.png')), 'the screenshots are committed');
  assert.deepEqual(listed.filter((f) => f.startsWith('media/screenshots/')), []);
  for (const f of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', pkg.icon, 'THIRD-PARTY-NOTICES.md', 'l10n/bundle.l10n.ko.json', 'package.nls.ko.json']) {
    assert.ok(listed.includes(f), `${f} is in the .vsix`);
  }
  // The CLI is what `bin` names; it is for npm/CI use and must stay out of the extension package.
  assert.ok(!listed.includes(pkg.bin['ncloud-pki']));
});
