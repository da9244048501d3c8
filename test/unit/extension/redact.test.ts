// Private keys never reach the inspector webview unless the user opened the key file itself.
import assert from 'node:assert/strict';
import test from 'node:test';
import { onlyPrivateKeys, publicBlocks, redactPrivateKeys, webviewContent } from '../../../src/extension/redact';
import { decodeBlock, scanPem } from '../../../src/pki';
import { fixture, fixtureBytes, scalingRatio } from '../pki/helpers';

const KEY_BODIES = ['leaf.key', 'root.key', 'root-pkcs1.key', 'leaf-sec1.key', 'leaf-encrypted.key', 'ed25519.key'].map((f) => fixture(f).split('\n')[1]);

function assertNoKeyMaterial(text: string): void {
  assert.doesNotMatch(text, /PRIVATE KEY/);
  for (const body of KEY_BODIES) {
    assert.ok(!text.includes(body), 'a key body survived');
  }
}

test('redact: a certificate with its key keeps the certificate, drops the key, keeps line numbers', () => {
  const text = fixture('leaf-with-key.pem');
  const r = redactPrivateKeys(text);
  assertNoKeyMaterial(r.text);
  assert.equal(r.text.split('\n').length, text.split('\n').length);
  assert.equal(r.redactions.length, 1);
  assert.equal(r.redactions[0].line, text.split('\n').findIndex((l) => l.includes('PRIVATE KEY')));
  const blocks = scanPem(r.text);
  assert.deepEqual(blocks.map((b) => b.kind), ['certificate']);
  assert.deepEqual(scanPem(text)[0].range, blocks[0].range);
  assert.equal(onlyPrivateKeys(text), false);
});

test('redact: every key format, in YAML base64, in JSON escapes and in .env values', () => {
  const escaped = (pem: string) => pem.trim().replace(/\n/g, '\\n');
  const cases: Record<string, string> = {
    'k8s.yaml': fixture('k8s.yaml'),
    'config.json': JSON.stringify({ tls: { cert: fixture('leaf.crt'), key: fixture('leaf.key') }, ca: fixture('root.crt') }, null, 2),
    'app.env': `${fixture('app.env').trim()}\nTLS_KEY="${escaped(fixture('root-pkcs1.key'))}"\nEC_KEY="${escaped(fixture('leaf-sec1.key'))}"\n`,
    'indented.yaml': `key: |\n${fixture('leaf-encrypted.key').replace(/^/gm, '  ')}cert: |\n${fixture('leaf.crt').replace(/^/gm, '  ')}`,
  };
  for (const [f, text] of Object.entries(cases)) {
    const before = scanPem(text);
    const r = redactPrivateKeys(text);
    const after = scanPem(r.text);
    assert.ok(before.some((b) => b.kind === 'privateKey'), `${f} has a key to start with`);
    assert.deepEqual(after.filter((b) => b.kind === 'privateKey'), [], f);
    assert.equal(after.length, before.filter((b) => b.kind !== 'privateKey').length, `${f}: the rest stays`);
    assert.equal(r.redactions.length, before.filter((b) => b.kind === 'privateKey').length, f);
    assertNoKeyMaterial(Buffer.from(r.text.match(/LS0tLS1CRUdJT[A-Za-z0-9+/=]+/g)?.join('') ?? '', 'base64').toString() + r.text);
  }
});

test('redact: a key file alone is recognised as one; anything else with a key is not', () => {
  for (const f of ['leaf.key', 'root-pkcs1.key', 'leaf-sec1.key', 'leaf-encrypted.key', 'ed25519.key']) {
    assert.equal(onlyPrivateKeys(fixture(f)), true, f);
  }
  assert.equal(onlyPrivateKeys(fixture('leaf.crt')), false);
  assert.equal(onlyPrivateKeys(fixture('leaf-with-wrong-key.pem')), false);
  assert.equal(onlyPrivateKeys(fixture('leaf.key') + '\nsome notes'), false);
  assert.equal(onlyPrivateKeys(''), false);
});

// Issue 12: layouts that once let a key through, and key formats that were not recognised.
const b64 = (s: string) => Buffer.from(s).toString('base64');
const leafKey = fixture('leaf.key');
const cert = fixture('leaf.crt');
const LEAKS: Record<string, string> = {
  'Kubernetes base64 wrapped at 76 columns': `data:\n  tls.key: |\n    ${b64(leafKey).replace(/.{76}/g, '$&\n    ')}\n  tls.crt: ${b64(cert)}\n`,
  'base64 of a certificate + key bundle': `data:\n  tls.crt: ${b64(cert + leafKey)}\n`,
  'a key with no END line': `${cert}${leafKey.replace(/-----END PRIVATE KEY-----\n/, '')}\nnotes: x\n`,
  'an END label that does not match its BEGIN': `${leafKey.replace('END PRIVATE KEY', 'END CERTIFICATE')}${cert}`,
  'a key whose END is lowercase': leafKey.replace('END PRIVATE KEY', 'end private key'),
  'a key with no END in a JSON string': JSON.stringify({ key: leafKey.replace(/-----END PRIVATE KEY-----\n/, ''), cert }),
  'a PGP private key': fixture('hostile/pgp-private.asc'),
  'a PuTTY private key': `${cert}${fixture('hostile/putty.ppk')}`,
  'an OpenSSH private key': fixture('hostile/openssh.key'),
  'a key labelled as a certificate': leafKey.replace(/PRIVATE KEY/g, 'CERTIFICATE'),
  'a bare base64 DER key': `key: ${leafKey.split('\n').slice(1, -2).join('')}\n`,
};

/** Long base64 runs in `text` that are not inside a block proven to be public (certificate, CSR, CRL, public key). */
function keyLike(text: string): string[] {
  let rest = text;
  for (const b of scanPem(text)) {
    if (!b.error && ['certificate', 'csr', 'crl', 'publicKey', 'pkcs7'].includes(decodeBlock(b).kind) && b.encoding !== 'base64-pem') {
      rest = rest.replace(b.text, '');
    }
  }
  const found: string[] = [...(rest.match(/[A-Za-z0-9+/]{20,}/g) ?? [])];
  if (/PRIVATE|PuTTY|Private-Lines/i.test(rest)) {
    found.push('a private key marker');
  }
  // base64-encoded PEMs left: decode and look inside.
  for (const run of text.match(/LS0tLS1CRUdJT[A-Za-z0-9+/=\s]*/g) ?? []) {
    const inner = Buffer.from(run.replace(/\s+/g, ''), 'base64').toString('latin1');
    if (/PRIVATE/.test(inner)) {
      found.push(`a key inside base64: ${run.slice(0, 30)}`);
    }
  }
  return found.filter((s) => !s.startsWith('LS0tLS1CRUdJT') || /PRIVATE/.test(Buffer.from(s, 'base64').toString('latin1')));
}

for (const [name, text] of Object.entries(LEAKS)) {
  test(`redact: ${name} never reaches the webview message`, () => {
    const m = webviewContent({ text });
    const sent = JSON.stringify(m);
    assert.deepEqual(keyLike(m.text ?? ''), [], `${name}: key-like text was sent`);
    for (const body of KEY_BODIES.concat(leafKey.split('\n').slice(1, -2))) {
      assert.ok(!sent.includes(body.slice(0, 24)), `${name}: a key line was sent`);
    }
    assert.ok(m.redactions.length >= 1, `${name}: a note says something was kept back`);
    assert.equal(m.text?.split('\n').length, text.split('\n').length, 'line numbers stay');
  });
}

test('redact: certificates beside a cut key still reach the webview, at the same lines and columns', () => {
  const text = LEAKS['a key with no END line'];
  const m = webviewContent({ text });
  assert.deepEqual(scanPem(m.text!).map((b) => [b.kind, b.range]), scanPem(cert).map((b) => [b.kind, b.range]));
  const k8s = webviewContent({ text: LEAKS['Kubernetes base64 wrapped at 76 columns'] });
  assert.deepEqual(scanPem(k8s.text!).map((b) => [b.kind, b.encoding, b.error]), [['certificate', 'base64-pem', undefined]]);
});

test('redact: a DER private key is not sent; DER certificates and CRLs are', () => {
  const keyDer = scanPem(leafKey)[0].der!;
  const m = webviewContent({ bytes: keyDer, binary: true });
  assert.equal(m.der, undefined);
  assert.ok(!JSON.stringify(m).includes(Buffer.from(keyDer).toString('base64').slice(0, 24)));
  assert.equal(m.redactions.length, 1);
  for (const f of ['leaf.der', 'root-crl.der', 'chain.p7b']) {
    assert.ok(webviewContent({ bytes: fixtureBytes(f), binary: true }).der, f);
  }
});

test('redact: a key file opened by the user is recognised only when it is a key and nothing else', () => {
  assert.equal(onlyPrivateKeys(leafKey), true);
  assert.equal(onlyPrivateKeys(leafKey.replace(/PRIVATE KEY/g, 'CERTIFICATE')), false);
  assert.equal(onlyPrivateKeys(LEAKS['a key with no END line']), false);
  assert.equal(onlyPrivateKeys(`${leafKey}${b64(cert)}\n`), false);
});

test('redact: issuer candidates sent along are certificates proven public, never a key between or inside them', () => {
  const text = `-----BEGIN CERTIFICATE-----\nMIIB\n${leafKey}${cert}${leafKey.replace(/PRIVATE KEY/g, 'CERTIFICATE')}`;
  assert.equal(publicBlocks(text, 'CERTIFICATE'), cert.trim());
  assert.equal(publicBlocks(`-----BEGIN CERTIFICATE-----\n${Buffer.from(scanPem(leafKey)[0].der!).toString('base64')}\n-----END CERTIFICATE-----\n`, 'CERTIFICATE'), '');
});

test('redact: what others hand us: a JWK Set with "d", a raw PKCS#12 and a JKS never cross; the host-opened PKCS#12 sends certificates only', async () => {
  const { createPrivateKey } = await import('node:crypto');
  const { execFileSync } = await import('node:child_process');
  const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { certificatesPem, readContainer } = await import('../../../src/export/containers');
  const jwk = createPrivateKey(leafKey).export({ format: 'jwk' });
  const jwks = webviewContent({ text: JSON.stringify({ keys: [{ ...jwk, x5c: [Buffer.from(scanPem(cert)[0].der!).toString('base64')] }] }, null, 2) });
  assert.ok(!JSON.stringify(jwks).includes(String(jwk.d)), 'the private "d" was sent');
  const dir = mkdtempSync(join(tmpdir(), 'ncloud-pki-redact-'));
  const p12File = join(dir, 'a.p12');
  const keyFile = join(dir, 'k.pem');
  const certFile = join(dir, 'c.pem');
  writeFileSync(keyFile, leafKey);
  writeFileSync(certFile, cert);
  execFileSync('openssl', ['pkcs12', '-export', '-in', certFile, '-inkey', keyFile, '-passout', 'pass:pw', '-out', p12File]);
  const p12 = new Uint8Array(readFileSync(p12File));
  const raw = webviewContent({ bytes: p12, binary: true });
  assert.equal(raw.der, undefined, 'a PKCS#12 is not structurally public: its bytes stay in the host');
  assert.deepEqual(raw.redactions.map((r) => r.label), ['PKCS#12 keystore']);
  // Pasted as base64 into a config value (the decoder now calls it pkcs12, not privateKey): still cut.
  const b64 = Buffer.from(p12).toString('base64');
  const pasted = webviewContent({ text: `keystore: ${b64}\n` });
  assert.ok(!pasted.text!.includes(b64.slice(0, 64)), 'base64 of a PKCS#12 was sent');
  const opened = webviewContent({ text: certificatesPem(readContainer(p12, 'a.p12', 'pw')) });
  assert.deepEqual(scanPem(opened.text!).map((b) => b.kind), ['certificate']);
  assert.deepEqual(keyLike(opened.text!.replace(/-----(BEGIN|END) CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g, '')), []);
  const jks = new Uint8Array([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2, 0, 0, 0, 0, ...new Array(20).fill(1)]);
  assert.equal(webviewContent({ bytes: jks, binary: true }).der, undefined);
});

test('redact: a Kubernetes secret holding a CA bundle wrapped at 76 columns is redacted in linear time (1x vs 8x; 2 MB took 16 s)', async () => {
  // `base64` wraps at 76 columns; the value's lines were joined into one string tested at each line.
  const value = (n: number) => Buffer.from(fixture('chain.pem').repeat(n)).toString('base64').replace(/(.{76})/g, '$1\n    ');
  const make = (n: number) => `apiVersion: v1\ndata:\n  ca.crt: ${value(n)}\n`;
  const sent = webviewContent({ text: make(2) });
  assert.ok(sent.text!.includes(value(2)), 'a bundle of certificates is public: the whole value is sent');
  assert.deepEqual(sent.redactions, []);
  const ratio = await scalingRatio((n) => webviewContent({ text: make(n) }), 12, 3);
  assert.ok(ratio < 20, `8x input took ${ratio.toFixed(1)}x the time (linear: 8)`);
});
