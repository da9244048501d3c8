// Client overhead: signed client calls vs plain unsigned undici keep-alive requests against the
// same local server, in the same run. The server answers a fixed envelope so only the client differs.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { createClient } from '../../src/ncloud';

async function rate(n: number, concurrency: number, fn: () => Promise<unknown>): Promise<number> {
  let left = n;
  const t = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (left-- > 0) {
      await fn();
    }
  }));
  return (n / (performance.now() - t)) * 1000;
}

async function main(): Promise<void> {
  const body = JSON.stringify({ code: 'SUCCESS', msg: 'Success', data: { totalCnt: 0, totalPageNo: 1, currentPageNo: 1, caInfoList: [] } });
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const client = createClient({ target: { endpoint: origin }, credentials: { accessKey: 'AK', secretKey: 'SK' } });
  const plain = async () => {
    const r = await request(`${origin}/api/v1/ca?pageNo=1`, { dispatcher: agent });
    await r.body.json();
  };
  const signed = () => client.pca.listCas(1);
  const n = 5000;
  for (const c of [1, 8]) {
    await rate(500, c, plain);
    await rate(500, c, signed);
    const rp = await rate(n, c, plain);
    const rs = await rate(n, c, signed);
    console.log(`${c} in flight: unsigned undici ${rp.toFixed(0)} req/s, signed client ${rs.toFixed(0)} req/s, ratio signed/unsigned = ${(rs / rp).toFixed(2)} (client overhead ${(((1 / rs - 1 / rp) * 1e6)).toFixed(0)} µs/request)`);
  }
  await client.close();
  await agent.close();
  server.close();
}

void main();
