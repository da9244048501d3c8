// Signed HTTP to NCP over node:http / node:https with keep-alive agents owned by the transport
// (never the global agents: they are shared by every extension in the host). Retries only
// idempotent calls, with backoff and Retry-After; connect, headers and body timeouts.
// node:http rather than undici: the same requests, and the CLI's `cert issue` compiles 300 KB less
// and sets up no WebAssembly parser (issue 15: 4.75× → see CHANGELOG and the cli bench).
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { NcpError, kindOfCode, type NcpErrorKind } from './errors';
import { answeredBy, EMULATOR_HEADER, recordedBody, redact, type Recorder } from './record';
import { signRequest } from './signer';

export interface Credentials {
  accessKey: string;
  secretKey: string;
}

/** One line per request attempt for the log. Never keys, signatures or bodies. */
export interface RequestLog {
  method: string;
  path: string;
  status: number | 'error';
  ms: number;
  attempt: number;
  error?: string;
  /** The server's clock from its Date header (epoch ms), when it sent one: clock skew is measured from it. */
  serverDate?: number;
}

export interface RetryPolicy {
  /** Extra attempts after the first (default 3). */
  retries: number;
  /** First backoff in ms, doubled each time, with jitter (default 250). */
  baseDelayMs: number;
  /** Longest wait, also the cap on Retry-After (default 20 s). */
  maxDelayMs: number;
}

export interface TransportOptions {
  credentials: Credentials | (() => Promise<Credentials>);
  /** Injected for tests; by default keep-alive agents owned by the transport (node:https loaded for the first https origin only). */
  agents?: { http?: HttpAgent; https?: HttpsAgent };
  timeouts?: { connectMs?: number; headersMs?: number; bodyMs?: number };
  /** The largest answer read (default 64 MiB): a server that sends more gets RESPONSE_TOO_LARGE, not the host's memory. */
  maxBodyBytes?: number;
  retry?: Partial<RetryPolicy>;
  log?: (line: RequestLog) => void;
  /** Clock, for signatures (tests). */
  now?: () => number;
  /** Receives each request and its answer with every secret removed (`--record`, `ncloudPki.recordTraffic`). */
  record?: Recorder;
}

export interface Call {
  origin: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Full path from the origin, e.g. /api/v1/ca/{tag}/cert. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  signal?: AbortSignal;
  /** Which envelope to expect. */
  api: 'pca' | 'cm' | 'cm-bytes';
  /** Retry on transient failures. Defaults to true for GET/PUT/DELETE, false for POST. */
  idempotent?: boolean;
  /** The client operation (contract.ts), named in recordings. */
  operation?: string;
}

/** NCP's largest answers are Certificate Manager ZIPs of a few KB; this leaves room for any page of a list. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** How long an idle kept-alive connection stays open (NCP's gateway and the emulator keep theirs 5 s). */
const KEEP_ALIVE_MS = 4_000;
const RETRY_STATUS = new Set([429, 502, 503, 504]);
const RETRY_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'CONNECT_TIMEOUT', 'HEADERS_TIMEOUT', 'ETIMEDOUT', 'EAI_AGAIN']);
/** The code of a request sent through a transport that was closed: our bug, not the network. */
const CLOSED = 'CLIENT_CLOSED';

/** A status line and headers, as node:http gives them (lower-case names). */
interface Answer {
  statusCode: number;
  headers: IncomingHttpHeaders;
}

function codedError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

/** Builds the request target once: this exact string is both signed and sent. */
export function requestTarget(path: string, query?: Call['query']): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined) {
      q.append(k, String(v));
    }
  }
  const qs = q.toString();
  return qs ? `${path}?${qs}` : path;
}

export class Transport {
  private readonly agents: { http?: HttpAgent; https?: HttpsAgent };
  private readonly owned: boolean;
  private closed = false;
  private readonly retry: RetryPolicy;
  private readonly timeouts: { connectMs: number; headersMs: number; bodyMs: number };
  /** Calls in progress (retries and backoff included), and who waits for them to end. */
  private inFlight = 0;
  private readonly idle: (() => void)[] = [];

  constructor(private readonly o: TransportOptions) {
    this.timeouts = { connectMs: o.timeouts?.connectMs ?? 10_000, headersMs: o.timeouts?.headersMs ?? 30_000, bodyMs: o.timeouts?.bodyMs ?? 30_000 };
    this.owned = !o.agents;
    this.agents = { ...o.agents };
    this.retry = { retries: o.retry?.retries ?? 3, baseDelayMs: o.retry?.baseDelayMs ?? 250, maxDelayMs: o.retry?.maxDelayMs ?? 20_000 };
  }

  private async credentials(): Promise<Credentials> {
    return typeof this.o.credentials === 'function' ? this.o.credentials() : this.o.credentials;
  }

  /** Sends a call and returns the envelope's payload (`data` for Private CA, the body for CM). */
  async send<T>(call: Call): Promise<T> {
    this.inFlight++;
    try {
      return await this.attempts<T>(call);
    } finally {
      if (--this.inFlight === 0) {
        for (const wake of this.idle.splice(0)) {
          wake();
        }
      }
    }
  }

  private async attempts<T>(call: Call): Promise<T> {
    const target = requestTarget(call.path, call.query);
    const idempotent = call.idempotent ?? call.method !== 'POST';
    const max = idempotent ? this.retry.retries : 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once<T>(call, target, attempt);
      } catch (err) {
        const e = err as NcpError & { retryAfterMs?: number; retryable?: boolean };
        if (attempt >= max || !e.retryable || call.signal?.aborted) {
          throw err;
        }
        const backoff = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** attempt * (0.75 + Math.random() * 0.5));
        await sleep(e.retryAfterMs !== undefined ? Math.min(e.retryAfterMs, this.retry.maxDelayMs) : backoff, call.signal);
      }
    }
  }

  private async once<T>(call: Call, target: string, attempt: number): Promise<T> {
    if (call.signal?.aborted) {
      throw new NcpError({ kind: 'cancelled', message: 'Cancelled', method: call.method, path: call.path });
    }
    const creds = await this.credentials();
    const started = performance.now();
    const now = (this.o.now ?? Date.now)();
    const headers: Record<string, string> = {
      ...signRequest(call.method, target, creds.accessKey, creds.secretKey, now),
      'content-type': 'application/json',
      accept: call.api === 'cm-bytes' ? 'application/zip, application/octet-stream, application/json' : 'application/json',
    };
    const body = call.body === undefined ? (call.method === 'POST' || call.method === 'PUT' ? '{}' : undefined) : JSON.stringify(call.body);
    const base = { method: call.method, path: call.path };
    let res: Answer;
    let bytes: Uint8Array;
    try {
      ({ res, bytes } = await this.exchange(call, target, headers, body));
    } catch (err) {
      this.log(call, 'error', started, attempt, (err as { code?: string }).code ?? (err as Error).name);
      throw this.transportError(err, call);
    }
    const date = Date.parse(String(res.headers.date ?? ''));
    this.log(call, res.statusCode, started, attempt, undefined, Number.isNaN(date) ? undefined : date);
    const type = String(res.headers['content-type'] ?? '');
    if (this.o.record) {
      this.o.record({
        ...(call.operation ? { operation: call.operation } : {}),
        from: answeredBy(call.origin, res.headers[EMULATOR_HEADER] !== undefined),
        recordedAt: new Date().toISOString(),
        request: { method: call.method, path: target, ...(body !== undefined ? { body: redact(JSON.parse(body)) } : {}) },
        response: { status: res.statusCode, contentType: type, ...recordedBody(type, bytes) },
      });
    }
    const text = (): string => new TextDecoder().decode(bytes);
    const json = (): Record<string, unknown> | undefined => {
      try {
        const v = JSON.parse(text()) as unknown;
        return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
      } catch {
        return undefined;
      }
    };
    if (res.statusCode >= 200 && res.statusCode < 300 && call.api === 'cm-bytes' && !type.includes('json')) {
      return bytes as T;
    }
    const j = json();
    const gateway = j?.error as { errorCode?: string; message?: string; details?: string } | undefined;
    if (gateway && typeof gateway === 'object') {
      throw this.gatewayError(res, gateway, call);
    }
    if (res.statusCode >= 200 && res.statusCode < 300) {
      if (call.api === 'pca') {
        if (!j || j.code !== 'SUCCESS') {
          throw this.serviceError(res.statusCode, String(j?.code ?? 'INVALID_RESPONSE'), String(j?.msg ?? 'NCP answered without a SUCCESS envelope'), call);
        }
        return j.data as T;
      }
      if (!j) {
        throw new NcpError({ ...base, kind: 'server', status: res.statusCode, message: 'NCP answered with something that is not JSON' });
      }
      if (j.returnCode !== undefined && String(j.returnCode) !== '0') {
        throw this.cmError(res.statusCode, String(j.returnCode), String(j.returnMessage ?? ''), call);
      }
      return j as T;
    }
    if (call.api === 'pca' && j?.code) {
      throw this.serviceError(res.statusCode, String(j.code), String(j.msg ?? ''), call, res);
    }
    if (j?.returnCode !== undefined) {
      throw this.cmError(res.statusCode, String(j.returnCode), String(j.returnMessage ?? ''), call);
    }
    const err = new NcpError({ ...base, kind: res.statusCode >= 500 ? 'server' : res.statusCode === 429 ? 'quota' : res.statusCode === 404 ? 'notFound' : 'validation', status: res.statusCode, message: `${call.method} ${call.path} answered HTTP ${res.statusCode}` });
    throw retryable(err, res);
  }

  /** The agent for an origin's protocol, made on first use (node:https, and so node:tls, only for https). */
  private agentFor(https: boolean): HttpAgent {
    if (https) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      this.agents.https ??= new (require('node:https') as typeof import('node:https')).Agent({ keepAlive: true, timeout: KEEP_ALIVE_MS });
      return this.agents.https;
    }
    this.agents.http ??= new HttpAgent({ keepAlive: true, timeout: KEEP_ALIVE_MS });
    return this.agents.http;
  }

  /**
   * One HTTP exchange: the status, headers and whole body. Fails with a `code`: node's (ECONNREFUSED,
   * ECONNRESET…), CONNECT_TIMEOUT (no connection in connectMs), HEADERS_TIMEOUT (no answer headersMs
   * after the request was sent), BODY_TIMEOUT (bodyMs without a byte of the body), RESPONSE_TOO_LARGE
   * (more than maxBodyBytes) or CLIENT_CLOSED.
   */
  private exchange(call: Call, target: string, headers: Record<string, string>, body: string | undefined): Promise<{ res: Answer; bytes: Uint8Array }> {
    if (this.closed) {
      return Promise.reject(codedError(CLOSED, 'the client is closed'));
    }
    const url = new URL(call.origin);
    const https = url.protocol === 'https:';
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const send = https ? (require('node:https') as typeof import('node:https')).request : httpRequest;
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const arm = (ms: number, code: string, what: string) => {
        clearTimeout(timer);
        timer = setTimeout(() => req.destroy(codedError(code, `${what} within ${ms} ms`)), ms);
      };
      const fail = (err: Error) => {
        clearTimeout(timer);
        reject(err);
      };
      const req = send(
        {
          protocol: url.protocol,
          hostname: url.hostname.replace(/^\[|\]$/g, ''),
          port: url.port,
          path: target,
          method: call.method,
          headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          agent: this.agentFor(https),
          signal: call.signal,
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          const max = this.o.maxBodyBytes ?? MAX_BODY_BYTES;
          let size = 0;
          arm(this.timeouts.bodyMs, 'BODY_TIMEOUT', 'no body');
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > max) {
              // The connection cannot be reused mid-body: destroyed, with what was read let go.
              chunks.length = 0;
              req.destroy(codedError('RESPONSE_TOO_LARGE', `the answer is larger than ${max} bytes`));
              return;
            }
            chunks.push(c);
            arm(this.timeouts.bodyMs, 'BODY_TIMEOUT', 'no more of the body');
          });
          res.on('error', fail);
          res.on('aborted', () => fail(codedError('ECONNRESET', 'the connection closed in the middle of the body')));
          res.on('end', () => {
            clearTimeout(timer);
            const b = Buffer.concat(chunks);
            resolve({ res: { statusCode: res.statusCode ?? 0, headers: res.headers }, bytes: new Uint8Array(b.buffer, b.byteOffset, b.byteLength) });
          });
        },
      );
      req.on('error', fail);
      req.on('socket', (socket) => {
        if (socket.connecting) {
          arm(this.timeouts.connectMs, 'CONNECT_TIMEOUT', 'no connection');
          socket.once('connect', () => arm(this.timeouts.headersMs, 'HEADERS_TIMEOUT', 'no answer'));
        } else {
          arm(this.timeouts.headersMs, 'HEADERS_TIMEOUT', 'no answer');
        }
      });
      req.end(body);
    });
  }

  private log(call: Call, status: number | 'error', started: number, attempt: number, error?: string, serverDate?: number): void {
    this.o.log?.({ method: call.method, path: call.path, status, ms: Math.round(performance.now() - started), attempt, ...(error ? { error } : {}), ...(serverDate !== undefined ? { serverDate } : {}) });
  }

  private transportError(err: unknown, call: Call): NcpError {
    const code = (err as { code?: string }).code ?? (err as Error).name;
    const base = { method: call.method, path: call.path, code, cause: err };
    if (call.signal?.aborted || (err as Error).name === 'AbortError') {
      return new NcpError({ ...base, kind: 'cancelled', message: 'Cancelled' });
    }
    if (code === CLOSED) {
      return new NcpError({ ...base, kind: 'closed', message: `${call.method} ${call.path} was sent through a closed client (${code})` });
    }
    if (code === 'RESPONSE_TOO_LARGE') {
      // The endpoint was reached: the answer is not one NCP gives (its hint is not "check the network").
      return new NcpError({ ...base, kind: 'contract', message: `${call.method} ${call.path}: ${(err as Error).message} (${code})` });
    }
    const timeout = /TIMEOUT/.test(code);
    const e = new NcpError({ ...base, kind: timeout ? 'timeout' : 'network', message: timeout ? `${call.method} ${call.path} timed out (${code})` : `${call.method} ${call.path} failed: ${(err as Error).message} (${code})` });
    return Object.assign(e, { retryable: RETRY_CODES.has(code) });
  }

  private gatewayError(res: Answer, g: { errorCode?: string; message?: string; details?: string }, call: Call): NcpError {
    const code = String(g.errorCode ?? '');
    const kinds: Record<string, NcpErrorKind> = { '100': 'validation', '200': 'auth', '210': 'permission', '300': 'notFound', '400': 'quota', '410': 'quota', '420': 'quota', '430': 'validation', '500': 'server' };
    let skewMs: number | undefined;
    if (code === '200') {
      const date = Date.parse(String(res.headers.date ?? ''));
      if (!Number.isNaN(date)) {
        const skew = (this.o.now ?? Date.now)() - date;
        // The Date header has one-second resolution; beyond the 5-minute window, skew is the cause.
        if (Math.abs(skew) > 5 * 60_000 - 2_000 || /timestamp/i.test(String(g.details ?? ''))) {
          skewMs = skew;
        }
      }
    }
    const message = `${g.message ?? 'Gateway error'}${g.details ? `: ${g.details}` : ''}`;
    const e = new NcpError({ kind: kinds[code] ?? (res.statusCode >= 500 ? 'server' : 'validation'), code, status: res.statusCode, message, method: call.method, path: call.path, ...(skewMs !== undefined ? { skewMs } : {}) });
    return retryable(e, res);
  }

  private serviceError(status: number, code: string, msg: string, call: Call, res?: Answer): NcpError {
    const e = new NcpError({ kind: kindOfCode(code, status), code, status, message: msg || code, method: call.method, path: call.path });
    return res ? retryable(e, res) : e;
  }

  private cmError(status: number, code: string, msg: string, call: Call): NcpError {
    const kinds: Record<string, NcpErrorKind> = { '2200': 'notFound', '1002': 'validation', '1004': 'state', '2201': 'validation', '26034': 'validation', '26040': 'validation' };
    return new NcpError({ kind: kinds[code] ?? (status >= 500 ? 'server' : 'validation'), code, status, message: msg || `Certificate Manager error ${code}`, method: call.method, path: call.path });
  }

  /** Closes the connection pool if the transport made it, once the calls in progress have ended. */
  async close(): Promise<void> {
    while (this.inFlight > 0) {
      await new Promise<void>((r) => this.idle.push(r));
    }
    this.closed = true;
    if (this.owned) {
      this.agents.http?.destroy();
      this.agents.https?.destroy();
    }
  }
}

function retryable(e: NcpError, res: Answer): NcpError {
  if (!RETRY_STATUS.has(res.statusCode)) {
    return e;
  }
  const ra = String(res.headers['retry-after'] ?? '');
  let retryAfterMs: number | undefined;
  if (/^\d+$/.test(ra)) {
    retryAfterMs = Number(ra) * 1000;
  } else if (ra) {
    const t = Date.parse(ra);
    if (!Number.isNaN(t)) {
      retryAfterMs = Math.max(0, t - Date.now());
    }
  }
  return Object.assign(e, { retryable: true, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new NcpError({ kind: 'cancelled', message: 'Cancelled' }));
      return;
    }
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new NcpError({ kind: 'cancelled', message: 'Cancelled' }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
