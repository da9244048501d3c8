// One build script, one esbuild context per entry. `--watch` rebuilds, `--production` minifies
// without sourcemaps, `--tests` builds the test and bench files into out/ instead.
// Exits non-zero on any build error.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const tests = args.has('--tests');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  legalComments: 'none',
  logLevel: 'warning',
  target: 'es2022',
  // @peculiar/x509 relies on decorator metadata; esbuild keeps the class names it reads.
  keepNames: true,
  metafile: !tests,
};

/** @type {import('esbuild').BuildOptions[]} */
const products = [
  {
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
  },
  {
    // The language client, loaded on first PEM document so activation stays small.
    ...common,
    entryPoints: ['src/extension/language.ts'],
    outfile: 'dist/client.js',
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
  },
  {
    // NCP client, emulator and key generation, loaded on the first action that needs them.
    ...common,
    entryPoints: ['src/extension/backend.ts'],
    outfile: 'dist/backend.js',
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: ['src/language/server.ts'],
    outfile: 'dist/server.js',
    platform: 'node',
    format: 'cjs',
  },
  {
    ...common,
    // An ES module: @peculiar/x509 and the decoder on it are a chunk (dist/webview-chunk-*.js)
    // that main.ts imports as the page starts, so the handshake does not wait for its parse.
    entryPoints: { webview: 'src/webview/main.ts' },
    outdir: 'dist',
    splitting: true,
    chunkNames: 'webview-[name]-[hash]',
    platform: 'browser',
    format: 'esm',
  },
  {
    // `ncloud-pki`: a small entry (command table, parsing, help, completion) that loads one
    // command bundle beside it, so `inspect` and `--help` never compile the HTTP stack.
    ...common,
    entryPoints: ['src/cli.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
    define: { NCLOUD_PKI_VERSION: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) },
  },
  ...['inspect', 'export', 'scan', 'api', 'emulator', 'trust'].map((name) => ({
    ...common,
    entryPoints: [`src/cli/${name}.ts`],
    outfile: `dist/cli-${name}.js`,
    platform: 'node',
    format: 'cjs',
  })),
  {
    // The second thread of `scan`, started by dist/cli-scan.js for trees of more than a few files.
    ...common,
    entryPoints: ['src/cli/scanWorker.ts'],
    outfile: 'dist/cli-scan-worker.js',
    platform: 'node',
    format: 'cjs',
  },
];

function walk(dir, pick) {
  let out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      out = out.concat(walk(p, pick));
    } else if (pick(p)) {
      out.push(p);
    }
  }
  return out;
}

function testBuilds() {
  const node = walk('test', (p) => /\.(test|bench)\.ts$/.test(p) || /test[\\/](integration[\\/]index|electron|fixtures[\\/].*)\.ts$/.test(p));
  const browser = walk('test', (p) => /\.browser\.ts$/.test(p));
  const builds = [];
  if (node.length) {
    builds.push({
      ...common,
      // `--tests --production` (npm run bench): the benches' code built as the bundles users run.
      sourcemap: production ? false : 'inline',
      entryPoints: node,
      outdir: 'out/test',
      outbase: 'test',
      platform: 'node',
      format: 'cjs',
      // Tests load vscode from the host and mocha/playwright from node_modules.
      external: ['vscode', 'mocha', 'playwright-core', '@vscode/test-electron', 'esbuild'],
    });
  }
  if (browser.length) {
    builds.push({ ...common, entryPoints: browser, outdir: 'out/test', outbase: 'test', platform: 'browser', format: 'iife' });
  }
  return builds;
}

const builds = tests ? testBuilds() : products;
try {
  if (!tests) {
    // The webview's chunks are named by content hash: drop the last build's, or the .vsix carries them.
    for (const f of existsSync('dist') ? readdirSync('dist') : []) {
      if (/^webview-.*\.js(\.map)?$/.test(f)) {
        rmSync(join('dist', f));
      }
    }
    // The inspector's icon font, served from dist/ (a localResourceRoot of the webview).
    mkdirSync('dist/codicons', { recursive: true });
    for (const f of ['codicon.css', 'codicon.ttf']) {
      copyFileSync(join('node_modules/@vscode/codicons/dist', f), join('dist/codicons', f));
    }
  }
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    console.log(`[esbuild] watching ${contexts.length} entries`);
  } else {
    const results = await Promise.all(contexts.map((c) => c.rebuild()));
    await Promise.all(contexts.map((c) => c.dispose()));
    if (!tests) {
      // dist/meta.json: which node_modules files each bundle holds, for THIRD-PARTY-NOTICES.md
      // (scripts/notices.mjs writes it, test/unit/extension/notices.test.ts keeps it current).
      const inputs = Object.fromEntries(builds.map((b, i) => [b.outfile ?? `${b.outdir}/${Object.keys(b.entryPoints)[0]}.js`, Object.keys(results[i].metafile.inputs).filter((f) => f.includes('node_modules/')).sort()]));
      inputs['dist/codicons'] = ['codicon.css', 'codicon.ttf'].map((f) => `node_modules/@vscode/codicons/dist/${f}`);
      writeFileSync('dist/meta.json', `${JSON.stringify(inputs, null, 1)}\n`);
    }
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
