// Output without `process.stdout` / `process.stderr`: creating either loads Node's stream stack
// (about 20 modules, ~2 ms of a 20 ms start), which short commands like `--help` and `inspect`
// do not need. Writes are synchronous and whole, so nothing is pending at exit.
import { writeSync } from 'node:fs';

const streamed = new Set<1 | 2>();

function write(fd: 1 | 2, text: string): void {
  if (streamed.has(fd)) {
    (fd === 1 ? process.stdout : process.stderr).write(text);
    return;
  }
  const buf = Buffer.from(text);
  let off = 0;
  while (off < buf.length) {
    try {
      off += writeSync(fd, buf, off);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') {
        // The reader went away (`| head`): what it did not take is not wanted.
        return;
      }
      if (code !== 'EAGAIN') {
        throw err;
      }
      // A non-blocking descriptor (shared with a parent that set O_NONBLOCK): from here on the
      // stream queues the rest, and every later write goes after it, in order.
      streamed.add(fd);
      (fd === 1 ? process.stdout : process.stderr).write(buf.subarray(off));
      return;
    }
  }
}

/** Writes `text` to standard output. */
export function writeOut(text: string): void {
  write(1, text);
}

/** Writes `text` to standard error. */
export function writeErr(text: string): void {
  write(2, text);
}
