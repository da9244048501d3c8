// Reading what others hand us: PKCS#12 written by openssl (modern, and -legacy with RC2-40 and
// 3DES), Java keystores written by keytool (JKS), JWK Sets; wrong and missing passwords; the CLI's
// `inspect --password-env`. Only certificates and key types come out, never key material.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificatesPem, ContainerError, containerFormat, PasswordNeeded, readContainer } from '../../../src/export/containers';
import { render } from '../../../src/pki/messages';
import { rc2CbcDecrypt, rc2DecryptBlock } from '../../../src/export/rc2';

const FIXTURES = join(__dirname, '../../../../test/fixtures/pki');
const CLI = join(__dirname, '../../../../dist/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'ncloud-pki-containers-'));
const leaf = new X509Certificate(readFileSync(join(FIXTURES, 'leaf.crt')));
const inter = new X509Certificate(readFileSync(join(FIXTURES, 'inter.crt')));

function sh(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout + r.stderr;
}

function p12(name: string, extra: string[]): Uint8Array {
  const out = join(dir, name);
  sh('openssl', ['pkcs12', '-export', '-in', join(FIXTURES, 'leaf.crt'), '-inkey', join(FIXTURES, 'leaf.key'), '-certfile', join(FIXTURES, 'inter.crt'), '-name', 'web server', '-passout', 'pass:s3cret', '-out', out, ...extra]);
  return new Uint8Array(readFileSync(out));
}

const subjects = (ders: Uint8Array[]) => ders.map((d) => new X509Certificate(d).subject);

test('rc2: RFC 2268 test vectors', () => {
  const h = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));
  const vectors: [string, number, string, string][] = [
    ['0000000000000000', 63, 'ebb773f993278eff', '0000000000000000'],
    ['ffffffffffffffff', 64, '278b27e42e2f0d49', 'ffffffffffffffff'],
    ['3000000000000000', 64, '30649edf9be7d2c2', '1000000000000001'],
    ['88', 64, '61a8a244adacccf0', '0000000000000000'],
    ['88bca90e90875a', 64, '6ccf4308974c267f', '0000000000000000'],
    ['88bca90e90875a7f0f79c384627bafb2', 64, '1a807d272bbe5db1', '0000000000000000'],
    ['88bca90e90875a7f0f79c384627bafb2', 128, '2269552ab0f85ca6', '0000000000000000'],
  ];
  for (const [key, bits, cipher, plain] of vectors) {
    assert.equal(Buffer.from(rc2DecryptBlock(h(key), bits, h(cipher))).toString('hex'), plain, `key ${key}/${bits}`);
  }
  assert.throws(() => rc2CbcDecrypt(h('88'), 64, new Uint8Array(8), h('61a8a244adacccf0')), /bad padding/);
});

for (const [name, extra, scheme] of [
  ['modern', [], /PBES2, PBKDF2, AES-256-CBC/],
  ['legacy', ['-legacy'], /pbeWithSHA1And40BitRC2-CBC/],
] as const) {
  test(`pkcs12: openssl ${name} (${String(scheme)}) opens with its password: certificates and the key's type, no key material`, () => {
    const bytes = p12(`${name}.p12`, [...extra]);
    assert.match(sh('openssl', ['pkcs12', '-info', '-noout', '-in', join(dir, `${name}.p12`), '-passin', 'pass:s3cret', ...(name === 'legacy' ? ['-legacy'] : [])]), scheme);
    assert.equal(containerFormat(bytes, `${name}.p12`), 'pkcs12');
    assert.equal(containerFormat(bytes, 'no-extension'), 'pkcs12', 'recognized by its structure too');
    const c = readContainer(bytes, `${name}.p12`, 's3cret');
    assert.deepEqual(subjects(c.certificates).sort(), [leaf.subject, inter.subject].sort());
    assert.deepEqual(c.keys, [{ type: 'EC P-256', name: 'web server', private: true }]);
    assert.doesNotMatch(JSON.stringify(c), /PRIVATE KEY|"d"/);
    const err = (pw?: string) => {
      try {
        readContainer(bytes, `${name}.p12`, pw);
      } catch (e) {
        return e;
      }
      return undefined;
    };
    assert.ok(err('wrong') instanceof PasswordNeeded && (err('wrong') as PasswordNeeded).wrong);
    assert.ok(err() instanceof PasswordNeeded && !(err() as PasswordNeeded).wrong);
  });
}

test('pkcs12: a certificates-only file (a trust bundle) has no key', () => {
  sh('openssl', ['pkcs12', '-export', '-nokeys', '-in', join(FIXTURES, 'root.crt'), '-passout', 'pass:pw', '-out', join(dir, 'trust.p12')]);
  const c = readContainer(new Uint8Array(readFileSync(join(dir, 'trust.p12'))), 'trust.p12', 'pw');
  assert.equal(c.certificates.length, 1);
  assert.deepEqual(c.keys, []);
});

test('jks: a keystore written by keytool (key entry with its chain, trusted certificate) opens with its password', () => {
  const ks = join(dir, 'k.jks');
  p12('for-jks.p12', []);
  sh('keytool', ['-importkeystore', '-srckeystore', join(dir, 'for-jks.p12'), '-srcstoretype', 'PKCS12', '-srcstorepass', 's3cret', '-destkeystore', ks, '-deststoretype', 'JKS', '-deststorepass', 'storepw', '-destkeypass', 'storepw']);
  sh('keytool', ['-importcert', '-noprompt', '-alias', 'the root', '-file', join(FIXTURES, 'root.crt'), '-keystore', ks, '-storetype', 'JKS', '-storepass', 'storepw']);
  const bytes = new Uint8Array(readFileSync(ks));
  assert.equal(containerFormat(bytes, 'keystore'), 'jks');
  const c = readContainer(bytes, 'k.jks', 'storepw');
  assert.equal(c.format, 'jks');
  assert.deepEqual(subjects(c.certificates).sort(), [leaf.subject, inter.subject, new X509Certificate(readFileSync(join(FIXTURES, 'root.crt'))).subject].sort());
  assert.deepEqual(c.keys, [{ type: 'EC P-256', name: 'web server', private: true }]);
  assert.throws(() => readContainer(bytes, 'k.jks', 'nope'), /password does not open this Java keystore/);
  // A PKCS#12 keystore (keytool's default since Java 9) goes the PKCS#12 way.
  const p12ks = join(dir, 'k.p12');
  sh('keytool', ['-importcert', '-noprompt', '-alias', 'root', '-file', join(FIXTURES, 'root.crt'), '-keystore', p12ks, '-storetype', 'PKCS12', '-storepass', 'storepw']);
  assert.equal(readContainer(new Uint8Array(readFileSync(p12ks)), 'k.p12', 'storepw').certificates.length, 1);
});

test('jwk: a JWK Set with x5c certificates and a private key: certificates and key types, never "d"', () => {
  const jwk = createPrivateKey(readFileSync(join(FIXTURES, 'leaf.key'))).export({ format: 'jwk' });
  const rsa = { kty: 'RSA', kid: 'rsa-1', e: 'AQAB', n: Buffer.alloc(256, 0xc1).toString('base64url') };
  const set = { keys: [{ ...jwk, kid: 'leaf', x5c: [leaf.raw.toString('base64'), inter.raw.toString('base64')] }, rsa, { kty: 'OKP', crv: 'Ed25519', x: 'AAAA' }] };
  const bytes = new TextEncoder().encode(JSON.stringify(set, null, 2));
  assert.equal(containerFormat(bytes, 'jwks.json'), 'jwk');
  const c = readContainer(bytes, 'jwks.json');
  assert.deepEqual(subjects(c.certificates), [leaf.subject, inter.subject]);
  assert.deepEqual(c.keys, [
    { type: 'EC P-256', name: 'leaf', private: true },
    { type: 'RSA 2048', name: 'rsa-1', private: false },
    { type: 'Ed25519', name: 'key 3', private: false },
  ]);
  assert.ok(!JSON.stringify(c).includes(String(jwk.d)));
  assert.match(certificatesPem(c), /^-----BEGIN CERTIFICATE-----\n/);
  assert.throws(() => readContainer(new TextEncoder().encode('{"keys":[{"kid":"x"}]}'), 'bad.jwks'), /key 1 has no "kty"/);
});

test('cli: inspect reads PKCS#12 with --password-env, says how when the password is missing, and prints no key', () => {
  p12('cli.p12', []);
  const file = join(dir, 'cli.p12');
  const run = (args: string[], env: Record<string, string> = {}) => spawnSync(process.execPath, [CLI, 'inspect', ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
  const missing = run([file]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /needs a password: give it with --password-env VAR/);
  const wrong = run([file, '--password-env', 'P12_PASS'], { P12_PASS: 'nope' });
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /the password does not open this PKCS#12 file/);
  const ok = run([file, '--password-env', 'P12_PASS', '--json'], { P12_PASS: 's3cret' });
  assert.equal(ok.status, 0, ok.stderr);
  const blocks = JSON.parse(ok.stdout) as { kind: string; keyType?: string; subject?: string }[];
  assert.deepEqual(blocks.filter((b) => b.kind === 'key').map((b) => b.keyType), ['EC P-256']);
  assert.deepEqual(blocks.filter((b) => b.kind === 'certificate').map((b) => b.subject).length, 2);
  assert.doesNotMatch(ok.stdout, /PRIVATE KEY/);
  const human = run([file, '--password-env', 'P12_PASS'], { P12_PASS: 's3cret' });
  assert.match(human.stdout, /PKCS#12 private key "web server": EC P-256 \(never shown\)/);
  // Named neither .p12 nor .pfx: found by its first bytes.
  const bare = join(dir, 'cli-keystore');
  copyFileSync(file, bare);
  const byBytes = run([bare, '--password-env', 'P12_PASS'], { P12_PASS: 's3cret' });
  assert.equal(byBytes.status, 0, byBytes.stderr);
  assert.match(byBytes.stdout, /PKCS#12 private key "web server": EC P-256 \(never shown\)/);
  const jwks = join(dir, 'set.jwks');
  writeFileSync(jwks, JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', kid: 'k1', x: 'AA', y: 'AA', x5c: [leaf.raw.toString('base64')] }] }));
  const j = run([jwks]);
  assert.equal(j.status, 0, j.stderr);
  assert.match(j.stdout, /JWK public key "k1": EC P-256/);
  assert.match(j.stdout, /localhost/);
});

test('containers in Korean: what stops a keystore or a JWK from opening is worded in Korean with the extension\'s bundle (the CLI keeps the English)', () => {
  const ko = JSON.parse(readFileSync(join(__dirname, '../../../../l10n/bundle.l10n.ko.json'), 'utf8')) as Record<string, string>;
  const korean = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      assert.ok(err instanceof ContainerError, String(err));
      return { en: err.message, ko: render(err.text, (english) => ko[english]) };
    }
    return assert.fail('it opened');
  };
  const bad = [
    korean(() => readContainer(new Uint8Array([0xfe, 0xed, 0xfe, 0xed, 0, 0]), 'x.jks', 'pw')),
    korean(() => readContainer(new Uint8Array([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 9, 0, 0, 0, 0]), 'x.jks', 'pw')),
    korean(() => readContainer(new TextEncoder().encode('{"keys": [{"kty": "EC"}, {"x5c": []}]}'), 'x.jwks')),
    korean(() => readContainer(new TextEncoder().encode('{"kty": '), 'x.jwk')),
    korean(() => readContainer(new Uint8Array([1, 2, 3]), 'x.bin')),
  ];
  assert.deepEqual(
    bad.map((b) => b.en),
    ['the Java keystore is truncated', 'Java keystore version 9 is not supported', 'key 2 has no "kty"', bad[3].en, 'not a PKCS#12, Java keystore or JWK file'],
  );
  assert.match(bad[3].en, /^not valid JSON: /);
  for (const b of bad) {
    assert.match(b.ko, /[가-힣]/, b.ko);
    // Nothing English left but names (Java, JSON, JWK, PKCS#12) and what JSON.parse said.
    assert.doesNotMatch(b.ko.replace(/: Unexpected .*|: Expected .*/, '').replace(/Java|JSON|JWK|PKCS|kty/g, ''), /[a-z]{2,}/i, b.ko);
  }
});
