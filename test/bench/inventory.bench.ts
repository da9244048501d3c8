// The language server's workspace inventory (the Certificates view, workspace diagnostics) on the
// generated tree of the scan bench: 50,000 files, 1,000 of them with certificates. Per round, a
// fresh `node dist/server.js --stdio`: time to the first entries and to the full inventory, the
// server's RSS (peak, sampled, and at the end), and the longest wait for a `workspace/diagnostic`
// answer while it indexes (the server keeps answering). Baseline in the same run, alternated:
// `ncloud-pki scan --json` as a whole process on the same tree (walks, reads, decodes and lints
// the same blocks), so the figure is a ratio. With NCLOUD_PKI_BENCH_BASELINE=DIR (a checkout of
// another commit, built with `node esbuild.config.mjs --production`), its dist/server.js runs in
// every round too, alternated with this one: time to the full inventory and the server's CPU time
// while indexing (from /proc, 10 ms ticks), as ratios this/baseline.
//   node out/test/bench/inventory.bench.js [FILES] [WITH_CERTS]     (default 50000 1000)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InventoryNotification, StatsRequest } from '../../src/language/protocol';
import { LspClient } from '../unit/language/lsp';
import { median, ROOT } from './bundle';
import { makeTree } from './tree';

const FILES = Number(process.argv[2] ?? 50_000);
const WITH_CERTS = Number(process.argv[3] ?? 1_000);
const ROUNDS = Number(process.env.INVENTORY_BENCH_ROUNDS ?? 5);
const BASELINE = process.env.NCLOUD_PKI_BENCH_BASELINE;

interface Round {
  first: number;
  full: number;
  entries: number;
  peakRss: number;
  endRss: number;
  maxWait: number;
  /** CPU time of the server from inventoryStart to the full inventory, ms. */
  cpu: number;
}

/** CPU time (user + system) of a process so far, ms, from /proc (NaN elsewhere). */
function cpuOf(pid: number): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return NaN;
  }
}

async function inventoryRound(dir: string, root = ROOT): Promise<Round> {
  const lsp = new LspClient(['--stdio'], join(root, 'dist/server.js'));
  await lsp.initialize({ debounceMs: 0 });
  const started = performance.now();
  const cpu0 = cpuOf(lsp.child.pid!);
  let cpu = NaN;
  let first = NaN;
  let entries = 0;
  let peakRss = 0;
  let maxWait = 0;
  let done = false;
  const all = new Map<string, number>();
  const finished = new Promise<number>((resolve) => {
    const check = () => {
      for (const n of lsp.notifications.splice(0)) {
        if (n.method !== 'ncloudPki/inventory') {
          continue;
        }
        const p = n.params as InventoryNotification.Params;
        for (const f of p.files) {
          all.set(f.uri, f.entries.length);
        }
        if (Number.isNaN(first) && all.size) {
          first = performance.now() - started;
        }
        if (p.done) {
          cpu = cpuOf(lsp.child.pid!) - cpu0;
          done = true;
          resolve(performance.now() - started);
          return;
        }
      }
      setTimeout(check, 5);
    };
    check();
  });
  lsp.notify('ncloudPki/inventoryStart', { roots: [dir], exclude: [] });
  // While it indexes: a workspace/diagnostic pull and a stats request every 100 ms.
  const probe = (async () => {
    while (!done) {
      const t = performance.now();
      await lsp.request('workspace/diagnostic', { previousResultIds: [] });
      maxWait = Math.max(maxWait, performance.now() - t);
      peakRss = Math.max(peakRss, (await lsp.request<StatsRequest.Result>('ncloudPki/stats', null)).rss);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const full = await finished;
  await probe;
  const stats = await lsp.request<StatsRequest.Result>('ncloudPki/stats', null);
  entries = [...all.values()].reduce((a, b) => a + b, 0);
  await lsp.stop();
  return { first, full, entries, peakRss: Math.max(peakRss, stats.rss), endRss: stats.rss, maxWait, cpu };
}

function scanRound(dir: string): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), 'scan', '--json', '.'], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0 && r.status !== 1) {
    throw new Error(`scan exited ${r.status}: ${r.stderr}`);
  }
  return performance.now() - t;
}

async function main(): Promise<void> {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(base, 'inventory-bench-'));
  try {
    const blocks = makeTree(dir, FILES, WITH_CERTS);
    console.log(`tree: ${FILES} files, ${WITH_CERTS} of them with ${blocks} blocks, on ${base}`);
    const rounds: Round[] = [];
    const baseline: Round[] = [];
    const scans: number[] = [];
    for (let i = 0; i <= ROUNDS; i++) {
      // With a baseline, the two servers take turns going first.
      let inv: Round;
      let theirs: Round | undefined;
      if (BASELINE && i % 2) {
        theirs = await inventoryRound(dir, BASELINE);
        inv = await inventoryRound(dir);
      } else {
        inv = await inventoryRound(dir);
        theirs = BASELINE ? await inventoryRound(dir, BASELINE) : undefined;
      }
      const scan = scanRound(dir);
      if (inv.entries !== blocks || (theirs && theirs.entries !== blocks)) {
        throw new Error(`the inventory holds ${inv.entries} blocks (baseline ${theirs?.entries}); the tree has ${blocks}`);
      }
      if (i > 0) {
        // Round 0 warms the page cache.
        rounds.push(inv);
        scans.push(scan);
        if (theirs) {
          baseline.push(theirs);
        }
      }
    }
    const m = (f: (r: Round) => number) => median(rounds.map(f));
    const mb = (x: number) => `${(x / 1048576).toFixed(0)} MB`;
    console.log(`inventory: first entries ${m((r) => r.first).toFixed(0)} ms, full inventory ${m((r) => r.full).toFixed(0)} ms (min–max ${Math.min(...rounds.map((r) => r.full)).toFixed(0)}–${Math.max(...rounds.map((r) => r.full)).toFixed(0)}), ${blocks} blocks (median of ${ROUNDS})`);
    console.log(`server memory: peak RSS ${mb(m((r) => r.peakRss))}, RSS after ${mb(m((r) => r.endRss))}`);
    console.log(`longest workspace/diagnostic answer while indexing: ${m((r) => r.maxWait).toFixed(0)} ms (median of the rounds' maxima)`);
    console.log(`baseline: ncloud-pki scan --json, whole process: ${median(scans).toFixed(0)} ms; inventory/scan: ${(m((r) => r.full) / median(scans)).toFixed(2)}×`);
    if (baseline.length) {
      const b = (f: (r: Round) => number) => median(baseline.map(f));
      const range = (rs: Round[], f: (r: Round) => number) => `${Math.min(...rs.map(f)).toFixed(0)}–${Math.max(...rs.map(f)).toFixed(0)}`;
      console.log(`against ${BASELINE} (alternated, median of ${ROUNDS}):`);
      console.log(`  full inventory ${m((r) => r.full).toFixed(0)} ms (${range(rounds, (r) => r.full)}) vs ${b((r) => r.full).toFixed(0)} ms (${range(baseline, (r) => r.full)}): ${(m((r) => r.full) / b((r) => r.full)).toFixed(2)}×`);
      console.log(`  server CPU while indexing ${m((r) => r.cpu).toFixed(0)} ms (${range(rounds, (r) => r.cpu)}) vs ${b((r) => r.cpu).toFixed(0)} ms (${range(baseline, (r) => r.cpu)}): ${(m((r) => r.cpu) / b((r) => r.cpu)).toFixed(2)}×`);
      console.log(`  first entries ${m((r) => r.first).toFixed(0)} vs ${b((r) => r.first).toFixed(0)} ms; longest workspace/diagnostic answer ${m((r) => r.maxWait).toFixed(0)} vs ${b((r) => r.maxWait).toFixed(0)} ms; peak RSS ${mb(m((r) => r.peakRss))} vs ${mb(b((r) => r.peakRss))}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
