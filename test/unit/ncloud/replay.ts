// Replays recorded exchanges (src/ncloud/record.ts) through the real client: a loopback HTTP
// server answers each request with the recorded answer, after checking the client sent the
// recorded request (method, path with query, body), and the client's public method for the
// operation parses the answer as it would NCP's.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { createClient, NcpError, OPERATIONS, type CreateCaRequest, type Exchange, type NcpClient, type OperationName } from '../../../src/ncloud';

/** Every recording under `dir` (sub folders too), with its path relative to `dir`. */
export function loadRecordings(dir: string): { file: string; x: Exchange }[] {
  if (!existsSync(dir)) {
    return [];
  }
  const out: { file: string; x: Exchange }[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        walk(p);
      } else if (name.endsWith('.json')) {
        out.push({ file: relative(dir, p), x: JSON.parse(readFileSync(p, 'utf8')) as Exchange });
      }
    }
  };
  walk(dir);
  return out;
}

type Params = Record<string, string>;
type Body = Record<string, unknown>;

/** Each operation through its public client method, with the arguments the recorded request carries. */
const CALLS: Record<OperationName, (c: NcpClient, p: Params, q: URLSearchParams, b: Body) => Promise<unknown>> = {
  createCa: (c, _p, q, b) => c.pca.createCa({ ...(b as unknown as CreateCaRequest), caType: q.get('caType') as 'PRIVATE_ROOT', ...(q.get('issuerTag') ? { issuerTag: q.get('issuerTag')! } : {}), ...(q.get('issuerId') ? { issuerId: Number(q.get('issuerId')) } : {}) }),
  listCas: (c, _p, q) => c.pca.listCas(Number(q.get('pageNo') ?? 1)),
  getCa: (c, p) => c.pca.getCa(p.caTag),
  updateCa: (c, p, _q, b) => c.pca.updateCa(p.caTag, b as never),
  deleteCa: (c, p) => c.pca.deleteCa(p.caTag),
  getChain: (c, p) => c.pca.getChain(p.caTag),
  issueCert: (c, p, _q, b) => c.pca.issueCert(p.caTag, b as never),
  listCerts: (c, p, q) => c.pca.listCerts(p.caTag, Number(q.get('pageNo') ?? 1)),
  getCert: (c, p) => c.pca.getCert(p.caTag, p.serialNo),
  revokeCert: (c, p) => c.pca.revokeCert(p.caTag, p.serialNo),
  signCsr: (c, p, _q, b) => c.pca.signCsr(p.caTag, b as never),
  getCrl: (c, p) => c.pca.getCrl(p.caTag),
  rotateCrl: (c, p) => c.pca.rotateCrl(p.caTag),
  getCrlConfig: (c, p) => c.pca.getCrlConfig(p.caTag),
  setCrlConfig: (c, p, _q, b) => c.pca.setCrlConfig(p.caTag, b.expiry as string),
  enableOcsp: (c, p, _q, b) => c.pca.enableOcsp(p.caTag, b.ocsp_servers as string),
  disableOcsp: (c, p) => c.pca.disableOcsp(p.caTag),
  getSubCsr: (c, p) => c.pca.getSubCsr(p.caTag),
  signSubCsr: (c, p, _q, b) => c.pca.signSubCsr(p.caTag, b as never),
  activateSub: (c, p, _q, b) => c.pca.activateSub(p.caTag, b as never),
  trim: (c, p) => c.pca.trim(p.caTag),
  listCaUsers: (c, p) => c.pca.listUsers(p.caTag),
  addCaUser: (c, p, _q, b) => c.pca.addUser(p.caTag, b.idNo as string),
  deleteCaUser: (c, p) => c.pca.removeUser(p.caTag, p.idNo),
  cmList: (c, _p, q) => c.cm.list({ page: Number(q.get('page') ?? 1), pageSize: Number(q.get('pageSize') ?? 20), ...(q.get('certificateName') ? { certificateName: q.get('certificateName')! } : {}) }),
  cmListV1: (c, _p, q) => c.cm.listV1({ ...(q.get('certificateName') ? { certificateName: q.get('certificateName')! } : {}), ...(q.get('certificateNo') ? { certificateNo: Number(q.get('certificateNo')) } : {}) }),
  cmReissue: (c, p, _q, b) => c.cm.reissue(Number(p.certificateNo), b as never),
  cmDownload: (c, p) => c.cm.download(Number(p.certificateNo)),
  cmImport: (c, _p, _q, b) => c.cm.importExternal(b as never),
  cmDelete: (c, p, q) => c.cm.delete(Number(p.certificateNo), q.get('certificateName') ?? ''),
};

/** The `{name}` parameters of a declared path template, read back from a recorded path. */
function paramsOf(template: string, path: string): Params | undefined {
  const names: string[] = [];
  const re = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, n: string) => (names.push(n), '([^/]+)'))}$`);
  const m = re.exec(path);
  return m ? Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) : undefined;
}

export interface Replayer {
  /** Replays one exchange: resolves with what the client returned, or rejects with its error. */
  replay(x: Exchange): Promise<unknown>;
  close(): Promise<void>;
}

/** A loopback server answering recorded exchanges, and a client pointed at it. */
export async function replayer(): Promise<Replayer> {
  let current: Exchange | undefined;
  let mismatch: string | undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const x = current;
      const text = Buffer.concat(chunks).toString('utf8');
      const sent = text ? (JSON.parse(text) as unknown) : undefined;
      if (!x || req.method !== x.request.method || req.url !== x.request.path || !isDeepStrictEqual(sent, x.request.body)) {
        mismatch = `the client sent ${req.method} ${req.url} ${text} where the recording has ${x?.request.method} ${x?.request.path} ${JSON.stringify(x?.request.body)}`;
        res.writeHead(599).end();
        return;
      }
      const r = x.response;
      const payload = r.body !== undefined ? JSON.stringify(r.body) : (r.text ?? '');
      res.writeHead(r.status, { 'content-type': r.contentType || 'application/octet-stream', date: new Date().toUTCString() }).end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = createClient({ target: { endpoint: url }, credentials: { accessKey: 'REPLAY', secretKey: 'REPLAY' }, retry: { retries: 0 } });
  return {
    async replay(x) {
      const name = x.operation as OperationName;
      const op = OPERATIONS[name];
      if (!op) {
        throw new Error(`the recording names no operation of the client (${String(x.operation)})`);
      }
      const [path, query = ''] = x.request.path.split('?');
      const params = paramsOf(op.path, path);
      if (!params || op.method !== x.request.method) {
        throw new Error(`${x.request.method} ${path} is not ${op.method} ${op.path} (${name})`);
      }
      current = x;
      mismatch = undefined;
      const result = await CALLS[name](client, params, new URLSearchParams(query), (x.request.body ?? {}) as Body).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
      current = undefined;
      if (mismatch) {
        throw new Error(mismatch);
      }
      if ('error' in result) {
        throw result.error;
      }
      return result.value;
    },
    async close() {
      await client.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Whether the recorded answer is a refusal: an HTTP error, a gateway error, or an envelope that does not say success. */
export function isRefusal(x: Exchange): boolean {
  const b = x.response.body as { code?: unknown; returnCode?: unknown; error?: unknown } | undefined;
  return x.response.status >= 400 || (!!b && typeof b === 'object' && (b.error !== undefined || (b.code !== undefined && b.code !== 'SUCCESS') || (b.returnCode !== undefined && String(b.returnCode) !== '0')));
}

/**
 * Replays `x` and says what the client made of it: a success parsed, or a refusal turned into the
 * NcpError a user sees. A contract error, or a refusal the client took for success, throws.
 */
export async function replayChecked(r: Replayer, x: Exchange): Promise<{ ok: true; value: unknown } | { ok: false; error: NcpError }> {
  let value: unknown;
  try {
    value = await r.replay(x);
  } catch (err) {
    if (err instanceof NcpError && err.kind !== 'contract' && isRefusal(x)) {
      return { ok: false, error: err };
    }
    throw err;
  }
  if (isRefusal(x)) {
    throw new Error(`the client took a refusal (HTTP ${x.response.status}) for success`);
  }
  return { ok: true, value };
}
