// `ncloud-pki inspect https://…` as a process against `openssl s_server` on loopback, serving
// chains made by the emulator's issuer: a good chain, one out of order, one missing its
// intermediate, an expired leaf, a wrong host name; and the step named when a connection fails.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCert, type Made } from './certs';
import { freePort, listening } from './loopback';

const CLI = join(__dirname, '../../../../dist/cli.js');
let dir: string;
const servers: ChildProcess[] = [];

/** Serves `leaf` with `chain` (in the given order) on a loopback port; returns the port. */
async function serve(name: string, leaf: Made, chain: Made[]): Promise<number> {
  const port = await freePort();
  writeFileSync(join(dir, `${name}.crt`), leaf.pem);
  writeFileSync(join(dir, `${name}.key`), leaf.key.pkcs8, { mode: 0o600 });
  const args = ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', join(dir, `${name}.crt`), '-key', join(dir, `${name}.key`), '-www', '-quiet'];
  if (chain.length) {
    writeFileSync(join(dir, `${name}-chain.pem`), chain.map((c) => c.pem).join(''));
    args.push('-cert_chain', join(dir, `${name}-chain.pem`));
  }
  const p = spawn('openssl', args, { stdio: 'ignore' });
  servers.push(p);
  await listening(port);
  return port;
}

function inspect(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'inspect', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Obj {
  kind: string;
  served?: boolean;
  subject?: string;
  findings?: { code: string }[];
  hostnameMatch?: boolean;
  chainVerified?: boolean;
  chainInOrder?: boolean;
  protocol?: string;
  cipher?: string;
  ocspStapled?: boolean;
  verifyError?: string | null;
  orderFrom?: string;
}

function json(url: string, extra: string[] = []): Obj[] {
  const r = inspect(['--json', url, '--servername', 'localhost', '--ca', join(dir, 'root.pem'), ...extra]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Obj[];
}

const ports: Record<string, number> = {};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cli-tls-'));
  const root = await makeCert({ cn: 'TLS Test Root', ca: true, to: 3650 });
  const inter = await makeCert({ cn: 'TLS Test Issuing CA', ca: true, issuer: root, to: 1800 });
  writeFileSync(join(dir, 'root.pem'), root.pem);
  const [leaf, expired, other] = await Promise.all([
    makeCert({ cn: 'localhost', dns: ['localhost'], issuer: inter, to: 300, from: -10 }),
    makeCert({ cn: 'localhost', dns: ['localhost'], issuer: inter, to: -1, from: -90 }),
    makeCert({ cn: 'other.example', dns: ['other.example'], issuer: inter, to: 300, from: -10 }),
  ]);
  ports.good = await serve('good', leaf, [inter]);
  ports.reversed = await serve('reversed', leaf, [root, inter]);
  ports.missing = await serve('missing', leaf, []);
  ports.expired = await serve('expired', expired, [inter]);
  ports.wrongHost = await serve('wrong-host', other, [inter]);
});

after(() => {
  for (const p of servers) {
    p.kill('SIGTERM');
  }
  rmSync(dir, { recursive: true, force: true });
});

test('inspect https://: a good chain, served in order, verified with the given CA, host name matching', () => {
  const out = json(`https://127.0.0.1:${ports.good}`);
  assert.deepEqual(out.map((o) => o.kind), ['certificate', 'certificate', 'tls']);
  assert.ok(out.slice(0, 2).every((o) => o.served === true));
  assert.deepEqual(out.slice(0, 2).map((o) => o.subject), ['CN=localhost', 'CN=TLS Test Issuing CA']);
  const tls = out[2];
  assert.equal(tls.hostnameMatch, true);
  assert.equal(tls.chainVerified, true, tls.verifyError ?? '');
  assert.equal(tls.chainInOrder, true);
  assert.equal(tls.ocspStapled, false);
  assert.match(tls.protocol!, /^TLSv1\.[23]$/);
  assert.match(tls.cipher!, /^TLS_/);
  // Without --ca the private root is unknown to the system store.
  const bare = JSON.parse(inspect(['--json', `https://127.0.0.1:${ports.good}`, '--servername', 'localhost']).stdout) as Obj[];
  assert.equal(bare.at(-1)!.chainVerified, false);
  assert.equal(bare.at(-1)!.verifyError, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
});

test('inspect tls://: a chain out of order as served', () => {
  const out = json(`tls://127.0.0.1:${ports.reversed}`);
  assert.deepEqual(out.filter((o) => o.served).map((o) => o.subject), ['CN=localhost', 'CN=TLS Test Root', 'CN=TLS Test Issuing CA']);
  assert.equal(out.at(-1)!.chainInOrder, false);
  assert.ok(out.some((o) => o.findings?.some((f) => f.code === 'chain-order')));
});

test('inspect https://: a missing intermediate does not verify', () => {
  const out = json(`https://127.0.0.1:${ports.missing}`);
  assert.equal(out.filter((o) => o.served).length, 1);
  assert.equal(out.at(-1)!.chainVerified, false);
  assert.equal(out.at(-1)!.verifyError, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
});

test('inspect https://: an expired leaf', () => {
  const out = json(`https://127.0.0.1:${ports.expired}`);
  assert.deepEqual(out[0].findings!.map((f) => f.code), ['expired']);
  assert.equal(out.at(-1)!.chainVerified, false);
  assert.equal(out.at(-1)!.verifyError, 'CERT_HAS_EXPIRED');
});

test('inspect https://: a wrong host name', () => {
  const out = json(`https://127.0.0.1:${ports.wrongHost}`);
  assert.equal(out.at(-1)!.hostnameMatch, false);
  assert.equal(out.at(-1)!.chainVerified, true);
  const human = inspect([`https://127.0.0.1:${ports.wrongHost}`, '--servername', 'localhost', '--ca', join(dir, 'root.pem')]);
  assert.match(human.stdout, /✗ hostname: .*localhost/);
  assert.match(human.stdout, /✓ chain: verified/);
});

test('inspect https://: a failure names the step that failed', async () => {
  const closed = await freePort();
  const r = inspect([`https://127.0.0.1:${closed}`]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /connect failed: cannot connect to 127\.0\.0\.1:\d+: connection refused/);
  assert.match(inspect(['tls://host.invalid:443']).stderr, /resolve failed: cannot resolve host\.invalid/);
  assert.match(inspect(['tls://127.0.0.1']).stderr, /tls:\/\/ needs a port/);
});
