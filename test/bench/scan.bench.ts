// `ncloud-pki scan` against the tools people would use instead, on one generated tree, whole
// processes, in one run: `rg -l -F -- '-----BEGIN' .` (ripgrep: `apt-get install ripgrep`) and
// `grep -rlF -- '-----BEGIN' .`. They only list files; scan also decodes and lints every block.
// Goal: wall time within 1.5× of rg and below grep. Wall times are medians of interleaved rounds
// (after one warm-up round that fills the page cache); CPU time (user + system, all threads) is
// shown too because this machine is shared and CPU time is what contention does not inflate.
//   node out/test/bench/scan.bench.js [FILES] [WITH_CERTS]     (default 50000 1000)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, ROOT } from './bundle';
import { makeTree } from './tree';

const FILES = Number(process.argv[2] ?? 50_000);
const WITH_CERTS = Number(process.argv[3] ?? 1_000);
const ROUNDS = 7;
const CLI = join(ROOT, 'dist/cli.js');

const time = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Runs a command once; returns wall ms, CPU ms (when /usr/bin/time is there) and its stdout. */
function once(cmd: string, args: string[], cwd: string): { wall: number; cpu: number; stdout: string } {
  const t = performance.now();
  const r = time ? spawnSync(time, ['-f', '%U %S', cmd, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 }) : spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = performance.now() - t;
  if (r.status !== 0 && !(cmd === 'grep' && r.status === 1)) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  const m = /(\d+\.\d+) (\d+\.\d+)\s*$/.exec(r.stderr ?? '');
  return { wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN, stdout: r.stdout };
}

function has(cmd: string): boolean {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).status === 0;
}

function main(): void {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(base, 'scan-bench-'));
  try {
    const t = performance.now();
    const expected = makeTree(dir, FILES, WITH_CERTS);
    const size = execFileSync('du', ['-sh', dir], { encoding: 'utf8' }).split('\t')[0];
    console.log(`tree: ${FILES} files (${size}), ${WITH_CERTS} of them with ${expected} blocks (certificates, keys; PEM, YAML, JSON, .env, Kubernetes base64); made in ${((performance.now() - t) / 1000).toFixed(1)} s on ${base}`);
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
    const runs = new Map(tools.map((x) => [x.name, [] as { wall: number; cpu: number }[]]));
    for (let round = 0; round <= ROUNDS; round++) {
      for (const tool of tools) {
        const r = once(tool.cmd, tool.args, dir);
        if (round === 0) {
          // Warm-up; also check that everyone found what is there.
          if (tool.cmd === process.execPath) {
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
    const ours = median(runs.get('ncloud-pki scan')!.map((r) => r.wall));
    const oursCpu = median(runs.get('ncloud-pki scan')!.map((r) => r.cpu));
    for (const tool of tools) {
      const wall = median(runs.get(tool.name)!.map((r) => r.wall));
      const cpu = median(runs.get(tool.name)!.map((r) => r.cpu));
      const vs = tool.cmd === process.execPath ? '' : `; scan/${tool.name.split(' ')[0]}: wall ${(ours / wall).toFixed(2)}×, CPU ${(oursCpu / cpu).toFixed(2)}×`;
      console.log(`${tool.name.padEnd(16)} wall ${wall.toFixed(0).padStart(5)} ms, CPU ${cpu.toFixed(0).padStart(5)} ms (median of ${ROUNDS})${vs}`);
    }
    const rg = runs.get('rg -l -F');
    const grep = runs.get('grep -rlF');
    if (rg && grep) {
      const rgWall = median(rg.map((r) => r.wall));
      const grepWall = median(grep.map((r) => r.wall));
      console.log(`goal: within 1.5× of rg (${ours / rgWall <= 1.5 ? 'met' : 'NOT met'}: ${(ours / rgWall).toFixed(2)}×), faster than grep (${ours < grepWall ? 'met' : 'NOT met'}: ${(ours / grepWall).toFixed(2)}×)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
