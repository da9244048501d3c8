// `ncloud-pki` API commands as processes against a CLI-started emulator: outputs, exit codes,
// file modes, refusal to overwrite.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCsr, inspect } from '../../../src/pki';

const CLI = join(__dirname, '../../../../dist/cli.js');
let dir: string;
let emulator: ChildProcess;
let url: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cli-api-'));
  ({ child: emulator, url } = await startCliEmulator(join(dir, 'data'), ['--read-only-key', 'AK-ro:SK-ro', '--no-permission-key', 'AK-none:SK-none']));
});

/** `ncloud-pki emulator` as a process on a free loopback port; resolves with its URL. */
async function startCliEmulator(data: string, extra: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [CLI, 'emulator', '--port', '0', '--data', data, '--quiet', '--access-key', 'AK-cli', '--secret-key', 'SK-cli', ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  const u = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (m) {
        resolve(m[1]);
      }
    });
    child.once('exit', (c) => reject(new Error(`emulator exited ${c}`)));
  });
  return { child, url: u };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode === null) {
    await new Promise((r) => {
      child.once('exit', r);
      child.kill('SIGTERM');
    });
  }
}

after(async () => {
  if (emulator && emulator.exitCode === null) {
    await new Promise((r) => {
      emulator.once('exit', r);
      emulator.kill('SIGTERM');
    });
  }
  rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[], env: Record<string, string> = { NCP_ACCESS_KEY: 'AK-cli', NCP_SECRET_KEY: 'SK-cli' }) {
  const r = spawnSync(process.execPath, [CLI, ...args, ...(args.includes('--site') ? [] : ['--endpoint', url])], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json<T>(args: string[]): T {
  const r = cli([...args, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as T;
}

test('ca create / list / get / chain / status, cert issue / list / get / revoke, crl get / rotate', () => {
  const root = json<{ caInfo: { caTag: string; status: string } }>(['ca', 'create', '--type', 'root', '--alias', 'cliroot', '--cn', 'CLI Root', '--country', 'KR', '--org', 'ncloud-pki']);
  assert.equal(root.caInfo.status, 'ACTIVE');
  const sub = json<{ caInfo: { caTag: string } }>(['ca', 'create', '--type', 'sub', '--issuer', root.caInfo.caTag, '--alias', 'clisub', '--cn', 'CLI Sub', '--key-type', 'RSA2048', '--period', '365']);
  const tag = sub.caInfo.caTag;
  assert.equal(json<{ totalCnt: number }>(['ca', 'list']).totalCnt, 2);
  assert.match(cli(['ca', 'list']).stdout, /clisub .*PRIVATE_SUB .*ACTIVE/);
  assert.equal(json<{ caInfo: { alias: string } }>(['ca', 'get', tag]).caInfo.alias, 'clisub');
  const chainFile = join(dir, 'chain.pem');
  assert.equal(cli(['ca', 'chain', tag, '--out', chainFile]).code, 0);
  assert.equal(inspect(readFileSync(chainFile, 'utf8')).blocks.length, 2);

  const out = join(dir, 'issued');
  const issued = json<{ serialNo: string; files: string[] }>(['cert', 'issue', tag, '--cn', 'app.test', '--san', 'app.test,www.app.test', '--ip', '127.0.0.1', '--period', '30', '--out', out]);
  assert.deepEqual(issued.files.map((f) => f.slice(out.length + 1)), ['cert.pem', 'key.pem', 'chain.pem']);
  assert.equal(statSync(join(out, 'key.pem')).mode & 0o777, 0o600);
  assert.equal(statSync(join(out, 'cert.pem')).mode & 0o777, 0o644);
  assert.doesNotMatch(JSON.stringify(issued), /PRIVATE KEY/, 'the key is written, never printed');
  const certText = readFileSync(join(out, 'cert.pem'), 'utf8');
  assert.deepEqual((inspect(certText).decoded[0] as { sans: { value: string }[] }).sans.map((s) => s.value), ['app.test', 'www.app.test', '127.0.0.1']);

  const again = cli(['cert', 'issue', tag, '--cn', 'app.test', '--out', out]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /refusing to overwrite .*cert\.pem.*use --force/);
  assert.equal(readFileSync(join(out, 'cert.pem'), 'utf8'), certText, 'the existing file is untouched');
  assert.equal(json<{ totalCnt: number }>(['cert', 'list', tag]).totalCnt, 1, 'nothing was issued for nothing');
  const thirty = cli(['cert', 'issue', tag, '--cn', 'app.test', '--period', '30', '--out', out, '--force']);
  assert.equal(thirty.code, 0);
  assert.doesNotMatch(thirty.stderr, /warning|note/, 'a 30-day certificate is inside every limit');
  // Lifetime limits, told on stderr with their rule: 900 days is over Apple's 825 (any root).
  const long = cli(['cert', 'issue', root.caInfo.caTag, '--cn', 'long.test', '--san', 'long.test', '--period', '900', '--out', join(dir, 'long')]);
  assert.equal(long.code, 0, long.stderr);
  assert.match(long.stderr, /^warning: valid 900 days, more than 825: Apple .*825 days/m);
  assert.match(long.stderr, /^warning: valid 900 days, more than 397: Android WebView/m);
  assert.match(long.stderr, /^note: valid 900 days, more than \d+: publicly trusted TLS certificates .*Baseline Requirements §6\.3\.2, ballot SC-081v3/m);
  assert.notEqual(readFileSync(join(out, 'cert.pem'), 'utf8'), certText);

  assert.equal(json<{ totalCnt: number }>(['cert', 'list', tag]).totalCnt, 2);
  // A dangling symlink planted at key.pem: refused before NCP is asked, even with --force.
  const trap = join(dir, 'trap');
  mkdirSync(trap);
  symlinkSync(join(dir, 'stolen-key.pem'), join(trap, 'key.pem'));
  const linked = cli(['cert', 'issue', tag, '--cn', 'app.test', '--out', trap, '--force']);
  assert.equal(linked.code, 1);
  assert.match(linked.stderr, /symbolic link: .*key\.pem/);
  assert.equal(existsSync(join(dir, 'stolen-key.pem')), false, 'nothing written through the link');
  assert.equal(json<{ totalCnt: number }>(['cert', 'list', tag]).totalCnt, 2, 'nothing was issued for nothing');
  assert.equal(json<{ commonName: string }>(['cert', 'get', tag, issued.serialNo]).commonName, 'app.test');
  assert.match(cli(['cert', 'revoke', tag, issued.serialNo]).stdout, /revoked/);
  const crlFile = join(dir, 'sub.crl');
  assert.equal(cli(['crl', 'get', tag, '--out', crlFile]).code, 0);
  assert.deepEqual((inspect(readFileSync(crlFile, 'utf8')).decoded[0] as { entries: { serialNumber: string }[] }).entries.map((e) => e.serialNumber), [issued.serialNo.replace(/:/g, '')]);
  assert.match(cli(['crl', 'rotate', tag]).stdout, /rotated/);
  assert.match(cli(['ca', 'status', tag, 'DEACTIVATED']).stdout, /clisub: DEACTIVATED/);
});

test('cert sign with a local CSR; cm list and reissue', async () => {
  const root = json<{ caInfo: { caTag: string } }>(['ca', 'create', '--type', 'root', '--alias', 'signer', '--cn', 'Signer']);
  const csr = await generateCsr({ keyType: 'EC256', subject: { commonName: 'csr.test' }, dnsNames: ['csr.test'] });
  writeFileSync(join(dir, 'req.csr'), csr.csrPem);
  const out = join(dir, 'signed');
  const r = json<{ files: string[] }>(['cert', 'sign', root.caInfo.caTag, '--csr', join(dir, 'req.csr'), '--out', out]);
  assert.deepEqual(r.files.map((f) => f.slice(out.length + 1)), ['cert.pem', 'chain.pem'], 'no key: it never left this machine');
  assert.equal(existsSync(join(out, 'key.pem')), false);
  // NCP answers Sign CSR's caChain as an array: chain.pem holds one PEM per certificate, never comma-joined.
  const sub = json<{ caInfo: { caTag: string } }>(['ca', 'create', '--type', 'sub', '--issuer', root.caInfo.caTag, '--alias', 'signersub', '--cn', 'Signer Sub']);
  const out2 = join(dir, 'signed2');
  assert.equal(cli(['cert', 'sign', sub.caInfo.caTag, '--csr', join(dir, 'req.csr'), '--out', out2]).code, 0);
  const chainPem = readFileSync(join(out2, 'chain.pem'), 'utf8');
  assert.equal(inspect(chainPem).blocks.length, 2);
  assert.doesNotMatch(chainPem, /,/);
  const list = json<{ certificateNo: number; certificateName: string }[]>(['cm', 'list']);
  assert.equal(list.length, 3);
  assert.match(cli(['cm', 'list']).stdout, /www-example +www\.example\.com +Normal/);
  const reissue = cli(['cm', 'reissue', String(list[0].certificateNo), '--csr', join(dir, 'req.csr'), '--cn', 'www.example.com', '--dns', 'www.example.com']);
  assert.equal(reissue.code, 0, reissue.stderr);
  assert.match(cli(['cm', 'list']).stdout, /www\.example\.com +Issuing/);
});

const failures: { name: string; args: string[]; env?: Record<string, string>; code: number; stderr: RegExp }[] = [
  { name: 'no credentials', args: ['ca', 'list'], env: {}, code: 2, stderr: /set NCP_ACCESS_KEY and NCP_SECRET_KEY/ },
  { name: 'wrong credentials', args: ['ca', 'list'], env: { NCP_ACCESS_KEY: 'AK-cli', NCP_SECRET_KEY: 'nope' }, code: 1, stderr: /Authentication Failed.*\[200\]\n {2}Check the access key/ },
  { name: 'unknown CA', args: ['ca', 'get', '00000000-00000000'], code: 1, stderr: /does not exist \[NOT_FOUND\]/ },
  { name: 'bad status', args: ['ca', 'status', '00000000-00000000', 'PAUSED'], code: 2, stderr: /STATUS must be/ },
  { name: 'unknown verb', args: ['ca', 'explode'], code: 2, stderr: /unknown command 'ca explode'/ },
  { name: 'missing --out', args: ['cert', 'issue', '00000000-00000000', '--cn', 'x'], code: 2, stderr: /--out is required/ },
  { name: 'bad site', args: ['ca', 'list', '--site', 'mars'], code: 2, stderr: /--site must be public, gov or fin/ },
];
for (const f of failures) {
  test(`cli failure: ${f.name}`, () => {
    const r = cli(f.args, f.env);
    assert.equal(r.code, f.code, r.stderr);
    assert.match(r.stderr, f.stderr);
    assert.equal(r.stdout, '');
  });
}

test('ca users list / add / remove', () => {
  const root = json<{ caInfo: { caTag: string } }>(['ca', 'create', '--type', 'root', '--alias', 'usersca', '--cn', 'Users CA']);
  const tag = root.caInfo.caTag;
  const idNo = '6e4c1234-abcd-4ef0-9876-0123456789ab';
  assert.match(cli(['ca', 'users', 'list', tag]).stdout, /no sub accounts/);
  assert.match(cli(['ca', 'users', 'add', tag, idNo]).stdout, /may now use/);
  assert.deepEqual(json<{ idNo: string }[]>(['ca', 'users', 'list', tag]).map((u) => u.idNo), [idNo]);
  assert.match(cli(['ca', 'users', 'remove', tag, idNo]).stdout, /may no longer use/);
  assert.deepEqual(json<unknown[]>(['ca', 'users', 'list', tag]), []);
  const bad = cli(['ca', 'users', 'grant', tag]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown command 'ca users grant'/);
});

test('--record DIR: each request and answer as a file, without the key NCP issued or the credentials; an unwritable DIR warns and loses nothing', () => {
  const tag = json<{ caInfo: { caTag: string } }>(['ca', 'create', '--type', 'root', '--alias', 'recca', '--cn', 'Record CA', '--key-type', 'RSA2048']).caInfo.caTag;
  const rec = join(dir, 'recordings');
  const out = join(dir, 'rec-issued');
  assert.equal(cli(['cert', 'issue', tag, '--cn', 'rec.test', '--key-type', 'RSA2048', '--out', out, '--record', rec]).code, 0);
  assert.equal(cli(['ca', 'list', '--record', rec]).code, 0);
  const files = readdirSync(rec).sort();
  assert.deepEqual(files.map((f) => f.replace(/^.*-\d{3}-/, '')), ['issueCert.json', 'listCas.json']);
  const issued = JSON.parse(readFileSync(join(rec, files[0]), 'utf8')) as { from: string; request: { path: string }; response: { status: number; body: { data: { privateKey: string; serialNo: string } } } };
  assert.equal(issued.from, 'emulator');
  assert.equal(issued.request.path, `/api/v1/ca/${tag}/cert`);
  assert.equal(issued.response.body.data.privateKey, '[redacted by ncloud-pki]');
  assert.match(readFileSync(join(out, 'key.pem'), 'utf8'), /PRIVATE KEY/, 'the key itself still reaches key.pem');
  for (const f of files) {
    const text = readFileSync(join(rec, f), 'utf8');
    assert.doesNotMatch(text, /PRIVATE KEY-----|AK-cli|SK-cli/);
    assert.equal(statSync(join(rec, f)).mode & 0o777, 0o600);
  }
  const blocked = join(dir, 'rec-blocked');
  writeFileSync(blocked, 'a file, not a folder');
  const r = cli(['ca', 'list', '--record', blocked]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /recca/);
  assert.match(r.stderr, /could not record GET \/api\/v1\/ca\?pageNo=1 in .*rec-blocked/);
});

interface Report {
  ok: boolean;
  checks: { id: string; ok: boolean; detail: string; fix?: string }[];
  skewMs?: number;
}

function doctorRun(endpoint: string, env: Record<string, string> = { NCP_ACCESS_KEY: 'AK-cli', NCP_SECRET_KEY: 'SK-cli' }): { code: number | null; report: Report; human: string } {
  const run = (json: boolean) => spawnSync(process.execPath, [CLI, 'doctor', '--endpoint', endpoint, ...(json ? ['--json'] : [])], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
  const r = run(true);
  return { code: r.status, report: JSON.parse(r.stdout) as Report, human: run(false).stdout };
}

test('doctor: good keys reach both APIs, the signature is accepted, the clock agrees, listing is allowed', () => {
  const d = doctorRun(url);
  assert.equal(d.code, 0, JSON.stringify(d.report));
  assert.deepEqual(d.report.checks.map((c) => [c.id, c.ok]), [['pca', true], ['cm', true], ['clock', true]]);
  assert.match(d.human, /^ok {3}Private CA: reached, signature accepted/m);
  assert.match(d.human, /all good/);
});

test('doctor: a wrong secret, a key without permission, a read-only key', () => {
  const wrong = doctorRun(url, { NCP_ACCESS_KEY: 'AK-cli', NCP_SECRET_KEY: 'not-the-secret' });
  assert.equal(wrong.code, 1);
  assert.match(wrong.report.checks[0].detail, /refused the signature/);
  assert.match(wrong.report.checks[0].fix!, /access key and secret key/);
  const none = doctorRun(url, { NCP_ACCESS_KEY: 'AK-none', NCP_SECRET_KEY: 'SK-none' });
  assert.equal(none.code, 1);
  assert.match(none.report.checks[0].detail, /may not list.*\[210\]/);
  assert.match(none.report.checks[0].fix!, /grant the sub-account/);
  const ro = doctorRun(url, { NCP_ACCESS_KEY: 'AK-ro', NCP_SECRET_KEY: 'SK-ro' });
  assert.equal(ro.code, 0, 'a read-only key may list');
  const write = cli(['ca', 'create', '--type', 'root', '--alias', 'rofail', '--cn', 'x'], { NCP_ACCESS_KEY: 'AK-ro', NCP_SECRET_KEY: 'SK-ro' });
  assert.equal(write.code, 1);
  assert.match(write.stderr, /Permission Denied.*\[210\]/);
});

test('doctor: the endpoint down; the server\'s clock skewed (emulator --gateway-skew)', async () => {
  const down = doctorRun('http://127.0.0.1:9');
  assert.equal(down.code, 1);
  assert.match(down.report.checks[0].detail, /Private CA: not reachable/);
  assert.match(down.report.checks[1].detail, /Certificate Manager: not reachable/);
  const skewed = await startCliEmulator(join(dir, 'skewed'), ['--gateway-skew=-10m']);
  try {
    const d = doctorRun(skewed.url);
    assert.equal(d.code, 1);
    assert.match(d.report.checks[0].detail, /clocks differ by more than 5 minutes/);
    assert.ok(d.report.skewMs! > 9 * 60_000 && d.report.skewMs! < 11 * 60_000, `skew ${d.report.skewMs}`);
    assert.match(d.report.checks.find((c) => c.id === 'clock')!.detail, /ahead of the server's/);
  } finally {
    await stopChild(skewed.child);
  }
  const slight = await startCliEmulator(join(dir, 'slight'), ['--gateway-skew=+2m']);
  try {
    const d = doctorRun(slight.url);
    assert.equal(d.code, 1, 'two minutes still signs, but the report warns');
    assert.deepEqual(d.report.checks.map((c) => c.ok), [true, true, false]);
    assert.match(d.report.checks[2].detail, /behind the server's/);
  } finally {
    await stopChild(slight.child);
  }
});

test('emulator --clock-offset mints certificates in the emulator\'s time; signing keeps real time', async () => {
  const past = await startCliEmulator(join(dir, 'past'), ['--clock-offset=-400d']);
  try {
    const env = { NCP_ACCESS_KEY: 'AK-cli', NCP_SECRET_KEY: 'SK-cli' };
    const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args, '--endpoint', past.url, '--json'], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
    const root = run(['ca', 'create', '--type', 'root', '--alias', 'pastroot', '--cn', 'Past Root']);
    assert.equal(root.status, 0, root.stderr);
    const tag = (JSON.parse(root.stdout) as { caInfo: { caTag: string } }).caInfo.caTag;
    const out = join(dir, 'past-issued');
    const issued = run(['cert', 'issue', tag, '--cn', 'old.test', '--period', '30', '--out', out]);
    assert.equal(issued.status, 0, issued.stderr);
    const leaf = inspect(readFileSync(join(out, 'cert.pem'), 'utf8')).decoded[0] as { notAfter: string };
    assert.ok(Date.parse(leaf.notAfter) < Date.now(), `already expired: ${leaf.notAfter}`);
  } finally {
    await stopChild(past.child);
  }
  const bad = spawnSync(process.execPath, [CLI, 'emulator', '--port', '0', '--data', join(dir, 'bad'), '--clock-offset', 'yesterday'], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--clock-offset must be a duration/);
});

test('emulator: a port in use is a clear error', () => {
  const port = new URL(url).port;
  const r = spawnSync(process.execPath, [CLI, 'emulator', '--port', port, '--data', join(dir, 'other')], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`port ${port} on 127.0.0.1 is in use`));
});
