// `scan` reads a large tree on two threads (src/cli/scanTree.ts): the main thread walks and hands
// chunks of paths to a worker, decodes what it finds, and takes back what the worker has not begun.
// Held here to the plain sequential reading (walk, then scanFile on each file in walk order) on a
// generated repository with everything that can go wrong: nested .gitignore files and negations,
// --exclude, symbolic links (never followed), files and a directory that cannot be read, and files
// at the read buffer's size (1 MiB) and beyond. A file dropped, read twice or out of order fails it.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { scanFile, scanTree, type ScanBlock } from '../../../src/cli/scanTree';
import { walk } from '../../../src/files/walk';
import { encodeBase64 } from '../../../src/pki';

const ROOT = join(__dirname, '../../../..');
const CLI = join(ROOT, 'dist/cli.js');
const WORKER = join(ROOT, 'dist/cli-scan-worker.js');
const FIX = join(ROOT, 'test/fixtures/pki');
const EXCLUDE = ['d3/', '*.skip'];
const LINT = { now: Date.parse('2026-01-01T00:00:00Z'), expiryWarningDays: 30 };

let dir: string;
let repo: string;

const made = new Set<string>();

function put(path: string, content: string | Buffer): void {
  const folder = join(repo, path, '..');
  if (!made.has(folder)) {
    mkdirSync(folder, { recursive: true });
    made.add(folder);
  }
  writeFileSync(join(repo, path), content);
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'scan-tree-'));
  repo = join(dir, 'repo');
  const cert = readFileSync(join(FIX, 'leaf.crt'), 'utf8');
  const der = readFileSync(join(FIX, 'leaf.der'));
  const publicKey = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' });
  const forms = [cert, `data:\n  tls.crt: ${encodeBase64(Buffer.from(cert))}\n`, `${JSON.stringify({ cert })}\n`, der];
  put('.git/config', cert); // never read
  put('.gitignore', 'ignored/\n*.bak\n!keep.bak\n');
  // 4,800 files in 120 folders: enough chunks for the worker to start and take some of them.
  for (let i = 0; i < 4800; i++) {
    const folder = `d${i % 20}/s${Math.floor(i / 20) % 6}`;
    // Every file holds a block (a small public key at least), so a file dropped shows.
    const noise = `const x${i} = ${'"y", '.repeat(i % 97)};\n${publicKey}`;
    if (i % 37 === 0) {
      const form = forms[(i / 37) % forms.length];
      put(`${folder}/f${i}.${typeof form === 'string' ? 'txt' : 'der'}`, typeof form === 'string' ? `${noise}${form}` : form);
    } else {
      put(`${folder}/f${i}.${['ts', 'md', 'bak', 'yaml', 'skip', 'go'][i % 6]}`, noise);
    }
  }
  put('d1/s2/keep.bak', cert);
  put('d2/.gitignore', '*.txt\n!f2.txt\n');
  put('d2/s1/.gitignore', '!*.txt\n');
  put('d5/ignored/x.txt', cert);
  // Links are never followed: to a file, to a folder, and to nothing.
  symlinkSync(join(repo, 'd1/s2/keep.bak'), join(repo, 'd4/link.pem'));
  symlinkSync(join(repo, 'd6'), join(repo, 'd4/link-dir'));
  symlinkSync(join(repo, 'nowhere'), join(repo, 'd4/dangling.pem'));
  // Around the read buffer's 1 MiB, with the certificate at the very end, in several folders.
  for (const [i, size] of [(1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3 << 20].entries()) {
    for (const folder of ['d7/s0', 'd11/s3', 'd18/s5']) {
      put(`${folder}/big${i}.txt`, `${'#'.repeat(size - cert.length - 1)}\n${cert}`);
    }
  }
  // Paths longer than PATH_MAX (4,096) cannot be opened, even by root: a file and a folder
  // (written from inside their parent, where the path is short).
  let deep = join(repo, 'd9/deep');
  while (deep.length < 3900) {
    deep = join(deep, 'x'.repeat(200));
  }
  mkdirSync(deep, { recursive: true });
  const long = 'z'.repeat(250);
  const w = spawnSync('sh', ['-c', 'printf "%s" "$1" > "$2.pem" && mkdir "$2" && printf "%s" "$1" > "$2/a.pem"', 'sh', cert, long], { cwd: deep });
  assert.equal(w.status, 0, w.stderr.toString());
});

after(() => {
  // rm works down with paths relative to each folder (rmSync would meet the long path).
  spawnSync('rm', ['-rf', dir]);
});

/** The sequential reading: walk, then each file in walk order. Blocks as canonical JSON, sorted; errors as the CLI prints them, in order. */
function sequential(lint = LINT): { blocks: string[]; errors: string[]; files: number } {
  const errors: string[] = [];
  const blocks: ScanBlock[] = [];
  const files = walk(repo, EXCLUDE, (path, err) => errors.push(`${path}: ${err.code}`));
  for (const f of files) {
    try {
      blocks.push(...scanFile(f, lint, true));
    } catch (err) {
      errors.push(`${f}: ${(err as NodeJS.ErrnoException).code}`);
    }
  }
  return { blocks: canonical(blocks.map((b) => b.json)), errors, files: files.length };
}

function canonical(blocks: unknown[]): string[] {
  return blocks.map((b) => JSON.stringify(b)).sort();
}

test('scanTree on two threads finds exactly what the sequential reading finds: no file dropped, none read twice, errors in walk order', () => {
  const expected = sequential();
  assert.ok(expected.files > 3000 && expected.blocks.length > expected.files, `${expected.files} files, ${expected.blocks.length} blocks`);
  assert.equal(expected.errors.length, 2, expected.errors.join('\n'));
  assert.match(expected.errors[0], /ENAMETOOLONG$/);
  // Who reads what depends on when the worker starts: run until it has read part of the tree.
  let shared = false;
  for (let run = 0; run < 8 && !shared; run++) {
    const r = scanTree([repo], EXCLUDE, LINT, true, { file: WORKER, after: 0 });
    assert.equal(r.files, expected.files);
    assert.deepEqual(canonical(r.blocks.map((b) => b.json)), expected.blocks);
    assert.deepEqual(
      r.errors.map((e) => `${e.path}: ${e.code}`),
      expected.errors,
    );
    shared = r.workerFiles > 0 && r.workerFiles < r.files;
  }
  assert.ok(shared, 'the worker never read part of the tree');
});

test('a worker that cannot start takes nothing: the main thread reads every chunk and finds the same', () => {
  const expected = sequential();
  const r = scanTree([repo], EXCLUDE, LINT, true, { file: join(dir, 'no-such-worker.js'), after: 0 });
  assert.equal(r.workerFiles, 0);
  assert.equal(r.files, expected.files);
  assert.deepEqual(canonical(r.blocks.map((b) => b.json)), expected.blocks);
  assert.deepEqual(
    r.errors.map((e) => `${e.path}: ${e.code}`),
    expected.errors,
  );
});

test('scan as a process prints what the sequential reading finds, on stdout and stderr', () => {
  // The process lints with its own clock: far from any of the fixture's dates, so the same findings.
  const expected = sequential({ now: Date.now(), expiryWarningDays: 30 });
  const r = spawnSync(process.execPath, [CLI, 'scan', '--json', ...EXCLUDE.flatMap((e) => ['--exclude', e]), repo], { encoding: 'utf8', maxBuffer: 1 << 26 });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(canonical(JSON.parse(r.stdout) as unknown[]), expected.blocks);
  assert.deepEqual(
    r.stderr.trimEnd().split('\n'),
    expected.errors.map((e) => `ncloud-pki scan: cannot read ${e}`),
  );
});

test('scan on two threads, piped into a reader that stops early (`scan | head`), exits quietly: 6 runs', async () => {
  // A FIFO, as a shell's pipe is (Node's own pipes are socket pairs, which did not show it). The
  // reader takes the first chunk and closes; the rest of the table meets EPIPE. It used to die of an
  // unhandled EPIPE in 1 run in 2 to 4: Node piped the worker's stdout into process.stdout.
  const fifo = join(dir, 'out.fifo');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  for (let run = 0; run < 6; run++) {
    const reader = new Socket({ fd: openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK), readable: true, writable: false });
    const w = openSync(fifo, 'w');
    const child = spawn(process.execPath, [CLI, 'scan', repo], { stdio: ['ignore', w, 'pipe'] });
    closeSync(w);
    reader.once('data', () => reader.destroy());
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    // Only the two paths too long to open (see before()).
    assert.deepEqual(
      stderr.trimEnd().split('\n').map((l) => l.replace(/^(ncloud-pki scan: cannot read) .*(: ENAMETOOLONG)$/, '$1 …$2')),
      ['ncloud-pki scan: cannot read …: ENAMETOOLONG', 'ncloud-pki scan: cannot read …: ENAMETOOLONG'],
      `run ${run}: ${stderr.slice(-300)}`,
    );
    assert.equal(status, 0, `run ${run}`);
  }
});
