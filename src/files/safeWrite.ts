// The one way files are written, by the CLI and by the extension alike. A private key must never
// reach a place the user did not choose: a symlink planted where `key.pem` will go (dangling or
// not) is refused, never followed. Each file is written to a fresh temporary file in the same
// folder (exclusive create, mode 0600 from its first byte), fsynced, given its final mode and
// renamed over the target, so a crash leaves either the old file or the new one, never half.
// Node only: src/pki (which also runs in the browser) must not import this.
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, lstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** One file to write: private keys (`secret`) get mode 0600, others 0644. */
export interface OutFile {
  name: string;
  content: string | Uint8Array;
  secret?: boolean;
}

/** Why a write was refused: `kind` lets callers word it (the CLI mentions --force, the extension asks). */
export class WriteRefused extends Error {
  override readonly name = 'WriteRefused';
  constructor(
    readonly kind: 'symlink' | 'exists' | 'not-a-file',
    readonly paths: string[],
    message: string,
  ) {
    super(message);
  }
}

/** What is at `path` now, without following a link. */
function probe(path: string): 'none' | 'file' | 'symlink' | 'other' {
  try {
    const s = lstatSync(path);
    return s.isSymbolicLink() ? 'symlink' : s.isFile() ? 'file' : 'other';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') {
      return 'none';
    }
    throw err;
  }
}

/**
 * Checks the targets before anything is asked of NCP: throws WriteRefused for a symlink or a
 * folder where a file will go; returns the names that exist as regular files (to ask about).
 */
export function checkTargets(dir: string, names: readonly string[]): string[] {
  const kinds = names.map((n) => [n, probe(join(dir, n))] as const);
  const links = kinds.filter(([, k]) => k === 'symlink').map(([n]) => join(dir, n));
  if (links.length) {
    throw new WriteRefused('symlink', links, `refusing to write through a symbolic link: ${links.join(', ')} (remove the link, or choose another folder)`);
  }
  const others = kinds.filter(([, k]) => k === 'other').map(([n]) => join(dir, n));
  if (others.length) {
    throw new WriteRefused('not-a-file', others, `refusing to replace something that is not a file: ${others.join(', ')}`);
  }
  return kinds.filter(([, k]) => k === 'file').map(([n]) => n);
}

/**
 * Writes `files` into `dir` (created if needed). Checks every target first (nothing is written if
 * one is refused); existing regular files are replaced only with `replace`.
 */
export function writeFiles(dir: string, files: readonly OutFile[], replace: boolean): string[] {
  mkdirSync(dir, { recursive: true });
  const existing = checkTargets(
    dir,
    files.map((f) => f.name),
  );
  if (existing.length && !replace) {
    const paths = existing.map((n) => join(dir, n));
    throw new WriteRefused('exists', paths, `refusing to overwrite ${paths.join(', ')}`);
  }
  return files.map((f) => {
    const path = join(dir, f.name);
    writeAtomic(path, f.content, f.secret ? 0o600 : 0o644);
    return path;
  });
}

/**
 * Writes one file atomically: temp file beside it (exclusive create, 0600), fsync, chmod to
 * `mode`, rename. A symlink at `path` is refused (rename would replace the link, not follow it,
 * but the user meant the file the link names: say so instead).
 */
export function writeAtomic(path: string, content: string | Uint8Array, mode: number): void {
  mkdirSync(dirname(path), { recursive: true });
  checkTargets(dirname(path), [basename(path)]);
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    let off = 0;
    while (off < bytes.length) {
      off += writeSync(fd, bytes, off, bytes.length - off);
    }
    fsyncSync(fd);
    if (mode !== 0o600) {
      fchmodSync(fd, mode);
    }
    closeSync(fd);
    renameSync(tmp, path);
  } catch (err) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(tmp, { force: true });
    throw err;
  }
}
