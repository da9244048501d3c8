// The cheap look before the container reader loads: a PKCS#12 is found by its first bytes whatever
// its name; certificates, CRLs, PKCS#7 and keys in DER are not taken for one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maybeContainer } from '../../../src/export/sniff';
import { looksLikePfx } from '../../../src/pki/pfx';

const FIXTURES = join(__dirname, '../../../../test/fixtures/pki');
const fixture = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, name)));

function p12(extra: string[]): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'ncloud-pki-sniff-'));
  try {
    const out = join(dir, 'store');
    const r = spawnSync('openssl', ['pkcs12', '-export', '-in', join(FIXTURES, 'leaf.crt'), '-inkey', join(FIXTURES, 'leaf.key'), '-passout', 'pass:x', '-out', out, ...extra], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return new Uint8Array(readFileSync(out));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('sniff: a PKCS#12 (openssl, modern and -legacy) is a container by its bytes, whatever its name', () => {
  for (const bytes of [p12([]), p12(['-legacy'])]) {
    assert.equal(looksLikePfx(bytes), true);
    assert.equal(maybeContainer(bytes, 'store'), true);
    assert.equal(maybeContainer(bytes, 'keystore.bin'), true);
  }
  // BER's indefinite lengths (older Windows and Java writers) too.
  const ber = [0x30, 0x80, 0x02, 0x01, 0x03, 0x30, 0x80, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01, 0xa0, 0x80];
  assert.equal(looksLikePfx(new Uint8Array(ber)), true);
});

test('sniff: certificates, CRLs, PKCS#7 and keys in DER are not taken for a PKCS#12; nor are cut or other versions', () => {
  const der = (name: string, type: 'pkcs1' | 'pkcs8' | 'sec1') => new Uint8Array(createPrivateKey(readFileSync(join(FIXTURES, name))).export({ format: 'der', type }));
  const others: [string, Uint8Array][] = [
    ['certificate', fixture('leaf.der')],
    ['CRL', fixture('root-crl.der')],
    ['PKCS#7', fixture('chain.p7b')],
    ['PKCS#8 key', der('leaf.key', 'pkcs8')],
    ['SEC1 key', der('leaf.key', 'sec1')],
    ['PKCS#1 key', der('root-pkcs1.key', 'pkcs1')],
  ];
  for (const [what, bytes] of others) {
    assert.equal(looksLikePfx(bytes), false, what);
    assert.equal(maybeContainer(bytes, 'x'), false, what);
    // By name, as before.
    assert.equal(maybeContainer(bytes, 'x.P12'), true, what);
  }
  const pfx = p12([]);
  // SEQUENCE (4 bytes), INTEGER 3 (3), SEQUENCE (4), the OID (11): 22 bytes decide.
  for (let n = 0; n < 22; n++) {
    assert.equal(looksLikePfx(pfx.subarray(0, n)), false, `first ${n} bytes`);
  }
  assert.equal(looksLikePfx(pfx.subarray(0, 22)), true);
  const v2 = pfx.slice();
  v2[pfx[1] & 0x80 ? 2 + (pfx[1] & 0x7f) + 2 : 4] = 2;
  assert.equal(looksLikePfx(v2), false, 'version 2');
});

test('sniff: Java keystores by their magic and JWK/JWKS by "kty"; PEM text is not a container', () => {
  assert.equal(maybeContainer(new Uint8Array([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2]), 'keystore'), true);
  assert.equal(maybeContainer(new TextEncoder().encode('  {"keys": [{"kty": "EC"}]}'), 'set'), true);
  assert.equal(maybeContainer(new TextEncoder().encode('{"name": "config"}'), 'config.json'), false);
  assert.equal(maybeContainer(fixture('leaf.crt'), 'leaf.p12'), false);
});
