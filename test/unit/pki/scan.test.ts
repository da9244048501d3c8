import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanBytes, scanPem } from '../../../src/pki';
import { MAX_BLOCKS } from '../../../src/pki/pem';
import { fixture, fixtureBytes } from './helpers';

const leaf = fixture('leaf.crt');
const root = fixture('root.crt');

const cases: { name: string; input: string; want: { kind: string; encoding: string; start: [number, number]; end?: [number, number]; error?: RegExp }[] }[] = [
  { name: 'a PEM file with three certificates', input: fixture('chain.pem'), want: [{ kind: 'certificate', encoding: 'pem', start: [0, 0], end: [22, 25] }, { kind: 'certificate', encoding: 'pem', start: [23, 0] }, { kind: 'certificate', encoding: 'pem', start: [40, 0] }] },
  { name: 'CRLF line endings', input: leaf.replace(/\n/g, '\r\n'), want: [{ kind: 'certificate', encoding: 'pem', start: [0, 0], end: [22, 25] }] },
  { name: 'indented in YAML with text around', input: `tls:\n  cert: |\n${leaf.replace(/^/gm, '    ')}  other: value\n`, want: [{ kind: 'certificate', encoding: 'pem', start: [2, 4], end: [24, 29] }] },
  { name: 'a JSON string with \\n escapes', input: JSON.stringify({ cert: leaf }), want: [{ kind: 'certificate', encoding: 'escaped', start: [0, 9] }] },
  { name: '.env value', input: `A=1\nCERT="${leaf.replace(/\n/g, '\\n')}"\n`, want: [{ kind: 'certificate', encoding: 'escaped', start: [1, 6] }] },
  { name: 'Kubernetes base64 tls.crt', input: `data:\n  tls.crt: ${Buffer.from(leaf).toString('base64')}\n`, want: [{ kind: 'certificate', encoding: 'base64-pem', start: [1, 11] }] },
  { name: 'RFC 1421 headers are skipped', input: fixture('root-pkcs1.key').replace('-----\n', '-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n'), want: [{ kind: 'privateKey', encoding: 'pem', start: [0, 0] }] },
  { name: 'trailing garbage after END', input: `${leaf}garbage here\n`, want: [{ kind: 'certificate', encoding: 'pem', start: [0, 0] }] },
  { name: 'a bad character: error at its line and column', input: fixture('broken-base64.pem'), want: [{ kind: 'certificate', encoding: 'pem', start: [0, 0], error: /line 5, column 11/ }] },
  { name: 'no END line', input: fixture('truncated.pem'), want: [{ kind: 'certificate', encoding: 'pem', start: [0, 0], error: /no "-----END CERTIFICATE-----" line/ }] },
  { name: 'a BEGIN whose END never comes does not swallow the next block', input: `-----BEGIN CERTIFICATE-----\nAAAA\n${root}`, want: [{ kind: 'certificate', encoding: 'pem', start: [0, 0], error: /no "-----END/ }, { kind: 'certificate', encoding: 'pem', start: [2, 0] }] },
  { name: 'CSR, CRL, keys and unknown labels', input: `${fixture('leaf.csr')}${fixture('root.crl')}${fixture('leaf.key')}${fixture('root-public.pem')}-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n`, want: [{ kind: 'csr', encoding: 'pem', start: [0, 0] }, { kind: 'crl', encoding: 'pem', start: [11, 0] }, { kind: 'privateKey', encoding: 'pem', start: [23, 0] }, { kind: 'publicKey', encoding: 'pem', start: [28, 0] }, { kind: 'unknown', encoding: 'pem', start: [37, 0] }] },
  { name: 'text without PEM', input: 'hello\nworld\n', want: [] },
];

for (const c of cases) {
  test(`scanPem: ${c.name}`, () => {
    const blocks = scanPem(c.input);
    assert.equal(blocks.length, c.want.length, JSON.stringify(blocks.map((b) => [b.kind, b.range, b.error?.message])));
    c.want.forEach((w, i) => {
      const b = blocks[i];
      assert.equal(b.index, i);
      assert.equal(b.kind, w.kind);
      assert.equal(b.encoding, w.encoding);
      assert.deepEqual([b.range.start.line, b.range.start.character], w.start);
      if (w.end) {
        assert.deepEqual([b.range.end.line, b.range.end.character], w.end);
      }
      if (w.error) {
        assert.match(b.error?.message ?? '', w.error);
        assert.equal(b.der, undefined);
      } else {
        assert.equal(b.error, undefined, b.error?.message);
        assert.ok(b.der && b.der.length > 0);
      }
    });
  });
}

test('scanPem: the block text is exactly the source between the ranges', () => {
  const text = `x\n${leaf}y\n`;
  const [b] = scanPem(text);
  assert.equal(b.text, leaf.trimEnd());
  assert.equal(text.split('\n')[b.range.end.line].slice(0, b.range.end.character), '-----END CERTIFICATE-----');
});

test('scanPem: the same DER whatever the wrapping', () => {
  const ref = scanPem(leaf)[0].der;
  for (const text of [leaf.replace(/\n/g, '\r\n'), JSON.stringify(leaf), `k: ${Buffer.from(leaf).toString('base64')}`, leaf.replace(/^/gm, '      ')]) {
    assert.deepEqual(scanPem(text)[0].der, ref);
  }
});

const bytesCases: { name: string; input: Uint8Array; want: { kind: string; encoding: string }[] }[] = [
  { name: 'DER certificate', input: fixtureBytes('leaf.der'), want: [{ kind: 'certificate', encoding: 'der' }] },
  { name: 'DER CRL', input: fixtureBytes('root-crl.der'), want: [{ kind: 'crl', encoding: 'der' }] },
  { name: 'DER PKCS#7', input: fixtureBytes('chain.p7b'), want: [{ kind: 'pkcs7', encoding: 'der' }] },
  { name: 'PEM bytes', input: fixtureBytes('chain.pem'), want: [{ kind: 'certificate', encoding: 'pem' }, { kind: 'certificate', encoding: 'pem' }, { kind: 'certificate', encoding: 'pem' }] },
  { name: 'bare base64 of DER', input: new TextEncoder().encode(Buffer.from(fixtureBytes('leaf.der')).toString('base64')), want: [{ kind: 'certificate', encoding: 'base64' }] },
  { name: 'random text', input: new TextEncoder().encode('not a certificate'), want: [] },
];
for (const c of bytesCases) {
  test(`scanBytes: ${c.name}`, () => {
    assert.deepEqual(scanBytes(c.input).map((b) => ({ kind: b.kind, encoding: b.encoding })), c.want);
  });
}

test('scanBytes reads UTF-16 text by its byte order mark (LE and BE, as Windows PowerShell writes it) as it reads UTF-8', () => {
  const text = fixture('chain.pem');
  const utf8 = scanBytes(new TextEncoder().encode(text));
  assert.ok(utf8.length >= 2);
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const be = Buffer.from(le).swap16();
  for (const bytes of [le, be]) {
    assert.deepEqual(scanBytes(bytes).map((b) => [b.label, b.range, Buffer.from(b.der!).toString('hex')]), utf8.map((b) => [b.label, b.range, Buffer.from(b.der!).toString('hex')]));
  }
});

test('scanPem reads at most maxBlocks blocks (MAX_BLOCKS by default): the rest of the text is one malformed block that says so', () => {
  const text = `# header\n${'-----BEGIN X-----\n'.repeat(25)}${leaf}`;
  const blocks = scanPem(text, 10);
  assert.equal(blocks.length, 11);
  const rest = blocks[10];
  assert.equal(rest.index, 10);
  assert.deepEqual(rest.range, { start: { line: 11, character: 0 }, end: { line: 26 + leaf.split('\n').length - 1, character: 0 } });
  assert.equal(rest.error?.message, 'more than 10 blocks: the rest of the text is not read');
  assert.equal(scanPem(text).length, 26, 'under the default limit every block is read');
  assert.ok(MAX_BLOCKS >= 1_000_000);
});
