// Each departure of the emulator from NCP's published contract (issue 11), held over real HTTP:
// the raw answer is checked against the published model, the client against every variant.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { request } from 'undici';
import { unzipSync } from 'fflate';
import { DEFAULT_CREDENTIALS } from '../../../src/emulator';
import { NcpError } from '../../../src/ncloud';
import { signRequest } from '../../../src/ncloud/signer';
import { generateCsr, inspect, type CertificateInfo } from '../../../src/pki';
import { harness, rootAndSub, type Harness } from './helpers';

let h: Harness;
before(async () => {
  h = await harness({ cmIssueDelayMs: 0 });
});
after(async () => {
  await h?.close();
});

/** Signed HTTP with no client in between: what the emulator puts on the wire. */
async function raw(method: string, target: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> & { data: Record<string, unknown> } }> {
  const headers = { ...signRequest(method, target, DEFAULT_CREDENTIALS.accessKey, DEFAULT_CREDENTIALS.secretKey), 'content-type': 'application/json' };
  const r = await request(`${h.emu.url}${target}`, { method: method as 'GET', headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.statusCode, json: (await r.body.json()) as never };
}

function cert(pem: string): CertificateInfo {
  return inspect(pem).decoded[0] as CertificateInfo;
}

const PEM = /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n$/;

test('Sign End CSR and Sign Sub CSR answer caChain as an array of PEM strings; the client gives one PEM per block', async () => {
  const { sub } = await rootAndSub(h.client, 'S1');
  const csr = await generateCsr({ keyType: 'EC256', subject: { commonName: 'sign.test' } });
  const end = await raw('POST', `/api/v1/ca/${sub.caInfo.caTag}/cert/sign`, { csrPem: csr.csrPem });
  assert.ok(Array.isArray(end.json.data.caChain), 'an array on the wire');
  assert.equal((end.json.data.caChain as string[]).length, 2);
  for (const p of end.json.data.caChain as string[]) {
    assert.match(p, PEM);
  }
  const subCsr = await generateCsr({ keyType: 'EC256', subject: { commonName: 'Sub by CSR' } });
  const s = await raw('POST', `/api/v1/ca/${sub.caInfo.caTag}/sub/sign`, { csrPem: subCsr.csrPem, period: '30' });
  assert.ok(Array.isArray(s.json.data.caChain));
  const viaClient = await h.client.pca.signCsr(sub.caInfo.caTag, { csrPem: csr.csrPem });
  assert.equal(inspect(viaClient.caChain).blocks.length, 2);
  assert.doesNotMatch(viaClient.caChain, /-----,|,-----/, 'never comma-joined');
  // Issue End Cert and Get End Cert keep a string, as their models say.
  const issued = await raw('POST', `/api/v1/ca/${sub.caInfo.caTag}/cert`, { x509Parameters: { commonName: 'str.test' } });
  assert.equal(typeof issued.json.data.caChain, 'string');
  const got = await raw('GET', `/api/v1/ca/${sub.caInfo.caTag}/cert/${issued.json.data.serialNo as string}`);
  assert.equal(typeof got.json.data.caChain, 'string');
});

test('the client accepts caChain as a string too (docs/ncp-api.md §3, older answers)', async () => {
  const { sub } = await rootAndSub(h.client, 'S2');
  const chain = await h.client.pca.getChain(sub.caInfo.caTag);
  const csr = await generateCsr({ keyType: 'EC256', subject: { commonName: 'v.test' } });
  const real = await h.client.pca.signCsr(sub.caInfo.caTag, { csrPem: csr.csrPem });
  h.emu.inject({ match: /^POST .*\/cert\/sign$/, times: 1, kind: { status: 200, body: { code: 'SUCCESS', msg: 'Success', data: { certificate: real.certificate, caChain: chain, issuer: real.issuer, ocspResponder: '', serialNo: real.serialNo } } } });
  const r = await h.client.pca.signCsr(sub.caInfo.caTag, { csrPem: csr.csrPem });
  assert.equal(inspect(r.caChain).blocks.length, 2);
});

test('an unknown shape is an NcpError of kind contract naming the operation, the field and what arrived', async () => {
  const { sub } = await rootAndSub(h.client, 'S3');
  h.emu.inject({ match: /^POST .*\/cert\/sign$/, times: 1, kind: { status: 200, body: { code: 'SUCCESS', msg: 'Success', data: { certificate: 'x', caChain: 42, issuer: '', serialNo: 'aa' } } } });
  const csr = await generateCsr({ keyType: 'EC256', subject: { commonName: 'c.test' } });
  await assert.rejects(h.client.pca.signCsr(sub.caInfo.caTag, { csrPem: csr.csrPem }), (e: unknown) => {
    assert.ok(e instanceof NcpError);
    assert.equal(e.kind, 'contract');
    assert.match(e.message, /^NCP answered Sign End CSR with caChain as the number 42/);
    assert.match(e.hint, /nothing was written/);
    return true;
  });
  h.emu.inject({ match: /^GET \/api\/v2\/certificate\/certificates$/, times: 1, kind: { status: 200, body: { returnCode: '0', totalCount: 1, sslCertificateList: [{ certificateNo: 1, certificateName: 'a', statusCode: 'NORMAL' }] } } });
  await assert.rejects(h.client.cm.list(), { kind: 'contract', message: /^NCP answered ListCertificates with sslCertificateList\.0\.statusCode as the string "NORMAL"/ });
});

test('Certificate Manager v2 list: statusCode a string, statusName and the documented fields; v1 in its own shape', async () => {
  const v2 = (await raw('GET', '/api/v2/certificate/certificates?page=1&pageSize=10')).json as unknown as Record<string, unknown> & { sslCertificateList: Record<string, unknown>[] };
  assert.equal(v2.returnCode, '0');
  assert.equal(typeof v2.returnMessage, 'string');
  assert.equal(typeof v2.totalCount, 'number');
  const item = v2.sslCertificateList[0];
  for (const k of ['certificateNo', 'certificateName', 'memberNo', 'commonName', 'dnsName', 'statusCode', 'statusName', 'certificateType', 'domainCode', 'updateDate', 'issueType', 'subjectDN']) {
    assert.ok(k in item, `v2 item has ${k}`);
  }
  assert.equal(item.statusCode, '1');
  assert.equal(item.statusName, 'NORMAL');
  assert.equal((await h.client.cm.list()).items[0].statusCode, 1, 'the client normalizes to a number');
  const v1 = (await raw('GET', '/api/v1/certificates')).json as unknown as Record<string, unknown> & { sslCertificateList: Record<string, unknown>[] };
  assert.equal(typeof v1.totalRows, 'number');
  assert.ok(!('totalCount' in v1));
  for (const k of ['certificateNo', 'certificateType', 'certificateName', 'memberNo', 'dnInfo', 'domainAddress', 'regDate']) {
    assert.ok(k in v1.sslCertificateList[0], `v1 item has ${k}`);
  }
  assert.ok(!('statusName' in v1.sslCertificateList[0]), 'v1 is not v2');
});

test('Certificate Manager reissue: answers {returnCode, returnMessage, totalRows}; certificateName and commonName required', async () => {
  const no = (await h.client.cm.list()).items[0].certificateNo;
  const csr = await generateCsr({ keyType: 'EC256', subject: { commonName: 'www.example.com' } });
  for (const missing of ['certificateName', 'commonName']) {
    const body: Record<string, unknown> = { csr: csr.csrPem, certificateName: 'n', commonName: 'www.example.com', validationMethod: 'D' };
    delete body[missing];
    const r = await raw('POST', `/api/v2/certificate/${no}/reissue`, body);
    assert.notEqual(r.json.returnCode, '0', `${missing} is required`);
  }
  const ok = await raw('POST', `/api/v2/certificate/${no}/reissue`, { csr: csr.csrPem, certificateName: 'n', commonName: 'www.example.com', validationMethod: 'D' });
  assert.deepEqual(Object.keys(ok.json).sort(), ['returnCode', 'returnMessage', 'totalRows']);
});

test('required fields: Create CA period, Update CA status (memo only refused), Activate Sub CA caChainPem', async () => {
  const noPeriod = await raw('POST', '/api/v1/ca?caType=PRIVATE_ROOT', { alias: 'noperiod', keyType: 'EC256', x509Parameters: { commonName: 'x' } });
  assert.deepEqual([noPeriod.status, noPeriod.json.code], [400, 'INVALID_INPUT_PERIOD']);
  const { root } = await rootAndSub(h.client, 'R1');
  const memoOnly = await raw('PUT', `/api/v1/ca/${root.caInfo.caTag}`, { memo: 'just a memo' });
  assert.deepEqual([memoOnly.status, memoOnly.json.code], [400, 'EMPTY_STATUS']);
  const pending = await h.client.pca.createCa({ caType: 'PRIVATE_SUB', alias: 'pendR1', keyType: 'EC256', period: '100', x509Parameters: { commonName: 'Pending R1' } });
  const signed = await h.client.pca.signSubCsr(root.caInfo.caTag, { csrPem: await h.client.pca.getSubCsr(pending.caInfo.caTag), period: '100' });
  const noChain = await raw('POST', `/api/v1/ca/${pending.caInfo.caTag}/activate`, { certPem: signed.certificate });
  assert.deepEqual([noChain.status, noChain.json.code], [400, 'INVALID_INPUT_CA_CHAIN']);
  const info = await h.client.pca.activateSub(pending.caInfo.caTag, { certPem: signed.certificate, caChainPem: signed.caChain });
  assert.equal(info.status, 'ACTIVE');
  assert.equal((await h.client.pca.getCa(pending.caInfo.caTag)).caCertInfo!.serialNo, signed.serialNo, 'the activated CA shows its serial as NCP does');
});

test('Get End Cert: publicKeyAlgorithm is the certificate\'s own key, not its CA\'s', async () => {
  const { root } = await rootAndSub(h.client, 'K1'); // EC256 root
  const rsa = await h.client.pca.issueCert(root.caInfo.caTag, { keyType: 'RSA2048', x509Parameters: { commonName: 'rsa.test' } });
  assert.equal((await h.client.pca.getCert(root.caInfo.caTag, rsa.serialNo)).publicKeyAlgorithm, 'RSA');
  const csr = await generateCsr({ keyType: 'RSA2048', subject: { commonName: 'rsacsr.test' } });
  const signed = await h.client.pca.signCsr(root.caInfo.caTag, { csrPem: csr.csrPem });
  const got = await h.client.pca.getCert(root.caInfo.caTag, signed.serialNo);
  assert.equal(got.publicKeyAlgorithm, 'RSA');
  assert.equal(got.signatureAlgorithm, 'SHA256withECDSA', 'the signature is still the CA\'s');
});

test('CRL config: 3 days by default; PUT answers data {expiry}', async () => {
  const { sub } = await rootAndSub(h.client, 'C1');
  assert.deepEqual((await raw('GET', `/api/v1/ca/${sub.caInfo.caTag}/crl/config`)).json.data, { expiry: '3' });
  assert.deepEqual((await raw('PUT', `/api/v1/ca/${sub.caInfo.caTag}/crl/config`, { expiry: '5' })).json.data, { expiry: '5' });
});

test('issued keys, serials, dates, country as NCP shows them', async () => {
  const root = await h.client.pca.createCa({ caType: 'PRIVATE_ROOT', alias: 'kor1', keyType: 'RSA2048', period: 'MAX', x509Parameters: { commonName: 'Kor Root', country: 'KOR' } });
  assert.equal(root.caCertInfo!.country, 'KOR', 'echoed as given (the Create CA example)');
  assert.match(cert(root.caCertInfo!.certPem).subject, /C=KR/, 'the certificate holds the ISO alpha-2 code');
  for (const d of [root.caCertInfo!.notBeforeDate!, root.caCertInfo!.notAfterDate!]) {
    assert.equal(d % 1000, 0, 'no milliseconds');
  }
  const r = await raw('POST', `/api/v1/ca/${root.caInfo.caTag}/cert`, { keyType: 'RSA2048', x509Parameters: { commonName: 'key.test' } });
  const key = r.json.data.privateKey as string;
  assert.match(key, /^-----BEGIN RSA PRIVATE KEY-----\n/, 'PKCS#1, as the seed\'s example');
  const leaf = new X509Certificate(r.json.data.certificate as string);
  assert.ok(createPublicKey(createPrivateKey(key)).equals(leaf.publicKey), 'the key is the certificate\'s');
  assert.match(r.json.data.serialNo as string, /^([0-9a-f]{2}:){19}[0-9a-f]{2}$/);
  const got = (await raw('GET', `/api/v1/ca/${root.caInfo.caTag}/cert/${r.json.data.serialNo as string}`)).json.data;
  assert.equal((got.notBeforeDate as number) % 1000, 0);
  assert.equal(got.notAfterDate, Date.parse(leaf.validTo));
});

test('OCSP URLs appear in certificates only once configured on the CA', async () => {
  const { root, sub } = await rootAndSub(h.client, 'O1');
  assert.deepEqual(cert(sub.caCertInfo!.certPem).ocsp ?? [], [], 'a subordinate signed before OCSP is configured names none');
  const leaf = await h.client.pca.issueCert(root.caInfo.caTag, { x509Parameters: { commonName: 'noocsp.test' } });
  assert.deepEqual(cert(leaf.certificate).ocsp ?? [], []);
  await h.client.pca.enableOcsp(root.caInfo.caTag, 'http://ocsp.example/');
  const sub2 = await h.client.pca.createCa({ caType: 'PRIVATE_SUB', issuerTag: root.caInfo.caTag, alias: 'subO1b', keyType: 'EC256', period: '100', x509Parameters: { commonName: 'Sub O1b' } });
  assert.deepEqual(cert(sub2.caCertInfo!.certPem).ocsp, ['http://ocsp.example/']);
});

test('Create CA names its issuer by issuerTag (guide) or issuerId (NCP\'s generated client)', async () => {
  const root = await h.client.pca.createCa({ caType: 'PRIVATE_ROOT', alias: 'byid', keyType: 'EC256', period: '3650', x509Parameters: { commonName: 'By Id Root' } });
  const sub = await h.client.pca.createCa({ caType: 'PRIVATE_SUB', issuerId: root.caInfo.caId, alias: 'byidsub', keyType: 'EC256', period: '100', x509Parameters: { commonName: 'By Id Sub' } });
  assert.equal(sub.caInfo.status, 'ACTIVE');
  assert.equal(cert(sub.caCertInfo!.certPem).issuer, 'CN=By Id Root');
  const r = await raw('POST', `/api/v1/ca?caType=PRIVATE_SUB&issuerId=99999999`, { alias: 'nosuchid', keyType: 'EC256', period: '10', x509Parameters: { commonName: 'x' } });
  assert.equal(r.json.code, 'NOT_EXIST_ISSUER_CA');
});

test('CA users: GET, POST, DELETE /ca/{caTag}/users', async () => {
  const { root } = await rootAndSub(h.client, 'U1');
  const tag = root.caInfo.caTag;
  const idNo = '6e4c1234-abcd-4ef0-9876-0123456789ab';
  assert.deepEqual(await h.client.pca.listUsers(tag), []);
  await h.client.pca.addUser(tag, idNo);
  const listed = await raw('GET', `/api/v1/ca/${tag}/users`);
  assert.ok(Array.isArray(listed.json.data), 'data is the array (ListCaUsersResponse)');
  assert.deepEqual((await h.client.pca.listUsers(tag)).map((u) => u.idNo), [idNo]);
  await h.client.pca.removeUser(tag, idNo);
  assert.deepEqual(await h.client.pca.listUsers(tag), []);
  await assert.rejects(h.client.pca.removeUser(tag, idNo), { kind: 'notFound' });
  await assert.rejects(h.client.pca.addUser(tag, 'short'), { code: 'INVAILD_ID_NO' });
});

test('Certificate Manager import takes publicKeyCertificate and certificateChain and answers sslCertificateList; delete needs certificateName', async () => {
  const csr = await generateCsr({ keyType: 'EC256', subject: { commonName: 'import.test' } });
  const { root } = await rootAndSub(h.client, 'I1');
  const signed = await h.client.pca.signCsr(root.caInfo.caTag, { csrPem: csr.csrPem });
  // The field names of the old emulator are refused, as NCP's page lists the fields it requires.
  const old = await raw('POST', '/api/v1/certificate/withExternal', { certificateName: 'imp-old', privateKey: csr.privateKeyPem, certificatePEM: signed.certificate });
  assert.equal(old.status, 400);
  assert.match(String(old.json.returnMessage), /publicKeyCertificate is required/);
  const body = { certificateName: 'imp-new', privateKey: csr.privateKeyPem, publicKeyCertificate: signed.certificate, certificateChain: signed.caChain };
  const made = await raw('POST', '/api/v1/certificate/withExternal', body);
  assert.equal(made.status, 200);
  const list = made.json.sslCertificateList as unknown as { certificateNo: number; certificateName: string }[];
  assert.equal(made.json.totalRows, 1);
  assert.equal(list[0].certificateName, 'imp-new');
  const no = list[0].certificateNo;
  const nameless = await raw('DELETE', `/api/v1/certificate/${no}`);
  assert.equal(nameless.status, 400);
  assert.deepEqual((await raw('DELETE', `/api/v1/certificate/${no}?certificateName=imp-new`)).json, { returnCode: '0', returnMessage: 'success', totalRows: 0 });
  // The client sends the page's fields and reads the number from sslCertificateList.
  const viaClient = await h.client.cm.importExternal({ ...body, certificateName: 'imp-client' });
  assert.equal(typeof viaClient.certificateNo, 'number');
  assert.equal((await h.client.cm.delete(viaClient.certificateNo!, 'imp-client')).returnCode, '0');
});

test('a Certificate Manager name like ../../tmp/x never becomes a path inside the ZIP', async () => {
  const csr = await generateCsr({ keyType: 'EC256', subject: { commonName: 'zip.test' } });
  const { root } = await rootAndSub(h.client, 'Z1');
  const signed = await h.client.pca.signCsr(root.caInfo.caTag, { csrPem: csr.csrPem });
  const imported = await h.client.cm.importExternal({ certificateName: '../../tmp/x', privateKey: csr.privateKeyPem, publicKeyCertificate: signed.certificate, certificateChain: signed.caChain });
  const zip = unzipSync(await h.client.cm.download(imported.certificateNo!));
  const names = Object.keys(zip);
  assert.equal(names.length, 2);
  for (const n of names) {
    assert.doesNotMatch(n, /[/\\]|^\.\./, `${n} is one plain file name`);
  }
});

test('emulator-only clock: the loopback control endpoint moves the PKI clock; signing keeps real time', async () => {
  const before = await request(`${h.emu.url}/_emulator/clock`);
  assert.equal(((await before.body.json()) as { offsetMs: number }).offsetMs, 0);
  const put = await request(`${h.emu.url}/_emulator/clock`, { method: 'PUT', body: JSON.stringify({ offsetMs: -400 * 86_400_000 }), headers: { 'content-type': 'application/json' } });
  assert.equal(put.statusCode, 200);
  await put.body.dump();
  try {
    const root = await h.client.pca.createCa({ caType: 'PRIVATE_ROOT', alias: 'past1', keyType: 'EC256', period: '3650', x509Parameters: { commonName: 'Past' } });
    const leaf = await h.client.pca.issueCert(root.caInfo.caTag, { period: '30', x509Parameters: { commonName: 'expired.test' } });
    assert.ok(Date.parse(cert(leaf.certificate).notAfter) < Date.now(), 'minted already expired');
  } finally {
    const reset = await request(`${h.emu.url}/_emulator/clock`, { method: 'PUT', body: JSON.stringify({ offsetMs: 0 }) });
    await reset.body.dump();
  }
  const bad = await request(`${h.emu.url}/_emulator/clock`, { method: 'PUT', body: '{"offsetMs":"soon"}' });
  assert.equal(bad.statusCode, 400);
  await bad.body.dump();
});
