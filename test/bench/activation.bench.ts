// Activation: the size of the production dist/extension.js against the 150 KB aim, what it must
// not contain, and activate() timed inside the real VS Code host (the integration tier, one test).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './bundle';

const out = mkdtempSync(join(tmpdir(), 'act-bench-'));
try {
  // The production bundles, built aside so dist/ (a development build) is left alone.
  const build = spawnSync(
    process.execPath,
    ['-e', `const r = require('esbuild').buildSync({ entryPoints: { extension: 'src/extension/extension.ts', backend: 'src/extension/backend.ts', client: 'src/extension/language.ts' }, bundle: true, minify: true, keepNames: true, platform: 'node', format: 'cjs', target: 'es2022', external: ['vscode'], outdir: ${JSON.stringify(out)}, logLevel: 'error', metafile: true }); require('fs').writeFileSync(${JSON.stringify(join(out, 'meta.json'))}, JSON.stringify(r.metafile))`],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (build.status !== 0) {
    process.exit(1);
  }
  const kb = (f: string) => statSync(join(out, f)).size / 1024;
  // What went into the activation bundle, by source file (esbuild's metafile).
  const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
  const inputs = Object.entries(meta.outputs).find(([k]) => k.endsWith('extension.js'))![1].inputs;
  const loaded = ['undici', '@peculiar/x509', 'vscode-languageclient', 'src/pki/', 'src/ncloud/', 'src/emulator/'].filter((m) => Object.keys(inputs).some((f) => f.includes(m)));
  console.log(`dist/extension.js (production): ${kb('extension.js').toFixed(1)} KB = ${(kb('extension.js') / 150).toFixed(2)}× the 150 KB aim; loaded on first use: dist/backend.js ${kb('backend.js').toFixed(0)} KB, dist/client.js ${kb('client.js').toFixed(0)} KB; heavy modules in the activation bundle: ${loaded.length ? loaded.join(', ') : 'none'}`);
} finally {
  rmSync(out, { recursive: true, force: true });
}

// activate() in the real host: one integration test, which prints an [activation] line.
const r = spawnSync(process.execPath, [join(ROOT, 'test/run.mjs'), 'integration'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NCLOUD_PKI_TEST_GREP: 'is present and activates' } });
const line = /\[activation\].*/.exec(r.stdout)?.[0];
console.log(line ?? `activation not measured (the integration host did not run: exit ${r.status})\n${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}`);
