// The emulator under hostile traffic: every request ends in a response and never in an exit,
// per-client structures stay bounded, the published default keys never leave loopback, DNS
// rebinding is refused, and a 401 does not tell which access keys exist.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { DEFAULT_CREDENTIALS, EmulatorConfigError, startEmulator, type LogLine } from '../../../src/emulator';
import { LogLimiter, MAX_COUNTED } from '../../../src/emulator/server';
import { signRequest } from '../../../src/ncloud/signer';
import { harness, type Harness } from '../ncloud/helpers';

const CLI = join(__dirname, '../../../../dist/cli.js');
const lines: LogLine[] = [];
let h: Harness;
before(async () => {
  h = await harness({ log: (l) => lines.push(l), seed: false });
});
after(async () => {
  await h?.close();
});

/** Sends raw bytes and resolves with what came back before the server closed or 2 s passed. */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    s.on('data', (d) => {
      got += d.toString('latin1');
      if (/\r\n\r\n/.test(got)) {
        s.end();
      }
    });
    s.on('error', reject);
    s.on('close', () => resolve(got));
    s.setTimeout(2000, () => s.destroy());
    s.write(text);
  });
}

const port = () => Number(new URL(h.emu.url).port);
const signed = (method: string, target: string, creds = DEFAULT_CREDENTIALS) => ({ ...signRequest(method, target, creds.accessKey, creds.secretKey) });

test('a request target the URL parser rejects (GET //[) is a 400, and the emulator keeps serving', async () => {
  const answer = await raw(port(), 'GET //[ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  assert.match(answer, /^HTTP\/1\.1 400 /);
  assert.match(answer, /Bad Request Exception/);
  const r = await request(`${h.emu.url}/api/v1/ca`, { headers: signed('GET', '/api/v1/ca') });
  assert.equal(r.statusCode, 200);
  await r.body.dump();
});

test('malformed percent-encoding in a path is a 400, not a 500', async () => {
  const target = '/api/v1/ca/00000000-00000000/cert/%E0%A4%A/revoke';
  const r = await request(`${h.emu.url}${target}`, { method: 'POST', headers: signed('POST', target) });
  assert.equal(r.statusCode, 400);
  assert.match(JSON.stringify(await r.body.json()), /percent-encoding/);
});

test('an unexpected exception is a 500 in the gateway envelope and a log line with its message', async () => {
  // Force an exception inside the request path: the counters map throws.
  const dir = mkdtempSync(join(tmpdir(), 'emu-boom-'));
  const log: LogLine[] = [];
  const emu = await startEmulator({ dataDir: dir, seed: false, log: (l) => log.push(l) });
  try {
    const boom = new Error('counter broke');
    emu.counts.get = () => {
      throw boom;
    };
    const r = await request(`${emu.url}/api/v1/ca`);
    assert.equal(r.statusCode, 500);
    assert.deepEqual(await r.body.json(), { error: { errorCode: '500', message: 'Internal Server Error', details: 'the emulator failed on this request; its log says why' } });
    await new Promise((res) => setImmediate(res));
    assert.ok(log.some((l) => l.status === 500 && l.error === 'Error: counter broke'), JSON.stringify(log));
  } finally {
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('unauthenticated traffic to random paths does not grow the per-path counters past their bound', async () => {
  const before = h.emu.counts.size;
  for (let batch = 0; batch < 15; batch++) {
    await Promise.all(Array.from({ length: 100 }, async (_, i) => {
      const r = await request(`${h.emu.url}/api/v1/ca/${batch}-${i}-${Math.random()}`);
      await r.body.dump();
    }));
  }
  assert.ok(before < MAX_COUNTED);
  assert.equal(h.emu.counts.size, MAX_COUNTED, 'new keys stop at the bound');
  // Keys already counted keep counting after the bound is reached.
  const k = [...h.emu.counts.keys()][0];
  const n = h.emu.counts.get(k)!;
  const r = await request(`${h.emu.url}${k.split(' ')[1]}`);
  await r.body.dump();
  assert.equal(h.emu.counts.get(k), n + 1);
});

test('repeated rejected requests are logged up to a burst, then summarised', () => {
  const out: LogLine[] = [];
  let t = 0;
  const limiter = new LogLimiter((l) => out.push(l), () => t, 20, 10_000);
  for (let i = 0; i < 5000; i++) {
    limiter.log({ method: 'GET', path: `/x/${i}`, status: 401, ms: 0 });
  }
  limiter.log({ method: 'GET', path: '/ok', status: 200, ms: 1 });
  assert.equal(out.length, 21, 'a burst of 20 error lines and every success');
  t = 10_000;
  limiter.log({ method: 'GET', path: '/x/next', status: 401, ms: 0 });
  assert.deepEqual(out[21], { method: 'GET', path: '/x/4999', status: 401, ms: 0, suppressed: 4980 });
  assert.equal(out[22].path, '/x/next');
});

test('an unknown access key and a wrong signature get the same 401 body', async () => {
  const unknown = await request(`${h.emu.url}/api/v1/ca`, { headers: signed('GET', '/api/v1/ca', { accessKey: 'NO-SUCH-KEY', secretKey: 'x' }) });
  const wrong = await request(`${h.emu.url}/api/v1/ca`, { headers: signed('GET', '/api/v1/ca', { accessKey: DEFAULT_CREDENTIALS.accessKey, secretKey: 'wrong' }) });
  assert.equal(unknown.statusCode, 401);
  assert.equal(wrong.statusCode, 401);
  assert.deepEqual(await unknown.body.json(), await wrong.body.json());
});

test('a Host header naming another site is refused (DNS rebinding); loopback names and addresses pass', async () => {
  const answer = await raw(port(), `GET /api/v1/ca HTTP/1.1\r\nHost: attacker.example:${port()}\r\n\r\n`);
  assert.match(answer, /^HTTP\/1\.1 421 /);
  for (const host of [`localhost:${port()}`, `127.0.0.1:${port()}`, `[::1]:${port()}`, `LOCALHOST`]) {
    const ok = await raw(port(), `GET /ext/00000000-00000000/ca HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    assert.match(ok, /^HTTP\/1\.1 404 /, host);
  }
});

test('the published default keys are refused on a non-loopback address (library and CLI)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emu-bind-'));
  try {
    await assert.rejects(startEmulator({ host: '0.0.0.0', port: 0, dataDir: dir }), (e: unknown) => e instanceof EmulatorConfigError && /published default keys/.test(e.message));
    const r = spawnSync(process.execPath, [CLI, 'emulator', '--host', '0.0.0.0', '--port', '0', '--data', dir], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /refusing to listen on 0\.0\.0\.0 with the published default keys/);
    assert.match(r.stderr, /NCLOUD_PKI_EMULATOR_ACCESS_KEY/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the CLI takes its keys from the environment (kept out of ps)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emu-env-'));
  const child = spawn(process.execPath, [CLI, 'emulator', '--port', '0', '--data', dir, '--quiet'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { PATH: process.env.PATH, NCLOUD_PKI_EMULATOR_ACCESS_KEY: 'AK-env', NCLOUD_PKI_EMULATOR_SECRET_KEY: 'SK-env' },
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (\S+)/.exec(out);
        if (m) {
          resolve(m[1]);
        }
      });
      child.once('exit', (c) => reject(new Error(`exited ${c}`)));
    });
    const good = await request(`${url}/api/v1/ca`, { headers: signed('GET', '/api/v1/ca', { accessKey: 'AK-env', secretKey: 'SK-env' }) });
    assert.equal(good.statusCode, 200);
    await good.body.dump();
    const dflt = await request(`${url}/api/v1/ca`, { headers: signed('GET', '/api/v1/ca') });
    assert.equal(dflt.statusCode, 401);
    await dflt.body.dump();
  } finally {
    await new Promise((r) => {
      child.once('exit', r);
      child.kill('SIGTERM');
    });
    rmSync(dir, { recursive: true, force: true });
  }
});
