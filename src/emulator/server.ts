// The emulator's HTTP face: NCP's API Gateway (signature v2, 5-minute window, gateway error
// bodies), then the Private CA and Certificate Manager routes with their envelopes, and the
// public /ext/{caTag}/crl and /ext/{caTag}/ca URLs that issued certificates point at.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { signature } from '../ncloud/signer';
import { scanPem } from '../pki';
import { ApiError, CmError, type Service } from './service';

export interface Credentials {
  accessKey: string;
  secretKey: string;
}

/** A fault to inject into the next matching requests (tests of retries and timeouts). */
export interface Fault {
  /** Matches `METHOD path` (path without query), e.g. /^GET \/api\/v1\/ca$/. */
  match: RegExp;
  /** How many requests it applies to. */
  times: number;
  /** Answer with this status (a gateway error body unless `body` is given, Retry-After seconds if given), drop the connection, or stall. */
  kind: { status: number; retryAfter?: number; body?: unknown } | 'drop' | { stallMs: number };
}

export interface ServerOptions {
  service: Service;
  credentials: () => Credentials[];
  now: () => number;
  log?: (line: { method: string; path: string; status: number; ms: number }) => void;
  faults: Fault[];
  /** Counts requests per `METHOD path` (tests assert a POST was not repeated). */
  counts: Map<string, number>;
}

const SKEW_MS = 5 * 60_000;
const MAX_BODY = 1 << 20;

function gatewayError(res: ServerResponse, status: number, errorCode: string, message: string, details: string): void {
  send(res, status, { error: { errorCode, message, details } });
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json;charset=UTF-8'): void {
  const data = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(data) });
  res.end(data);
}

/** Checks the three gateway headers; returns an error description or undefined when valid. */
function authenticate(req: IncomingMessage, creds: Credentials[], now: number): string | undefined {
  const ts = req.headers['x-ncp-apigw-timestamp'];
  const ak = req.headers['x-ncp-iam-access-key'];
  const sig = req.headers['x-ncp-apigw-signature-v2'];
  if (typeof ts !== 'string' || typeof ak !== 'string' || typeof sig !== 'string') {
    return 'missing x-ncp-apigw-timestamp, x-ncp-iam-access-key or x-ncp-apigw-signature-v2';
  }
  if (!/^\d{13}$/.test(ts)) {
    return 'x-ncp-apigw-timestamp must be epoch milliseconds';
  }
  if (Math.abs(Number(ts) - now) > SKEW_MS) {
    return 'Invalid timestamp: more than 5 minutes away from the gateway clock';
  }
  const cred = creds.find((c) => c.accessKey === ak);
  if (!cred) {
    return 'Unknown access key';
  }
  const want = Buffer.from(signature(req.method ?? 'GET', req.url ?? '/', ts, ak, cred.secretKey));
  const got = Buffer.from(sig);
  if (want.length !== got.length || !timingSafeEqual(want, got)) {
    return 'Signature mismatch';
  }
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<{ json?: Record<string, unknown>; tooLarge?: boolean; invalid?: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) {
      return { tooLarge: true };
    }
    chunks.push(c as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) {
    return { json: {} };
  }
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? { json: v as Record<string, unknown> } : { invalid: true };
  } catch {
    return { invalid: true };
  }
}

type Handler = (m: RegExpMatchArray, q: URLSearchParams, body: Record<string, unknown>) => unknown;

/** Private CA routes, under /api/v1. */
function pcaRoutes(s: Service): [string, RegExp, Handler][] {
  const T = '([^/]+)';
  return [
    ['POST', /^\/ca$/, (_m, q, b) => s.createCa(q.get('caType'), q.get('issuerTag'), b)],
    ['GET', /^\/ca$/, (_m, q) => s.listCas(q.get('pageNo'))],
    ['GET', new RegExp(`^/ca/${T}$`), (m) => s.getCa(m[1])],
    ['PUT', new RegExp(`^/ca/${T}$`), (m, _q, b) => s.updateCa(m[1], b)],
    ['DELETE', new RegExp(`^/ca/${T}$`), (m) => s.deleteCa(m[1])],
    ['GET', new RegExp(`^/ca/${T}/chain$`), (m) => s.chain(m[1])],
    ['POST', new RegExp(`^/ca/${T}/cert/sign$`), (m, _q, b) => s.signCsr(m[1], b)],
    ['POST', new RegExp(`^/ca/${T}/cert$`), (m, _q, b) => s.issueCert(m[1], b)],
    ['GET', new RegExp(`^/ca/${T}/cert$`), (m, q) => s.listCerts(m[1], q.get('pageNo'))],
    ['GET', new RegExp(`^/ca/${T}/cert/${T}$`), (m) => s.getCert(m[1], decodeURIComponent(m[2]))],
    ['POST', new RegExp(`^/ca/${T}/cert/${T}/revoke$`), (m) => s.revoke(m[1], decodeURIComponent(m[2]))],
    ['GET', new RegExp(`^/ca/${T}/crl$`), (m) => s.crl(m[1])],
    ['POST', new RegExp(`^/ca/${T}/crl/rotate$`), (m) => s.rotateCrl(m[1])],
    ['GET', new RegExp(`^/ca/${T}/crl/config$`), (m) => s.crlConfig(m[1])],
    ['PUT', new RegExp(`^/ca/${T}/crl/config$`), (m, _q, b) => s.setCrlConfig(m[1], b)],
    ['PUT', new RegExp(`^/ca/${T}/urls$`), (m, _q, b) => s.enableOcsp(m[1], b)],
    ['DELETE', new RegExp(`^/ca/${T}/urls$`), (m) => s.disableOcsp(m[1])],
    ['GET', new RegExp(`^/ca/${T}/sub/csr$`), (m) => s.subCsr(m[1])],
    ['POST', new RegExp(`^/ca/${T}/sub/sign$`), (m, _q, b) => s.signSubCsr(m[1], b)],
    ['POST', new RegExp(`^/ca/${T}/activate$`), (m, _q, b) => s.activate(m[1], b)],
    ['POST', new RegExp(`^/ca/${T}/trim$`), (m) => s.trim(m[1])],
  ];
}

/** Certificate Manager routes, under /api. */
function cmRoutes(s: Service): [string, RegExp, Handler][] {
  return [
    ['GET', /^\/v2\/certificate\/certificates$/, (_m, q) => s.listCmV2(q)],
    ['GET', /^\/v1\/certificates$/, (_m, q) => s.listCmV1(q)],
    ['POST', /^\/v2\/certificate\/(\d+)\/reissue$/, (m, _q, b) => s.reissueCm(m[1], b)],
    ['POST', /^\/v2\/certificate\/exportCertificate\/([^/]+)$/, (m) => s.exportCm(m[1])],
    ['POST', /^\/v1\/certificate\/withExternal$/, (_m, _q, b) => s.importCm(b)],
    ['DELETE', /^\/v1\/certificate\/([^/]+)$/, (m) => s.deleteCm(m[1])],
  ];
}

/** Creates the HTTP server (not yet listening). */
export function createEmulatorServer(o: ServerOptions): Server {
  const pca = pcaRoutes(o.service);
  const cm = cmRoutes(o.service);
  const server = createServer((req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    const key = `${method} ${url.pathname}`;
    o.counts.set(key, (o.counts.get(key) ?? 0) + 1);
    res.on('finish', () => o.log?.({ method, path: url.pathname, status: res.statusCode, ms: Math.round(performance.now() - started) }));
    void handle(req, res, url, method, key).catch((err: unknown) => {
      if (!res.headersSent) {
        send(res, 500, { code: 'INTERNAL_SERVER_ERROR', msg: `emulator error: ${(err as Error).message}`, data: null });
      }
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL, method: string, key: string): Promise<void> {
    const fault = o.faults.find((f) => f.times > 0 && f.match.test(key));
    if (fault) {
      fault.times--;
      if (fault.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if ('stallMs' in fault.kind) {
        await new Promise((r) => setTimeout(r, (fault.kind as { stallMs: number }).stallMs));
      } else {
        if (fault.kind.retryAfter !== undefined) {
          res.setHeader('retry-after', String(fault.kind.retryAfter));
        }
        const status = fault.kind.status;
        if (fault.kind.body !== undefined) {
          send(res, status, fault.kind.body);
        } else {
          gatewayError(res, status, status === 429 ? '420' : '500', status === 429 ? 'Rate Limited' : 'Endpoint Error', 'injected fault');
        }
        return;
      }
    }
    // Public, unauthenticated: what certificates point at.
    const ext = /^\/ext\/([0-9a-f]{8}-[0-9a-f]{8})\/(crl|ca|ocsp)$/.exec(url.pathname);
    if (ext && method === 'GET') {
      const pem = ext[2] === 'crl' ? o.service.publicCrl(ext[1]) : ext[2] === 'ca' ? o.service.publicCaCert(ext[1]) : undefined;
      if (ext[2] === 'ocsp') {
        send(res, 501, 'OCSP responses are not emulated', 'text/plain');
      } else if (!pem) {
        send(res, 404, 'not found', 'text/plain');
      } else {
        send(res, 200, scanPem(pem)[0].der!, ext[2] === 'crl' ? 'application/pkix-crl' : 'application/pkix-cert');
      }
      return;
    }
    const authError = authenticate(req, o.credentials(), o.now());
    if (authError) {
      gatewayError(res, 401, '200', 'Authentication Failed', authError);
      return;
    }
    const body = method === 'GET' || method === 'HEAD' ? { json: {} } : await readBody(req);
    if (body.tooLarge) {
      gatewayError(res, 413, '430', 'Request Entity Too Large', `bodies are limited to ${MAX_BODY} bytes`);
      return;
    }
    const isPca = url.pathname === '/api/v1/ca' || url.pathname.startsWith('/api/v1/ca/');
    const routes = isPca ? pca : cm;
    const path = isPca ? url.pathname.slice('/api/v1'.length) : url.pathname.replace(/^\/api/, '');
    let matched: { h: Handler; m: RegExpMatchArray } | undefined;
    let pathExists = false;
    for (const [m, re, h] of routes) {
      const r = re.exec(path);
      if (r) {
        pathExists = true;
        if (m === method) {
          matched = { h, m: r };
          break;
        }
      }
    }
    if (!matched) {
      gatewayError(res, pathExists ? 405 : 404, '300', 'Not Found Exception', `no operation ${method} ${url.pathname}`);
      return;
    }
    if (body.invalid) {
      if (isPca) {
        send(res, 400, { code: 'INVALID_REQUEST', msg: 'the request body is not a JSON object', data: null });
      } else {
        gatewayError(res, 400, '100', 'Bad Request Exception', 'the request body is not a JSON object');
      }
      return;
    }
    try {
      const data = await matched.h(matched.m, url.searchParams, body.json ?? {});
      if (data instanceof Uint8Array) {
        res.writeHead(200, { 'content-type': 'application/zip', 'content-length': data.length, 'content-disposition': 'attachment; filename="certificate.zip"' });
        res.end(data);
      } else if (isPca) {
        send(res, 200, { code: 'SUCCESS', msg: 'Success', data: data ?? null });
      } else {
        send(res, 200, data);
      }
    } catch (err) {
      if (err instanceof ApiError) {
        send(res, err.status, { code: err.code, msg: err.message, data: null });
      } else if (err instanceof CmError) {
        send(res, err.status, { returnCode: err.returnCode, returnMessage: err.message });
      } else {
        throw err;
      }
    }
  }

  return server;
}
