// The fuzz suite of issue 12: seeded mutated inputs from the Debian CA bundle and our fixtures
// (fuzzCorpus.ts says how they are made) through the scanner, decoder, lint, the inspector's view
// model and the redaction. Asserted: no exception escapes, no private-key bytes survive redaction,
// no input takes disproportionately long (a ratio to the run's median, per byte for large inputs),
// and the heap after the run stays within a ratio of the heap before it.
// The unit tier runs 1,000 inputs; `npm run fuzz` runs 20,000 (`--count=N`, `--seed=S`, `--only=I`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describeInput, leakedKey, loadCorpus, makeInput, runPipeline } from './fuzzCorpus';
import { scanPem, toPem } from '../../../src/pki';
import { FIXTURES, fixture } from './helpers';

function arg(name: string): number | undefined {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a === undefined ? undefined : Number(a.slice(name.length + 3));
}

const SEED = arg('seed') ?? 0x12c0ffee;
const ONLY = arg('only');
const COUNT = arg('count') ?? 1000;
/** Too slow: this many times the run's median cost (time, per median-sized input for larger ones). */
const RATIO = 100;
/** Memory bounded: the heap after the run (after a full GC) within this ratio of the heap before. */
const HEAP_RATIO = 2;
const NOW = Date.parse('2026-06-01T00:00:00Z');

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const sizeOf = (x: string | Uint8Array) => x.length;

test(`fuzz corpus: ${ONLY !== undefined ? `input ${ONLY}` : `${COUNT} mutated inputs`} of seed ${SEED} through scan, decode, lint, view model and redaction`, async () => {
  const c = loadCorpus();
  const first = ONLY ?? 0;
  const count = ONLY !== undefined ? 1 : COUNT;
  const repro = (i: number) => `reproduce: node out/test/unit/pki/fuzz-corpus.test.js --seed=${SEED} --only=${i}`;
  // Warm-up (JIT, caches), then the heap the run starts from.
  for (let i = 0; i < Math.min(200, count); i++) {
    await runPipeline(makeInput(c, SEED ^ 0x5a5a, i), NOW).catch(() => undefined);
  }
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const times = new Float64Array(count);
  const sizes = new Float64Array(count);
  const failures: string[] = [];
  for (let k = 0; k < count && failures.length < 5; k++) {
    const i = first + k;
    const input = makeInput(c, SEED, i);
    sizes[k] = sizeOf(input);
    const t0 = performance.now();
    try {
      const out = await runPipeline(input, NOW);
      times[k] = performance.now() - t0;
      const leak = leakedKey(c, out);
      if (leak) {
        failures.push(`input ${i}: private-key bytes reach the webview (${leak}); ${repro(i)}\n  input: ${describeInput(input)}`);
      }
    } catch (err) {
      failures.push(`input ${i} threw: ${(err as Error).stack}\n  ${repro(i)}\n  input: ${describeInput(input)}`);
    }
  }
  assert.deepEqual(failures, [], `corpus: ${c.source}, ${c.der.length} DER seeds, ${c.texts.length} texts`);

  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  assert.ok(heapAfter / heapBefore < HEAP_RATIO, `heap grew from ${(heapBefore / 2 ** 20).toFixed(1)} to ${(heapAfter / 2 ** 20).toFixed(1)} MiB over ${count} inputs`);

  if (count < 100) {
    return;
  }
  // Cost: the time, per median-sized input for inputs larger than the median (a 200-block file may
  // take 200 times a one-block file, not more).
  const medianSize = [...sizes].sort((a, b) => a - b)[count >> 1];
  const cost = (k: number, ms: number) => ms / Math.max(1, sizes[k] / medianSize);
  const costs = Array.from(times, (ms, k) => cost(k, ms));
  const median = [...costs].sort((a, b) => a - b)[count >> 1];
  const limit = Math.max(RATIO * median, 1);
  const slow: string[] = [];
  for (let k = 0; k < count; k++) {
    if (costs[k] <= limit) {
      continue;
    }
    // Timed again, best of 3, so a pause of the busy machine (or a GC) does not count.
    const input = makeInput(c, SEED, first + k);
    let best = Infinity;
    for (let n = 0; n < 3; n++) {
      const t0 = performance.now();
      await runPipeline(input, NOW);
      best = Math.min(best, performance.now() - t0);
    }
    if (cost(k, best) > limit) {
      slow.push(`input ${first + k}: ${best.toFixed(1)} ms for ${sizes[k]} bytes, ${(cost(k, best) / median).toFixed(0)}× the median cost (${median.toFixed(3)} ms); ${repro(first + k)}`);
    }
  }
  assert.deepEqual(slow, []);
});

test('fuzz corpus: the leak check sees key material in every encoding the fuzzer builds, and none in public data', () => {
  const c = loadCorpus();
  const key = fixture('leaf-with-key.pem');
  const keyOnly = key.slice(key.indexOf('-----BEGIN PRIVATE KEY-----'));
  const body = keyOnly.split('\n').filter((l) => !l.includes('-----')).join('\n');
  for (const [what, text] of [
    ['PEM', keyOnly],
    ['JSON string', JSON.stringify(keyOnly)],
    ['base64 of the PEM (Kubernetes)', Buffer.from(keyOnly).toString('base64')],
    ['base64 of certificate + key', Buffer.from(key).toString('base64')],
    ['base64 of the key body', Buffer.from(body).toString('base64')],
  ]) {
    assert.ok(leakedKey(c, { redactedText: text }), what);
  }
  assert.ok(leakedKey(c, { redactedDer: Buffer.from(scanPem(keyOnly)[0].der!).toString('base64') }), 'DER');
  for (const d of c.der.filter((x) => !/PRIVATE/.test(x.label))) {
    assert.equal(leakedKey(c, { redactedText: toPem(d.der, 'PRIVATE KEY'), redactedDer: Buffer.from(d.der).toString('base64') }), undefined, d.label);
  }
});

test('fuzz corpus: every input kept in test/fixtures/pki/hostile goes through the whole pipeline without a throw or a leaked key', async () => {
  const c = loadCorpus();
  const dir = join(FIXTURES, 'hostile');
  for (const name of readdirSync(dir).sort()) {
    const bytes = new Uint8Array(readFileSync(join(dir, name)));
    for (const input of [bytes, new TextDecoder().decode(bytes)]) {
      const out = await runPipeline(input, NOW);
      assert.equal(leakedKey(c, out), undefined, name);
    }
  }
});
