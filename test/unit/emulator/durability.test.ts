// Durable state: kill -9 the emulator process in the middle of issuing, restart it on the same
// data folder, and find every acknowledged certificate; a torn journal tail still loads; serials
// never repeat under concurrency.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, fstatSync, fsync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CREDENTIALS, startEmulator } from '../../../src/emulator';
import { Store } from '../../../src/emulator/store';
import { createClient } from '../../../src/ncloud';

const CLI = join(__dirname, '../../../../dist/cli.js');

function startCli(data: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'emulator', '--port', '0', '--data', data, '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        resolve({ child, url: m[1] });
      }
    });
    child.on('exit', (code) => reject(new Error(`emulator exited ${code}: ${out}`)));
  });
}

function killed(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

test('kill -9 mid-issuance: every acknowledged certificate survives, the store loads', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emu-kill-'));
  const data = join(dir, 'data');
  let { child, url } = await startCli(data);
  try {
    let c = createClient({ target: { endpoint: url }, credentials: DEFAULT_CREDENTIALS, retry: { retries: 0 } });
    const ca = await c.pca.createCa({ caType: 'PRIVATE_ROOT', alias: 'durable', keyType: 'EC256', period: '100', x509Parameters: { commonName: 'Durable' } });
    const tag = ca.caInfo.caTag;
    const acknowledged: string[] = [];
    let failures = 0;
    // Four issuers in parallel; the process dies while requests are in flight.
    const workers = Array.from({ length: 4 }, async () => {
      for (;;) {
        try {
          acknowledged.push((await c.pca.issueCert(tag, { keyType: 'EC256', x509Parameters: { commonName: 'k.test' } })).serialNo);
        } catch {
          failures++;
          return;
        }
      }
    });
    while (acknowledged.length < 20) {
      await new Promise((r) => setTimeout(r, 5));
    }
    await killed(child, 'SIGKILL');
    await Promise.all(workers);
    await c.close();
    assert.ok(failures > 0, 'some requests were cut off');
    ({ child, url } = await startCli(data));
    c = createClient({ target: { endpoint: url }, credentials: DEFAULT_CREDENTIALS });
    const stored = new Set<string>();
    for await (const s of c.pca.allCerts(tag)) {
      stored.add(s);
    }
    for (const s of acknowledged) {
      assert.ok(stored.has(s), `acknowledged ${s} was lost`);
    }
    assert.equal((await c.pca.getCa(tag)).caInfo.signingCount, stored.size);
    // Still works after the crash.
    await c.pca.issueCert(tag, { x509Parameters: { commonName: 'after.test' } });
    await c.close();
    // Key material is only readable by its owner.
    for (const f of readdirSync(data)) {
      assert.equal(statSync(join(data, f)).mode & 0o077, 0, `${f} is readable by others`);
    }
  } finally {
    await killed(child, 'SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('group commit: no certificate is answered before an fsync that covers its journal line has finished, and one fsync covers many', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emu-group-'));
  // Journal bytes made durable by a finished fsync: the size when that fsync started. Each fsync is
  // held back 10 ms, so an answer sent before (or without) its fsync shows as a serial past this mark.
  let durable = 0;
  let fsyncs = 0;
  const journalSync = (fd: number, done: (err: NodeJS.ErrnoException | null) => void) => {
    const size = fstatSync(fd).size;
    setTimeout(() => {
      fsync(fd, (err) => {
        fsyncs++;
        durable = err ? durable : Math.max(durable, size);
        done(err);
      });
    }, 10);
  };
  const emu = await startEmulator({ dataDir: dir, seed: false, journalSync });
  const c = createClient({ target: { endpoint: emu.url }, credentials: DEFAULT_CREDENTIALS });
  try {
    const tag = (await c.pca.createCa({ caType: 'PRIVATE_ROOT', alias: 'group', keyType: 'EC256', period: '10', x509Parameters: { commonName: 'Group' } })).caInfo.caTag;
    const before = fsyncs;
    let answered = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = 0; i < 8; i++) {
          const { serialNo } = await c.pca.issueCert(tag, { keyType: 'EC256', x509Parameters: { commonName: 'g.test' } });
          const covered = readFileSync(join(dir, 'state.journal')).subarray(0, durable).toString();
          assert.ok(covered.includes(`"serialNo":"${serialNo}"`), `${serialNo} was answered before an fsync covered it`);
          answered++;
        }
      }),
    );
    assert.equal(answered, 64);
    assert.ok(fsyncs - before < 32, `64 issuances took ${fsyncs - before} fsyncs: commits were not grouped`);
  } finally {
    await c.close();
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a journal whose last line was cut short still loads', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emu-torn-'));
  try {
    let emu = await startEmulator({ dataDir: dir, seed: false });
    let c = createClient({ target: { endpoint: emu.url }, credentials: DEFAULT_CREDENTIALS });
    await c.pca.createCa({ caType: 'PRIVATE_ROOT', alias: 'torn1', keyType: 'EC256', period: '10', x509Parameters: { commonName: 'Torn' } });
    await c.close();
    await emu.stop();
    appendFileSync(join(dir, 'state.journal'), '{"k":"ca:deadbeef-deadbeef","v":{"type":"ca","alias":"half');
    emu = await startEmulator({ dataDir: dir, seed: false });
    c = createClient({ target: { endpoint: emu.url }, credentials: DEFAULT_CREDENTIALS });
    const list = await c.pca.listCas();
    assert.deepEqual(list.items.map((x) => x.caInfo.alias), ['torn1']);
    await c.close();
    await emu.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a commit cut short by a crash is lost whole, never in part (a certificate without its CA count)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emu-atomic-'));
  try {
    const store = new Store<unknown>(dir, 'state');
    await store.commit([{ k: 'ca', v: { signingCount: 1 } }]);
    const journal = join(dir, 'state.journal');
    const before = statSync(journal).size;
    // An issuance: the certificate and the CA's new count, as one step.
    await store.commit([{ k: 'cert', v: { certPem: 'x'.repeat(800) } }, { k: 'ca', v: { signingCount: 2 } }]);
    // kill -9 can end a write() between two pages of the file: its last bytes never land.
    truncateSync(journal, statSync(journal).size - 5);
    assert.ok(statSync(journal).size > before);
    const reloaded = new Store<unknown>(dir, 'state');
    assert.equal(reloaded.get('cert'), undefined, 'part of a torn commit was loaded');
    assert.deepEqual(reloaded.get('ca'), { signingCount: 1 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SIGTERM stops the CLI emulator cleanly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emu-term-'));
  const { child } = await startCli(join(dir, 'data'));
  const code = await new Promise<number | null>((resolve) => {
    child.once('exit', (c) => resolve(c));
    child.kill('SIGTERM');
  });
  assert.equal(code, 0);
  rmSync(dir, { recursive: true, force: true });
});

test('concurrent issuance never reuses a serial', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emu-conc-'));
  const emu = await startEmulator({ dataDir: dir, seed: false });
  const c = createClient({ target: { endpoint: emu.url }, credentials: DEFAULT_CREDENTIALS });
  try {
    const ca = await c.pca.createCa({ caType: 'PRIVATE_ROOT', alias: 'conc', keyType: 'EC256', period: '10', x509Parameters: { commonName: 'Conc' } });
    const serials = await Promise.all(Array.from({ length: 60 }, () => c.pca.issueCert(ca.caInfo.caTag, { keyType: 'EC256', x509Parameters: { commonName: 'c.test' } }).then((r) => r.serialNo)));
    assert.equal(new Set(serials).size, 60);
    assert.equal((await c.pca.getCa(ca.caInfo.caTag)).caInfo.signingCount, 60);
  } finally {
    await c.close();
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
