// `npm run bench`: builds the production bundles and the benches (minified, no sourcemaps, like
// the bundles users run), then runs every
// test/bench/*.bench.ts in turn (or those named on the command line, e.g. `npm run bench -- pki`).
// Each prints rates and ratios against a baseline it measures in the same run: the machines are
// noisy, so only ratios are comparable.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../host/host.mjs';

const only = process.argv.slice(2);
// The bundles users run: production (minified, no sourcemaps), as `npm run package` builds them.
for (const args of [['esbuild.config.mjs', '--production'], ['esbuild.config.mjs', '--tests', '--production']]) {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    process.exit(r.status ?? 1);
  }
}
const dir = join(ROOT, 'out/test/bench');
const benches = readdirSync(dir).filter((f) => f.endsWith('.bench.js') && (only.length === 0 || only.some((o) => f.startsWith(o))));
let failed = 0;
for (const f of benches) {
  console.log(`\n=== ${f.replace('.bench.js', '')} (load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores)`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(dir, f)], { cwd: ROOT, stdio: 'inherit' });
  failed += r.status === 0 ? 0 : 1;
}
process.exit(failed ? 1 : 0);
