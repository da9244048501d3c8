// Retries, Retry-After, timeouts and the rule that a POST that creates is never repeated,
// proven by counting requests at the emulator.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'undici';
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

test('one injected dispatcher carries every request (keep-alive), and the global one is untouched', async () => {
  let dispatched = 0;
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const counting = agent.compose((dispatch) => (opts, handler) => {
    dispatched++;
    return dispatch(opts, handler);
  });
  const c = createClient({ target: { endpoint: h.emu.url }, credentials: DEFAULT_CREDENTIALS, dispatcher: counting });
  await c.pca.listCas();
  await c.cm.list();
  assert.equal(dispatched, 2);
  await agent.close();
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
