// The emulator's HTTP face: NCP's API Gateway (signature v2, 5-minute window, gateway error
// bodies), then the Private CA and Certificate Manager routes with their envelopes, and the
// public /ext/{caTag}/crl and /ext/{caTag}/ca URLs that issued certificates point at.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { EMULATOR_HEADER } from '../ncloud/vocabulary';
import { signature } from '../ncloud/signer';
import { scanPem } from '../pki';
import type { CmService } from './cmService';
import type { PcaService } from './pcaService';
import { ApiError, CmError, type Service } from './service';

export interface Credentials {
  accessKey: string;
  secretKey: string;
  /** Emulator-only: a key allowed to read only (`read`) or nothing (`none`); NCP's gateway answers 210. */
  permission?: 'read' | 'none';
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

/** One request as the log sees it: never a key, a signature or a body. */
export interface LogLine {
  method: string;
  path: string;
  status: number;
  ms: number;
  /** An unexpected exception's message (the request got a 500). */
  error?: string;
  /** A summary line: this many similar lines were not logged (see {@link LogLimiter}). */
  suppressed?: number;
}

export interface ServerOptions {
  service: Service;
  credentials: () => Credentials[];
  now: () => number;
  log?: (line: LogLine) => void;
  faults: Fault[];
  /** Counts requests per `METHOD path` (tests assert a POST was not repeated); at most MAX_COUNTED keys. */
  counts: Map<string, number>;
  /**
   * Host header values accepted besides loopback names (DNS rebinding defence). Entries are host
   * names or addresses without a port; `*` accepts any.
   */
  allowedHosts: string[];
  /** Emulator-only: the PKI clock behind the loopback-only control endpoint `/_emulator/clock`. */
  clock?: { offsetMs(): number; setOffsetMs(ms: number): void; now(): number };
}

const SKEW_MS = 5 * 60_000;
const MAX_BODY = 1 << 20;
/** Bounds the per-path counters: unauthenticated traffic to random paths cannot grow them. */
export const MAX_COUNTED = 1024;
/** NCP's gateway says the same for an unknown access key and a wrong signature. */
const AUTH_FAILED = 'Invalid authentication information.';
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** True for names and addresses that only reach this machine. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** The host part of a Host header (`name:port`, `[v6]:port`), lower-cased. */
function hostOf(header: string): string {
  const v6 = /^\[([^\]]*)\](?::\d*)?$/.exec(header);
  return (v6 ? v6[1] : header.replace(/:\d*$/, '')).toLowerCase();
}

/**
 * Rate limit for repeated log lines: per `METHOD status` key, at most `burst` error lines per
 * window; the rest are counted and reported by one summary line when the next window opens.
 * Successful requests are always logged.
 */
export class LogLimiter {
  private readonly windows = new Map<string, { start: number; n: number; dropped: number; path: string }>();
  constructor(
    private readonly out: (line: LogLine) => void,
    private readonly now: () => number = () => performance.now(),
    private readonly burst = 20,
    private readonly windowMs = 10_000,
  ) {}

  log(line: LogLine): void {
    if (line.status < 400) {
      this.out(line);
      return;
    }
    const key = `${line.method} ${line.status}`;
    const t = this.now();
    let w = this.windows.get(key);
    if (w && t - w.start >= this.windowMs) {
      if (w.dropped > 0) {
        this.out({ method: line.method, path: w.path, status: line.status, ms: 0, suppressed: w.dropped });
      }
      this.windows.delete(key);
      w = undefined;
    }
    if (!w) {
      // Bounded by the number of methods × statuses (methods outside HTTP's few share one key).
      w = { start: t, n: 0, dropped: 0, path: line.path };
      this.windows.set(this.windows.size < 64 ? key : 'other', w);
    }
    if (++w.n <= this.burst) {
      this.out(line);
    } else {
      w.dropped++;
      w.path = line.path;
    }
  }
}

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
  // An unknown key and a wrong signature look the same from outside: which keys exist is not told.
  const cred = creds.find((c) => c.accessKey === ak);
  const want = Buffer.from(signature(req.method ?? 'GET', req.url ?? '/', ts, ak, cred?.secretKey ?? ''));
  const got = Buffer.from(sig);
  if (!cred || want.length !== got.length || !timingSafeEqual(want, got)) {
    return AUTH_FAILED;
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
function pcaRoutes(s: PcaService): [string, RegExp, Handler][] {
  const T = '([^/]+)';
  return [
    ['POST', /^\/ca$/, (_m, q, b) => s.createCa(q.get('caType'), q.get('issuerTag') ?? q.get('issuerId'), b)],
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
    ['GET', new RegExp(`^/ca/${T}/users$`), (m) => s.listCaUsers(m[1])],
    ['POST', new RegExp(`^/ca/${T}/users$`), (m, _q, b) => s.addCaUser(m[1], b)],
    ['DELETE', new RegExp(`^/ca/${T}/users/${T}$`), (m) => s.deleteCaUser(m[1], decodeURIComponent(m[2]))],
  ];
}

/** Certificate Manager routes, under /api. */
function cmRoutes(s: CmService): [string, RegExp, Handler][] {
  return [
    ['GET', /^\/v2\/certificate\/certificates$/, (_m, q) => s.listCmV2(q)],
    ['GET', /^\/v1\/certificates$/, (_m, q) => s.listCmV1(q)],
    ['POST', /^\/v2\/certificate\/(\d+)\/reissue$/, (m, _q, b) => s.reissueCm(m[1], b)],
    ['POST', /^\/v2\/certificate\/exportCertificate\/([^/]+)$/, (m) => s.exportCm(m[1])],
    ['POST', /^\/v1\/certificate\/withExternal$/, (_m, _q, b) => s.importCm(b)],
    ['DELETE', /^\/v1\/certificate\/([^/]+)$/, (m, q) => s.deleteCm(m[1], q.get('certificateName'))],
  ];
}

/** Creates the HTTP server (not yet listening). */
export function createEmulatorServer(o: ServerOptions): Server {
  const pca = pcaRoutes(o.service.pca);
  const cm = cmRoutes(o.service.cm);
  const limiter = o.log ? new LogLimiter(o.log) : undefined;
  // Every request ends in a response: anything unexpected is a 500 in NCP's envelope and a log
  // line, never an exception that leaves the request hanging or the process exiting.
  const server = createServer((req, res) => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    let path = (req.url ?? '/').slice(0, 200);
    let error: string | undefined;
    res.on('finish', () => limiter?.log({ method, path, status: res.statusCode, ms: Math.round(performance.now() - started), ...(error ? { error } : {}) }));
    const fail = (err: unknown): void => {
      error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      if (res.headersSent) {
        res.destroy();
      } else if (err instanceof URIError) {
        gatewayError(res, 400, '100', 'Bad Request Exception', 'the request path is not valid percent-encoding');
      } else {
        gatewayError(res, 500, '500', 'Internal Server Error', 'the emulator failed on this request; its log says why');
      }
    };
    try {
      const host = req.headers.host;
      if (host !== undefined && !hostAllowed(host)) {
        gatewayError(res, 421, '100', 'Bad Request Exception', `Host ${JSON.stringify(host.slice(0, 100))} is not this emulator's address (DNS rebinding is refused)`);
        return;
      }
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://emulator');
      } catch {
        gatewayError(res, 400, '100', 'Bad Request Exception', 'the request target is not a valid path');
        return;
      }
      path = url.pathname.slice(0, 200);
      const key = `${method} ${url.pathname}`;
      const seen = o.counts.get(key);
      if (seen !== undefined || o.counts.size < MAX_COUNTED) {
        o.counts.set(key, (seen ?? 0) + 1);
      }
      void handle(req, res, url, method, key).catch(fail);
    } catch (err) {
      fail(err);
    }
  });

  function hostAllowed(header: string): boolean {
    const h = hostOf(header);
    // An address literal cannot be rebound: rebinding needs a name the attacker controls.
    return LOOPBACK_NAMES.has(h) || isLoopback(h) || isIP(h) !== 0 || o.allowedHosts.includes('*') || o.allowedHosts.includes(h);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL, method: string, key: string): Promise<void> {
    // The gateway's Date follows the gateway's clock (--gateway-skew): clients measure skew from it.
    res.setHeader('date', new Date(o.now()).toUTCString());
    // Emulator-only: names the answer's source, so a recording (--record) says it came from here.
    res.setHeader(EMULATOR_HEADER, '1');
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
    // Emulator-only, outside NCP's API: move the PKI clock. Loopback peers only.
    if (url.pathname === '/_emulator/clock' && o.clock) {
      if (!isLoopback(req.socket.remoteAddress ?? '')) {
        send(res, 403, { error: 'the clock control answers loopback only' });
        return;
      }
      if (method === 'PUT') {
        const body = await readBody(req);
        const ms = body.json?.offsetMs;
        if (typeof ms !== 'number' || !Number.isFinite(ms)) {
          send(res, 400, { error: 'body must be {"offsetMs": number}' });
          return;
        }
        o.clock.setOffsetMs(ms);
      } else if (method !== 'GET') {
        send(res, 405, { error: 'GET or PUT' });
        return;
      }
      send(res, 200, { offsetMs: o.clock.offsetMs(), now: new Date(o.clock.now()).toISOString() });
      return;
    }
    // Public, unauthenticated: what certificates point at.
    const ext = /^\/ext\/([0-9a-f]{8}-[0-9a-f]{8})\/(crl|ca|ocsp)$/.exec(url.pathname);
    if (ext && method === 'GET') {
      const pem = ext[2] === 'crl' ? o.service.pca.publicCrl(ext[1]) : ext[2] === 'ca' ? o.service.pca.publicCaCert(ext[1]) : undefined;
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
    const permission = o.credentials().find((c) => c.accessKey === req.headers['x-ncp-iam-access-key'])?.permission;
    if (permission === 'none' || (permission === 'read' && method !== 'GET')) {
      gatewayError(res, 401, '210', 'Permission Denied', `this key may not ${method === 'GET' ? 'read' : 'change'} ${url.pathname}`);
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
