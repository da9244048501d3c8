// Durable emulator state: an append-only journal of whole-record upserts, fsynced before a request
// is acknowledged, replayed at start. Commits are grouped: each change is applied in memory and
// written at once (so journal order is commit order), and one fsync, off the main thread, covers
// every change written before it started; a commit's promise settles only after such an fsync. A torn last line (kill -9 mid-write) is ignored, so a crash
// never leaves a store that will not load; start-up compacts the journal into a snapshot written
// to a temporary file, fsynced and renamed over the old one.
import { closeSync, existsSync, fsync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A journal entry: an upsert of one record, or a deletion. */
export type Entry<T> = { k: string; v: T } | { k: string; del: true };

/** How the journal is made durable; a test may wrap it to watch what each fsync covers. */
export type Sync = (fd: number, done: (err: NodeJS.ErrnoException | null) => void) => void;

interface Waiter {
  resolve: () => void;
  reject: (err: Error) => void;
}

/** Records by key, persisted under `dir`. */
export class Store<T> {
  private readonly records = new Map<string, T>();
  private fd = -1;
  private readonly journal: string;
  private readonly snapshot: string;

  /** Commits written but not yet covered by a started fsync. */
  private waiting: Waiter[] = [];
  /** Commits covered by the fsync in flight. */
  private syncing: Waiter[] | undefined;

  constructor(
    readonly dir: string,
    name: string,
    private readonly sync: Sync = fsync,
  ) {
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
        let commit: Entry<T> | Entry<T>[];
        try {
          commit = JSON.parse(line) as Entry<T> | Entry<T>[];
        } catch {
          // The tail of a write cut short by a crash: it was never acknowledged.
          continue;
        }
        for (const e of Array.isArray(commit) ? commit : [commit]) {
          if ('del' in e) {
            this.records.delete(e.k);
          } else {
            this.records.set(e.k, e.v);
          }
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

  /** Bumped by every change: lets readers keep what they derived from the records until the next one. */
  get version(): number {
    return this.changes;
  }

  private changes = 0;

  get size(): number {
    return this.records.size;
  }

  /**
   * Writes several changes as one durable step: one journal line (an entry, or an array of them),
   * so a write cut short by a crash loses the whole step, never part of it (SIGKILL can end a
   * write() between two pages of the file). They are visible at once; the promise settles once an
   * fsync that started after the write has finished.
   */
  commit(entries: Entry<T>[]): Promise<void> {
    this.changes++;
    for (const e of entries) {
      if ('del' in e) {
        this.records.delete(e.k);
      } else {
        this.records.set(e.k, e.v);
      }
    }
    writeSync(this.fd, `${JSON.stringify(entries.length === 1 ? entries[0] : entries)}\n`);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.syncing) {
        // Wait out this turn of the event loop so every request handled in it shares the fsync.
        this.syncing = [];
        setImmediate(() => this.flush());
      }
    });
  }

  /** One fsync for everything written so far; when it is done, the next one for what came meanwhile. */
  private flush(): void {
    const batch = this.waiting;
    this.waiting = [];
    this.syncing = batch;
    const fd = this.fd;
    this.sync(fd, (err) => {
      if (this.syncing !== batch) {
        return; // close() made it durable already
      }
      for (const w of batch) {
        if (err) {
          w.reject(err);
        } else {
          w.resolve();
        }
      }
      this.syncing = undefined;
      if (this.waiting.length) {
        this.syncing = [];
        this.flush();
      }
    });
  }

  put(k: string, v: T): Promise<void> {
    return this.commit([{ k, v }]);
  }

  /** Forgets everything (tests). */
  clear(): void {
    this.changes++;
    this.records.clear();
    this.compact();
  }

  close(): void {
    if (this.fd >= 0) {
      const pending = [...(this.syncing ?? []), ...this.waiting];
      if (pending.length) {
        fsyncSync(this.fd);
        this.syncing = undefined;
        this.waiting = [];
        for (const w of pending) {
          w.resolve();
        }
      }
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
