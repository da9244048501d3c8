// The CLI's words around the one file writer (src/files/safeWrite.ts): --force replaces files.
import { join } from 'node:path';
import { checkTargets, WriteRefused, writeAtomic, writeFiles as write, type OutFile } from '../files/safeWrite';

export { writeAtomic, type OutFile };

/** Throws when any of `names` exists in `dir` (unless `force`) or is a symlink: call it before asking NCP for anything. */
export function refuseExisting(dir: string, names: string[], force: boolean): void {
  const existing = checkTargets(dir, names);
  if (existing.length && !force) {
    throw new WriteRefused('exists', existing, `refusing to overwrite ${existing.map((n) => join(dir, n)).join(', ')} (use --force to replace)`);
  }
}

/** Writes files into `dir` atomically, keys 0600; replaces existing files only with `force`. */
export function writeFiles(dir: string, files: OutFile[], force: boolean): string[] {
  refuseExisting(dir, files.map((f) => f.name), force);
  return write(dir, files, force);
}
