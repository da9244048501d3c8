// A light load generator for the emulator rows: its own process, a few keep-alive connections,
// one request signed in advance and sent as raw bytes, answers counted by their Content-Length.
// The project's client (undici, per-request signing, JSON parsing and validation) in the bench's
// own process used more CPU than the emulator's issuance, on 2 cores: the row measured the client.
// This costs a few microseconds per request, so the rows measure the emulator.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { signature } from '../../src/ncloud/signer';

/** The argument that makes a bench file run as the load generator (see {@link serveLoad}). */
export const LOAD_GENERATOR = '--load-generator';

interface Job {
  port: number;
  request: string;
  count: number;
  connections: number;
}

export interface LoadResult {
  /** Wall time of the whole run in the generator. */
  ms: number;
  /** CPU time the generator spent on it. */
  cpuMs: number;
  /** Answers other than 200, and the first one's head and body. */
  failed: number;
  firstFailure?: string;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** Sends `count` copies of `request` over `connections` connections, one in flight on each. */
function run(job: Job): Promise<LoadResult> {
  const bytes = Buffer.from(job.request);
  const started = performance.now();
  const cpu = process.cpuUsage();
  let left = job.count;
  let failed = 0;
  let firstFailure: string | undefined;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const socket = connect(job.port, '127.0.0.1');
      socket.setNoDelay(true);
      let buffer: Buffer = Buffer.alloc(0);
      const next = () => {
        if (left-- > 0) {
          socket.write(bytes);
        } else {
          socket.end();
          resolve();
        }
      };
      socket.on('connect', next);
      socket.on('error', reject);
      socket.on('data', (chunk: Buffer) => {
        buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
        for (;;) {
          const end = buffer.indexOf(HEAD_END);
          if (end === -1) {
            return;
          }
          const head = buffer.toString('latin1', 0, end);
          const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? NaN);
          if (!Number.isFinite(length)) {
            reject(new Error(`no Content-Length in ${head}`));
            return;
          }
          if (buffer.length < end + 4 + length) {
            return;
          }
          if (!head.startsWith('HTTP/1.1 200')) {
            failed++;
            firstFailure ??= `${head}\n${buffer.toString('utf8', end + 4, end + 4 + length)}`;
          }
          buffer = buffer.subarray(end + 4 + length);
          next();
        }
      });
    });
  return Promise.all(Array.from({ length: job.connections }, one)).then(() => {
    const used = process.cpuUsage(cpu);
    return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, failed, ...(firstFailure ? { firstFailure } : {}) };
  });
}

/** In the generator process: runs each job the parent sends and answers its result. */
export function serveLoad(): void {
  process.on('message', (job: Job) => {
    run(job).then(
      (r) => process.send!(r),
      (err: unknown) => process.send!({ ms: 0, cpuMs: 0, failed: job.count, firstFailure: String(err) }),
    );
  });
}

/** The generator, started from `script` (a bench file that calls serveLoad() when given LOAD_GENERATOR). */
export class LoadGenerator {
  private readonly child: ChildProcess;

  constructor(script: string) {
    this.child = fork(script, [LOAD_GENERATOR], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  }

  /** POSTs `body` to `path` `count` times, `connections` at a time, signed now with NCP's signature v2. */
  post(url: string, path: string, body: unknown, keys: { accessKey: string; secretKey: string }, count: number, connections: number): Promise<LoadResult> {
    const { hostname, port } = new URL(url);
    const ts = String(Date.now());
    const json = JSON.stringify(body);
    const request = [
      `POST ${path} HTTP/1.1`,
      `host: ${hostname}:${port}`,
      'content-type: application/json',
      `content-length: ${Buffer.byteLength(json)}`,
      `x-ncp-apigw-timestamp: ${ts}`,
      `x-ncp-iam-access-key: ${keys.accessKey}`,
      `x-ncp-apigw-signature-v2: ${signature('POST', path, ts, keys.accessKey, keys.secretKey)}`,
      '',
      json,
    ].join('\r\n');
    return new Promise((resolve, reject) => {
      this.child.once('message', (r: LoadResult) => (r.failed ? reject(new Error(`${r.failed} of ${count} requests failed: ${r.firstFailure}`)) : resolve(r)));
      this.child.send({ port: Number(port), request, count, connections } satisfies Job);
    });
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux). */
export function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  // utime and stime are the 12th and 13th fields after the command name, in clock ticks (100/s).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
