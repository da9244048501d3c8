// Where the PEM blocks of one document are, kept up to date edit by edit: a change rescans only
// the text between the nearest unaffected blocks, and every block after it is shifted, not
// rescanned. The result always equals scanPem() of the whole new text (a property the unit tests
// check with random edits).
import { render } from '../../pki/messages';
import { badBase64Text, scanPem } from '../../pki/pem';
import type { PemBlock, Position, Range } from '../../pki/types';
import type { Entry } from './analysis';
import { ChunkedText } from './text';

/** An LSP content change: a range edit, or the whole text when `range` is absent. */
export interface ContentChange {
  range?: Range;
  text: string;
}

/** A block with its offsets in the document text. */
export interface Span {
  start: number;
  end: number;
  /** False for a BEGIN whose END never came: what follows it can still change what it is. */
  terminated: boolean;
  /** The cache key of its decode: its text (plus its place in a base64-encoded run). */
  key: string;
  block: PemBlock;
  /** Its decode-cache entry, kept on the span while its text stays (set by the cache). */
  entry?: Entry;
}

const DASH = 45;

function shiftPosition(p: Position, lines: number): Position {
  return { line: p.line + lines, character: p.character };
}

function shiftRange(r: Range, lines: number): Range {
  return { start: shiftPosition(r.start, lines), end: shiftPosition(r.end, lines) };
}

/** Moves a position found in a slice that starts at `origin` to document coordinates. */
function place(p: Position, origin: Position): Position {
  return p.line === 0 ? { line: origin.line, character: origin.character + p.character } : { line: p.line + origin.line, character: p.character };
}

function placeRange(r: Range, origin: Position): Range {
  return { start: place(r.start, origin), end: place(r.end, origin) };
}

/** A block's error moved elsewhere in the document; its message names the new line. */
function moveError(error: NonNullable<PemBlock['error']>, range: (r: Range) => Range, position: (p: Position) => Position): NonNullable<PemBlock['error']> {
  const moved = { ...error, range: range(error.range) };
  if (error.at) {
    moved.at = position(error.at);
    if (error.reason !== undefined) {
      moved.text = badBase64Text(moved.at, error.reason);
      moved.message = render(moved.text);
    }
  }
  return moved;
}

/** One open document and its blocks. */
export class BlockModel {
  /** The text, kept so that an edit does not copy it whole. */
  readonly text: ChunkedText;
  spans: Span[] = [];

  constructor(
    readonly uri: string,
    readonly languageId: string,
    public version: number,
    text: string,
  ) {
    this.text = new ChunkedText(text);
    this.spans = this.scan(0, text.length, text);
  }

  get blocks(): PemBlock[] {
    return this.spans.map((s) => s.block);
  }

  /** Applies LSP content changes in order, rescanning only what they touch. */
  update(changes: ContentChange[], version: number): void {
    for (const change of changes) {
      if (!change.range) {
        this.text.set(change.text);
        this.spans = this.scan(0, change.text.length, change.text);
        continue;
      }
      const text = this.text;
      let s = text.offsetAt(change.range.start);
      let e = text.offsetAt(change.range.end);
      if (s > e) {
        [s, e] = [e, s];
      }
      const startLine = text.positionAt(s).line;
      const endLine = text.positionAt(e).line;
      const lines = text.lineCount;
      text.replace(s, e, change.text);
      this.splice(s, e, startLine, endLine, change.text.length - (e - s), text.lineCount - lines);
    }
    this.version = version;
  }

  /** The block at a position, by binary search over the block ranges. */
  blockAt(position: Position): Span | undefined {
    const offset = this.text.offsetAt(position);
    let lo = 0;
    let hi = this.spans.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const span = this.spans[mid];
      if (offset < span.start) {
        hi = mid - 1;
      } else if (offset > span.end) {
        lo = mid + 1;
      } else {
        return span;
      }
    }
    return undefined;
  }

  /** Old text [s, e) (on lines `startLine`..`endLine`) was replaced; the text grew by `delta`. */
  private splice(s: number, e: number, startLine: number, endLine: number, delta: number, lineDelta: number): void {
    const spans = this.spans;
    // The last block that surely does not change: a terminated PEM block that ends on a line
    // before the change. Single-line pieces (unterminated BEGINs, base64 runs) may overlap it.
    let prev = -1;
    for (let lo = 0, hi = spans.length - 1; lo <= hi; ) {
      const mid = (lo + hi) >> 1;
      if (spans[mid].start < s) {
        prev = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    while (prev >= 0 && !(spans[prev].terminated && spans[prev].block.encoding !== 'base64-pem' && spans[prev].block.range.end.line < startLine)) {
      prev--;
    }
    // The first block that starts after the change, on a later line than its end (so its
    // characters do not move).
    let next = spans.length;
    for (let lo = prev + 1, hi = spans.length - 1; lo <= hi; ) {
      const mid = (lo + hi) >> 1;
      if (spans[mid].start > e && spans[mid].block.range.start.line > endLine) {
        next = mid;
        hi = mid - 1;
      } else {
        lo = mid + 1;
      }
    }
    // Not a boundary: a base64-encoded PEM (no BEGIN line to stop an unterminated block's search
    // for its END), a BEGIN that shares dashes with an END before it ("-----END X------BEGIN Y"),
    // or a block on the same line as one being rescanned (whose range runs to the line's end).
    const text = this.text;
    const notBoundary = (i: number) =>
      spans[i].block.encoding === 'base64-pem' || text.charCodeAt(spans[i].start + delta - 1) === DASH || (i - 1 > prev && spans[i - 1].block.range.start.line === spans[i].block.range.start.line);
    while (next < spans.length && notBoundary(next)) {
      next++;
    }
    for (let i = next; i < spans.length; i++) {
      const span = spans[i];
      span.start += delta;
      span.end += delta;
      if (lineDelta !== 0) {
        const b = span.block;
        b.range = shiftRange(b.range, lineDelta);
        if (b.error) {
          b.error = moveError(b.error, (r) => shiftRange(r, lineDelta), (p) => shiftPosition(p, lineDelta));
        }
      }
    }
    const from = prev >= 0 ? spans[prev].end : 0;
    const to = next < spans.length ? spans[next].start : text.length;
    // Base64 runs inside `prev` (a PEM within a PEM's body) stay as they are.
    let keep = prev + 1;
    while (keep < next && spans[keep].start < from) {
      keep++;
    }
    // Not splice(…, ...scanned): a call takes ~100,000 arguments at most, and a paste may hold more blocks.
    const updated = [...spans.slice(0, keep), ...this.scan(from, to), ...spans.slice(next)];
    this.spans = updated;
    updated.forEach((span, i) => {
      span.block.index = i;
    });
  }

  /** Scans text [from, to) (`whole` when it is the whole text) and returns its blocks in document coordinates. */
  private scan(from: number, to: number, whole?: string): Span[] {
    const doc = this.text;
    const origin = doc.positionAt(from);
    const found = scanPem(whole ?? doc.slice(from, to));
    const spans: Span[] = [];
    let run = 0;
    for (const block of found) {
      if (from !== 0 || origin.line !== 0) {
        block.range = placeRange(block.range, origin);
        if (block.error) {
          block.error = moveError(block.error, (r) => placeRange(r, origin), (p) => place(p, origin));
        }
      }
      const start = doc.offsetAt(block.range.start);
      const previous = spans[spans.length - 1];
      // Several blocks of one base64-encoded PEM share the text; their order tells them apart.
      run = previous && previous.block.text === block.text ? run + 1 : 0;
      const terminated = block.encoding === 'base64-pem' || block.text.endsWith(`-----END ${block.label}-----`);
      spans.push({ start, end: doc.offsetAt(block.range.end), terminated, key: run === 0 ? block.text : `${block.text}\u0000${run}`, block });
    }
    return spans;
  }
}
