// The client against the emulator over real HTTP on loopback: every Private CA and Certificate
// Manager operation, end to end.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { unzipSync, strFromU8 } from 'fflate';
import { generateCsr, inspect, type CertificateInfo, type CrlInfo } from '../../../src/pki';
import { harness, rootAndSub, type Harness } from './helpers';

let h: Harness;
before(async () => {
  h = await harness({ certPageSize: 3, caPageSize: 2, cmIssueDelayMs: 1500 });
});
after(async () => {
  await h?.close();
});

function cert(pem: string): CertificateInfo {
  const d = inspect(pem).decoded[0];
  assert.equal(d.kind, 'certificate');
  return d as CertificateInfo;
}

test('Private CA: create root and sub (#1), list with lazy paging (#2), get (#3), chain (#6)', async () => {
  const { root, sub } = await rootAndSub(h.client, 'A');
  assert.equal(root.caInfo.status, 'ACTIVE');
  assert.match(root.caInfo.caTag, /^[0-9a-f]{8}-[0-9a-f]{8}$/);
  assert.equal(root.caCertInfo!.publicKeyAlgorithm, 'EC');
  assert.match(root.caCertInfo!.serialNo, /^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
  const subCert = cert(sub.caCertInfo!.certPem);
  assert.equal(subCert.issuer, cert(root.caCertInfo!.certPem).subject);
  assert.equal(subCert.isCa, true);
  assert.deepEqual(subCert.crlDistributionPoints, [`${h.emu.url}/ext/${root.caInfo.caTag}/crl`]);
  await rootAndSub(h.client, 'B');
  const page1 = await h.client.pca.listCas(1);
  assert.equal(page1.totalCnt, 4);
  assert.equal(page1.totalPageNo, 2);
  const before = h.emu.counts.get('GET /api/v1/ca') ?? 0;
  const seen: string[] = [];
  for await (const ca of h.client.pca.allCas()) {
    seen.push(ca.caInfo.alias);
    if (seen.length === 1) {
      assert.equal((h.emu.counts.get('GET /api/v1/ca') ?? 0) - before, 1, 'the second page is not fetched before it is needed');
    }
  }
  assert.deepEqual(seen, ['rootA', 'subA', 'rootB', 'subB']);
  assert.equal((await h.client.pca.getCa(sub.caInfo.caTag)).caInfo.alias, 'subA');
  const chain = inspect(await h.client.pca.getChain(sub.caInfo.caTag)).decoded.map((d) => (d as CertificateInfo).subject);
  assert.deepEqual(chain, [subCert.subject, cert(root.caCertInfo!.certPem).subject]);
});

test('issue (#7), list (#8), get (#9), revoke (#10), CRL get/rotate (#12, #13), trim (#21)', async () => {
  const { sub } = await rootAndSub(h.client, 'C');
  const tag = sub.caInfo.caTag;
  const issued = await h.client.pca.issueCert(tag, { keyType: 'EC256', period: '30', x509Parameters: { commonName: 'svc.test', altName: 'svc.test,ops@svc.test', ip: '127.0.0.1,::1' } });
  assert.match(issued.privateKey!, /BEGIN PRIVATE KEY/);
  const leaf = cert(issued.certificate);
  assert.deepEqual(leaf.sans, [{ type: 'dns', value: 'svc.test' }, { type: 'email', value: 'ops@svc.test' }, { type: 'ip', value: '127.0.0.1' }, { type: 'ip', value: '::1' }]);
  assert.deepEqual(leaf.extKeyUsage, ['serverAuth', 'clientAuth']);
  assert.equal(leaf.serialNumber, issued.serialNo.replace(/:/g, ''));
  assert.equal(inspect(issued.privateKey!).decoded[0].kind === 'privateKey' && (inspect(issued.privateKey!).decoded[0] as { publicKey: { id?: string } }).publicKey.id, leaf.publicKey.id);
  for (let i = 0; i < 4; i++) {
    await h.client.pca.issueCert(tag, { x509Parameters: { commonName: `n${i}.test` } });
  }
  const serials: string[] = [];
  for await (const s of h.client.pca.allCerts(tag)) {
    serials.push(s);
  }
  assert.equal(serials.length, 5);
  assert.equal(new Set(serials).size, 5);
  assert.equal((await h.client.pca.listCerts(tag, 2)).items.length, 2);
  const got = await h.client.pca.getCert(tag, issued.serialNo);
  assert.equal(got.commonName, 'svc.test');
  assert.equal(got.certPem, issued.certificate);
  assert.equal((await h.client.pca.getCa(tag)).caInfo.signingCount, 5);

  const crl0 = inspect(await h.client.pca.getCrl(tag)).decoded[0] as CrlInfo;
  assert.deepEqual(crl0.entries, []);
  await h.client.pca.revokeCert(tag, issued.serialNo);
  const crl1 = inspect(await h.client.pca.getCrl(tag)).decoded[0] as CrlInfo;
  assert.deepEqual(crl1.entries.map((e) => e.serialNumber), [leaf.serialNumber]);
  await h.client.pca.rotateCrl(tag);
  const crl2 = inspect(await h.client.pca.getCrl(tag)).decoded[0] as CrlInfo;
  assert.ok(parseInt(crl2.crlNumber!, 16) > parseInt(crl1.crlNumber!, 16), 'rotation issues a new CRL number');
  assert.deepEqual(crl2.entries.map((e) => e.serialNumber), [leaf.serialNumber]);
  await h.client.pca.trim(tag);
  // Not expired yet: trim keeps it listed.
  assert.equal((inspect(await h.client.pca.getCrl(tag)).decoded[0] as CrlInfo).entries.length, 1);
});

test('sign an end CSR (#11): the key never leaves the client', async () => {
  const { sub } = await rootAndSub(h.client, 'D');
  const csr = await generateCsr({ keyType: 'EC256', subject: { commonName: 'local.test' }, dnsNames: ['local.test'] });
  const r = await h.client.pca.signCsr(sub.caInfo.caTag, { csrPem: csr.csrPem, period: '10' });
  assert.equal(r.privateKey, undefined);
  const leaf = cert(r.certificate);
  assert.deepEqual(leaf.sans, [{ type: 'dns', value: 'local.test' }]);
  assert.equal(leaf.publicKey.id, (inspect(csr.privateKeyPem).decoded[0] as { publicKey: { id?: string } }).publicKey.id);
});

test('CRL config (#14, #15), OCSP on/off (#16, #17)', async () => {
  const { sub } = await rootAndSub(h.client, 'E');
  const tag = sub.caInfo.caTag;
  assert.deepEqual(await h.client.pca.getCrlConfig(tag), { expiry: '3' }, 'NCP\'s default renewal cycle is 3 days');
  assert.deepEqual(await h.client.pca.setCrlConfig(tag, 30), { expiry: '30' });
  assert.deepEqual(await h.client.pca.getCrlConfig(tag), { expiry: '30' });
  await h.client.pca.enableOcsp(tag, 'http://ocsp.test/');
  assert.deepEqual((await h.client.pca.getCa(tag)).caInfo.urlInfo.ocsp, ['http://ocsp.test/']);
  const issued = await h.client.pca.issueCert(tag, { x509Parameters: { commonName: 'o.test' } });
  assert.equal(issued.ocspResponder, 'http://ocsp.test/');
  assert.deepEqual(cert(issued.certificate).ocsp, ['http://ocsp.test/']);
  await h.client.pca.disableOcsp(tag);
  assert.deepEqual((await h.client.pca.getCa(tag)).caInfo.urlInfo.ocsp, []);
});

test('externally signed subordinate: PENDING, its CSR (#18), signed by another CA (#19), activated (#20)', async () => {
  const { root } = await rootAndSub(h.client, 'F');
  const pending = await h.client.pca.createCa({ caType: 'PRIVATE_SUB', alias: 'extsub', keyType: 'EC256', period: '365', x509Parameters: { commonName: 'External Sub' } });
  assert.equal(pending.caInfo.status, 'PENDING');
  const csrPem = await h.client.pca.getSubCsr(pending.caInfo.caTag);
  assert.equal(inspect(csrPem).decoded[0].kind, 'csr');
  const signed = await h.client.pca.signSubCsr(root.caInfo.caTag, { csrPem, period: '365' });
  assert.equal(cert(signed.certificate).isCa, true);
  const info = await h.client.pca.activateSub(pending.caInfo.caTag, { certPem: signed.certificate, caChainPem: root.caCertInfo!.certPem });
  assert.equal(info.status, 'ACTIVE');
  const leaf = await h.client.pca.issueCert(pending.caInfo.caTag, { x509Parameters: { commonName: 'x.test' } });
  assert.equal(cert(leaf.certificate).issuer, 'CN=External Sub');
});

test('status (#4): deactivate blocks issuance, DESTROYING cascades with +72 h, delete (#5) only then', async () => {
  const { root, sub } = await rootAndSub(h.client, 'G');
  const off = await h.client.pca.updateCa(sub.caInfo.caTag, { status: 'DEACTIVATED' });
  assert.equal(off.status, 'DEACTIVATED');
  await assert.rejects(h.client.pca.issueCert(sub.caInfo.caTag, { x509Parameters: { commonName: 'x' } }), { kind: 'state', code: 'INVALID_CA_STATUS' });
  await h.client.pca.updateCa(sub.caInfo.caTag, { status: 'ACTIVE' });
  await assert.rejects(h.client.pca.deleteCa(root.caInfo.caTag), { code: 'INVALID_CA_STATUS' });
  const doomed = await h.client.pca.updateCa(root.caInfo.caTag, { status: 'DESTROYING' });
  assert.equal(doomed.status, 'DESTROYING');
  assert.equal(doomed.destroyDate! - doomed.statusUpdateDate!, 72 * 3_600_000);
  const subNow = (await h.client.pca.getCa(sub.caInfo.caTag)).caInfo;
  assert.equal(subNow.status, 'DESTROYING', 'subordinates are destroyed with their issuer');
  await assert.rejects(h.client.pca.updateCa(root.caInfo.caTag, { status: 'ACTIVE' }), { code: 'INVALID_STATUS' });
  await h.client.pca.deleteCa(root.caInfo.caTag);
  await assert.rejects(h.client.pca.getCa(root.caInfo.caTag), { kind: 'notFound', status: 404 });
  await assert.rejects(h.client.pca.getCa(sub.caInfo.caTag), { kind: 'notFound' });
});

test('Certificate Manager: list v2 (paged) and v1, reissue ONGOING → NORMAL, download ZIP, import, delete', async () => {
  const v2 = await h.client.cm.list({ pageSize: 2 });
  assert.equal(v2.totalCount, 3);
  assert.equal(v2.items.length, 2);
  const all = [];
  for await (const c of h.client.cm.all(2)) {
    all.push(c);
  }
  assert.equal(all.length, 3);
  const v1 = await h.client.cm.listV1({ certificateNo: all[0].certificateNo });
  assert.equal(v1.totalRows, 1);
  const no = all[0].certificateNo;
  const csr = await generateCsr({ keyType: 'EC256', subject: { commonName: 'www.example.com' }, dnsNames: ['www.example.com'] });
  await h.client.cm.reissue(no, { csr: csr.csrPem, certificateName: 'www-example', commonName: 'www.example.com', dnsName: ['www.example.com'], validationMethod: 'D' });
  const status = async () => (await h.client.cm.list({ pageSize: 50 })).items.find((c) => c.certificateNo === no)!.statusCode;
  assert.equal(await status(), 0, 'ONGOING right after the request');
  await assert.rejects(h.client.cm.download(no), { code: '1004' });
  for (let i = 0; i < 100 && (await status()) === 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(await status(), 2, 'NORMAL (private key not registered) once validated');
  const zip = unzipSync(await h.client.cm.download(no));
  const pem = strFromU8(zip['www-example.crt.pem']);
  const chain = strFromU8(zip['www-example.chain.pem'] ?? new Uint8Array()) || pem;
  assert.equal(cert(pem).publicKey.id, (inspect(csr.csrPem).decoded[0] as { publicKey: { id?: string } }).publicKey.id);
  const other = await generateCsr({ keyType: 'EC256', subject: { commonName: 'ext.test' } });
  await assert.rejects(h.client.cm.importExternal({ certificateName: 'ext', privateKey: other.privateKeyPem, publicKeyCertificate: pem, certificateChain: chain }), { code: '26040' }, 'a key that is not the certificate\'s is refused');
  const imported = await h.client.cm.importExternal({ certificateName: 'ext', privateKey: csr.privateKeyPem, publicKeyCertificate: pem, certificateChain: chain });
  assert.equal(typeof imported.certificateNo, 'number');
  await h.client.cm.delete(imported.certificateNo!, 'ext');
  await assert.rejects(h.client.cm.delete(imported.certificateNo!, 'ext'), { kind: 'notFound', code: '2200' });
});
