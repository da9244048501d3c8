// Client overhead: signed client calls against plain unsigned node:http keep-alive requests to the
// same local server, A and B alternated in one run. The server answers a fixed envelope so only
// the client differs. For scale; no goal.
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from '../../src/ncloud';
import { compareAsync, inFlight } from './bundle';

async function main(): Promise<void> {
  const body = JSON.stringify({ code: 'SUCCESS', msg: 'Success', data: { totalCnt: 0, totalPageNo: 1, currentPageNo: 1, caInfoList: [] } });
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const agent = new Agent({ keepAlive: true });
  const client = createClient({ target: { endpoint: origin }, credentials: { accessKey: 'AK', secretKey: 'SK' } });
  const plain = () =>
    new Promise<unknown>((resolve, reject) => {
      request(`${origin}/api/v1/ca?pageNo=1`, { agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
      })
        .on('error', reject)
        .end();
    });
  const signed = () => client.pca.listCas(1);
  const n = 1000;
  for (const c of [1, 8]) {
    await compareAsync(`signed client, ${c} in flight`, `unsigned node:http request, ${c} in flight`, () => inFlight(n, c, signed), () => inFlight(n, c, plain), 7, { per: n });
  }
  await client.close();
  agent.destroy();
  server.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
