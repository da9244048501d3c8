// An open document's text, kept in chunks of a few thousand characters: an edit rebuilds the
// chunk or two it touches, never the whole text (a 13.6 MB bundle kept as one string left one
// 13.6 MB copy behind per keystroke). Lines and positions count as LSP's TextDocument counts them:
// UTF-16 code units, `\n`, `\r\n` and `\r` each end a line, and a position past a line's end, or
// inside its line break, is taken to be at that end.
import type { Position } from '../../pki/types';

/** Chunks are cut at about this many code units. */
const MAX = 16 * 1024;
/** An edited chunk shorter than this is merged with a neighbour. */
const MIN = MAX / 4;
const CR = 13;
const LF = 10;

/** Offsets in `s` just after each line break (a CRLF is one). */
function lineEnds(s: string): Uint32Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === LF) {
      out.push(i + 1);
    } else if (c === CR) {
      if (s.charCodeAt(i + 1) === LF) {
        i++;
      }
      out.push(i + 1);
    }
  }
  return Uint32Array.from(out);
}

/** Cuts `s` into pieces of at most about MAX, never between the CR and the LF of a CRLF. */
function cut(s: string): string[] {
  if (s.length <= MAX) {
    return [s];
  }
  const size = Math.ceil(s.length / Math.ceil(s.length / MAX));
  const out: string[] = [];
  let from = 0;
  while (from < s.length) {
    let to = Math.min(from + size, s.length);
    if (s.charCodeAt(to - 1) === CR && s.charCodeAt(to) === LF) {
      to++;
    }
    out.push(s.slice(from, to));
    from = to;
  }
  return out;
}

export class ChunkedText {
  private chunks: string[] = [];
  /** Per chunk: offsets in it just after each line break. */
  private ends: Uint32Array[] = [];
  /** Per chunk: its offset in the text. */
  private starts: number[] = [];
  /** Per chunk: how many line breaks come before it. */
  private firstLine: number[] = [];
  private total = 0;
  private breaks = 0;

  constructor(text: string) {
    this.set(text);
  }

  get length(): number {
    return this.total;
  }

  get lineCount(): number {
    return this.breaks + 1;
  }

  /** Replaces the whole text. */
  set(text: string): void {
    this.chunks = cut(text);
    this.ends = this.chunks.map(lineEnds);
    this.reindex(0);
  }

  /** Replaces the text in [start, end) by `text`. */
  replace(start: number, end: number, text: string): void {
    const n = this.chunks.length;
    let i = this.chunkAt(start);
    let j = this.chunkAt(end);
    let merged = this.chunks[i].slice(0, start - this.starts[i]) + text + this.chunks[j].slice(end - this.starts[j]);
    // A short piece joins a neighbour, so chunks do not crumble under many small edits.
    if (merged.length < MIN && j - i + 1 < n) {
      if (j + 1 < n) {
        merged += this.chunks[++j];
      } else {
        merged = this.chunks[--i] + merged;
      }
    }
    // A CRLF never straddles two chunks (each chunk's line breaks are its own).
    if (i > 0 && merged.charCodeAt(0) === LF && this.chunks[i - 1].charCodeAt(this.chunks[i - 1].length - 1) === CR) {
      merged = this.chunks[--i] + merged;
    }
    if (j + 1 < n && merged.charCodeAt(merged.length - 1) === CR && this.chunks[j + 1].charCodeAt(0) === LF) {
      merged += this.chunks[++j];
    }
    const pieces = cut(merged);
    this.chunks.splice(i, j - i + 1, ...pieces);
    this.ends.splice(i, j - i + 1, ...pieces.map(lineEnds));
    this.reindex(i);
  }

  /** Recomputes chunk offsets and first lines from chunk `from` on. */
  private reindex(from: number): void {
    const n = this.chunks.length;
    this.starts.length = n;
    this.firstLine.length = n;
    let offset = from > 0 ? this.starts[from - 1] + this.chunks[from - 1].length : 0;
    let line = from > 0 ? this.firstLine[from - 1] + this.ends[from - 1].length : 0;
    for (let k = from; k < n; k++) {
      this.starts[k] = offset;
      this.firstLine[k] = line;
      offset += this.chunks[k].length;
      line += this.ends[k].length;
    }
    this.total = offset;
    this.breaks = line;
  }

  /** The chunk holding `offset` (the last chunk for the text's end). */
  private chunkAt(offset: number): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  charCodeAt(offset: number): number {
    if (offset < 0 || offset >= this.total) {
      return NaN;
    }
    const k = this.chunkAt(offset);
    return this.chunks[k].charCodeAt(offset - this.starts[k]);
  }

  /** The text in [from, to), clamped to the text. */
  slice(from = 0, to = this.total): string {
    from = Math.max(0, Math.min(from, this.total));
    to = Math.max(from, Math.min(to, this.total));
    if (from === 0 && to === this.total) {
      return this.chunks.join('');
    }
    let k = this.chunkAt(from);
    let out = '';
    while (k < this.chunks.length && this.starts[k] < to) {
      out += this.chunks[k].slice(Math.max(0, from - this.starts[k]), to - this.starts[k]);
      k++;
    }
    return out;
  }

  getText(): string {
    return this.slice();
  }

  /** The offset where line `line` (0 ≤ line < lineCount) starts. */
  private lineStart(line: number): number {
    if (line <= 0) {
      return 0;
    }
    // The chunk holding the line break that ends line - 1: the last chunk with fewer breaks before it.
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.firstLine[mid] < line) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return this.starts[lo] + this.ends[lo][line - this.firstLine[lo] - 1];
  }

  /** Moves an offset that falls after a line's end (in its line break) back to that end. */
  private beforeEol(offset: number, lineStart: number): number {
    while (offset > lineStart) {
      const c = this.charCodeAt(offset - 1);
      if (c !== CR && c !== LF) {
        break;
      }
      offset--;
    }
    return offset;
  }

  offsetAt(p: Position): number {
    if (p.line >= this.lineCount) {
      return this.total;
    }
    if (p.line < 0) {
      return 0;
    }
    const start = this.lineStart(p.line);
    if (p.character <= 0) {
      return start;
    }
    const next = p.line + 1 < this.lineCount ? this.lineStart(p.line + 1) : this.total;
    return this.beforeEol(Math.min(start + p.character, next), start);
  }

  positionAt(offset: number): Position {
    offset = Math.max(0, Math.min(offset, this.total));
    const k = this.chunkAt(offset);
    const ends = this.ends[k];
    const local = offset - this.starts[k];
    // Line breaks in this chunk that end at or before the offset.
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid] <= local) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    const line = this.firstLine[k] + lo;
    const start = lo > 0 ? this.starts[k] + ends[lo - 1] : this.lineStart(line);
    return { line, character: this.beforeEol(offset, start) - start };
  }
}
