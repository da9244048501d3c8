// Private keys never reach the inspector webview unless the user opened the key file itself.
import assert from 'node:assert/strict';
import test from 'node:test';
import { onlyPrivateKeys, redactPrivateKeys } from '../../../src/extension/redact';
import { scanPem } from '../../../src/pki';
import { fixture } from '../pki/helpers';

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
