// `npm test`: builds, then runs the three tiers and prints one summary line per tier:
//   unit: N passing
//   integration: N passing in VS Code <version>
//   e2e: N passing in Chromium
// followed by `total: N passed, N failed`. Any failure exits non-zero.
// `node test/run.mjs unit|integration|e2e` runs the named tiers only.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ensureHost, installVsix, launchChromium, sandbox, startCodeServer, startVsCodeServer, vscodeVersion } from './host/host.mjs';

const tiers = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const want = (t) => tiers.length === 0 || tiers.includes(t);
const summary = [];
let passed = 0;
let failed = 0;

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status})`);
  }
}

function files(dir, re) {
  if (!existsSync(dir)) {
    return [];
  }
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p, re) : re.test(n) ? [p] : [];
  }).sort();
}

/** node:test over the given files: spec to the console, TAP to a file we count from. */
function nodeTest(name, testFiles, env = {}) {
  const tap = join(ROOT, 'out', `${name}.tap`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--enable-source-maps', '--test', '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...testFiles], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code) => {
      const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
      const count = (k) => Number((text.match(new RegExp(`^# ${k} (\\d+)`, 'm')) ?? [])[1] ?? 0);
      resolve({ code, pass: count('pass'), fail: count('fail') + count('cancelled'), skipped: count('skipped') + count('todo') });
    });
  });
}

function record(tier, r, suffix = '') {
  passed += r.pass;
  failed += r.fail;
  const skipped = r.skipped ? `, ${r.skipped} skipped` : '';
  const bad = r.fail ? `, ${r.fail} failing` : '';
  summary.push(`${tier}: ${r.pass} passing${bad}${skipped}${suffix}`);
  if (r.code !== 0 && r.fail === 0) {
    failed++;
    summary.push(`${tier}: runner exited with ${r.code}`);
  }
}

async function unit() {
  const list = files(join(ROOT, 'out/test/unit'), /\.test\.js$/);
  record('unit', await nodeTest('unit', list));
}

async function integration() {
  ensureHost();
  const box = sandbox('integration');
  const workspace = join(box.dir, 'workspace');
  cpSync(join(ROOT, 'test/fixtures/workspace'), workspace, { recursive: true });
  const resultFile = join(ROOT, 'out/test/integration-results.json');
  rmSync(resultFile, { force: true });
  const server = await startVsCodeServer(box);
  const browser = await launchChromium(box);
  const version = vscodeVersion();
  let code = 1;
  try {
    const page = await browser.newPage();
    const console_ = [];
    page.on('console', (m) => console_.push(m.text()));
    const exited = new Promise((resolve) => {
      void page.exposeFunction('codeAutomationExit', (c) => resolve(c));
    });
    const payload = [
      ['extensionDevelopmentPath', `vscode-remote://remote${ROOT}`],
      ['extensionTestsPath', `vscode-remote://remote${join(ROOT, 'out/test/integration/index')}`],
    ];
    const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    const limit = Number(process.env.NCLOUD_PKI_INTEGRATION_TIMEOUT ?? 20 * 60_000);
    code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), limit))]);
    if (code === 'timeout') {
      console.error(`integration: no result within ${limit} ms`);
      code = 1;
    }
    // The extension host's console output (mocha's spec reporter among it) reaches the page console.
    const hostLines = console_.filter((l) => !/^(%c|\[Extension Host\] %c)/.test(l) || /passing|failing|✔|[0-9]+\)/.test(l));
    if (process.env.NCLOUD_PKI_HOST_DEBUG || code !== 0) {
      console.log(hostLines.join('\n'));
    } else {
      // Figures the suites measure (lines tagged like `[inspector] ...`) are always shown.
      const figures = console_.map((l) => /\[(inspector|activation)\] .*/.exec(l)?.[0]).filter(Boolean);
      if (figures.length) {
        console.log(figures.join('\n'));
      }
    }
  } finally {
    await browser.close().catch(() => {});
    await server.stop();
    box.remove();
  }
  const result = existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, 'utf8')) : { passes: 0, failures: [{ title: 'no result file', error: 'the extension host did not report' }], vscodeVersion: version };
  for (const f of result.failures) {
    console.error(`  ✗ ${f.title}\n${f.error}\n`);
  }
  record('integration', { code, pass: result.passes, fail: result.failures.length }, ` in VS Code ${result.vscodeVersion}`);
}

async function e2e() {
  ensureHost();
  sh('npm', ['run', '--silent', 'package']);
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  const all = files(join(ROOT, 'out/test/e2e'), /\.test\.js$/);
  // `*.fresh.test.js` start from a fresh profile with ncloudPki.localEmulatorByDefault (what `npm start` does).
  const fresh = all.filter((f) => f.endsWith('.fresh.test.js'));
  // `*.restricted.test.js` open the folder untrusted (Restricted Mode), with the local emulator profile.
  const restricted = all.filter((f) => f.endsWith('.restricted.test.js'));
  await e2eServer('e2e', all.filter((f) => !fresh.includes(f) && !restricted.includes(f)), {});
  if (fresh.length) {
    await e2eServer('e2e (fresh profile, local emulator by default)', fresh, { 'ncloudPki.localEmulatorByDefault': true });
  }
  if (restricted.length) {
    await e2eServer('e2e (Restricted Mode)', restricted, {
      'ncloudPki.localEmulatorByDefault': true,
      'security.workspace.trust.enabled': true,
      // No modal at start: an untrusted folder opens straight in Restricted Mode.
      'security.workspace.trust.startupPrompt': 'never',
    });
  }
}

/** Runs `list` one file at a time against one code-server with the packaged .vsix and `settings`. */
async function e2eServer(name, list, settings) {
  const box = sandbox('e2e');
  const workspace = join(box.dir, 'workspace');
  cpSync(join(ROOT, 'test/fixtures/workspace'), workspace, { recursive: true });
  installVsix(box, join(ROOT, 'dist-vsix/ncloud-pki.vsix'));
  const server = await startCodeServer(box, workspace, { 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'telemetry.telemetryLevel': 'off', 'chat.disableAIFeatures': true, ...settings });
  try {
    record(name, await nodeTest(name.replace(/\W+/g, '-'), ['--test-concurrency=1', ...list], { NCLOUD_PKI_E2E_URL: server.url, NCLOUD_PKI_E2E_WORKSPACE: workspace }), ' in Chromium');
  } finally {
    await server.stop();
    box.remove();
  }
}

/** Drops built test files whose source is gone, so a deleted test never runs from a stale out/. */
function removeStale() {
  for (const f of files(join(ROOT, 'out/test'), /\.(test|bench)\.js$/)) {
    const src = join(ROOT, 'test', f.slice(join(ROOT, 'out/test').length + 1).replace(/\.js$/, '.ts'));
    if (!existsSync(src)) {
      rmSync(f, { force: true });
    }
  }
}

try {
  sh(process.execPath, ['esbuild.config.mjs']);
  sh(process.execPath, ['esbuild.config.mjs', '--tests']);
  removeStale();
  if (want('unit')) {
    await unit();
  }
  if (want('integration')) {
    await integration();
  }
  if (want('e2e')) {
    await e2e();
  }
} catch (err) {
  failed++;
  summary.push(`error: ${err instanceof Error ? err.message : err}`);
}
console.log(`\n${summary.join('\n')}\ntotal: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
