// Every error kind, produced for real: a live emulator, a refused port, injected faults.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DEFAULT_CREDENTIALS } from '../../../src/emulator';
import { createClient, NcpError, type NcpClient } from '../../../src/ncloud';
import { signRequest } from '../../../src/ncloud/signer';
import { harness, rootAndSub, type Harness } from './helpers';

let h: Harness;
let subTag: string;
before(async () => {
  h = await harness();
  subTag = (await rootAndSub(h.client, 'E')).sub.caInfo.caTag;
});
after(async () => {
  await h?.close();
});

function other(opts: Partial<Parameters<typeof createClient>[0]>): NcpClient {
  return createClient({ target: { endpoint: h.emu.url }, credentials: DEFAULT_CREDENTIALS, retry: { retries: 0 }, ...opts });
}

async function errorOf(p: Promise<unknown>): Promise<NcpError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof NcpError, `not an NcpError: ${String(err)}`);
    return err;
  }
  assert.fail('expected a failure');
}

const cases: { name: string; run: () => Promise<unknown>; want: { kind: string; code?: string; status?: number; hint: RegExp } }[] = [
  { name: 'unknown access key → gateway auth', run: () => other({ credentials: { accessKey: 'nobody', secretKey: 'x' } }).pca.listCas(), want: { kind: 'auth', code: '200', status: 401, hint: /access key and secret key/ } },
  { name: 'wrong secret → gateway auth', run: () => other({ credentials: { accessKey: DEFAULT_CREDENTIALS.accessKey, secretKey: 'wrong' } }).pca.listCas(), want: { kind: 'auth', code: '200', status: 401, hint: /access key and secret key/ } },
  { name: 'clock 10 minutes ahead → auth, with the skew', run: () => other({ now: () => Date.now() + 10 * 60_000 }).pca.listCas(), want: { kind: 'auth', code: '200', hint: /clock is 10 minutes ahead of NCP's/ } },
  { name: 'clock 7 minutes behind → auth, with the skew', run: () => other({ now: () => Date.now() - 7 * 60_000 }).pca.listCas(), want: { kind: 'auth', code: '200', hint: /clock is 7 minutes behind NCP's/ } },
  { name: 'unknown CA → not found', run: () => h.client.pca.getCa('00000000-00000000'), want: { kind: 'notFound', code: 'NOT_FOUND', status: 404, hint: /refresh the view/ } },
  { name: 'bad alias → validation', run: () => h.client.pca.createCa({ caType: 'PRIVATE_ROOT', alias: '1bad', keyType: 'EC256', period: '10', x509Parameters: { commonName: 'x' } }), want: { kind: 'validation', code: 'INVALID_INPUT', status: 400, hint: /Correct the input/ } },
  { name: 'child outliving issuer → validation with a next step', run: () => h.client.pca.issueCert(subTag, { period: '3650', x509Parameters: { commonName: 'x' } }), want: { kind: 'validation', code: 'EXCEED_EXPIRY_DATE', hint: /shorter validity/ } },
  { name: 'Certificate Manager not found', run: () => h.client.cm.download(999), want: { kind: 'notFound', code: '2200', hint: /refresh/ } },
];
for (const c of cases) {
  test(`error: ${c.name}`, async () => {
    const e = await errorOf(c.run());
    assert.equal(e.kind, c.want.kind, e.message);
    if (c.want.code) {
      assert.equal(e.code, c.want.code);
    }
    if (c.want.status) {
      assert.equal(e.status, c.want.status);
    }
    assert.match(e.hint, c.want.hint);
  });
}

test('error: the skew is measured from the response Date header', async () => {
  const e = await errorOf(other({ now: () => Date.now() + 10 * 60_000 }).pca.listCas());
  assert.ok(Math.abs(e.skewMs! - 10 * 60_000) < 5_000, `skew ${e.skewMs}`);
});

test('error: a request without the gateway headers gets the gateway body', async () => {
  const r = await request(`${h.emu.url}/api/v1/ca`);
  assert.equal(r.statusCode, 401);
  assert.deepEqual(await r.body.json(), { error: { errorCode: '200', message: 'Authentication Failed', details: 'missing x-ncp-apigw-timestamp, x-ncp-iam-access-key or x-ncp-apigw-signature-v2' } });
});

test('error: a signature over a different query is refused (the query is signed)', async () => {
  const headers = signRequest('GET', '/api/v1/ca?pageNo=1', DEFAULT_CREDENTIALS.accessKey, DEFAULT_CREDENTIALS.secretKey);
  const r = await request(`${h.emu.url}/api/v1/ca?pageNo=2`, { headers: { ...headers } });
  assert.equal(r.statusCode, 401);
  assert.match(JSON.stringify(await r.body.json()), /Invalid authentication information/);
});

test('error: permission (gateway 210)', async () => {
  h.emu.inject({ match: /^GET \/api\/v1\/ca$/, times: 1, kind: { status: 401, body: { error: { errorCode: '210', message: 'Permission Denied' } } } });
  const e = await errorOf(h.client.pca.listCas());
  assert.equal(e.kind, 'permission');
  assert.match(e.hint, /not allowed/);
});

test('error: quota (429) after the retries are spent', async () => {
  h.emu.inject({ match: /^GET \/api\/v1\/ca$/, times: 10, kind: { status: 429, retryAfter: 0 } });
  const e = await errorOf(other({ retry: { retries: 2, baseDelayMs: 1 } }).pca.listCas());
  assert.equal(e.kind, 'quota');
  assert.equal(e.status, 429);
  h.emu.clearFaults();
});

test('error: server (500 envelope)', async () => {
  h.emu.inject({ match: /^GET \/api\/v1\/ca$/, times: 1, kind: { status: 500, body: { code: 'INTERNAL_SERVER_ERROR', msg: 'boom', data: null } } });
  const e = await errorOf(other({}).pca.listCas());
  assert.deepEqual([e.kind, e.code, e.message], ['server', 'INTERNAL_SERVER_ERROR', 'boom']);
});

test('error: network (connection refused)', async () => {
  const port = await new Promise<number>((r) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => r(p));
    });
  });
  const e = await errorOf(createClient({ target: { endpoint: `http://127.0.0.1:${port}` }, credentials: DEFAULT_CREDENTIALS, retry: { retries: 0 } }).pca.listCas());
  assert.equal(e.kind, 'network');
  assert.equal(e.code, 'ECONNREFUSED');
  assert.match(e.hint, /Could not reach NCP/);
});

test('error: timeout (the server stalls past the headers timeout)', async () => {
  h.emu.inject({ match: /^GET \/api\/v1\/ca$/, times: 1, kind: { stallMs: 1500 } });
  const e = await errorOf(other({ timeouts: { headersMs: 300 } }).pca.listCas());
  assert.equal(e.kind, 'timeout');
  assert.equal(e.code, 'HEADERS_TIMEOUT');
});

test('error: cancelled by an AbortSignal', async () => {
  h.emu.inject({ match: /^GET \/api\/v1\/ca$/, times: 1, kind: { stallMs: 1000 } });
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 100);
  const e = await errorOf(h.client.pca.listCas(1, { signal: ac.signal }));
  assert.equal(e.kind, 'cancelled');
});

test('NcpError: instanceof holds for an error from another bundle\'s copy of the class, not for a look-alike', async () => {
  // What esbuild does to the extension: dist/extension.js and dist/backend.js each carry their own NcpError.
  const esbuild = await import('esbuild');
  const built = esbuild.buildSync({ entryPoints: [join(__dirname, '../../../../src/ncloud/errors.ts')], bundle: true, write: false, format: 'cjs', platform: 'node', logLevel: 'silent' });
  const other = { exports: {} as { NcpError: typeof NcpError } };
  new Function('module', 'exports', built.outputFiles[0].text)(other, other.exports);
  assert.notEqual(other.exports.NcpError, NcpError, 'a second copy of the class');
  const foreign = new other.exports.NcpError({ kind: 'auth', message: 'no' });
  assert.ok(foreign instanceof NcpError);
  assert.ok(new NcpError({ kind: 'state', message: 'x' }) instanceof other.exports.NcpError);
  const lookalike = Object.assign(new Error('x'), { name: 'NcpError', kind: 'auth' });
  assert.equal(lookalike instanceof NcpError, false);
  assert.equal((null as unknown) instanceof NcpError, false);
  assert.equal(new Error('x') instanceof NcpError, false);
});

test('error: a request through a closed client is a bug of ours, never "check the network"', async () => {
  const c = other({});
  await c.close();
  const e = await errorOf(c.pca.listCas());
  assert.equal(e.kind, 'closed');
  assert.equal(e.code, 'CLIENT_CLOSED');
  assert.doesNotMatch(e.hint, /Could not reach|check the network/);
  assert.match(e.hint, /bug/);
});
