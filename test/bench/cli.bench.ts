// `ncloud-pki` start-up as whole processes against its floor, A and B alternated in one run
// (ABAB…), medians with the min–max spread, CPU time and wall: `node -e 0` for inspect and --help,
// and for `cert issue` a raw node:http one-shot that sends the same signed request to the same
// emulator. NCLOUD_PKI_BENCH_CLI=/path/to/dist/cli.js measures another build (e.g. an older main)
// the same way; `npm run bench -- --quick` runs fewer rounds.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareProcesses, emulatorProcess, FIX, ROOT } from './bundle';

const CLI = process.env.NCLOUD_PKI_BENCH_CLI ?? join(ROOT, 'dist/cli.js');
const KEYS = { NCP_ACCESS_KEY: 'AK-bench', NCP_SECRET_KEY: 'SK-bench' };
const ROUNDS = process.env.NCLOUD_PKI_BENCH_QUICK ? 7 : 21;
const ENV = { PATH: process.env.PATH ?? '', HOME: tmpdir() };
const node = (...args: string[]) => [process.execPath, ...args];

async function main(): Promise<void> {
  console.log(`CLI: ${CLI}`);
  const bare = node('-e', '0');
  compareProcesses('`ncloud-pki --help`', 'node -e 0', node(CLI, '--help'), bare, ROUNDS, 1.1, ENV);
  compareProcesses('`ncloud-pki inspect` one certificate', 'node -e 0', node(CLI, 'inspect', join(FIX, 'leaf.crt')), bare, ROUNDS, 1.15, ENV);
  const debian = '/etc/ssl/certs/ca-certificates.crt';
  if (existsSync(debian)) {
    compareProcesses('`inspect` Debian CA bundle', 'node -e 0', node(CLI, 'inspect', debian), bare, ROUNDS, 1.5, ENV);
  }

  const dir = mkdtempSync(join(tmpdir(), 'cli-bench-'));
  const emu = await emulatorProcess(join(dir, 'data'), { accessKey: KEYS.NCP_ACCESS_KEY, secretKey: KEYS.NCP_SECRET_KEY });
  const url = emu.url;
  try {
    const created = spawnSync(process.execPath, [CLI, 'ca', 'create', '--endpoint', url, '--type', 'root', '--alias', 'bench', '--cn', 'Bench Root', '--json'], { encoding: 'utf8', env: { ...ENV, ...KEYS } });
    const tag = (JSON.parse(created.stdout) as { caInfo: { caTag: string } }).caInfo.caTag;
    // The floor: one node process, one signed POST with node:http, the answer read and parsed.
    const oneShot = join(dir, 'one-shot.js');
    writeFileSync(
      oneShot,
      `const http = require('node:http'); const { createHmac } = require('node:crypto');
const path = '/api/v1/ca/${tag}/cert', ts = String(Date.now());
const sig = createHmac('sha256', process.env.NCP_SECRET_KEY).update('POST ' + path + '\\n' + ts + '\\n' + process.env.NCP_ACCESS_KEY).digest('base64');
const body = JSON.stringify({ keyType: 'EC256', x509Parameters: { commonName: 'bench.test', altName: 'bench.test' } });
const req = http.request(${JSON.stringify(url)} + path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-ncp-apigw-timestamp': ts, 'x-ncp-iam-access-key': process.env.NCP_ACCESS_KEY, 'x-ncp-apigw-signature-v2': sig } }, (res) => {
  let s = ''; res.setEncoding('utf8'); res.on('data', (d) => (s += d)); res.on('end', () => { if (JSON.parse(s).code !== 'SUCCESS') { process.exit(1); } });
});
req.end(body);
`,
    );
    const out = join(dir, 'issued');
    compareProcesses('`cert issue` against the local emulator', 'raw node:http one-shot', node(CLI, 'cert', 'issue', tag, '--endpoint', url, '--cn', 'bench.test', '--san', 'bench.test', '--out', out, '--force'), node(oneShot), ROUNDS, 1.3, { ...ENV, ...KEYS });
  } finally {
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
