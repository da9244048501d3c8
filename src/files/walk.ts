// Walking a tree (`ncloud-pki scan`, the language server's workspace inventory): which files to
// read, honouring .gitignore (nested, negations, parents, info/exclude) and exclude patterns, and
// reading one file into text or bytes that may hold PEM, DER or base64 blocks. node:* and `ignore` only.
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** The rules of one .gitignore: `test` takes a path relative to the scan root ('/'-separated, dirs end in '/'). */
interface Rules {
  test(rel: string): { ignored: boolean; unignored: boolean };
}

function rulesOf(path: string, prefix: string): Rules | undefined {
  let ig: Ignore;
  try {
    ig = ignore().add(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  return { test: (rel) => ig.test(prefix + rel) };
}

/** Git's precedence: the deepest .gitignore that says something about a path decides. */
function ignored(rel: string, stack: Rules[]): boolean {
  for (let i = stack.length - 1; i >= 0; i--) {
    const t = stack[i].test(rel);
    if (t.ignored || t.unignored) {
      return t.ignored;
    }
  }
  return false;
}

/**
 * The rules that apply to `root` from above it: the .gitignore of each directory from the
 * repository's root (the nearest ancestor holding .git) down to root's parent, and .git/info/exclude.
 * Each tests root-relative paths with root's path below that directory in front.
 */
function rulesAbove(root: string): Rules[] {
  const abs = resolve(root);
  const ancestors: string[] = [];
  for (let d = abs; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) {
      const out: Rules[] = [];
      const prefix = (a: string) => (a === abs ? '' : `${relative(a, abs).split(sep).join('/')}/`);
      const info = rulesOf(join(d, '.git/info/exclude'), prefix(d));
      for (const r of [info, ...(d === abs ? [] : [d, ...ancestors.reverse()]).map((a) => rulesOf(join(a, '.gitignore'), prefix(a)))]) {
        if (r) {
          out.push(r);
        }
      }
      return out;
    }
    if (dirname(d) === d) {
      return [];
    }
    if (d !== abs) {
      ancestors.push(d);
    }
  }
}

/**
 * True when `walk(root, exclude)` would leave `path` out (an exclude pattern or a .gitignore on the
 * way down says so, for the file or a folder above it). For one changed file, without a walk.
 */
export function isExcluded(root: string, exclude: string[], path: string): boolean {
  const rel = relative(root, path).split(sep).join('/');
  if (rel.startsWith('../') || rel === '..' || rel === '' || rel.split('/').includes('.git')) {
    return true;
  }
  const excludes = exclude.length ? ignore().add(exclude) : undefined;
  const stack = rulesAbove(root);
  const parts = rel.split('/');
  for (let i = 0; i < parts.length; i++) {
    const dir = parts.slice(0, i).join('/');
    const prefix = dir ? `${dir}/` : '';
    const own = rulesOf(join(root, dir, '.gitignore'), '');
    if (own) {
      stack.push({ test: (p) => own.test(p.slice(prefix.length)) });
    }
    const here = prefix + parts[i] + (i < parts.length - 1 ? '/' : '');
    if ((excludes?.ignores(here) ?? false) || (stack.length > 0 && ignored(here, stack))) {
      return true;
    }
  }
  return false;
}

/**
 * Every regular file under `root` that neither a .gitignore (of the tree, or above it up to the
 * repository root) nor an `exclude` pattern (gitignore syntax, relative to root) excludes. `.git` is
 * never entered; symbolic links are not followed (no loops, nothing outside the tree). Paths come
 * back joined onto `root` as given.
 */
export function walk(root: string, exclude: string[], onError: (path: string, err: NodeJS.ErrnoException) => void): string[] {
  const files: string[] = [];
  walkEach(root, exclude, (path) => files.push(path), onError);
  return files;
}

/**
 * `walk`, handing each file to `onFile` as it is found instead of collecting them: a caller that
 * reads each file at once keeps no list of 50,000 paths alive (each young-generation GC would copy it).
 */
export function walkEach(root: string, exclude: string[], onFile: (path: string) => void, onError: (path: string, err: NodeJS.ErrnoException) => void): void {
  const stack = rulesAbove(root);
  const excludes = exclude.length ? ignore().add(exclude) : undefined;
  const skip = (rel: string) => (excludes?.ignores(rel) ?? false) || (stack.length > 0 && ignored(rel, stack));
  // Paths are root + the '/'-separated relative path; for '.', just the relative path.
  const base = root === '.' ? '' : root.endsWith('/') || root.endsWith(sep) ? root : `${root}/`;
  const visit = (dir: string, rel: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      onError(dir, err as NodeJS.ErrnoException);
      return;
    }
    let own: Rules | undefined;
    for (const e of entries) {
      if (e.name === '.gitignore' && e.isFile()) {
        own = rulesOf(join(dir, '.gitignore'), '');
      }
    }
    if (own) {
      // Its patterns are relative to dir: strip dir's part of the root-relative path.
      const test = own.test;
      stack.push({ test: (p) => test(p.slice(rel.length)) });
    }
    // With no rules at all (no exclude, no .gitignore on the way), nothing is tested.
    const rules = excludes !== undefined || stack.length > 0;
    for (const e of entries) {
      if (e.isDirectory()) {
        const sub = `${rel}${e.name}/`;
        if (e.name !== '.git' && !(rules && skip(sub))) {
          visit(base + sub, sub);
        }
      } else if (e.isFile() && !(rules && skip(rel + e.name))) {
        onFile(base + rel + e.name);
      }
    }
    if (own) {
      stack.pop();
    }
  };
  visit(root, '');
}

const MARKER = Buffer.from('-----BEGIN');
const K8S_MARKER = Buffer.from('LS0tLS1CRUdJT');
const ESCAPE = Buffer.from('\\u');
// A JSON string whose escapes hide an armor line (scanPem reads those): at least one character of
// "-----BEGIN" is written \uXXXX, so either a dash is (\u002d), or the dashes are written as such and
// one of BEGIN's letters is escaped after them.
const ESCAPED_MARKERS = ['\\u002d', '\\u002D', '-----\\u', '-----B\\u', '-----BE\\u', '-----BEG\\u', '-----BEGI\\u'].map((m) => Buffer.from(m));
/** Room for one batch of files (readCandidates) or one file (readCandidate); a bigger file gets its own. */
const buffer = Buffer.allocUnsafe(1 << 20);
/**
 * Files larger than this are not read: they fail with EFBIG. A file of certificates is never this
 * big; a database dump or a disk image is, and would be held whole in memory (and, past 2 GiB, could
 * not be read with one buffer at all).
 */
export const MAX_CANDIDATE_BYTES = 64 * 1024 * 1024;
/** A batch ends when less room than this is left, so a file of up to this size never needs a second read. */
const ROOM = 1 << 19;
/** Files opened at once by readCandidates. */
const OPEN_GROUP = 128;

/**
 * True when b[start, end) is exactly one DER SEQUENCE (a .der/.cer/.p7b file), not text that starts
 * with "0"; or one BER SEQUENCE of indefinite length, as some PKCS#12 writers make (0x80 cannot follow
 * "0" in UTF-8 text), which ends with its two zero bytes.
 */
function isDer(b: Buffer, start: number, end: number): boolean {
  if (end - start < 4 || b[start] !== 0x30) {
    return false;
  }
  let len = b[start + 1];
  if (len === 0x80) {
    return b[end - 1] === 0 && b[end - 2] === 0;
  }
  let head = 2;
  if (len & 0x80) {
    const k = len & 0x7f;
    if (k < 1 || k > 4) {
      return false;
    }
    len = 0;
    for (let i = 0; i < k; i++) {
      len = len * 256 + b[start + 2 + i];
    }
    head += k;
  }
  return head + len === end - start;
}

/**
 * True when b[start, end) may be bare base64 of DER, possibly wrapped: its first character other
 * than white space is "M", as base64 of a SEQUENCE's 0x30 always is ("MII…" for a certificate,
 * "MCow…" for an Ed25519 key). scanBytes decides.
 */
function isBareBase64(b: Buffer, start: number, end: number): boolean {
  let i = start;
  while (i < end && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09 || b[i] === 0x0b || b[i] === 0x0c)) {
    i++;
  }
  return i < end && b[i] === 0x4d;
}

/** True when the text may hold an armor line, as written or behind JSON escapes (see ESCAPED_MARKERS). */
function hasMarker(view: Buffer): boolean {
  return view.indexOf(MARKER) !== -1 || view.indexOf(K8S_MARKER) !== -1 || (view.indexOf(ESCAPE) !== -1 && ESCAPED_MARKERS.some((m) => view.indexOf(m) !== -1));
}

/** 'utf-16le' or 'utf-16be' when b[start, end) starts with that byte order mark (Windows PowerShell writes them). */
function utf16(b: Buffer, start: number, end: number): 'utf-16le' | 'utf-16be' | undefined {
  if (end - start < 2) {
    return undefined;
  }
  return b[start] === 0xff && b[start + 1] === 0xfe ? 'utf-16le' : b[start] === 0xfe && b[start + 1] === 0xff ? 'utf-16be' : undefined;
}

/** What may hold blocks in b[start, end), one file's bytes (see readCandidate); `marked` says hasMarker is true of them. */
function candidate(b: Buffer, start: number, end: number, marked: boolean): string | Uint8Array | undefined {
  if (isDer(b, start, end)) {
    return new Uint8Array(b.subarray(start, end));
  }
  const wide = utf16(b, start, end);
  if (wide) {
    // UTF-16 text (its markers are not the bytes searched for): the decoded text if it holds a
    // marker; its bytes if it may be bare base64 (scanBytes decodes them the same way).
    const text = new TextDecoder(wide).decode(b.subarray(start, end));
    if (hasMarker(Buffer.from(text))) {
      return text;
    }
    return text.trimStart().startsWith('M') ? new Uint8Array(b.subarray(start, end)) : undefined;
  }
  if (marked) {
    return b.toString('utf8', start, end);
  }
  if (isBareBase64(b, start, end)) {
    return new Uint8Array(b.subarray(start, end));
  }
  return undefined;
}

/**
 * Reads the whole file behind `fd` from offset 0: into `buffer` when it fits, or else into a buffer of
 * its own (not kept: the next file starts from `buffer` again). Returns the bytes and their length.
 * Throws EFBIG for a file over MAX_CANDIDATE_BYTES.
 */
function readWhole(fd: number): [Buffer, number] {
  let n = readSync(fd, buffer, 0, buffer.length, 0);
  if (n < buffer.length) {
    return [buffer, n];
  }
  // As large as the buffer: it may be bigger.
  const size = fstatSync(fd).size;
  if (size > MAX_CANDIDATE_BYTES) {
    throw Object.assign(new Error(`larger than ${MAX_CANDIDATE_BYTES / 1024 / 1024} MiB: not read`), { code: 'EFBIG' });
  }
  // One byte more than its size, to see it end (a file still growing is read up to that).
  const own = Buffer.allocUnsafe(Math.max(size, buffer.length) + 1);
  buffer.copy(own, 0, 0, n);
  for (let r = 1; r > 0 && n < own.length; n += r) {
    r = readSync(fd, own, n, own.length - n, n);
  }
  return [own, n];
}

/**
 * Reads a file and returns what may hold blocks: text (PEM armor, or a Kubernetes base64 value), or
 * bytes (one DER structure, or bare base64 of DER); undefined when it cannot. Throws on read errors.
 * One buffer is reused across calls (a tree walk reads thousands of files).
 */
export function readCandidate(path: string): string | Uint8Array | undefined {
  const fd = openSync(path, 'r');
  let read: [Buffer, number];
  try {
    read = readWhole(fd);
  } finally {
    closeSync(fd);
  }
  const [b, n] = read;
  return candidate(b, 0, n, hasMarker(b.subarray(0, n)));
}

/**
 * Which files of a batch hold a marker: hasMarker of each file's bytes (batch[starts[k], ends[k])),
 * from one search per marker over the whole batch. A match counts only when it lies wholly inside one
 * file; the search then goes on from that file's end (a later match starting in it lies further out).
 */
function markFiles(batch: Buffer, starts: number[], ends: number[]): Uint8Array {
  const marked = new Uint8Array(ends.length);
  const search = (m: Buffer, hit: (k: number) => void) => {
    let k = 0;
    for (let at = batch.indexOf(m); at !== -1; at = k < ends.length ? batch.indexOf(m, ends[k]) : -1) {
      while (ends[k] <= at) {
        k++;
      }
      if (at + m.length <= ends[k]) {
        hit(k);
      }
    }
  };
  const mark = (k: number) => {
    marked[k] = 1;
  };
  search(MARKER, mark);
  search(K8S_MARKER, mark);
  search(ESCAPE, (k) => {
    if (!marked[k]) {
      const view = batch.subarray(starts[k], ends[k]);
      marked[k] = ESCAPED_MARKERS.some((m) => view.indexOf(m) !== -1) ? 1 : 0;
    }
  });
  return marked;
}

/**
 * readCandidate for many files, in order: `found(i, input)` for each of `paths` that may hold blocks,
 * `failed(i, err)` for each that cannot be read. The files are read one after another into one
 * buffer, and each marker is searched once over the whole batch, not once per file: most files hold
 * none, and a search costs more to call than to run over a few kilobytes (50,000 files: 150,000
 * searches cost ~45 ms of CPU). A file too big for the room left is read on its own, as readCandidate does.
 */
export function readCandidates(paths: readonly string[], found: (i: number, input: string | Uint8Array) => void, failed: (i: number, err: NodeJS.ErrnoException) => void): void {
  // The batch: paths[first + k] at buffer[starts[k], ends[k]) (empty for a file that failed).
  let first = 0;
  const starts: number[] = [];
  const ends: number[] = [];
  let used = 0;
  const flush = () => {
    const marked = markFiles(buffer.subarray(0, used), starts, ends);
    for (let k = 0; k < ends.length; k++) {
      const input = candidate(buffer, starts[k], ends[k], marked[k] === 1);
      if (input !== undefined) {
        found(first + k, input);
      }
    }
    first += ends.length;
    starts.length = 0;
    ends.length = 0;
    used = 0;
  };
  const fds: number[] = [];
  for (let group = 0; group < paths.length; group += OPEN_GROUP) {
    const end = Math.min(paths.length, group + OPEN_GROUP);
    // Each kind of system call back to back (open the group, read it, close it): the kernel's own
    // caches stay warm between calls, as they do not when each file is opened, read and closed.
    fds.length = 0;
    for (let i = group; i < end; i++) {
      try {
        fds.push(openSync(paths[i], 'r'));
      } catch (err) {
        fds.push(-1);
        failed(i, err as NodeJS.ErrnoException);
      }
    }
    try {
      for (let i = group; i < end; i++) {
        if (buffer.length - used < ROOM) {
          flush();
        }
        const fd = fds[i - group];
        let n = 0;
        let alone: string | Uint8Array | undefined | null = null;
        if (fd >= 0) {
          try {
            n = readSync(fd, buffer, used, buffer.length - used, 0);
            if (used + n === buffer.length) {
              // It filled the room left, so it may be bigger: the batch before it first, then this file alone.
              flush();
              const [b, whole] = readWhole(fd);
              alone = candidate(b, 0, whole, hasMarker(b.subarray(0, whole)));
            }
          } catch (err) {
            n = 0;
            alone = null;
            failed(i, err as NodeJS.ErrnoException);
          }
        }
        if (alone !== null) {
          first++;
          if (alone !== undefined) {
            found(i, alone);
          }
          continue;
        }
        starts.push(used);
        used += n;
        ends.push(used);
      }
    } finally {
      for (const fd of fds) {
        if (fd >= 0) {
          closeSync(fd);
        }
      }
    }
  }
  flush();
}
