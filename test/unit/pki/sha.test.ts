// The JavaScript SHA-256 and SHA-1 used for fingerprints agree with node:crypto on every length
// around the padding boundaries (55/56/64 bytes), on empty input and on certificate-sized input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { sha1Hex, sha256Hex } from '../../../src/pki/sha';

test('sha256Hex and sha1Hex match node:crypto for lengths 0–200, 1 KB–70 KB and the FIPS 180 examples', () => {
  assert.equal(sha256Hex(new TextEncoder().encode('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(sha1Hex(new TextEncoder().encode('abc')), 'a9993e364706816aba3e25717850c26c9cd0d89d');
  const lengths = [...Array.from({ length: 201 }, (_, i) => i), 1000, 1363, 4095, 4096, 70_001];
  for (const n of lengths) {
    const data = randomBytes(n);
    assert.equal(sha256Hex(data), createHash('sha256').update(data).digest('hex'), `SHA-256 of ${n} bytes`);
    assert.equal(sha1Hex(data), createHash('sha1').update(data).digest('hex'), `SHA-1 of ${n} bytes`);
  }
  // A Uint8Array view into a larger buffer hashes only its own bytes.
  const big = randomBytes(300);
  const view = big.subarray(17, 250);
  assert.equal(sha256Hex(view), createHash('sha256').update(view).digest('hex'));
});
