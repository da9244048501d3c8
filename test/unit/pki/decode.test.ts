// Our decoding of each fixture, field by field, against what openssl prints for the same file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { inspect, type CertificateInfo, type CrlInfo, type CsrInfo, type KeyInfo, type Pkcs7Info } from '../../../src/pki';
import { expandIp, FIXTURES, fixture, fixtureBytes, openssl, opensslFields } from './helpers';

const certificates = ['root.crt', 'inter.crt', 'leaf.crt', 'ed25519.crt', 'ed448.crt', 'weak-sha1.crt', 'expired.crt'];

function only<T>(name: string, kind: string): T {
  const r = inspect(name.endsWith('.der') || name.endsWith('.p7b') ? fixtureBytes(name) : fixture(name));
  assert.equal(r.decoded.length, 1, `${name}: one block`);
  assert.equal(r.decoded[0].kind, kind, `${name}: ${JSON.stringify(r.decoded[0])}`);
  return r.decoded[0] as T;
}

function sanText(s: { type: string; value: string }): string {
  const label = { dns: 'DNS', email: 'email', ip: 'IP Address', uri: 'URI' }[s.type] ?? s.type;
  return `${label}:${s.type === 'ip' ? expandIp(s.value) : s.value}`;
}

for (const name of certificates) {
  test(`certificate ${name} matches openssl`, () => {
    const c = only<CertificateInfo>(name, 'certificate');
    const path = join(FIXTURES, name);
    const f = opensslFields(openssl(['x509', '-in', path, '-noout', '-nameopt', 'RFC2253', '-subject', '-issuer', '-serial', '-startdate', '-enddate']));
    assert.equal(c.subject, f.subject);
    assert.equal(c.issuer, f.issuer);
    assert.equal(c.serialNumber, f.serial.toLowerCase());
    assert.equal(Date.parse(c.notBefore), Date.parse(f.notBefore));
    assert.equal(Date.parse(c.notAfter), Date.parse(f.notAfter));
    const text = openssl(['x509', '-in', path, '-noout', '-text']);
    assert.equal(c.signatureAlgorithm.toLowerCase(), /Signature Algorithm: (\S+)/.exec(text)![1].toLowerCase());
    const bits = /Public-Key: \((\d+) bit\)/.exec(text);
    if (bits) {
      assert.equal(c.publicKey.size, Number(bits[1]));
    }
    assert.equal(c.isCa, /CA:TRUE/.test(text));
    const sanLine = /X509v3 Subject Alternative Name:.*\n\s+(.*)/.exec(text);
    const want = sanLine ? sanLine[1].split(', ').map((s) => (s.startsWith('IP Address:') ? `IP Address:${expandIp(s.slice(11))}` : s)) : [];
    assert.deepEqual(c.sans.map(sanText), want);
  });
}

const cases: { name: string; file: string; want: (c: CertificateInfo) => void }[] = [
  {
    name: 'EC P-256 leaf: curve, key usage, EKU, AIA, CRL DP, policies, unknown extension shown raw',
    file: 'leaf.crt',
    want: (c) => {
      assert.deepEqual(c.publicKey, { algorithm: 'EC', curve: 'P-256', size: 256, id: c.publicKey.id });
      assert.deepEqual(c.keyUsage, ['digitalSignature']);
      assert.deepEqual(c.extKeyUsage, ['serverAuth', 'clientAuth']);
      assert.deepEqual(c.ocsp, ['http://127.0.0.1:8787/ext/4b0bbe37-eeea93b8/ocsp']);
      assert.deepEqual(c.caIssuers, ['http://127.0.0.1:8787/ext/4b0bbe37-eeea93b8/ca']);
      assert.deepEqual(c.crlDistributionPoints, ['http://127.0.0.1:8787/ext/4b0bbe37-eeea93b8/crl']);
      const unknown = c.extensions.find((e) => e.oid === '1.2.3.4.5.6')!;
      assert.equal(unknown.raw, true);
      assert.match(unknown.value, /^0c:19:61:6e/);
      assert.equal(c.extensions.find((e) => e.name === 'certificatePolicies')!.value, 'Policy: 2.23.140.1.2.1');
      assert.equal(c.version, 3);
      assert.equal(c.selfSigned, false);
    },
  },
  { name: 'EC P-384 intermediate with path length', file: 'inter.crt', want: (c) => assert.deepEqual([c.publicKey.curve, c.isCa, c.pathLength], ['P-384', true, 0]) },
  { name: 'RSA root is self-signed with matching key ids', file: 'root.crt', want: (c) => assert.deepEqual([c.publicKey.algorithm, c.publicKey.size, c.selfSigned, c.subjectKeyId === c.authorityKeyId], ['RSA', 2048, true, true]) },
  { name: 'Ed25519', file: 'ed25519.crt', want: (c) => assert.deepEqual([c.publicKey.algorithm, c.signatureAlgorithm], ['Ed25519', 'ED25519']) },
  { name: 'Ed448', file: 'ed448.crt', want: (c) => assert.deepEqual([c.publicKey.algorithm, c.signatureAlgorithm], ['Ed448', 'ED448']) },
  { name: 'DER input decodes the same as PEM', file: 'leaf.der', want: (c) => assert.deepEqual(c, only<CertificateInfo>('leaf.crt', 'certificate')) },
];
for (const c of cases) {
  test(`decode: ${c.name}`, () => c.want(only<CertificateInfo>(c.file, 'certificate')));
}

test('CSR: subject, key and requested SANs match openssl', () => {
  const csr = only<CsrInfo>('leaf.csr', 'csr');
  const f = opensslFields(openssl(['req', '-in', join(FIXTURES, 'leaf.csr'), '-noout', '-nameopt', 'RFC2253', '-subject']));
  assert.equal(csr.subject, f.subject);
  assert.deepEqual(csr.sans.map((s) => s.type), ['dns', 'dns', 'ip', 'ip', 'email', 'uri']);
  assert.equal(csr.publicKey.curve, 'P-256');
  assert.equal(csr.attributes[0].name, 'extensionRequest');
});

test('CRL: issuer, dates, revoked serial and reason match openssl', () => {
  for (const file of ['root.crl', 'root-crl.der']) {
    const crl = only<CrlInfo>(file, 'crl');
    const text = openssl(['crl', '-in', join(FIXTURES, 'root.crl'), '-noout', '-text', '-nameopt', 'RFC2253']);
    assert.equal(crl.issuer, /Issuer: (.*)/.exec(text)![1].trim());
    assert.equal(Date.parse(crl.thisUpdate), Date.parse(/Last Update: (.*)/.exec(text)![1]));
    assert.equal(Date.parse(crl.nextUpdate!), Date.parse(/Next Update: (.*)/.exec(text)![1]));
    assert.deepEqual(crl.entries.map((e) => e.serialNumber), [...text.matchAll(/Serial Number: (\S+)/g)].map((m) => m[1].toLowerCase()));
    assert.equal(crl.entries[0].reason, 'keyCompromise');
    assert.equal(parseInt(crl.crlNumber!, 16), Number(/X509v3 CRL Number:\s*\n\s*(\S+)/.exec(text)![1]));
  }
});

const keys: { file: string; want: Partial<KeyInfo> & { algorithm: string; size?: number } }[] = [
  { file: 'root.key', want: { kind: 'privateKey', format: 'pkcs8', algorithm: 'RSA', size: 2048 } },
  { file: 'root-pkcs1.key', want: { kind: 'privateKey', format: 'pkcs1', algorithm: 'RSA', size: 2048 } },
  { file: 'leaf-sec1.key', want: { kind: 'privateKey', format: 'sec1', algorithm: 'EC', size: 256 } },
  { file: 'leaf.key', want: { kind: 'privateKey', format: 'pkcs8', algorithm: 'EC', size: 256 } },
  { file: 'ed25519.key', want: { kind: 'privateKey', format: 'pkcs8', algorithm: 'Ed25519', size: 256 } },
  { file: 'leaf-encrypted.key', want: { kind: 'privateKey', format: 'encrypted', encrypted: true, algorithm: 'unknown (encrypted)' } },
  { file: 'root-public.pem', want: { kind: 'publicKey', format: 'spki', algorithm: 'RSA', size: 2048 } },
];
for (const k of keys) {
  test(`key ${k.file}: type and size only`, () => {
    const d = only<KeyInfo>(k.file, k.want.kind!);
    assert.equal(d.format, k.want.format);
    assert.equal(d.publicKey.algorithm, k.want.algorithm);
    assert.equal(d.publicKey.size, k.want.size);
    if (k.want.encrypted) {
      assert.equal(d.encrypted, true);
    }
    // Key material never appears in the output: no long hex or base64 runs.
    assert.doesNotMatch(JSON.stringify(d), /[0-9a-f]{40,}|[A-Za-z0-9+/]{40,}/);
  });
}

test('PKCS#7 bundle (DER and PEM) lists the chain certificates', () => {
  for (const file of ['chain.p7b', 'chain.p7b.pem']) {
    const p = only<Pkcs7Info>(file, 'pkcs7');
    assert.deepEqual(p.certificates.map((c) => c.subjectAttributes.find((a) => a.type === 'CN')!.value), ['localhost', 'Test Issuing CA', 'Test Root CA']);
  }
});

const bundle = '/etc/ssl/certs/ca-certificates.crt';
test('every certificate of the Debian CA bundle matches node:crypto', { skip: !existsSync(bundle) && 'no /etc/ssl/certs/ca-certificates.crt on this machine' }, () => {
  const text = readFileSync(bundle, 'utf8');
  const r = inspect(text);
  assert.ok(r.blocks.length > 100, `only ${r.blocks.length} blocks`);
  for (const [i, b] of r.blocks.entries()) {
    const d = r.decoded[i];
    assert.equal(d.kind, 'certificate', `block ${i}: ${JSON.stringify(d)}`);
    const c = d as CertificateInfo;
    const n = new X509Certificate(Buffer.from(b.der!));
    const where = `block ${i} (${c.subject})`;
    // node prints serial 0 as "0" where openssl (and we) print "00": compare values.
    assert.equal(BigInt(`0x${c.serialNumber}`), BigInt(`0x${n.serialNumber}`), where);
    assert.equal(Date.parse(c.notBefore), Date.parse(n.validFrom), where);
    assert.equal(Date.parse(c.notAfter), Date.parse(n.validTo), where);
    assert.equal(c.isCa, n.ca, where);
    // node lists the subject one attribute a line in DER order: compare the values.
    const nodeValues = n.subject.split('\n').map((l) => l.slice(l.indexOf('=') + 1).replace(/\\(.)/g, '$1'));
    assert.deepEqual(c.subjectAttributes.map((a) => a.value), nodeValues, where);
    const details = n.publicKey.asymmetricKeyDetails!;
    if (c.publicKey.algorithm === 'RSA') {
      assert.equal(c.publicKey.size, details.modulusLength, where);
    } else if (c.publicKey.algorithm === 'EC') {
      assert.equal(c.publicKey.curve, { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' }[details.namedCurve!], where);
    }
  }
});
