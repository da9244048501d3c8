// A large certificate bundle for benchmarks, made from a committed fixture.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanPem, toPem } from '../../src/pki';

export const ROOT = join(__dirname, '../../..');
export const FIX = join(ROOT, 'test/fixtures/pki');

/** `count` distinct certificates: the leaf fixture with the last 4 bytes of its 20-byte serial rewritten. */
export function generatedBundle(count: number): string {
  const leaf = scanPem(readFileSync(join(FIX, 'leaf.crt'), 'utf8'))[0].der!;
  const serial = Buffer.from('3f0a1b2c3d4e5f60718293a4b5c6d7e8f9000102', 'hex');
  const at = Buffer.from(leaf).indexOf(serial);
  let out = '';
  for (let i = 0; i < count; i++) {
    const d = Uint8Array.from(leaf);
    d[at + 16] = (i >> 24) & 0xff;
    d[at + 17] = (i >> 16) & 0xff;
    d[at + 18] = (i >> 8) & 0xff;
    d[at + 19] = i & 0xff;
    out += toPem(d, 'CERTIFICATE');
  }
  return out;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))];
}

/** Median, min and max of a list of timings. */
export function spread(xs: number[]): { median: number; min: number; max: number } {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

/**
 * What a row is held to: a number is "ratio A/B at most"; `max`/`min` bound the ratio; `rate` is a
 * floor for A's rate per second (rows timed with `per`).
 */
export type Goal = number | { max?: number; min?: number; rate?: number };

type Spread = ReturnType<typeof spread>;

/** Whether a ratio (and A's rate) meets a goal, and the goal in words. */
function judge(goal: Goal, ratio: number, rate?: number): { met: boolean; words: string } {
  const g = typeof goal === 'number' ? { max: goal } : goal;
  const parts: string[] = [];
  let met = true;
  if (g.max !== undefined) {
    parts.push(`ratio ≤ ${g.max}×`);
    met &&= ratio <= g.max;
  }
  if (g.min !== undefined) {
    parts.push(`ratio ≥ ${g.min}×`);
    met &&= ratio >= g.min;
  }
  if (g.rate !== undefined) {
    parts.push(`≥ ${g.rate.toLocaleString('en-US')} /s`);
    met &&= rate !== undefined && rate >= g.rate;
  }
  return { met, words: parts.join(', ') };
}

/**
 * Rows held to a goal are also appended, one JSON line each, to the file named by
 * NCLOUD_PKI_BENCH_RESULTS: `npm run bench` (run.mjs) prints them as one table at the end.
 */
export function report(name: string, figure: string, goal: string, met: boolean): void {
  const file = process.env.NCLOUD_PKI_BENCH_RESULTS;
  if (file) {
    appendFileSync(file, `${JSON.stringify({ name, figure, goal, met })}\n`);
  }
}

function verdict(goal: Goal | undefined, ratio: number, rate?: number, name?: string, figure?: string): string {
  if (goal === undefined) {
    return '';
  }
  const { met, words } = judge(goal, ratio, rate);
  if (name !== undefined) {
    report(name, figure ?? `${ratio.toFixed(2)}×`, words, met);
  }
  return `  goal ${words}: ${met ? 'met' : 'NOT met'}`;
}

/**
 * Prints one row of a goal that is not a timing pair (memory, a percentile): the figure, what it
 * is compared with, and the verdict. Returns the ratio.
 */
export function goalRow(name: string, figure: string, ratio: number, goal: Goal, note = ''): number {
  console.log(`${name}: ${figure}, ratio ${ratio.toFixed(2)}×${verdict(goal, ratio, undefined, name, `${figure}: ${ratio.toFixed(2)}×`)}${note ? `  [${note}]` : ''}`);
  return ratio;
}

/** Prints one row of a goal stated in absolute terms (a latency percentile): the figure, the goal, the verdict. */
export function limitRow(name: string, value: number, unit: string, max: number, note = ''): void {
  report(name, `${value.toFixed(1)} ${unit}${note ? ` (${note})` : ''}`, `≤ ${max} ${unit}`, value <= max);
  console.log(`${name}: ${value.toFixed(1)} ${unit}  goal ≤ ${max} ${unit}: ${value <= max ? 'met' : 'NOT met'}${note ? `  [${note}]` : ''}`);
}

/** One row from A's and B's timings: the ratio of the median times; with `per` (operations per call) each side's rate too. */
function row(a: string, b: string, ta: number[], tb: number[], rounds: number, goal?: Goal, per?: number): number {
  const sa = spread(ta);
  const sb = spread(tb);
  if (per === undefined) {
    const ratio = sa.median / sb.median;
    const fmt = (x: Spread) => `${x.median.toFixed(1)} ms (${x.min.toFixed(1)}–${x.max.toFixed(1)})`;
    console.log(`${a}: ${fmt(sa)} vs ${b}: ${fmt(sb)}, ratio ${ratio.toFixed(2)}×${verdict(goal, ratio, undefined, `${a} vs ${b}`, `${ratio.toFixed(2)}× (${sa.median.toFixed(1)} vs ${sb.median.toFixed(1)} ms)`)}  [median (min–max) of ${rounds}, alternated]`);
    return ratio;
  }
  const rate = (ms: number) => (per * 1000) / ms;
  const ratio = sa.median / sb.median;
  const fmt = (x: Spread) => `${x.median.toFixed(1)} ms (${x.min.toFixed(1)}–${x.max.toFixed(1)}), ${rate(x.median).toFixed(1)}/s`;
  console.log(`${a}: ${fmt(sa)} vs ${b}: ${fmt(sb)}, ratio ${ratio.toFixed(2)}×${verdict(goal, ratio, rate(sa.median), `${a} vs ${b}`, `${rate(sa.median).toFixed(0)}/s, ${ratio.toFixed(2)}× (${sa.median.toFixed(1)} vs ${sb.median.toFixed(1)} ms per ${per})`)}  [median (min–max) of ${rounds} batches of ${per}, alternated]`);
  return ratio;
}

/**
 * Times A and B alternately (ABAB…, after one warm-up each) so drift in machine load hits both
 * alike, and prints one row: medians with min–max, the ratio A/B and the goal it is held to.
 * Returns the ratio of the medians.
 */
export function compare(a: string, b: string, fa: () => void, fb: () => void, rounds: number, goal?: Goal): number {
  fa();
  fb();
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < rounds; i++) {
    for (const [f, out] of i % 2 ? ([[fb, tb], [fa, ta]] as const) : ([[fa, ta], [fb, tb]] as const)) {
      const t = performance.now();
      f();
      out.push(performance.now() - t);
    }
  }
  return row(a, b, ta, tb, rounds, goal);
}

/**
 * `compare()` for asynchronous work: A and B alternate (ABAB…, after one warm-up each unless
 * `warm: false`), one row is printed with medians, min–max, the ratio A/B of the median times and
 * its goal. With `per` (operations per call) the row also gives each side's median rate, and a
 * `rate` goal holds A's. `untimed` runs before every call, outside the timing (clean-up).
 */
export async function compareAsync(
  a: string,
  b: string,
  fa: () => Promise<unknown>,
  fb: () => Promise<unknown>,
  rounds: number,
  o: { goal?: Goal; per?: number; warm?: boolean; untimed?: () => Promise<unknown> } = {},
): Promise<{ ratio: number; a: number; b: number }> {
  if (o.warm !== false) {
    await fa();
    await fb();
  }
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < rounds; i++) {
    for (const [f, out] of i % 2 ? ([[fb, tb], [fa, ta]] as const) : ([[fa, ta], [fb, tb]] as const)) {
      await o.untimed?.();
      const t = performance.now();
      await f();
      out.push(performance.now() - t);
    }
  }
  return { ratio: row(a, b, ta, tb, rounds, o.goal, o.per), a: median(ta), b: median(tb) };
}

/** Runs `fn` `n` times with `concurrency` calls in flight. */
export async function inFlight(n: number, concurrency: number, fn: () => Promise<unknown>): Promise<void> {
  let left = n;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0) {
        await fn();
      }
    }),
  );
}

/**
 * The production emulator as users run it (`node dist/cli.js emulator`), on a free loopback port,
 * with its state in `dataDir`; stopped by its pid.
 */
export async function emulatorProcess(dataDir: string, keys: { accessKey: string; secretKey: string }): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const emu = spawn(process.execPath, [join(ROOT, 'dist/cli.js'), 'emulator', '--port', '0', '--data', dataDir, '--quiet', '--access-key', keys.accessKey, '--secret-key', keys.secretKey], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    emu.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) {
        resolve(m[1]);
      }
    });
    emu.once('exit', (c) => reject(new Error(`emulator exited ${c}`)));
  });
  return {
    url,
    pid: emu.pid!,
    stop: async () => {
      emu.kill('SIGTERM');
      await new Promise((r) => emu.once('exit', r));
    },
  };
}

/**
 * One run of a whole process: wall ms and CPU ms (user + system, every thread), both taken from the
 * child alone by a python3 `os.wait4` wrapper (rusage to the microsecond; /proc and /usr/bin/time
 * give 10 ms ticks, too coarse for a 40 ms process). Without python3, CPU is NaN.
 */
export function runProcess(argv: string[], env: Record<string, string>): { wall: number; cpu: number } {
  const t = performance.now();
  const r = spawnSync(PY ?? argv[0], PY ? ['-c', WAIT4, ...argv] : argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env, encoding: 'utf8' });
  const wall = performance.now() - t;
  if (r.status !== 0) {
    throw new Error(`${argv.join(' ')}: exit ${r.status}: ${r.stderr}`);
  }
  const m = /^TIMES (\S+) (\S+)$/m.exec(r.stderr);
  if (PY && !m) {
    throw new Error(`no timing from the wrapper: ${r.stderr}`);
  }
  return m ? { wall: Number(m[1]), cpu: Number(m[2]) } : { wall, cpu: NaN };
}

const WAIT4 = `import os, sys, time
t = time.perf_counter()
pid = os.spawnv(os.P_NOWAIT, sys.argv[1], sys.argv[1:])
_, st, ru = os.wait4(pid, 0)
wall = (time.perf_counter() - t) * 1000
code = os.waitstatus_to_exitcode(st)
sys.stderr.write('TIMES %.3f %.3f\\n' % (wall, (ru.ru_utime + ru.ru_stime) * 1000))
sys.exit(code)
`;
const PY = spawnSync('python3', ['-c', 'import os; os.wait4; os.waitstatus_to_exitcode'], { stdio: 'ignore' }).status === 0 ? 'python3' : undefined;

/**
 * Whole processes A and B alternated (ABAB…, one warm-up each): two rows, CPU time (what contention
 * on a shared machine does not inflate) and wall. The goal is held by the CPU ratio.
 */
export function compareProcesses(a: string, b: string, argvA: string[], argvB: string[], rounds: number, goal: Goal, env: Record<string, string>): number {
  runProcess(argvA, env);
  runProcess(argvB, env);
  const ra: { wall: number; cpu: number }[] = [];
  const rb: { wall: number; cpu: number }[] = [];
  for (let i = 0; i < rounds; i++) {
    if (i % 2) {
      rb.push(runProcess(argvB, env));
      ra.push(runProcess(argvA, env));
    } else {
      ra.push(runProcess(argvA, env));
      rb.push(runProcess(argvB, env));
    }
  }
  const cpu = PY ? row(`${a} (CPU)`, b, ra.map((x) => x.cpu), rb.map((x) => x.cpu), rounds, goal) : NaN;
  const wall = row(`${a} (wall)`, b, ra.map((x) => x.wall), rb.map((x) => x.wall), rounds, PY ? undefined : goal);
  return PY ? cpu : wall;
}
