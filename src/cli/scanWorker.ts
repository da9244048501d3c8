// The second thread of `ncloud-pki scan` (dist/cli-scan-worker.js): reads the chunks of paths the
// main thread hands it, unless taken back first (see scanTree in scanTree.ts), and posts what may
// hold blocks back for the main thread to decode. It loads readCandidate and nothing else.
import { workerData, type MessagePort } from 'node:worker_threads';
import { readCandidates } from '../files/walk';

/** States of a chunk's `claim`, shared by both threads. */
export const SENT = 0;
export const TAKEN = 1;
export const TAKEN_BACK = 2;
export const DONE = 3;

/**
 * Paths from the `first`-th file of the walk on, joined by NUL (no path holds one: one string is
 * cheaper to keep and to post than an array of them), and who reads them: `claims[slot]`, SENT … DONE.
 */
export interface Chunk {
  first: number;
  paths: string;
  claims: Int32Array<ArrayBufferLike>;
  slot: number;
}

/** A file or directory that could not be read; `order` is its place in the walk (fileOrder). */
export interface ReadError {
  order: number;
  path: string;
  code: string;
}

/** What the worker read in one chunk: the files that may hold blocks, and the errors. */
export interface ChunkRead {
  found: { order: number; path: string; input: string | Uint8Array }[];
  errors: ReadError[];
}

export interface WorkerData {
  port: MessagePort;
}

/** The place in the walk of its index-th file; a directory's error takes the odd place before the file found next. */
export function fileOrder(index: number): number {
  return 2 * index + 1;
}

/** Reads a chunk, if the main thread has not taken it back, and posts what it found before marking it done. */
function readChunk(port: MessagePort, chunk: Chunk): void {
  if (Atomics.compareExchange(chunk.claims, chunk.slot, SENT, TAKEN) !== SENT) {
    return;
  }
  const read: ChunkRead = { found: [], errors: [] };
  try {
    const paths = chunk.paths.split('\0');
    readCandidates(
      paths,
      (i, input) => read.found.push({ order: fileOrder(chunk.first + i), path: paths[i], input }),
      (i, err) => read.errors.push({ order: fileOrder(chunk.first + i), path: paths[i], code: err.code ?? err.message }),
    );
  } finally {
    port.postMessage(read);
    Atomics.store(chunk.claims, chunk.slot, DONE);
    Atomics.notify(chunk.claims, chunk.slot);
  }
}

if (workerData) {
  const { port } = workerData as WorkerData;
  port.on('message', (chunk: Chunk) => readChunk(port, chunk));
}
