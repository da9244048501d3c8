// A large certificate bundle for benchmarks, made from a committed fixture.
import { readFileSync } from 'node:fs';
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
 * Times A and B alternately (ABAB…, after one warm-up each) so drift in machine load hits both
 * alike, and prints one row: medians with min–max, the ratio A/B and the goal it is held to.
 * Returns the ratio of the medians.
 */
export function compare(a: string, b: string, fa: () => void, fb: () => void, rounds: number, goal?: number): number {
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
  const sa = spread(ta);
  const sb = spread(tb);
  const ratio = sa.median / sb.median;
  const fmt = (s: { median: number; min: number; max: number }) => `${s.median.toFixed(1)} ms (${s.min.toFixed(1)}–${s.max.toFixed(1)})`;
  const verdict = goal === undefined ? '' : `  goal ≤ ${goal}× ${ratio <= goal ? 'met' : 'NOT met'}`;
  console.log(`${a}: ${fmt(sa)} vs ${b}: ${fmt(sb)}, ratio ${ratio.toFixed(2)}×${verdict}  [median (min–max) of ${rounds}, alternated]`);
  return ratio;
}

/**
 * `compare()` for asynchronous work: A and B alternate (ABAB…, after one warm-up each), one row is
 * printed with medians, min–max, the ratio A/B of the medians and its goal. With `per` (operations
 * per call) the row also gives each side's median rate.
 */
export async function compareAsync(a: string, b: string, fa: () => Promise<unknown>, fb: () => Promise<unknown>, rounds: number, o: { goal?: number; per?: number } = {}): Promise<{ ratio: number; a: number; b: number }> {
  await fa();
  await fb();
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < rounds; i++) {
    for (const [f, out] of i % 2 ? ([[fb, tb], [fa, ta]] as const) : ([[fa, ta], [fb, tb]] as const)) {
      const t = performance.now();
      await f();
      out.push(performance.now() - t);
    }
  }
  const sa = spread(ta);
  const sb = spread(tb);
  const ratio = sa.median / sb.median;
  const rate = (ms: number) => (o.per ? `, ${((o.per * 1000) / ms).toFixed(o.per * 1000 / ms < 100 ? 1 : 0)}/s` : '');
  const fmt = (s: { median: number; min: number; max: number }) => `${s.median.toFixed(1)} ms (${s.min.toFixed(1)}–${s.max.toFixed(1)})${rate(s.median)}`;
  const verdict = o.goal === undefined ? '' : `  goal ≤ ${o.goal}× ${ratio <= o.goal ? 'met' : 'NOT met'}`;
  console.log(`${a}: ${fmt(sa)} vs ${b}: ${fmt(sb)}, ratio ${ratio.toFixed(2)}×${verdict}  [median (min–max) of ${rounds}, alternated]`);
  return { ratio, a: sa.median, b: sb.median };
}
