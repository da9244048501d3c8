// Hostile input to the scanner (issue 12): inputs that once hung it or made it quadratic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanPem } from '../../../src/pki';
import { FIXTURES, fixture, scalingRatio } from './helpers';

const CLI = join(__dirname, '../../../../dist/cli.js');

test('scanPem: base64 of a PEM whose body is base64 of "-----BEGIN" ends (it looped forever)', () => {
  // In a child process with a timeout, so the old endless loop fails the test instead of hanging it.
  const file = join(FIXTURES, 'hostile/k8s-nested-loop.yaml');
  const r = spawnSync(process.execPath, [CLI, 'inspect', '--json', file], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.signal, null, `inspect was killed (${r.signal}): it did not finish`);
  assert.equal(JSON.parse(r.stdout).length, 1);
  const blocks = scanPem(fixture('hostile/k8s-nested-loop.yaml'));
  assert.deepEqual(blocks.map((b) => [b.kind, b.encoding]), [['certificate', 'base64-pem']]);
});

test('scanPem: PEMs base64-encoded within each other are followed a bounded number of levels', () => {
  let text = fixture('leaf.crt');
  for (let i = 0; i < 12; i++) {
    text = `-----BEGIN CERTIFICATE-----\n${Buffer.from(text).toString('base64')}\n-----END CERTIFICATE-----\n`;
  }
  const file = join(mkdtempSync(join(tmpdir(), 'pki-')), 'nested.yaml');
  writeFileSync(file, `k: ${Buffer.from(text).toString('base64')}\n`);
  const r = spawnSync(process.execPath, [CLI, 'inspect', '--json', file], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.signal, null, `inspect was killed (${r.signal}): it did not finish`);
  const n = JSON.parse(r.stdout).length;
  assert.ok(n >= 1 && n <= 4, `${n} blocks`);
});

// 4 KB of base64-looking lines after each BEGIN: the old scan searched the rest of the text for an END
// from every BEGIN (quadratic), the new one pairs BEGIN and END lines found in one pass.
const BODY = `${'A'.repeat(64)}\n`.repeat(64);

test('scanPem: many BEGIN lines without END scan in linear time (1x vs 8x input)', async () => {
  const make = (n: number) => `-----BEGIN CERTIFICATE-----\n${BODY}`.repeat(n);
  assert.equal(scanPem(make(500)).length, 500);
  const ratio = await scalingRatio((n) => scanPem(make(n)), 250);
  assert.ok(ratio < 20, `8x input took ${ratio.toFixed(1)}x the time (linear: 8)`);
});

test('scanPem: many BEGIN markers on one line (no newline to stop at) scan in linear time', async () => {
  const make = (n: number) => `-----BEGIN CERTIFICATE-----${BODY.replace(/\n/g, ' ')}`.repeat(n);
  assert.equal(scanPem(make(500)).length, 500);
  const ratio = await scalingRatio((n) => scanPem(make(n)), 250);
  assert.ok(ratio < 20, `8x input took ${ratio.toFixed(1)}x the time (linear: 8)`);
});

test('scanPem: an END for another label ends the block with an error naming both', () => {
  const text = fixture('leaf.key').replace('END PRIVATE KEY', 'END CERTIFICATE');
  const [b] = scanPem(text);
  assert.match(b.error?.message ?? '', /no "-----END PRIVATE KEY-----" line \(found "-----END CERTIFICATE-----"\)/);
});
