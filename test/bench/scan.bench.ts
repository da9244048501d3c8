// `ncloud-pki scan` against the tools people would use instead, on one generated tree, whole
// processes, in one run: `rg -l -F -- '-----BEGIN' .` (ripgrep: `apt-get install ripgrep`) and
// `grep -rlF -- '-----BEGIN' .`. They only list files; scan also decodes and lints every block.
// Goal: wall time within 1.5× of rg and below grep. Wall times are medians of interleaved rounds
// (after one warm-up round that fills the page cache); CPU time (user + system, all threads) is
// shown too because this machine is shared and CPU time is what contention does not inflate
// (/usr/bin/time: 10 ms resolution). rg runs several threads, scan two (past 4,096 files), grep one.
// A last row, "Node floor", is a reference, not a tool: the least a Node process can do on this tree
// (see FLOOR), to tell what scan's own work costs from what Node costs.
//   node out/test/bench/scan.bench.js [FILES] [WITH_CERTS]     (default 50000 1000)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { report, ROOT, spread } from './bundle';
import { makeTree } from './tree';

const FILES = Number(process.argv[2] ?? 50_000);
const WITH_CERTS = Number(process.argv[3] ?? 1_000);
const ROUNDS = Number(process.env.SCAN_BENCH_ROUNDS ?? 9);
const CLI = join(ROOT, 'dist/cli.js');

const time = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
// Every tool gets the same small environment, as in cli.bench.ts: nothing of this machine's own
// settings (NODE_EXTRA_CA_CERTS makes every Node process read a 220 KB bundle at start-up; LANG
// changes grep's matcher) weighs on one side only.
const ENV = { PATH: process.env.PATH ?? '', HOME: tmpdir() };

/** Runs a command once; returns wall ms, CPU ms (when /usr/bin/time is there) and its stdout. */
function once(cmd: string, args: string[], cwd: string): { wall: number; cpu: number; system: number; stdout: string } {
  const t = performance.now();
  const r = time ? spawnSync(time, ['-f', '%U %S', cmd, ...args], { cwd, env: ENV, encoding: 'utf8', maxBuffer: 1 << 28 }) : spawnSync(cmd, args, { cwd, env: ENV, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = performance.now() - t;
  if (r.status !== 0 && !(cmd === 'grep' && r.status === 1)) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  const m = /(\d+\.\d+) (\d+\.\d+)\s*$/.exec(r.stderr ?? '');
  return { wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN, system: m ? Number(m[2]) * 1000 : NaN, stdout: r.stdout };
}

// The least a Node process can do here, for reference: walk on the main thread while a worker
// starts, then both threads open, read and close half of the files each. No marker search, no
// decoding, no output: what is left of scan's time once its own work is taken away.
const FLOOR = `const { Worker, isMainThread, parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const buf = Buffer.allocUnsafe(1 << 20);
const readAll = (paths) => { let n = 0; for (const p of paths) { const fd = fs.openSync(p, 'r'); n += fs.readSync(fd, buf, 0, buf.length, 0); fs.closeSync(fd); } return n; };
if (isMainThread) {
  const worker = new Worker(__filename);
  const files = [];
  const visit = (dir) => { for (const e of fs.readdirSync(dir, { withFileTypes: true })) { const p = dir === '.' ? e.name : dir + '/' + e.name; if (e.isDirectory()) visit(p); else if (e.isFile()) files.push(p); } };
  visit('.');
  const half = files.length >> 1;
  worker.postMessage(files.slice(0, half));
  readAll(files.slice(half));
  worker.on('message', (n) => { process.stdout.write(files.length + ' files\\n'); worker.terminate(); });
} else {
  parentPort.on('message', (paths) => parentPort.postMessage(readAll(paths)));
}
`;

function has(cmd: string): boolean {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
}

function main(): void {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(base, 'scan-bench-'));
  const floor = `${dir}-floor.js`;
  try {
    writeFileSync(floor, FLOOR);
    const t = performance.now();
    const expected = makeTree(dir, FILES, WITH_CERTS);
    const size = execFileSync('du', ['-sh', dir], { encoding: 'utf8' }).split('\t')[0];
    console.log(`tree: ${FILES} files (${size}), ${WITH_CERTS} of them with ${expected} blocks (certificates, keys; PEM, YAML, JSON, .env, Kubernetes base64); made in ${((performance.now() - t) / 1000).toFixed(1)} s on ${base}`);
    console.log(`environment of every tool: PATH and HOME only (this machine sets NODE_EXTRA_CA_CERTS=${process.env.NODE_EXTRA_CA_CERTS ?? '(unset)'}, LANG=${process.env.LANG ?? '(unset)'})`);
    const tools: { name: string; cmd: string; args: string[] }[] = [{ name: 'ncloud-pki scan', cmd: process.execPath, args: [CLI, 'scan'] }];
    for (const [name, cmd, args] of [
      ['rg -l -F', 'rg', ['-l', '-F', '--', '-----BEGIN', '.']],
      ['grep -rlF', 'grep', ['-rlF', '--', '-----BEGIN', '.']],
    ] as const) {
      if (has(cmd)) {
        tools.push({ name, cmd, args: [...args] });
      } else {
        console.log(`${cmd} is not installed: no comparison with it`);
      }
    }
    tools.push({ name: 'Node floor', cmd: process.execPath, args: [floor] });
    const runs = new Map(tools.map((x) => [x.name, [] as { wall: number; cpu: number; system: number }[]]));
    for (let round = 0; round <= ROUNDS; round++) {
      // The order turns each round, so no tool always runs right after another.
      for (const tool of round % 2 ? [...tools].reverse() : tools) {
        const r = once(tool.cmd, tool.args, dir);
        if (round === 0) {
          // Warm-up; also check that everyone found what is there.
          if (tool.name === 'Node floor') {
            if (r.stdout.trim() !== `${FILES} files`) {
              throw new Error(`the floor read ${r.stdout.trim()}; expected ${FILES} files`);
            }
          } else if (tool.cmd === process.execPath) {
            const m = /^(\d+) blocks .* in (\d+) files scanned$/m.exec(r.stdout);
            if (!m || Number(m[1]) !== expected || Number(m[2]) !== FILES) {
              throw new Error(`scan found ${m?.[1]} blocks in ${m?.[2]} files; expected ${expected} in ${FILES}`);
            }
          } else {
            console.log(`${tool.name}: lists ${r.stdout.trim().split('\n').length} files (the base64 Kubernetes values have no '-----BEGIN')`);
          }
          continue;
        }
        runs.get(tool.name)!.push(r);
      }
    }
    // Every row: median (min–max) of wall and CPU; against scan, the ratios of the medians.
    const fmt = (x: { median: number; min: number; max: number }) => `${x.median.toFixed(0).padStart(5)} ms (${x.min.toFixed(0)}–${x.max.toFixed(0)})`;
    const stats = new Map(tools.map((t) => [t.name, { wall: spread(runs.get(t.name)!.map((r) => r.wall)), cpu: spread(runs.get(t.name)!.map((r) => r.cpu)), system: spread(runs.get(t.name)!.map((r) => r.system)) }]));
    const ours = stats.get('ncloud-pki scan')!;
    console.log(`${'tool'.padEnd(16)} ${'wall'.padEnd(22)} ${'CPU (user+system, all threads)'.padEnd(30)} ${'of it system'.padEnd(14)} scan/tool wall, CPU   [median (min–max) of ${ROUNDS}, alternated]`);
    for (const tool of tools) {
      const st = stats.get(tool.name)!;
      const vs = tool === tools[0] ? '' : `${(ours.wall.median / st.wall.median).toFixed(2)}×, ${(ours.cpu.median / st.cpu.median).toFixed(2)}×`;
      console.log(`${tool.name.padEnd(16)} ${fmt(st.wall).padEnd(22)} ${fmt(st.cpu).padEnd(30)} ${`${st.system.median.toFixed(0)} ms`.padEnd(14)} ${vs}`);
    }
    const rg = stats.get('rg -l -F');
    const grep = stats.get('grep -rlF');
    if (rg && grep) {
      const toRg = ours.wall.median / rg.wall.median;
      const toGrep = ours.wall.median / grep.wall.median;
      const low = stats.get('Node floor')!;
      console.log(`Node floor (walk + open/read/close on two threads, nothing else): ${(low.wall.median / rg.wall.median).toFixed(2)}× rg, ${(low.wall.median / grep.wall.median).toFixed(2)}× grep (wall)`);
      console.log(`goal (wall): within 1.5× of rg (${toRg <= 1.5 ? 'met' : 'NOT met'}: ${toRg.toFixed(2)}×), faster than grep (${toGrep < 1 ? 'met' : 'NOT met'}: ${toGrep.toFixed(2)}×)`);
      const figure = (tool: typeof rg, r: number) => `${r.toFixed(2)}× (${ours.wall.median.toFixed(0)} vs ${tool.wall.median.toFixed(0)} ms wall; CPU ${(ours.cpu.median / tool.cpu.median).toFixed(2)}×)`;
      report(`\`ncloud-pki scan\` ${FILES} files (wall) vs rg -l -F`, figure(rg, toRg), 'ratio ≤ 1.5×', toRg <= 1.5);
      report(`\`ncloud-pki scan\` ${FILES} files (wall) vs grep -rlF`, figure(grep, toGrep), 'ratio < 1×', toGrep < 1);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(floor, { force: true });
  }
}

main();
