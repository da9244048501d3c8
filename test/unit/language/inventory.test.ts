// The workspace inventory in process. At a day boundary, what is linted with the date (expiring,
// expired) is worked out again from the kept blocks, without a file event, so the Certificates
// view and workspace/diagnostic move with the calendar (the clock is node:test's). VS Code's
// `{a,b}` exclude patterns leave out both alternatives.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mock, test } from 'node:test';
import type { InventoryNotification } from '../../../src/language/protocol';
import { indexFile, Inventory } from '../../../src/language/server/inventory';
import { makeCert } from '../cli/certs';

const DAY = 86_400_000;

test('inventory: a certificate that enters the warning window at midnight is reported expiring-soon, with a new result id, without being read again', async () => {
  // Noon (UTC) today on the test's clock; the certificate (100 days old) ends 30¼ days after it: out of a 30-day window now, in it after midnight.
  const noon = Math.floor(Date.now() / DAY) * DAY + DAY / 2;
  const cert = await makeCert({ cn: 'midnight.test', dns: ['midnight.test'], from: -100, to: (noon - Date.now()) / DAY + 30.25 });
  const dir = mkdtempSync(join(tmpdir(), 'inventory-day-'));
  const later = await makeCert({ cn: 'later.test', dns: ['later.test'], to: 400 });
  writeFileSync(join(dir, 'tls.crt'), cert.pem);
  writeFileSync(join(dir, 'later.crt'), later.pem);
  const laterUri = pathToFileURL(join(dir, 'later.crt')).href;
  const uri = pathToFileURL(join(dir, 'tls.crt')).href;
  mock.timers.enable({ apis: ['Date', 'setTimeout'], now: noon });
  try {
    const told: InventoryNotification.Params[] = [];
    const inventory = new Inventory((p) => told.push(p));
    await inventory.start([dir], []);
    const codes = (f: { code: string }[]) => f.map((x) => x.code);
    const ids = async (previous: Map<string, string>) => new Map((await inventory.report(previous, () => false)).map((r) => [r.uri, r]));
    const first = (await ids(new Map())).get(uri)!;
    const laterId = (await ids(new Map())).get(laterUri)!.resultId;
    assert.deepEqual(first.findings, []);
    const previous = new Map([[uri, first.resultId], [laterUri, laterId]]);
    assert.deepEqual([...(await ids(previous)).values()].map((r) => r.findings), ['unchanged', 'unchanged']);
    // The file goes away on disk: whatever changes now comes from the kept blocks, not from reading it.
    rmSync(join(dir, 'tls.crt'));
    told.length = 0;
    mock.timers.tick(DAY / 2 + 2000);
    assert.equal(told.length, 1, 'the view is told at midnight');
    assert.deepEqual(told[0].files.map((f) => [f.uri, codes(f.entries[0].findings)]), [[uri, ['expiring-soon']]], 'only the file whose findings changed');
    const next = await ids(previous);
    assert.notEqual(next.get(uri)!.resultId, first.resultId);
    const found = next.get(uri)!.findings;
    assert.ok(found !== 'unchanged');
    assert.deepEqual(codes(found), ['expiring-soon']);
    assert.equal(next.get(laterUri)!.findings, 'unchanged', 'a file whose findings the day did not change keeps its result id');
  } finally {
    mock.timers.reset();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("inventory: VS Code's `{a,b}` exclude patterns leave out both alternatives (files.exclude, search.exclude)", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'inventory-braces-'));
  try {
    const cert = await makeCert({ cn: 'braces.test', dns: ['braces.test'], to: 300 });
    for (const rel of ['vendor/a.pem', 'third_party/b.pem', 'src/c.pem', 'src/d.crt', 'src/e.bak']) {
      mkdirSync(join(dir, rel, '..'), { recursive: true });
      writeFileSync(join(dir, rel), cert.pem);
    }
    const inventory = new Inventory(() => undefined);
    await inventory.start([dir], ['**/{vendor,third_party}', '**/*.{crt,bak}']);
    assert.deepEqual(inventory.entries().map((e) => e.uri.slice(pathToFileURL(dir).href.length + 1)), ['src/c.pem']);
    // A file created later under an excluded folder stays out too.
    writeFileSync(join(dir, 'vendor/new.pem'), cert.pem);
    inventory.changed([{ uri: pathToFileURL(join(dir, 'vendor/new.pem')).href, deleted: false }]);
    assert.equal(inventory.size, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('inventory: a PKCS#12 keystore (.p12, and one without extension) is a pkcs12 entry with no malformed finding', async () => {
  const { spawnSync } = await import('node:child_process');
  const fixtures = join(__dirname, '../../../../test/fixtures/pki');
  const dir = mkdtempSync(join(tmpdir(), 'inventory-p12-'));
  try {
    for (const out of ['keystore.p12', 'keystore']) {
      const r = spawnSync('openssl', ['pkcs12', '-export', '-in', join(fixtures, 'leaf.crt'), '-inkey', join(fixtures, 'leaf.key'), '-passout', 'pass:s3cret', '-out', join(dir, out)], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    }
    const inventory = new Inventory(() => undefined);
    await inventory.start([dir], []);
    const entries = inventory.entries().map((e) => [e.uri.slice(pathToFileURL(dir).href.length + 1), e.kind, e.name, e.findings.map((f) => f.code)]);
    assert.deepEqual(entries.sort(), [['keystore', 'pkcs12', 'PKCS#12 keystore', []], ['keystore.p12', 'pkcs12', 'PKCS#12 keystore', []]]);
    const reports = await inventory.report(new Map(), () => false);
    assert.deepEqual(reports.flatMap((r) => (r.findings === 'unchanged' ? [] : r.findings.map((f) => f.code))), [], 'workspace diagnostics: no malformed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('inventory: a 3 GiB dump in the workspace is not read, and costs the other files nothing (sparse file)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'inventory-dump-'));
  try {
    const cert = await makeCert({ cn: 'dump.test', dns: ['dump.test'], to: 300 });
    writeFileSync(join(dir, 'a.pem'), cert.pem);
    writeFileSync(join(dir, 'dump.bin'), '');
    truncateSync(join(dir, 'dump.bin'), 3 * 1024 ** 3);
    const inventory = new Inventory(() => undefined);
    await inventory.start([dir], []);
    const names = () => inventory.entries().map((e) => e.uri.slice(pathToFileURL(dir).href.length + 1)).sort();
    assert.deepEqual(names(), ['a.pem']);
    // A file that comes after the dump was met is read as well (a buffer grown for the dump broke every read after it).
    writeFileSync(join(dir, 'b.pem'), cert.pem);
    inventory.changed([{ uri: pathToFileURL(join(dir, 'b.pem')).href, deleted: false }]);
    assert.deepEqual(names(), ['a.pem', 'b.pem']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('inventory: indexing again finds a file read before unchanged by size and mtime and skips it, unless forced (the warning window changed): then every file is read again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'inventory-again-'));
  try {
    const soon = await makeCert({ cn: 'soon.test', dns: ['soon.test'], from: -300, to: 45 });
    const other = await makeCert({ cn: 'other.test', dns: ['other.test'], to: 300 });
    const [a, b] = [join(dir, 'a.crt'), join(dir, 'b.crt')];
    const write = (path: string, text: string) => {
      writeFileSync(path, text);
      utimesSync(path, 1_700_000_000, 1_700_000_000);
    };
    write(a, soon.pem);
    write(b, other.pem);
    const inventory = new Inventory(() => undefined);
    await inventory.start([dir], []);
    const rows = () => inventory.entries().map((e) => [e.name, e.findings.map((f) => f.code)]);
    assert.deepEqual(rows(), [['soon.test', []], ['other.test', []]]);
    // b.crt loses its certificate with the same size and mtime: only a file read again can tell.
    write(b, 'x'.repeat(other.pem.length));
    await inventory.start([dir], []);
    assert.deepEqual(rows(), [['soon.test', []], ['other.test', []]], 'unchanged by size and mtime: not read again');
    inventory.expiryWarningDays = 60;
    await inventory.restart();
    assert.deepEqual(rows(), [['soon.test', ['expiring-soon']]], 'forced: both files read again');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('inventory: a file of many blocks, each with a finding, is indexed in time linear in its blocks (it was quadratic: 20,000 took 26 s)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'inventory-many-'));
  try {
    const time = (blocks: number) => {
      const path = join(dir, `${blocks}.pem`);
      writeFileSync(path, '-----BEGIN CERTIFICATE-----\n'.repeat(blocks));
      const t = performance.now();
      const found = indexFile(path, pathToFileURL(path).href, 30)!;
      const ms = performance.now() - t;
      assert.equal(found.entries.length, blocks);
      assert.ok(found.entries.every((e) => e.findings.length === 1 && e.findings[0].code === 'malformed'));
      return ms;
    };
    time(2_000);
    // Four times the blocks: about four times the time when linear, sixteen when quadratic.
    const ratio = time(24_000) / time(6_000);
    assert.ok(ratio < 10, `24,000 blocks took ${ratio.toFixed(1)}× the time of 6,000`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
