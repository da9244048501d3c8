// The emulator's direct DER certificate writer against @peculiar/x509's encoder (its former
// encoder): the TBSCertificate must be byte-identical for every shape the emulator issues, and the
// signed certificate must verify under the issuer's key.
import { test } from 'node:test';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import assert from 'node:assert/strict';
import { issue, newKey, newSerial, tbsCertificate, type IssueParams, type KeyPair } from '../../../src/emulator/issuer';
import { x509 } from '../../../src/pki/x509';
import { children, readTlv } from '../../../src/pki/der';
import { peculiarCertificate, webKey } from './peculiarIssue';

const DAY = 86_400_000;

function tbsOf(cert: Uint8Array): Uint8Array {
  const t = children(cert, readTlv(cert, 0))[0];
  return cert.slice(t.start, t.end);
}

async function same(p: IssueParams, signer: KeyPair): Promise<void> {
  const keyType = (p.issuer ?? p.selfKey)!.keyType;
  const reference = tbsOf(await peculiarCertificate(p, await webKey(signer.privateKey, keyType)));
  assert.deepEqual(Buffer.from(tbsCertificate(p)).toString('hex'), Buffer.from(reference).toString('hex'));
}

test('the DER writer writes the same TBSCertificate as @peculiar/x509 for roots, subordinates, leaves and CSR-signed certificates', async () => {
  const rootKey = await newKey('EC256');
  const rootParams: IssueParams = { serial: newSerial(), subject: { commonName: 'Root', organization: 'Org, Inc.', country: 'KOR', stateProvince: 'Seoul', locality: 'Jung-gu', organizationUnit: 'PKI' }, publicKey: rootKey.spki, notBefore: new Date(Date.UTC(2025, 0, 1)), notAfter: new Date(Date.UTC(2055, 0, 1)), ca: true, selfKey: { keyType: 'EC256', signingKey: rootKey.privateKey } };
  await same(rootParams, rootKey);
  const rootPem = await issue(rootParams);
  const issuer = { certPem: rootPem, keyType: 'EC256' as const, signingKey: rootKey.privateKey };
  const urls = { crl: 'http://127.0.0.1:9/ext/a-b/crl', ca: 'http://127.0.0.1:9/ext/a-b/ca' };
  const sub = await newKey('RSA2048');
  await same({ serial: newSerial(), subject: { commonName: '중간 CA' }, publicKey: sub.spki, notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 900 * DAY), ca: true, pathLength: 0, issuer, urls }, rootKey);
  const leaf = await newKey('EC521');
  await same({ serial: '80:01:02', subject: { commonName: 'a.test', altName: 'a.test, b.test,ops@a.test', ip: '10.0.0.1,::1,2001:db8::8:800:200c:417a' }, publicKey: leaf.spki, notBefore: new Date(Date.now()), notAfter: new Date(Date.now() + 30 * DAY), ca: false, issuer, urls: { ...urls, ocsp: 'http://ocsp.test/' } }, rootKey);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=csr.test, O=Ünïcode', keys: (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' }, extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'csr.test' }])] });
  await same({ serial: newSerial(), subject: csr.subjectName, publicKey: csr.publicKey, notBefore: new Date(), notAfter: new Date(Date.now() + DAY), ca: false, issuer, urls, sanExtension: csr.getExtension('2.5.29.17')! }, rootKey);
});

test('a street address is written as STREET (2.5.4.9), which @peculiar/x509 could not name', async () => {
  const key = await newKey('EC256');
  const pem = await issue({ serial: newSerial(), subject: { commonName: 's.test', streetAddress: '1 Main St' }, publicKey: key.spki, notBefore: new Date(), notAfter: new Date(Date.now() + DAY), ca: false, selfKey: { keyType: 'EC256', signingKey: key.privateKey } });
  assert.equal(new x509.X509Certificate(pem).subject, '2.5.4.9=1 Main St, CN=s.test');
});

test('an issued certificate verifies under its issuer key (EC and RSA signers)', async () => {
  for (const keyType of ['EC256', 'EC521', 'RSA2048'] as const) {
    const ca = await newKey(keyType);
    const caPem = await issue({ serial: newSerial(), subject: { commonName: `CA ${keyType}` }, publicKey: ca.spki, notBefore: new Date(), notAfter: new Date(Date.now() + DAY), ca: true, selfKey: { keyType, signingKey: ca.privateKey } });
    const leaf = await newKey('EC256');
    const pem = await issue({ serial: newSerial(), subject: { commonName: 'v.test' }, publicKey: leaf.spki, notBefore: new Date(), notAfter: new Date(Date.now() + DAY), ca: false, issuer: { certPem: caPem, keyType, signingKey: ca.privateKey } });
    const caCert = new x509.X509Certificate(caPem);
    assert.ok(await caCert.verify({ signatureOnly: true }), `${keyType} self-signed`);
    assert.ok(await new x509.X509Certificate(pem).verify({ publicKey: caCert.publicKey, signatureOnly: true }), `${keyType} leaf`);
  }
});

test('EC keys written directly are the PKCS#8 and SubjectPublicKeyInfo OpenSSL writes for them', async () => {
  for (const keyType of ['EC256', 'EC521'] as const) {
    for (let i = 0; i < 20; i++) {
      const key = await newKey(keyType);
      const parsed = createPrivateKey(key.pkcs8);
      assert.equal(parsed.export({ type: 'pkcs8', format: 'pem' }), key.pkcs8, `${keyType} PKCS#8`);
      assert.deepEqual(new Uint8Array(createPublicKey(parsed).export({ type: 'spki', format: 'der' })), key.spki, `${keyType} SPKI`);
      assert.equal(key.issuedPem, key.pkcs8);
    }
  }
});
