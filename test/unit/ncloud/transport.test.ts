// Retries, Retry-After, timeouts and the rule that a POST that creates is never repeated,
// proven by counting requests at the emulator.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, createServer, globalAgent } from 'node:http';
import { Agent as HttpsAgent, createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CREDENTIALS } from '../../../src/emulator';
import { createClient, requestTarget, type RequestLog } from '../../../src/ncloud';
import { harness, type Harness } from './helpers';

let h: Harness;
before(async () => {
  h = await harness();
});
after(async () => {
  await h?.close();
});

const LIST = 'GET /api/v1/ca';
const CREATE = 'POST /api/v1/ca';
const count = (k: string) => h.emu.counts.get(k) ?? 0;

test('a GET is retried on 503 and succeeds', async () => {
  const n = count(LIST);
  h.emu.inject({ match: /^GET \/api\/v1\/ca$/, times: 2, kind: { status: 503 } });
  const logs: RequestLog[] = [];
  const c = createClient({ target: { endpoint: h.emu.url }, credentials: DEFAULT_CREDENTIALS, retry: { baseDelayMs: 5 }, log: (l) => logs.push(l) });
  await c.pca.listCas();
  assert.equal(count(LIST) - n, 3);
  assert.deepEqual(logs.map((l) => [l.status, l.attempt]), [[503, 0], [503, 1], [200, 2]]);
  await c.close();
});

test('Retry-After is honoured', async () => {
  h.emu.inject({ match: /^GET \/api\/v1\/ca$/, times: 1, kind: { status: 429, retryAfter: 1 } });
  const t = performance.now();
  await h.client.pca.listCas();
  assert.ok(performance.now() - t >= 950, `retried after ${performance.now() - t} ms`);
});

test('a dropped connection on a GET is retried', async () => {
  const n = count(LIST);
  h.emu.inject({ match: /^GET \/api\/v1\/ca$/, times: 1, kind: 'drop' });
  await h.client.pca.listCas();
  assert.equal(count(LIST) - n, 2);
});

test('a POST that creates is never repeated: not on 503, not on a dropped connection', async () => {
  for (const kind of [{ status: 503 }, 'drop' as const]) {
    const n = count(CREATE);
    h.emu.inject({ match: /^POST \/api\/v1\/ca$/, times: 1, kind });
    await assert.rejects(h.client.pca.createCa({ caType: 'PRIVATE_ROOT', alias: 'once', keyType: 'EC256', period: '10', x509Parameters: { commonName: 'x' } }));
    assert.equal(count(CREATE) - n, 1, `${JSON.stringify(kind)}: sent once`);
  }
  assert.equal((await h.client.pca.listCas()).totalCnt, 0, 'and nothing was created');
});

test('a stalled GET times out, then the retry succeeds', async () => {
  const n = count(LIST);
  h.emu.inject({ match: /^GET \/api\/v1\/ca$/, times: 1, kind: { stallMs: 1000 } });
  const c = createClient({ target: { endpoint: h.emu.url }, credentials: DEFAULT_CREDENTIALS, timeouts: { headersMs: 200 }, retry: { baseDelayMs: 5 } });
  await c.pca.listCas();
  assert.equal(count(LIST) - n, 2);
  await c.close();
});

test('an abort during backoff stops the retries at once', async () => {
  h.emu.inject({ match: /^GET \/api\/v1\/ca$/, times: 5, kind: { status: 503, retryAfter: 30 } });
  const ac = new AbortController();
  const t = performance.now();
  setTimeout(() => ac.abort(), 100);
  await assert.rejects(h.client.pca.listCas(1, { signal: ac.signal }), { kind: 'cancelled' });
  assert.ok(performance.now() - t < 2000);
  h.emu.clearFaults();
});

test('one keep-alive connection carries every request, through the injected agent, and the global agent is untouched', async () => {
  const agent = new Agent({ keepAlive: true });
  let connections = 0;
  const connect = agent.createConnection.bind(agent);
  agent.createConnection = ((...a: Parameters<typeof connect>) => {
    connections++;
    return connect(...a);
  }) as typeof agent.createConnection;
  const before = Object.keys(globalAgent.sockets).length + Object.keys(globalAgent.freeSockets).length;
  const c = createClient({ target: { endpoint: h.emu.url }, credentials: DEFAULT_CREDENTIALS, agents: { http: agent } });
  await c.pca.listCas();
  await c.cm.list();
  await c.pca.listCas();
  assert.equal(connections, 1, 'three calls, one connection');
  assert.equal(Object.keys(globalAgent.sockets).length + Object.keys(globalAgent.freeSockets).length, before);
  await c.close();
  agent.destroy();
});

test('the transport\'s own agent keeps the connection alive, and close() ends it', async () => {
  const body = JSON.stringify({ code: 'SUCCESS', msg: 'Success', data: { totalCnt: 0, totalPageNo: 1, currentPageNo: 1, caInfoList: [] } });
  const server = createServer((_req, res) => res.end(body));
  let connections = 0;
  let open = 0;
  server.on('connection', (s) => {
    connections++;
    open++;
    s.on('close', () => open--);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const c = createClient({ target: { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }, credentials: DEFAULT_CREDENTIALS });
  await c.pca.listCas();
  await c.pca.listCas();
  await c.pca.listCas();
  assert.equal(connections, 1, 'three calls, one connection');
  await c.close();
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(open, 0, 'closed with the client');
  await new Promise((r) => server.close(r));
});

test('the signed target is exactly the one sent: query encoded once', () => {
  assert.equal(requestTarget('/api/v1/ca', { caType: 'PRIVATE_SUB', issuerTag: 'a-b', skip: undefined }), '/api/v1/ca?caType=PRIVATE_SUB&issuerTag=a-b');
  assert.equal(requestTarget('/api/v2/certificate/certificates', { certificateName: 'a b&c' }), '/api/v2/certificate/certificates?certificateName=a+b%26c');
});

test('close() waits for the calls in progress (retries included), then refuses new ones', async () => {
  // The first attempt stalls, is answered 503 and retried: close() is called meanwhile.
  h.emu.inject({ match: /^GET \/api\/v1\/ca$/, times: 1, kind: { stallMs: 300 } });
  h.emu.inject({ match: /^GET \/api\/v1\/ca$/, times: 1, kind: { status: 503 } });
  const c = createClient({ target: { endpoint: h.emu.url }, credentials: DEFAULT_CREDENTIALS, retry: { baseDelayMs: 50 } });
  const listing = c.pca.listCas();
  await new Promise((r) => setTimeout(r, 50));
  let closed = false;
  const closing = c.close().then(() => (closed = true));
  assert.equal((await listing).totalCnt >= 0, true, 'the call in progress finished');
  await closing;
  assert.ok(closed);
  await assert.rejects(c.pca.listCas(), (e: Error & { kind?: string }) => e.kind === 'closed');
});

test('a body that stops coming times out (bodyMs), the connection is not reused', async () => {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
    res.write('{"code":');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const c = createClient({ target: { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }, credentials: DEFAULT_CREDENTIALS, timeouts: { bodyMs: 200 }, retry: { retries: 0 } });
  await assert.rejects(c.pca.listCas(), (e: Error & { kind?: string; code?: string }) => e.kind === 'timeout' && e.code === 'BODY_TIMEOUT');
  await c.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

test('a body cut short by the server (connection closed mid-body) is a network error, not a hang or a half-read answer', async () => {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
    res.write('{"code":"SUC');
    setTimeout(() => res.socket?.destroy(), 20);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const c = createClient({ target: { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }, credentials: DEFAULT_CREDENTIALS, timeouts: { bodyMs: 10_000 }, retry: { retries: 0 } });
  await assert.rejects(c.pca.listCas(), (e: Error & { kind?: string; code?: string }) => e.kind === 'network' && e.code === 'ECONNRESET');
  await c.close();
  await new Promise((r) => server.close(r));
});

test('an answer larger than maxBodyBytes is refused with RESPONSE_TOO_LARGE, not read into memory', async () => {
  // An endless body: without the bound the client reads until the process runs out of memory.
  let written = 0;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (written < 64 * 1024 * 1024 && res.write(chunk)) {
        written += chunk.length;
      }
      if (written < 64 * 1024 * 1024) {
        res.once('drain', pump);
      } else {
        res.end();
      }
    };
    res.on('close', () => res.removeAllListeners('drain'));
    pump();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const c = createClient({ target: { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }, credentials: DEFAULT_CREDENTIALS, maxBodyBytes: 1024 * 1024, retry: { retries: 0 } });
  await assert.rejects(c.pca.listCas(), (e: Error & { kind?: string; code?: string }) => e.kind === 'contract' && e.code === 'RESPONSE_TOO_LARGE' && /larger than 1048576 bytes/.test(e.message));
  assert.ok(written < 16 * 1024 * 1024, `the server wrote ${written} bytes before the client let go`);
  await c.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

test('https: the server is verified against the agent\'s CAs, and a signed call goes through', async () => {
  const pem = (f: string) => readFileSync(join(__dirname, '../../../../test/fixtures/pki', f), 'utf8');
  let signed = 0;
  const server = createHttpsServer({ key: pem('leaf.key'), cert: pem('leaf.crt') + pem('inter.crt') }, (req, res) => {
    signed += req.headers['x-ncp-apigw-signature-v2'] === undefined ? 0 : 1;
    res.end(JSON.stringify({ code: 'SUCCESS', msg: 'Success', data: { totalCnt: 0, totalPageNo: 1, currentPageNo: 1, caInfoList: [] } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const trusting = new HttpsAgent({ keepAlive: true, ca: pem('root.crt') });
  const c = createClient({ target: { endpoint }, credentials: DEFAULT_CREDENTIALS, agents: { https: trusting } });
  assert.equal((await c.pca.listCas()).totalCnt, 0);
  assert.equal(signed, 1);
  await c.close();
  trusting.destroy();
  // The transport's own agent trusts only the system's CAs: this test root is not one of them.
  const own = createClient({ target: { endpoint }, credentials: DEFAULT_CREDENTIALS, retry: { retries: 0 } });
  await assert.rejects(own.pca.listCas(), (e: Error & { kind?: string }) => e.kind === 'network' && /certificate/i.test(e.message));
  await own.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
