// Mutated PEM and DER: nothing throws, nothing is slow. Bounded in count and time; seeded, so a
// failure is reproducible (the seed and iteration are in the message).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBlock, encodeBase64, inspect, lintDocument, scanBytes, scanPem, toPem } from '../../../src/pki';
import { fixture, fixtureBytes } from './helpers';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

const seeds = ['leaf.der', 'chain.p7b', 'root-crl.der'].map(fixtureBytes).concat([fixture('leaf.csr'), fixture('root.key'), fixture('leaf-sec1.key'), fixture('ed25519.crt')].map((t) => scanPem(t)[0].der!));
const texts = [fixture('chain.pem'), fixture('k8s.yaml'), fixture('config.json'), fixture('app.env'), fixture('leaf-with-key.pem')];

function mutate(bytes: Uint8Array, r: () => number): Uint8Array {
  const b = bytes.slice();
  const n = 1 + Math.floor(r() * 4);
  for (let k = 0; k < n; k++) {
    const i = Math.floor(r() * b.length);
    switch (Math.floor(r() * 4)) {
      case 0:
        b[i] = Math.floor(r() * 256);
        break;
      case 1:
        b[i] ^= 1 << Math.floor(r() * 8);
        break;
      case 2:
        return b.subarray(0, i);
      default:
        // Lengths are the interesting bytes: make one huge.
        b[i] = 0x84;
    }
  }
  return b;
}

const BUDGET_MS = 8000;
/** An input is too slow when, timed again (best of 3, so a scheduler pause on a busy machine does
 * not count), it takes more than this many times the median input of the same run. */
const RATIO = 200;

/** The inputs whose best-of-3 time is above RATIO × the run's median (a ratio, not a fixed limit). */
function tooSlow(times: number[], retime: (i: number) => number): { i: number; ms: number; median: number }[] {
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
  const limit = Math.max(RATIO * median, 1);
  return times.flatMap((ms, i) => {
    if (ms <= limit) {
      return [];
    }
    const best = Math.min(retime(i), retime(i), retime(i));
    return best > limit ? [{ i, ms: best, median }] : [];
  });
}

test('fuzz: mutated DER never throws and never takes 200× the median input', () => {
  const r = rng(0x5eed);
  const start = Date.now();
  let n = 0;
  const inputs: Uint8Array[] = [];
  const times: number[] = [];
  const run = (der: Uint8Array, k: number) => {
    for (const b of scanBytes(der)) {
      decodeBlock(b);
    }
    inspect(toPem(der, ['CERTIFICATE', 'X509 CRL', 'CERTIFICATE REQUEST', 'PRIVATE KEY', 'PKCS7'][k % 5]));
  };
  for (; n < 20000 && Date.now() - start < BUDGET_MS; n++) {
    const der = mutate(seeds[n % seeds.length], r);
    const t0 = performance.now();
    try {
      run(der, n);
    } catch (err) {
      assert.fail(`iteration ${n} (seed 0x5eed) threw: ${(err as Error).stack}\ninput: ${encodeBase64(der)}`);
    }
    times.push(performance.now() - t0);
    inputs.push(der);
  }
  assert.ok(n >= 1000, `only ${n} iterations ran`);
  const slow = tooSlow(times, (i) => {
    const t0 = performance.now();
    run(inputs[i], i);
    return performance.now() - t0;
  });
  assert.deepEqual(slow.map((x) => `iteration ${x.i}: ${x.ms.toFixed(1)} ms, median ${x.median.toFixed(3)} ms; input: ${encodeBase64(inputs[x.i])}`), []);
});

test('fuzz: mutated PEM text never throws and never takes 200× the median input', () => {
  const r = rng(0xbeef);
  const alphabet = '-\n\r\\" :=ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const start = Date.now();
  let n = 0;
  const inputs: string[] = [];
  const times: number[] = [];
  for (; n < 5000 && Date.now() - start < BUDGET_MS; n++) {
    const src = texts[n % texts.length];
    let t = src;
    const edits = 1 + Math.floor(r() * 5);
    for (let k = 0; k < edits; k++) {
      const i = Math.floor(r() * t.length);
      const op = Math.floor(r() * 3);
      t = op === 0 ? t.slice(0, i) + alphabet[Math.floor(r() * alphabet.length)] + t.slice(i + 1) : op === 1 ? t.slice(0, i) + t.slice(i + 1 + Math.floor(r() * 40)) : t.slice(0, i) + t.slice(Math.floor(r() * t.length));
    }
    const t0 = performance.now();
    try {
      lintDocument(inspect(t).decoded);
    } catch (err) {
      assert.fail(`iteration ${n} (seed 0xbeef) threw: ${(err as Error).stack}\ninput: ${JSON.stringify(t)}`);
    }
    times.push(performance.now() - t0);
    inputs.push(t);
  }
  assert.ok(n >= 500, `only ${n} iterations ran`);
  const slow = tooSlow(times, (i) => {
    const t0 = performance.now();
    lintDocument(inspect(inputs[i]).decoded);
    return performance.now() - t0;
  });
  assert.deepEqual(slow.map((x) => `iteration ${x.i}: ${x.ms.toFixed(1)} ms, median ${x.median.toFixed(3)} ms; input: ${JSON.stringify(inputs[x.i])}`), []);
});
