// THIRD-PARTY-NOTICES.md must list exactly the npm packages esbuild bundles into dist/ (from the
// build's metafile, dist/meta.json), each with its license: a new or upgraded dependency fails
// here until `node scripts/notices.mjs` is run again.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
// @ts-expect-error: a plain .mjs build script, no types.
import { bundledPackages, render } from '../../../scripts/notices.mjs';

const root = join(__dirname, '../../../..');

test('notices: THIRD-PARTY-NOTICES.md is what scripts/notices.mjs writes from the bundles esbuild built', { skip: !existsSync(join(root, 'dist/meta.json')) && 'run `node esbuild.config.mjs` first' }, () => {
  const packages = (bundledPackages as (root: string) => { name: string; version: string; license: string }[])(root);
  const names = packages.map((p) => p.name);
  // What the extension and CLI are known to bundle: the ASN.1 and x509 stack, the LSP.
  for (const n of ['@peculiar/x509', 'reflect-metadata', 'vscode-languageserver', 'vscode-languageclient', '@vscode/codicons']) {
    assert.ok(names.includes(n), `${n} is bundled`);
  }
  assert.deepEqual(packages.filter((p) => p.license === 'UNKNOWN').map((p) => p.name), []);
  const current = readFileSync(join(root, 'THIRD-PARTY-NOTICES.md'), 'utf8');
  const listed = [...current.matchAll(/^\| (\S+) \| (\S+) \| .+ \|$/gm)].map((m) => `${m[1]}@${m[2]}`).filter((x) => x !== 'Package@Version');
  assert.deepEqual(listed, packages.map((p) => `${p.name}@${p.version}`), 'run `node esbuild.config.mjs && node scripts/notices.mjs`');
  assert.equal(current, (render as (p: unknown) => string)(packages), 'run `node esbuild.config.mjs && node scripts/notices.mjs`');
});
