// `npm start`: builds the extension and opens VS Code on the sample workspace.
// With a desktop `code` on PATH it launches that with --extensionDevelopmentPath; otherwise it
// installs the packaged extension into the cached code-server and prints the URL to open.
// Ctrl-C stops everything it started.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, CACHE, ensureHost, installVsix, startCodeServer } from './host.mjs';

const port = Number(process.env.PORT ?? 0) || undefined;
const workspace = join(CACHE, 'start', 'workspace');
if (!existsSync(workspace)) {
  mkdirSync(join(CACHE, 'start'), { recursive: true });
  cpSync(join(ROOT, 'test/fixtures/workspace'), workspace, { recursive: true });
}

const hasCode = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' }).status === 0 && !process.env.NCLOUD_PKI_FORCE_CODE_SERVER;
if (hasCode) {
  run('node', ['esbuild.config.mjs']);
  const child = spawn('code', ['--extensionDevelopmentPath', ROOT, workspace], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  ensureHost();
  run('npm', ['run', '--silent', 'package']);
  // A persistent profile under the cache, so state (profiles, the emulator's data) survives restarts.
  const box = { dir: join(CACHE, 'start'), env: { ...process.env, HOME: join(CACHE, 'start', 'home'), XDG_CONFIG_HOME: join(CACHE, 'start', 'config'), XDG_DATA_HOME: join(CACHE, 'start', 'data') } };
  delete box.env.NODE_OPTIONS;
  for (const d of ['home', 'config', 'data']) {
    mkdirSync(join(box.dir, d), { recursive: true });
  }
  installVsix(box, join(ROOT, 'dist-vsix/ncloud-pki.vsix'));
  const server = await startCodeServer(box, workspace, existsSync(join(box.dir, 'ud', 'User', 'settings.json')) ? undefined : { 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'ncloudPki.localEmulatorByDefault': true }, port);
  console.log(`\nNCP PKI is running in VS Code ${'(code-server)'}: open ${server.url}/ in your browser.\nWorkspace: ${workspace}\nPress Ctrl-C to stop.`);
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    process.exit(r.status ?? 1);
  }
}
