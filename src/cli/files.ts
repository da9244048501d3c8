import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** One file to write: private keys get mode 0600 from the moment they exist. */
export interface OutFile {
  name: string;
  content: string;
  secret?: boolean;
}

/**
 * Writes files into `dir` without ever leaving a half-written one: each goes to a temporary file
 * (created with its final mode), is fsynced, then renamed. Refuses to replace existing files
 * unless `force`; checks all names before writing any.
 */
export function writeFiles(dir: string, files: OutFile[], force: boolean): string[] {
  mkdirSync(dir, { recursive: true });
  refuseExisting(dir, files.map((f) => f.name), force);
  const written: string[] = [];
  for (const f of files) {
    const path = join(dir, f.name);
    writeAtomic(path, f.content, f.secret ? 0o600 : 0o644);
    written.push(path);
  }
  return written;
}

/** Throws when any of `names` exists in `dir` (unless `force`): call it before asking NCP for anything. */
export function refuseExisting(dir: string, names: string[], force: boolean): void {
  const existing = names.map((n) => join(dir, n)).filter((p) => existsSync(p));
  if (existing.length && !force) {
    throw new Error(`refusing to overwrite ${existing.join(', ')} (use --force to replace)`);
  }
}

/** Writes one file atomically with the given mode. */
export function writeAtomic(path: string, content: string, mode: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, path);
}
