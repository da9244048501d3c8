// `ncloud-pki inspect` as a process: the JSON contract scripts rely on, and its exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, openssl } from './helpers';

const CLI = join(__dirname, '../../../../dist/cli.js');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'inspect', ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('inspect --json: one object per block with the documented fields', () => {
  const r = run('--json', join(FIXTURES, 'chain.pem'), join(FIXTURES, 'leaf-with-wrong-key.pem'));
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.length, 5);
  const leaf = out[0];
  for (const k of ['kind', 'label', 'range', 'subject', 'issuer', 'serialNumber', 'notBefore', 'notAfter', 'sans', 'publicKey', 'signatureAlgorithm', 'fingerprints', 'isCa', 'findings']) {
    assert.ok(k in leaf, `missing ${k}`);
  }
  assert.deepEqual(leaf.range, { start: { line: 0, character: 0 }, end: { line: 22, character: 25 } });
  assert.equal(leaf.kind, 'certificate');
  assert.equal(leaf.label, 'CERTIFICATE');
  assert.equal(leaf.serialNumber, '3f0a1b2c3d4e5f60718293a4b5c6d7e8f9000102');
  assert.match(leaf.notAfter, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.deepEqual(leaf.publicKey, { algorithm: 'EC', size: 256, curve: 'P-256' });
  const fp = /Fingerprint=(.*)/.exec(openssl(['x509', '-in', join(FIXTURES, 'leaf.crt'), '-noout', '-fingerprint', '-sha256']))![1];
  assert.equal(leaf.fingerprints.sha256, fp.replace(/:/g, '').toLowerCase());
  assert.equal(out[2].isCa, true);
  assert.deepEqual(out[4].findings.map((f: { code: string }) => f.code), ['key-mismatch']);
  assert.equal(out[4].findings[0].href, 'https://github.com/ncloud-pki/ncloud-pki/blob/main/docs/findings.md#key-mismatch');
  assert.equal(out[4].kind, 'privateKey');
  assert.doesNotMatch(r.stdout, /PRIVATE KEY-----|MII[A-Za-z0-9+/]{20}/, 'no key material in the output');
});

test('inspect --json: fingerprints are right before and after node:crypto takes over from the JavaScript hash (past 8 KB)', () => {
  const files = ['leaf.crt', 'inter.crt', 'root.crt', 'expired.crt', 'ed25519.crt', 'weak-sha1.crt'];
  const args = Array.from({ length: 4 }, () => files.map((f) => join(FIXTURES, f))).flat();
  const r = run('--json', ...args);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { file: string; fingerprints: { sha1: string; sha256: string } }[];
  assert.equal(out.length, args.length);
  let total = 0;
  for (const block of out) {
    const der = Buffer.from(readFileSync(block.file, 'utf8').replace(/-----[^-]+-----|\s/g, ''), 'base64');
    total += der.length;
    assert.equal(block.fingerprints.sha256, createHash('sha256').update(der).digest('hex'), block.file);
    assert.equal(block.fingerprints.sha1, createHash('sha1').update(der).digest('hex'), block.file);
  }
  assert.ok(total > 8 * 1024, `both paths taken (${total} bytes hashed)`);
});

const cases: { name: string; args: string[]; code: number; stdout?: RegExp; stderr?: RegExp }[] = [
  { name: 'a missing file is an error', args: ['/nonexistent/x.pem'], code: 1, stderr: /cannot read \/nonexistent\/x.pem: no such file/ },
  { name: 'a directory is an error', args: [FIXTURES], code: 1, stderr: /it is a directory/ },
  { name: 'a file without PEM is an error', args: [join(FIXTURES, '../workspace/README.md')], code: 1, stderr: /no PEM block/ },
  { name: 'a malformed block is a finding, not a crash', args: [join(FIXTURES, 'broken-base64.pem')], code: 0, stdout: /✗ malformed: malformed base64 at line 5, column 11/ },
  { name: 'DER input', args: [join(FIXTURES, 'chain.p7b')], code: 0, stdout: /PKCS#7 bundle \(DER\)[\s\S]*certificate 3 of 3/ },
  { name: 'human output shows the chain', args: [join(FIXTURES, 'chain-reversed.pem')], code: 0, stdout: /Chain: localhost → Test Issuing CA → Test Root CA\n {2}complete/ },
  { name: 'no file is a usage error', args: [], code: 2, stderr: /missing FILE\|URL\nrun 'ncloud-pki inspect --help'/ },
];
for (const c of cases) {
  test(`inspect: ${c.name}`, () => {
    const r = run(...c.args);
    assert.equal(r.code, c.code, r.stderr);
    if (c.stdout) {
      assert.match(r.stdout, c.stdout);
    }
    if (c.stderr) {
      assert.match(r.stderr, c.stderr);
    }
  });
}

test('inspect: a certificate cannot clear the terminal, forge lines or reorder text (controls escaped)', () => {
  const r = run(join(FIXTURES, 'hostile/controls.crt'));
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/, 'no raw control character');
  assert.match(r.stdout, /CN=evil\\x1b\[2J\\x1b\[31mred\\rFORGED: valid\\u202etxt\.exe/);
  assert.ok(!r.stdout.split('\n').some((l) => l.startsWith('FORGED')), 'no forged line');
});

test('inspect: an endless input stops at the size limit, named in the error (it read 5.5 GB of /dev/zero)', () => {
  const r = spawnSync(process.execPath, [CLI, 'inspect', '--max-size', '8M', '/dev/zero'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.signal, null, 'it finished');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /\/dev\/zero: larger than the 8 MiB limit \(raise it with --max-size/);
  const def = spawnSync(process.execPath, [CLI, 'inspect', '/dev/zero'], { encoding: 'utf8', timeout: 60_000 });
  assert.match(def.stderr, /larger than the 256 MiB limit/);
});

test('inspect: a regular file over the limit is refused without reading it; --max-size raises the limit', () => {
  const file = join(FIXTURES, 'chain.pem');
  const small = spawnSync(process.execPath, [CLI, 'inspect', '--max-size', '1K', file], { encoding: 'utf8' });
  assert.equal(small.status, 1);
  assert.match(small.stderr, /chain\.pem: larger than the 1 KiB limit/);
  assert.equal(spawnSync(process.execPath, [CLI, 'inspect', '--max-size', '1M', file], { encoding: 'utf8' }).status, 0);
  const bad = spawnSync(process.execPath, [CLI, 'inspect', '--max-size', 'lots', file], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--max-size wants a size/);
});
