// Client overhead: signed client calls against plain unsigned undici keep-alive requests to the
// same local server, A and B alternated in one run. The server answers a fixed envelope so only
// the client differs. For scale; no goal.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
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
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const client = createClient({ target: { endpoint: origin }, credentials: { accessKey: 'AK', secretKey: 'SK' } });
  const plain = async () => {
    const r = await request(`${origin}/api/v1/ca?pageNo=1`, { dispatcher: agent });
    await r.body.json();
  };
  const signed = () => client.pca.listCas(1);
  const n = 1000;
  for (const c of [1, 8]) {
    await compareAsync(`signed client, ${c} in flight`, `unsigned undici request, ${c} in flight`, () => inFlight(n, c, signed), () => inFlight(n, c, plain), 7, { per: n });
  }
  await client.close();
  await agent.close();
  server.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
