// `ncloud-pki export` as a process, on a dev certificate issued by the emulator (root → sub → leaf),
// read back by real tools: openssl pkcs12 for both PKCS#12 profiles, Java's keytool, js-yaml for the
// Kubernetes Secret (decoded, key matched to the certificate), openssl x509 for DER.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { harness, rootAndSub, type Harness } from '../ncloud/helpers';

const CLI = join(__dirname, '../../../../dist/cli.js');
const PASSWORD = 'correct horse battery staple';
let h: Harness;
let dir: string;
let rootPem: string;
let subPem: string;
let leafPem: string;
let keyPem: string;

before(async () => {
  h = await harness();
  const { root, sub } = await rootAndSub(h.client, 'X');
  const issued = await h.client.pca.issueCert(sub.caInfo.caTag, { keyType: 'EC256', period: '30', x509Parameters: { commonName: 'localhost', altName: 'localhost', ip: '127.0.0.1' } });
  rootPem = root.caCertInfo!.certPem;
  subPem = sub.caCertInfo!.certPem;
  leafPem = issued.certificate;
  keyPem = issued.privateKey!;
  dir = join(h.dir, 'certs');
  mkdirSync(dir);
  // As "Issue Dev Certificate" and `cert issue --out` leave them.
  writeFileSync(join(dir, 'cert.pem'), leafPem);
  writeFileSync(join(dir, 'key.pem'), keyPem, { mode: 0o600 });
  writeFileSync(join(dir, 'chain.pem'), issued.caChain);
});
after(async () => {
  await h?.close();
});

function cli(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, 'export', ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout + r.stderr };
}

const mode = (p: string) => statSync(p).mode & 0o777;
const norm = (pem: string) => new X509Certificate(pem).raw.toString('base64');
const spki = (key: string) => createPublicKey(createPrivateKey(key)).export({ type: 'spki', format: 'der' }).toString('base64');
const certSpki = (pem: string) => new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const pems = (text: string) => text.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];

for (const { name, legacy, scheme, mac } of [
  { name: 'modern', legacy: false, scheme: /PBES2, PBKDF2, AES-256-CBC, Iteration \d+, PRF hmacWithSHA256/, mac: /MAC: sha256/ },
  { name: 'legacy', legacy: true, scheme: /pbeWithSHA1And3-KeyTripleDES-CBC/, mac: /MAC: sha1/ },
]) {
  test(`p12 (${name}): openssl reads it with the password and not without, keytool lists the key entry with its chain`, () => {
    const out = join(h.dir, `${name}.p12`);
    const r = cli([join(dir, 'cert.pem'), '--format', 'p12', '--out', out, '--password-env', 'P12_PASSWORD', '--name', 'dev-localhost', ...(legacy ? ['--legacy'] : [])], { P12_PASSWORD: PASSWORD });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /3 certificates, private key, mode 0600/);
    assert.equal(mode(out), 0o600);

    const info = run('openssl', ['pkcs12', '-info', '-noout', '-in', out, '-passin', 'env:P12_PASSWORD'], { P12_PASSWORD: PASSWORD });
    assert.equal(info.code, 0, info.out);
    assert.match(info.out, mac);
    assert.match(info.out, /Shrouded Keybag: /);
    assert.match(info.out, scheme);
    assert.equal(run('openssl', ['pkcs12', '-info', '-noout', '-in', out, '-passin', 'pass:wrong'], {}).code, 1, 'a wrong password is refused');

    const dump = run('openssl', ['pkcs12', '-in', out, '-passin', 'env:P12_PASSWORD', '-nodes'], { P12_PASSWORD: PASSWORD });
    assert.equal(dump.code, 0, dump.out);
    assert.deepEqual(pems(dump.out).map(norm), [leafPem, subPem, rootPem].map(norm), 'leaf, then its issuers');
    assert.match(dump.out, /friendlyName: dev-localhost/);
    const key = /-----BEGIN PRIVATE KEY-----[^-]+-----END PRIVATE KEY-----/.exec(dump.out)![0];
    assert.equal(spki(key), certSpki(leafPem), 'the key in the file is the certificate’s');

    const list = run('keytool', ['-list', '-v', '-keystore', out, '-storetype', 'PKCS12', '-storepass:env', 'P12_PASSWORD'], { P12_PASSWORD: PASSWORD });
    assert.equal(list.code, 0, list.out);
    assert.match(list.out, /Alias name: dev-localhost/);
    assert.match(list.out, /Entry type: PrivateKeyEntry/);
    assert.match(list.out, /Certificate chain length: 3/);
    assert.notEqual(run('keytool', ['-list', '-keystore', out, '-storetype', 'PKCS12', '-storepass', 'wrong-password']).code, 0);
  });
}

test('fullchain: leaf then intermediates, the root only with --include-root', () => {
  const out = join(h.dir, 'fullchain.pem');
  const r = cli([join(dir, 'cert.pem'), '--format', 'fullchain', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(mode(out), 0o644, 'no key inside: world-readable is fine');
  assert.deepEqual(pems(readFileSync(out, 'utf8')).map(norm), [leafPem, subPem].map(norm));
  const withRoot = join(h.dir, 'fullchain-root.pem');
  assert.equal(cli([join(dir, 'cert.pem'), '--format', 'fullchain', '--out', withRoot, '--include-root']).code, 0);
  assert.deepEqual(pems(readFileSync(withRoot, 'utf8')).map(norm), [leafPem, subPem, rootPem].map(norm));
  // openssl agrees the file is a usable chain: the leaf verifies with the root and the file's intermediates.
  const rootFile = join(h.dir, 'root.pem');
  writeFileSync(rootFile, rootPem);
  const v = run('openssl', ['verify', '-CAfile', rootFile, '-untrusted', out, join(dir, 'cert.pem')]);
  assert.equal(v.code, 0, v.out);
});

test('k8s-secret: a kubernetes.io/tls Secret whose decoded tls.key matches tls.crt, with ca.crt the root', () => {
  const out = join(h.dir, 'secret.yaml');
  const r = cli([join(dir, 'cert.pem'), '--format', 'k8s-secret', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(mode(out), 0o600);
  const doc = load(readFileSync(out, 'utf8')) as { apiVersion: string; kind: string; type: string; metadata: { name: string }; data: Record<string, string> };
  assert.equal(doc.apiVersion, 'v1');
  assert.equal(doc.kind, 'Secret');
  assert.equal(doc.type, 'kubernetes.io/tls');
  assert.equal(doc.metadata.name, 'localhost-tls');
  assert.deepEqual(Object.keys(doc.data).sort(), ['ca.crt', 'tls.crt', 'tls.key']);
  const data = Object.fromEntries(Object.entries(doc.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
  assert.deepEqual(pems(data['tls.crt']).map(norm), [leafPem, subPem].map(norm));
  assert.equal(spki(data['tls.key']), certSpki(pems(data['tls.crt'])[0]!));
  assert.deepEqual(pems(data['ca.crt']).map(norm), [norm(rootPem)]);
});

test('der: the leaf alone, as openssl x509 -inform DER reads it', () => {
  const out = join(h.dir, 'cert.der');
  assert.equal(cli([join(dir, 'cert.pem'), '--format', 'der', '--out', out]).code, 0);
  assert.equal(mode(out), 0o644);
  assert.equal(readFileSync(out).toString('base64'), norm(leafPem));
  const x = run('openssl', ['x509', '-inform', 'DER', '-in', out, '-noout', '-subject']);
  assert.match(x.out, /CN ?= ?localhost/);
});

test('never overwrites without --force; bad input is refused clearly and writes nothing', () => {
  const out = join(h.dir, 'existing.p12');
  writeFileSync(out, 'precious');
  const env = { P12_PASSWORD: PASSWORD };
  const again = cli([join(dir, 'cert.pem'), '--format', 'p12', '--out', out, '--password-env', 'P12_PASSWORD'], env);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /refusing to overwrite .*existing\.p12.*--force/);
  assert.equal(readFileSync(out, 'utf8'), 'precious');
  assert.equal(cli([join(dir, 'cert.pem'), '--format', 'p12', '--out', out, '--password-env', 'P12_PASSWORD', '--force'], env).code, 0);
  assert.equal(mode(out), 0o600);
  assert.notEqual(readFileSync(out, 'utf8'), 'precious');
  // A link planted where the file will go is refused, not followed (the one safe writer).
  const link = join(h.dir, 'planted.p12');
  symlinkSync(join(h.dir, 'elsewhere.p12'), link);
  const planted = cli([join(dir, 'cert.pem'), '--format', 'p12', '--out', link, '--password-env', 'P12_PASSWORD', '--force'], env);
  assert.equal(planted.code, 1);
  assert.match(planted.stderr, /refusing to write through a symbolic link/);
  assert.equal(existsSync(join(h.dir, 'elsewhere.p12')), false);

  const cases: { name: string; args: string[]; env?: Record<string, string>; code: number; err: RegExp }[] = [
    { name: 'no password variable', args: ['--format', 'p12'], code: 2, err: /p12 needs --password-env VAR/ },
    { name: 'unset password variable', args: ['--format', 'p12', '--password-env', 'NOPE'], code: 1, err: /NOPE is not set or empty/ },
    { name: 'unknown format', args: ['--format', 'jks'], code: 2, err: /--format must be one of p12, fullchain, k8s-secret, der/ },
    { name: 'a key of another certificate', args: ['--format', 'k8s-secret', '--key', join(h.dir, 'other.key')], code: 1, err: /the private key does not belong to the certificate "CN=localhost/ },
    { name: 'no key beside the certificate', args: ['--format', 'p12', '--password-env', 'P12_PASSWORD', '--key', join(h.dir, 'missing.key')], env, code: 1, err: /cannot read the key .*missing\.key: no such file/ },
    { name: 'an encrypted key', args: ['--format', 'k8s-secret', '--key', join(h.dir, 'encrypted.key')], code: 1, err: /the private key is encrypted/ },
  ];
  writeFileSync(join(h.dir, 'other.key'), generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  writeFileSync(join(h.dir, 'encrypted.key'), createPrivateKey(keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' }) as string);
  for (const c of cases) {
    const target = join(h.dir, `bad-${c.name.replace(/\W+/g, '-')}`);
    const r = cli([join(dir, 'cert.pem'), ...c.args, '--out', target], c.env);
    assert.equal(r.code, c.code, `${c.name}: ${r.stderr}`);
    assert.match(r.stderr, c.err, c.name);
    assert.doesNotMatch(r.stderr + r.stdout, /PRIVATE KEY-----/, `${c.name}: no key material in messages`);
    assert.equal(existsSync(target), false, `${c.name}: nothing written`);
  }
});
