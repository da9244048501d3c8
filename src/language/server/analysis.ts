// Decoding and linting one document's blocks, with each block's result cached by its text, so a
// keystroke in a 10,000-certificate file decodes one block, not 10,000.
import { decodeBlock } from '../../pki/decode';
import { lintBlock, lintDocument } from '../../pki/lint';
import type { Decoded, Finding, LintOptions } from '../../pki/types';
import type { Span } from './model';

export interface Entry {
  decoded: Decoded;
  /** About what the entry keeps alive: its key (the block text), the DER, and the decoded fields. */
  bytes: number;
  /** The block's own findings (without position) for the minute `minute` and the setting `days`. */
  lint?: { minute: number; days: number; findings: Omit<Finding, 'block' | 'range'>[] };
}

/** A document's analysis: what each block is, and every finding with its block index. */
export interface Analysis {
  decoded: Decoded[];
  findings: Finding[];
}

/** Thrown out of a pass when a newer version of the document arrived. */
export class Superseded extends Error {}

/** Yields to the event loop so newer edits and requests get read. */
function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A rough size of a decoded block's fields (names, extensions, findings) beyond its DER. */
const DECODED_OVERHEAD = 2048;
/** Dead entries may hold this much beyond twice the live ones before a sweep. */
const SLACK_BYTES = 32 * 1024 * 1024;

/** Decode results shared by every open document, keyed by block text. */
export class BlockCache {
  private readonly entries = new Map<string, Entry>();
  private held = 0;
  /** What the entries held after the last sweep (about the open documents' blocks). */
  private liveBytes = 0;

  get size(): number {
    return this.entries.size;
  }

  /** About how many bytes the entries keep alive. */
  get bytes(): number {
    return this.held;
  }

  /** The span's entry: the one it holds (its text has not changed since), the one its text has, or a new decode. */
  private entry(span: Span): { entry: Entry; fresh: boolean } {
    if (span.entry) {
      return { entry: span.entry, fresh: false };
    }
    let entry = this.entries.get(span.key);
    const fresh = !entry;
    if (!entry) {
      entry = { decoded: decodeBlock(span.block), bytes: span.key.length + (span.block.der?.length ?? 0) + DECODED_OVERHEAD };
      this.entries.set(span.key, entry);
      this.held += entry.bytes;
    }
    span.entry = entry;
    return { entry, fresh };
  }

  /** Forgets lint results (settings changed); decodes stay. */
  invalidateLint(): void {
    for (const entry of this.entries.values()) {
      entry.lint = undefined;
    }
  }

  /** The decoded block, from the cache when its text was seen before. */
  decoded(span: Span): Decoded {
    return this.entry(span).entry.decoded;
  }

  /**
   * Decodes and lints `spans`. Every 256 fresh decodes it yields and calls `current()`; when that
   * returns false (a newer version arrived) it throws Superseded. Decodes done so far stay cached.
   */
  async analyze(spans: Span[], options: LintOptions & { expiryWarningDays: number }, current: () => boolean): Promise<Analysis> {
    const now = options.now ?? Date.now();
    // Findings about time change by the minute at most; cached lint is valid for that long.
    const minute = Math.floor(now / 60_000);
    const days = options.expiryWarningDays;
    const decoded: Decoded[] = new Array(spans.length);
    const findings: Finding[] = [];
    let decodes = 0;
    for (let i = 0; i < spans.length; i++) {
      const span = spans[i];
      const { entry, fresh } = this.entry(span);
      if (fresh) {
        if (++decodes % 256 === 0) {
          await yieldToLoop();
          if (!current()) {
            throw new Superseded();
          }
        }
      }
      decoded[i] = entry.decoded;
      if (entry.lint?.minute !== minute || entry.lint.days !== days) {
        entry.lint = { minute, days, findings: lintBlock(entry.decoded, 0, { now, expiryWarningDays: days }).map(({ block: _b, range: _r, ...rest }) => rest) };
      }
      for (const f of entry.lint.findings) {
        // Where a malformed block breaks (range, and the line its message names) comes from the
        // block as it is now, never from the cache: the same text may have moved.
        const error = f.code === 'malformed' ? span.block.error : undefined;
        findings.push({ ...f, block: i, ...(f.code === 'malformed' ? { range: error?.range ?? span.block.range } : {}), ...(error ? { message: error.message, text: error.text } : {}) });
      }
    }
    for (const f of lintDocument(decoded)) {
      findings.push(f);
    }
    return { decoded, findings };
  }

  /**
   * Drops the entries of blocks no open document holds, once the cache has grown well past the
   * `liveCount` blocks open, or its bytes well past what it held after the last sweep (a few huge
   * blocks edited over and over are few entries but many megabytes). The keys are only gathered
   * then: most passes cost nothing here.
   */
  sweep(liveCount: number, liveKeys: () => Set<string>): void {
    if (this.entries.size <= Math.max(1024, liveCount * 2) && this.held <= this.liveBytes * 2 + SLACK_BYTES) {
      return;
    }
    const live = liveKeys();
    for (const [key, entry] of this.entries) {
      if (!live.has(key)) {
        this.entries.delete(key);
        this.held -= entry.bytes;
      }
    }
    this.liveBytes = this.held;
  }
}
