// A guard in front of the stdio message reader. vscode-jsonrpc's reader silently stops reading
// when a header announces a length it cannot use (`Content-Length: -5`): every later request goes
// unanswered and the editor waits forever. JSON-RPC cannot answer a frame it cannot delimit (there
// is no id to answer), so the guard ends the process with one clear line on stderr instead, and
// the client restarts the server. Bytes of well-formed frames pass through unchanged.
import { Transform, type TransformCallback } from 'node:stream';

/** Largest header block and body accepted (a 13.6 MB document fits many times over). */
const MAX_HEADER = 8 * 1024;
export const MAX_BODY = 512 * 1024 * 1024;

/** Why a header block cannot be framed, or undefined when it can (with its body length). */
export function frameLength(header: string): { length: number } | { error: string } {
  let length: number | undefined;
  for (const line of header.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) {
      return { error: `header line ${JSON.stringify(line.slice(0, 80))} is not "Name: value"` };
    }
    if (line.slice(0, colon).trim().toLowerCase() === 'content-length') {
      const value = line.slice(colon + 1).trim();
      if (!/^\d{1,10}$/.test(value) || Number(value) > MAX_BODY) {
        return { error: `Content-Length ${JSON.stringify(value.slice(0, 40))} is not a length from 0 to ${MAX_BODY}` };
      }
      length = Number(value);
    }
  }
  return length === undefined ? { error: 'a header block without Content-Length' } : { length };
}

/** Passes LSP frames through; calls `onError` once (and stops passing bytes) on a frame it cannot delimit. */
export class FramingGuard extends Transform {
  private header = '';
  private bodyLeft = 0;
  private failed = false;

  constructor(private readonly onError: (reason: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.failed) {
      done();
      return;
    }
    let i = 0;
    while (i < chunk.length) {
      if (this.bodyLeft > 0) {
        const n = Math.min(this.bodyLeft, chunk.length - i);
        this.bodyLeft -= n;
        i += n;
        continue;
      }
      // Header bytes are ASCII: read up to the blank line that ends them (it may straddle chunks).
      const before = this.header.length;
      const text = this.header + chunk.toString('latin1', i, Math.min(chunk.length, i + MAX_HEADER + 4));
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) {
        if (text.length > MAX_HEADER) {
          return this.fail(`a header block longer than ${MAX_HEADER} bytes`, chunk.subarray(0, i), done);
        }
        this.header = text;
        i = chunk.length;
        break;
      }
      const framed = frameLength(text.slice(0, end).replace(/^(\r\n)+/, ''));
      if ('error' in framed) {
        return this.fail(framed.error, chunk.subarray(0, i), done);
      }
      i += end + 4 - before;
      this.header = '';
      this.bodyLeft = framed.length;
    }
    this.push(chunk);
    done();
  }

  private fail(reason: string, good: Buffer, done: TransformCallback): void {
    this.failed = true;
    if (good.length > 0) {
      this.push(good);
    }
    done();
    this.onError(reason);
  }
}
