// Durable emulator state: an append-only journal of whole-record upserts, fsynced before a request
// is acknowledged, replayed at start. A torn last line (kill -9 mid-write) is ignored, so a crash
// never leaves a store that will not load; start-up compacts the journal into a snapshot written
// to a temporary file, fsynced and renamed over the old one.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A journal entry: an upsert of one record, or a deletion. */
export type Entry<T> = { k: string; v: T } | { k: string; del: true };

/** Records by key, persisted under `dir`. */
export class Store<T> {
  private readonly records = new Map<string, T>();
  private fd = -1;
  private readonly journal: string;
  private readonly snapshot: string;

  constructor(readonly dir: string, name: string) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.journal = join(dir, `${name}.journal`);
    this.snapshot = join(dir, `${name}.json`);
    this.load();
  }

  private load(): void {
    if (existsSync(this.snapshot)) {
      const data = JSON.parse(readFileSync(this.snapshot, 'utf8')) as Record<string, T>;
      for (const [k, v] of Object.entries(data)) {
        this.records.set(k, v);
      }
    }
    if (existsSync(this.journal)) {
      const lines = readFileSync(this.journal, 'utf8').split('\n');
      for (const line of lines) {
        if (!line) {
          continue;
        }
        let e: Entry<T>;
        try {
          e = JSON.parse(line) as Entry<T>;
        } catch {
          // The tail of a write cut short by a crash: it was never acknowledged.
          continue;
        }
        if ('del' in e) {
          this.records.delete(e.k);
        } else {
          this.records.set(e.k, e.v);
        }
      }
    }
    this.compact();
  }

  /** Rewrites the snapshot atomically and starts an empty journal. */
  compact(): void {
    const tmp = `${this.snapshot}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    writeSync(fd, JSON.stringify(Object.fromEntries(this.records)));
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.snapshot);
    if (this.fd >= 0) {
      closeSync(this.fd);
    }
    this.fd = openSync(this.journal, 'w', 0o600);
    fsyncDir(this.dir);
  }

  get(k: string): T | undefined {
    return this.records.get(k);
  }

  values(): T[] {
    return [...this.records.values()];
  }

  get size(): number {
    return this.records.size;
  }

  /** Writes several changes as one durable step (each a line; all fsynced before returning). */
  commit(entries: Entry<T>[]): void {
    let text = '';
    for (const e of entries) {
      if ('del' in e) {
        this.records.delete(e.k);
      } else {
        this.records.set(e.k, e.v);
      }
      text += `${JSON.stringify(e)}\n`;
    }
    writeSync(this.fd, text);
    fsyncSync(this.fd);
  }

  put(k: string, v: T): void {
    this.commit([{ k, v }]);
  }

  /** Forgets everything (tests). */
  clear(): void {
    this.records.clear();
    this.compact();
  }

  close(): void {
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -1;
    }
  }
}

function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    fsyncSync(fd);
    closeSync(fd);
  } catch {
    // Some filesystems do not allow fsync on directories; the rename is still atomic.
  }
}
