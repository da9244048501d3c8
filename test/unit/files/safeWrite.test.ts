// The one file writer of the CLI and the extension: no write through a symlink (dangling or not),
// keys 0600 from their first byte, nothing replaced unless asked, no temp file left behind.
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { checkTargets, WriteRefused, writeAtomic, writeFiles } from '../../../src/files/safeWrite';

const root = mkdtempSync(join(tmpdir(), 'safe-write-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  const d = join(root, `case${n++}`);
  mkdirSync(d);
  return d;
};
const FILES = [
  { name: 'cert.pem', content: 'CERT' },
  { name: 'key.pem', content: 'SECRET KEY', secret: true },
  { name: 'chain.pem', content: 'CHAIN' },
];

test('safeWrite: a dangling symlink at certs/key.pem is refused and nothing is written through it', () => {
  const dir = fresh();
  const certs = join(dir, 'certs');
  mkdirSync(certs);
  const elsewhere = join(dir, 'attacker-owned.pem');
  symlinkSync(elsewhere, join(certs, 'key.pem'));
  assert.throws(() => writeFiles(certs, FILES, true), (err: unknown) => err instanceof WriteRefused && err.kind === 'symlink' && /symbolic link: .*key\.pem/.test(err.message));
  assert.equal(existsSync(elsewhere), false, 'the link target was created');
  assert.ok(lstatSync(join(certs, 'key.pem')).isSymbolicLink(), 'the link itself is left alone');
  assert.deepEqual(readdirSync(certs), ['key.pem'], 'no other file (nor temp file) was written');
  assert.throws(() => checkTargets(certs, ['key.pem']), WriteRefused);
  assert.throws(() => writeAtomic(join(certs, 'key.pem'), 'k', 0o600), WriteRefused);
  assert.equal(existsSync(elsewhere), false);
});

test('safeWrite: a symlink to an existing file is refused even with replace; the file keeps its content', () => {
  const dir = fresh();
  const victim = join(dir, 'victim.txt');
  writeFileSync(victim, 'precious');
  symlinkSync(victim, join(dir, 'cert.pem'));
  assert.throws(() => writeFiles(dir, FILES, true), WriteRefused);
  assert.equal(readFileSync(victim, 'utf8'), 'precious');
});

test('safeWrite: keys are 0600 and other files 0644, also when an existing 0644 key is replaced', () => {
  const dir = fresh();
  writeFileSync(join(dir, 'key.pem'), 'old', { mode: 0o644 });
  const written = writeFiles(dir, FILES, true);
  assert.deepEqual(written, FILES.map((f) => join(dir, f.name)));
  assert.equal(statSync(join(dir, 'key.pem')).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, 'cert.pem')).mode & 0o777, 0o644);
  assert.equal(readFileSync(join(dir, 'key.pem'), 'utf8'), 'SECRET KEY');
  assert.deepEqual(readdirSync(dir).sort(), ['cert.pem', 'chain.pem', 'key.pem'], 'no temp file left');
});

test('safeWrite: existing files are reported by checkTargets and kept unless replace', () => {
  const dir = fresh();
  writeFileSync(join(dir, 'chain.pem'), 'old chain');
  assert.deepEqual(checkTargets(dir, ['cert.pem', 'chain.pem']), ['chain.pem']);
  assert.throws(() => writeFiles(dir, FILES, false), (err: unknown) => err instanceof WriteRefused && err.kind === 'exists');
  assert.equal(readFileSync(join(dir, 'chain.pem'), 'utf8'), 'old chain');
  assert.equal(existsSync(join(dir, 'cert.pem')), false, 'nothing written when one target is refused');
});

test('safeWrite: a folder where a file goes is refused', () => {
  const dir = fresh();
  mkdirSync(join(dir, 'cert.pem'));
  assert.throws(() => writeFiles(dir, FILES, true), (err: unknown) => err instanceof WriteRefused && err.kind === 'not-a-file');
  assert.equal(existsSync(join(dir, 'key.pem')), false);
});

test('safeWrite: bytes are written as given and missing folders are created', () => {
  const dir = join(fresh(), 'a', 'b');
  const bytes = new Uint8Array([0, 1, 2, 255]);
  writeAtomic(join(dir, 'x.der'), bytes, 0o644);
  assert.deepEqual(new Uint8Array(readFileSync(join(dir, 'x.der'))), bytes);
});
