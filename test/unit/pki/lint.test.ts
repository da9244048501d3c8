import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expiryWindow, inspect, lintBlock } from '../../../src/pki';
import { fixture } from './helpers';

const leaf = fixture('leaf.crt');
// One day after the leaf fixture was made, so the tests do not depend on when they run.
const NOW = Date.parse((inspect(leaf).decoded[0] as { notBefore: string }).notBefore) + 86_400_000;
const LEAF_END = Date.parse((inspect(leaf).decoded[0] as { notAfter: string }).notAfter);

const cases: { name: string; input: string; now?: number; days?: number; want: string[] }[] = [
  { name: 'a healthy chain has no findings', input: fixture('chain.pem'), want: [] },
  { name: 'expired', input: fixture('expired.crt'), want: ['expired@0'] },
  { name: 'not yet valid', input: leaf, now: NOW - 10 * 86_400_000, want: ['not-yet-valid@0'] },
  { name: 'expiring within N days', input: leaf, now: LEAF_END - 5 * 86_400_000, days: 30, want: ['expiring-soon@0'] },
  { name: 'outside the warning window', input: leaf, now: LEAF_END - 40 * 86_400_000, days: 30, want: [] },
  { name: 'weak RSA and SHA-1 and no SAN', input: fixture('weak-sha1.crt'), want: ['weak-rsa@0', 'weak-signature@0', 'leaf-without-san@0'] },
  { name: 'chain out of order', input: fixture('chain-reversed.pem'), want: ['chain-order@1', 'chain-order@2'] },
  { name: 'key that matches its certificate', input: fixture('leaf-with-key.pem'), want: [] },
  { name: 'key that matches no certificate', input: fixture('leaf-with-wrong-key.pem'), want: ['key-mismatch@1'] },
  { name: 'an encrypted private key', input: fixture('leaf-encrypted.key'), want: ['encrypted-key@0'] },
  { name: 'malformed base64', input: fixture('broken-base64.pem'), want: ['malformed@0'] },
  { name: 'malformed DER', input: fixture('bad-der.pem'), want: ['malformed@0'] },
  { name: 'missing END', input: fixture('truncated.pem'), want: ['malformed@0'] },
  { name: 'CRL past its next update', input: fixture('root.crl'), now: Date.now() + 365 * 86_400_000, want: ['crl-outdated@0'] },
];

for (const c of cases) {
  test(`lint: ${c.name}`, () => {
    const r = inspect(c.input, { now: c.now ?? NOW, expiryWarningDays: c.days ?? 30 });
    assert.deepEqual(r.findings.map((f) => `${f.code}@${f.block}`).sort(), [...c.want].sort(), JSON.stringify(r.findings, null, 1));
  });
}

test('lint: a certificate with keyCertSign but no basicConstraints CA is flagged', () => {
  const root = inspect(fixture('root.crt')).decoded[0];
  assert.equal(root.kind, 'certificate');
  if (root.kind === 'certificate') {
    const codes = lintBlock({ ...root, isCa: false, hasBasicConstraints: false }, 0, { now: NOW }).map((f) => f.code);
    assert.deepEqual(codes, ['ca-without-basic-constraints']);
    assert.deepEqual(lintBlock(root, 0, { now: NOW }), []);
  }
});

test('lint: related information points at the other block', () => {
  const r = inspect(fixture('chain-reversed.pem'), { now: NOW });
  const f = r.findings.find((x) => x.code === 'chain-order' && x.block === 2)!;
  assert.deepEqual(f.related?.map((x) => x.block), [1]);
  const m = inspect(fixture('leaf-with-wrong-key.pem'), { now: NOW }).findings[0];
  assert.deepEqual(m.related?.map((x) => x.block), [0]);
});

test('lint: malformed base64 points at the bad line', () => {
  const f = inspect(fixture('broken-base64.pem')).findings[0];
  assert.equal(f.range?.start.line, 4);
});

test('lint: expiry warning follows the lifetime: a fresh 30-day dev certificate is not "expiring soon", its last third is', () => {
  const root = inspect(leaf).decoded[0];
  assert.equal(root.kind, 'certificate');
  if (root.kind !== 'certificate') {
    return;
  }
  const DAY = 86_400_000;
  const issued = Date.parse('2026-03-01T00:00:00Z');
  const cert = (lifetimeDays: number) => ({ ...root, notBefore: new Date(issued).toISOString(), notAfter: new Date(issued + lifetimeDays * DAY).toISOString() });
  const codes = (lifetimeDays: number, at: number, days = 30) => lintBlock(cert(lifetimeDays), 0, { now: at, expiryWarningDays: days }).map((f) => f.code);
  // 30-day dev certificate: quiet when issued and for its first 20 days, a warning in its last 10.
  assert.deepEqual(codes(30, issued + DAY), []);
  assert.deepEqual(codes(30, issued + 19 * DAY), []);
  assert.deepEqual(codes(30, issued + 21 * DAY), ['expiring-soon']);
  // One year: expiryWarningDays is the earlier limit.
  assert.deepEqual(codes(365, issued + 334 * DAY), []);
  assert.deepEqual(codes(365, issued + 336 * DAY), ['expiring-soon']);
  // A smaller expiryWarningDays still wins over a third of the lifetime.
  assert.deepEqual(codes(30, issued + 25 * DAY, 3), []);
  assert.deepEqual(codes(30, issued + 28 * DAY, 3), ['expiring-soon']);
  assert.equal(expiryWindow(issued, issued + 30 * DAY, 30), 10 * DAY);
  assert.equal(expiryWindow(issued, issued + 365 * DAY, 30), 30 * DAY);
});
