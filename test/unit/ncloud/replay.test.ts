// Record and replay: every exchange under test/fixtures/ncp/recorded/ goes through the real client
// against a loopback server answering the recording (replay.ts), and the recorder never writes a
// secret.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileRecorder, OPERATIONS, redact, REDACTED, type Exchange } from '../../../src/ncloud';
import { generateCsr } from '../../../src/pki';
import { everyOperation, harness } from './helpers';
import { isRefusal, loadRecordings, replayChecked, replayer, type Replayer } from './replay';

const RECORDED = join(__dirname, '../../../../test/fixtures/ncp/recorded');
const recordings = loadRecordings(RECORDED);

let r: Replayer;
before(async () => {
  r = await replayer();
});
after(async () => {
  await r?.close();
});

test('recordings exist, each names an operation of the client and where it came from', () => {
  assert.ok(recordings.length > 0);
  for (const { file, x } of recordings) {
    assert.ok(x.operation && x.operation in OPERATIONS, `${file}: operation ${String(x.operation)}`);
    assert.ok(['emulator', 'ncp', 'custom endpoint'].includes(x.from), `${file}: from ${x.from}`);
    if (file.startsWith('emulator/')) {
      assert.equal(x.from, 'emulator', `${file} sits under emulator/ but says it came from ${x.from}`);
    }
    if (file.startsWith('ncp-')) {
      assert.equal(x.from, 'ncp', `${file} sits under a folder of NCP's recordings but says it came from ${x.from}`);
    }
  }
});

test('the emulator recordings cover every operation of the client', () => {
  const ops = new Set(recordings.filter((x) => x.file.startsWith('emulator/')).map((x) => x.x.operation));
  assert.deepEqual(Object.keys(OPERATIONS).filter((o) => !ops.has(o)), [], 'rerun record-emulator.js (README.md)');
});

for (const { file, x } of recordings) {
  test(`replay ${file}: the client ${isRefusal(x) ? 'reports the refusal' : 'parses the answer'}`, async () => {
    const got = await replayChecked(r, x);
    if (!got.ok) {
      assert.ok(got.error.message.length > 0);
    }
  });
}

test('replay checks the request too: a client sending something else fails', async () => {
  // The client always asks Certificate Manager for PEM: a recording of another request is not what it sends.
  const x = recordings.find((e) => e.x.operation === 'cmDownload')!.x;
  const changed: Exchange = { ...x, request: { ...x.request, body: { type: 'DER' } } };
  await assert.rejects(r.replay(changed), /the client sent POST .* where the recording has/);
});

test('an answer in an unknown shape replays as a contract error', async () => {
  const x = recordings.find((e) => e.x.operation === 'signCsr' && !isRefusal(e.x))!.x;
  const body = x.response.body as { data: Record<string, unknown> };
  const broken: Exchange = { ...x, response: { ...x.response, body: { ...body, data: { ...body.data, caChain: 42 } } } };
  await assert.rejects(r.replay(broken), { kind: 'contract', message: /Sign End CSR with caChain as the number 42/ });
});

test('redact: private keys in any field or text, secrets by name, account numbers masked with their type', () => {
  const key = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----';
  const got = redact({ privateKey: 'x', note: `before ${key} after`, cut: '-----BEGIN PRIVATE KEY-----\nMIIE', secretKey: 's', memberNo: 1234567, nrn: 'nrn:PUB:PrivateCA::2789001:CA/ab12', list: [{ password: 'p' }], certPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' });
  assert.deepEqual(got, { privateKey: REDACTED, note: `before ${REDACTED} after`, cut: REDACTED, secretKey: REDACTED, memberNo: 0, nrn: 'nrn:PUB:PrivateCA::0000000:CA/ab00', list: [{ password: REDACTED }], certPem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----' });
});

test('recording every operation writes no key, signature or private key, files 0600, and every file replays', async () => {
  const creds = { accessKey: 'AK-record-7f3a', secretKey: 'SK-record-c91e' };
  const out = mkdtempSync(join(tmpdir(), 'ncp-record-'));
  const warnings: string[] = [];
  const h = await harness({ cmIssueDelayMs: 0, credentials: [creds] }, { credentials: creds, record: fileRecorder(join(out, 'rec'), (m) => warnings.push(m)) });
  try {
    const calls = await everyOperation(h.client);
    for (const call of Object.values(calls)) {
      await call();
    }
    // A key the caller sends (Certificate Manager import) is removed from the request as well.
    const csr = await generateCsr({ keyType: 'RSA2048', subject: { commonName: 'rec.test' } });
    const tag = (await h.client.pca.listCas(1)).items[0].caInfo.caTag;
    const signed = await h.client.pca.signCsr(tag, { csrPem: csr.csrPem });
    await h.client.cm.importExternal({ certificateName: 'rec', privateKey: csr.privateKeyPem, publicKeyCertificate: signed.certificate, certificateChain: signed.caChain });
    assert.deepEqual(warnings, []);
    const files = readdirSync(join(out, 'rec'));
    assert.ok(files.length >= Object.keys(OPERATIONS).length + 2, `${files.length} files`);
    for (const f of files) {
      const p = join(out, 'rec', f);
      const text = readFileSync(p, 'utf8');
      assert.equal(statSync(p).mode & 0o777, 0o600, f);
      assert.doesNotMatch(text, /PRIVATE KEY-----/, f);
      assert.doesNotMatch(text, /AK-record-7f3a|SK-record-c91e|x-ncp-apigw-signature|x-ncp-iam-access-key/i, f);
    }
    const recorded = loadRecordings(join(out, 'rec'));
    assert.ok(recorded.some(({ x }) => x.operation === 'issueCert' && (x.response.body as { data: { privateKey: string } }).data.privateKey === REDACTED));
    assert.ok(recorded.some(({ x }) => x.operation === 'cmImport' && (x.request.body as { privateKey: string }).privateKey === REDACTED));
    for (const { file, x } of recorded) {
      assert.equal(x.from, 'emulator', file);
      await assert.doesNotReject(replayChecked(r, x), file);
    }
  } finally {
    await h.close();
    rmSync(out, { recursive: true, force: true });
  }
});

test('a recording that cannot be written is reported once and never fails the call', async () => {
  const out = mkdtempSync(join(tmpdir(), 'ncp-record-'));
  const blocked = join(out, 'file');
  const warnings: string[] = [];
  writeFileSync(blocked, 'not a folder');
  const h = await harness({}, { record: fileRecorder(blocked, (m) => warnings.push(m)) });
  try {
    await h.client.pca.listCas(1);
    await h.client.pca.listCas(1);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /could not record GET \/api\/v1\/ca\?pageNo=1 in .*file/);
  } finally {
    await h.close();
    rmSync(out, { recursive: true, force: true });
  }
});
