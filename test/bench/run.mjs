// `npm run bench`: builds the production bundles and the benches (minified, no sourcemaps, like
// the bundles users run), then runs every test/bench/*.bench.ts in turn, or those named on the
// command line (`npm run bench -- cli language`). `--quick` sets NCLOUD_PKI_BENCH_QUICK for each
// bench: fewer rounds (the CLI rows) for a faster, noisier pass (benches keep their own arguments). Each bench prints rates and ratios against a baseline
// it measures in the same run (A and B alternated: the machines are noisy, so only ratios are
// comparable); every row held to a goal is printed again at the end, in one table.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../host/host.mjs';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const only = argv.filter((a) => !a.startsWith('--'));
const load = () => `load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores`;
// The bundles users run: production (minified, no sourcemaps), as `npm run package` builds them.
for (const args of [['esbuild.config.mjs', '--production'], ['esbuild.config.mjs', '--tests', '--production']]) {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    process.exit(r.status ?? 1);
  }
}
const dir = join(ROOT, 'out/test/bench');
const benches = readdirSync(dir).filter((f) => f.endsWith('.bench.js') && (only.length === 0 || only.some((o) => f.startsWith(o))));
const tmp = mkdtempSync(join(tmpdir(), 'bench-results-'));
const results = join(tmp, 'rows.jsonl');
const started = Date.now();
let failed = 0;
const times = [];
for (const f of benches) {
  const name = f.replace('.bench.js', '');
  console.log(`\n=== ${name} (${load()})`);
  const t = Date.now();
  const r = spawnSync(process.execPath, ['--expose-gc', join(dir, f)], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NCLOUD_PKI_BENCH_RESULTS: results, ...(quick ? { NCLOUD_PKI_BENCH_QUICK: '1' } : {}) } });
  times.push(`${name} ${((Date.now() - t) / 1000).toFixed(0)} s${r.status === 0 ? '' : ` (exit ${r.status})`}`);
  failed += r.status === 0 ? 0 : 1;
}
let rows = [];
try {
  rows = readFileSync(results, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
} catch {
  // no row had a goal
}
rmSync(tmp, { recursive: true, force: true });
console.log(`\n=== goals (${rows.filter((r) => r.met).length} of ${rows.length} met; ${load()})`);
for (const r of rows) {
  console.log(`${r.met ? 'met    ' : 'NOT met'}  ${r.name}: ${r.figure}; goal ${r.goal}`);
}
console.log(`\n${times.join(', ')}; total ${((Date.now() - started) / 1000).toFixed(0)} s${failed ? `; ${failed} bench(es) failed` : ''}`);
process.exit(failed ? 1 : 0);
