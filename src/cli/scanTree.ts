// The blocks of a tree for `ncloud-pki scan`, on two threads (the walk and the reading are
// src/files/walk.ts, shared with the language server's inventory). Kept apart from the output code
// (table, JSON, SARIF).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { readCandidate, readCandidates, walkEach } from '../files/walk';
import { findingHref, findingsByBlock, inspect as inspectInput, SCAN_FINDING_CODES, type CertificateInfo, type LintOptions, type PemBlock, type Range } from '../pki';
import { toJson, type BlockJson } from './inspect';
import { DONE, fileOrder, SENT, TAKEN, TAKEN_BACK, type Chunk, type ChunkRead, type ReadError, type WorkerData } from './scanWorker';

/** A finding of `scan` that lint does not make: it is about where a block is, not what it is. */
export const PRIVATE_KEY_FINDING = SCAN_FINDING_CODES[0];

/** A finding as `scan` prints it. */
export interface ScanFinding {
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
  range?: Range;
}

/** One block found by `scan`: what the table, SARIF and the exit code need, and the `inspect --json` object when asked for. */
export interface ScanBlock {
  file: string;
  kind: string;
  label: string;
  encoding: PemBlock['encoding'];
  range: Range;
  findings: ScanFinding[];
  /** Earliest notAfter of the block's certificates (a PKCS#7 bundle has several), if any. */
  expires?: string;
  /** A short name for the table: the subject's CN, the CRL's issuer, the key's algorithm. */
  name: string;
  json?: BlockJson;
}

/** Reads one file; returns its blocks, or nothing when the file holds none. Throws on read errors. */
export function scanFile(path: string, lint: LintOptions, json: boolean): ScanBlock[] {
  const input = readCandidate(path);
  return input === undefined ? [] : scanInput(path, input, lint, json);
}

/** The blocks of one file's candidate content (see readCandidate). */
function scanInput(path: string, input: string | Uint8Array, lint: LintOptions, json: boolean): ScanBlock[] {
  const result = inspectInput(input, lint);
  if (result.blocks.length === 0) {
    return [];
  }
  const byBlock = findingsByBlock(result.findings);
  return result.blocks.map((b, i) => {
    const d = result.decoded[i];
    const own = byBlock.get(i) ?? [];
    const findings: ScanFinding[] = own.map((f) => ({ severity: f.severity, code: f.code, message: f.message, ...(f.range ? { range: f.range } : {}) }));
    // A PKCS#12 keystore holds a private key, normally encrypted (its content is not opened).
    if (b.kind === 'privateKey' || d.kind === 'privateKey' || d.kind === 'pkcs12') {
      const encrypted = d.kind === 'pkcs12' || (d.kind === 'privateKey' && d.encrypted);
      findings.push({
        severity: encrypted ? 'warning' : 'error',
        code: PRIVATE_KEY_FINDING,
        message: encrypted ? 'An encrypted private key is stored in the tree: keep keys in a secret store.' : 'A private key is stored in the tree: anyone who can read it can impersonate its certificate. Move it to a secret store and replace the key.',
      });
    }
    const out: ScanBlock = { file: path, kind: d.kind === 'malformed' ? b.kind : d.kind, label: b.label, encoding: b.encoding, range: b.range, findings, name: b.label };
    const cn = (c: CertificateInfo) => c.subjectAttributes.find((a) => a.type === 'CN')?.value ?? c.subject;
    if (d.kind === 'certificate') {
      out.expires = d.notAfter;
      out.name = cn(d);
    } else if (d.kind === 'pkcs7' && d.certificates.length) {
      const first = d.certificates.reduce((a, c) => (c.notAfter < a.notAfter ? c : a));
      out.expires = first.notAfter;
      out.name = `${cn(first)} (first of ${d.certificates.length} to expire)`;
    } else if (d.kind === 'csr') {
      out.name = d.subjectAttributes.find((a) => a.type === 'CN')?.value ?? d.subject;
    } else if (d.kind === 'crl') {
      out.name = d.issuer;
    } else if (d.kind === 'privateKey' || d.kind === 'publicKey') {
      out.name = `${d.publicKey.algorithm} ${d.kind === 'privateKey' ? 'private' : 'public'} key`;
    } else if (d.kind === 'pkcs12') {
      out.name = 'PKCS#12 keystore';
    }
    if (json) {
      out.json = { ...toJson(path, b, d, own), findings: findings.map(({ range: _r, ...f }) => ({ ...f, href: findingHref(f.code) })) };
    }
    return out;
  });
}

/** Files per chunk: the unit of work the threads share. */
const CHUNK = 128;
/** Chunks per block of claims (one SharedArrayBuffer each). */
const CLAIMS = 1024;

/**
 * The worker: its bundle, and how many files the walk must find before it starts (starting a worker
 * costs 20 ms of CPU and 30 ms before it reads: a smaller tree is read on the main thread alone).
 */
export interface WorkerOptions {
  file: string;
  after: number;
}

/** What scanTree found: blocks (unsorted), read errors in walk order, files read, and how many of them the worker read. */
export interface TreeScan {
  blocks: ScanBlock[];
  errors: ReadError[];
  files: number;
  workerFiles: number;
}

/**
 * Every block under `paths` (directories are walked, files read). Reading 50,000 files is mostly
 * system calls, so once the walk has found more than `worker.after` files the work is shared with a
 * worker thread (`worker.file`, dist/cli-scan-worker.js: readCandidates and nothing else). It starts
 * then and boots while the walk goes on; the files found so far wait for it unread (reading them
 * first left the second core idle until the worker was started). The main thread walks and hands
 * every chunk of paths to the worker, which reads them in order and posts back what may hold
 * blocks; the main thread decodes that (the decoder runs on one thread only: a second would pay again for
 * compiling and warming it up). Once the walk is done, the main thread reads chunks from the other
 * end of the queue, taking back each one the worker has not begun, until the two meet, so it never
 * waits for a worker still starting (or one that failed to). The result does not depend on who
 * read what: the caller sorts the blocks, and errors keep their place in the walk.
 */
export function scanTree(paths: string[], exclude: string[], lint: LintOptions, json: boolean, worker: WorkerOptions = { file: join(__dirname, 'cli-scan-worker.js'), after: 4096 }): TreeScan {
  const blocks: ScanBlock[] = [];
  const errors: ReadError[] = [];
  // What is found waits until the V8 flag below is set: once the worker has started, or when the walk
  // ends without one. Decoded earlier, it would run the decoder with V8's default budget (on 4,000
  // files with 1,200 blocks that cost 48 ms more CPU in optimizing compiles).
  let waiting: [string, string | Uint8Array, number][] | undefined = [];
  const decode = (path: string, input: string | Uint8Array, order: number) => {
    if (waiting) {
      waiting.push([path, input, order]);
      return;
    }
    try {
      for (const b of scanInput(path, input, lint, json)) {
        blocks.push(b);
      }
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      errors.push({ order, path, code: e.code ?? e.message });
    }
  };
  const read = (first: number, paths: string[]) => {
    readCandidates(
      paths,
      (i, input) => decode(paths[i], input, fileOrder(first + i)),
      (i, err) => errors.push({ order: fileOrder(first + i), path: paths[i], code: err.code ?? err.message }),
    );
  };
  const sent: Chunk[] = [];
  let thread: { worker: Worker; port: MessagePort } | undefined;
  const decodeWaiting = () => {
    const found = waiting ?? [];
    waiting = undefined;
    for (const [path, input, order] of found) {
      decode(path, input, order);
    }
  };
  let tuned = false;
  const tune = () => {
    if (!tuned) {
      tuned = true;
      // A scan is one short process that runs the decoder on every block found: V8's optimizing
      // compiler would spend more CPU compiling it than it saves before the process ends (50,000
      // files, 1,500 blocks: 670 → 580 ms CPU); long scans still get there, later. Not before the
      // worker has started: with any V8 flag changed, a thread compiles Node's own modules without
      // their code cache (the worker took 40 ms to start instead of 20).
      setFlagsFromString('--interrupt-budget=1000000');
      decodeWaiting();
    }
  };
  const drain = () => {
    for (let m = receiveMessageOnPort(thread!.port); m; m = receiveMessageOnPort(thread!.port)) {
      tune();
      const r = m.message as ChunkRead;
      for (const f of r.found) {
        decode(f.path, f.input, f.order);
      }
      errors.push(...r.errors);
    }
  };
  let files = 0;
  // Paths found and not yet handed out: until the walk has found more than `worker.after` files, all
  // of them (the tree may be small enough to read on this thread alone); after that, one chunk's worth.
  let pending: string[] = [];
  // The chunks' claims, a block of them at a time.
  let claims: Int32Array<ArrayBufferLike> = new Int32Array(0);
  const post = (first: number, chunkPaths: string[]) => {
    if (sent.length % CLAIMS === 0) {
      claims = new Int32Array(new SharedArrayBuffer(4 * CLAIMS));
    }
    const chunk: Chunk = { first, paths: chunkPaths.join('\0'), claims, slot: sent.length % CLAIMS };
    thread!.port.postMessage(chunk);
    sent.push(chunk);
  };
  const add = (path: string) => {
    files++;
    pending.push(path);
    if (!thread) {
      if (files > worker.after) {
        // The tree is big: the worker starts now, while the walk goes on, and takes what was found.
        thread = start(worker.file);
        for (let i = 0; i < pending.length; i += CHUNK) {
          post(files - pending.length + i, pending.slice(i, i + CHUNK));
        }
        pending = [];
      }
    } else if (pending.length === CHUNK) {
      post(files - CHUNK, pending);
      pending = [];
      drain();
    }
  };
  for (const root of paths) {
    if (statSync(root).isDirectory()) {
      // A directory's error comes before the file the walk finds next.
      walkEach(root, exclude, add, (path, err) => errors.push({ order: fileOrder(files) - 1, path, code: err.code ?? err.message }));
    } else {
      add(root);
    }
  }
  read(files - pending.length, pending);
  if (thread) {
    // The walk is done: what waits is decoded, with the flag if the worker has started meanwhile.
    decodeWaiting();
  } else {
    tune();
  }
  let workerFiles = 0;
  if (thread) {
    // From the last chunk back, until one the worker has taken (it takes them in order).
    for (let i = sent.length - 1; i >= 0 && Atomics.compareExchange(sent[i].claims, sent[i].slot, SENT, TAKEN_BACK) === SENT; i--) {
      read(sent[i].first, sent[i].paths.split('\0'));
      drain();
    }
    for (const chunk of sent) {
      // Until the worker is done with it (it posts what it found first).
      Atomics.wait(chunk.claims, chunk.slot, TAKEN);
      workerFiles += Atomics.load(chunk.claims, chunk.slot) === DONE ? chunk.paths.split('\0').length : 0;
    }
    drain();
    // Stopped now, so it winds down while the output is formatted, not at exit (which waits for it).
    void thread.worker.terminate();
    thread.port.close();
  }
  return { blocks, errors: errors.sort((a, b) => a.order - b.order), files, workerFiles };
}

function start(workerFile: string): { worker: Worker; port: MessagePort } {
  const { port1, port2 } = new MessageChannel();
  // stdout/stderr: true, or Node pipes the worker's into this thread's process.stdout and stderr,
  // which the scan never creates (src/cli/out.ts): with them, `scan | head` died of an unhandled
  // EPIPE when the worker's stdout ended into a pipe already closed (the worker writes nothing).
  const worker = new Worker(workerFile, { workerData: { port: port2 } satisfies WorkerData, transferList: [port2], stdout: true, stderr: true });
  // A worker that fails to start takes no chunk: the main thread takes them all back.
  worker.on('error', () => undefined);
  return { worker, port: port1 };
}
