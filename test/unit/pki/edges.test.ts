// Decoder edge cases (issue 12, item 10): each odd encoding is either decoded exactly or reported
// as a finding with its own code; never an exception, never a value that silently means something else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBlock, decodeCertificate, decodeCrl, inspect, lintBlock, scanPem, toPem, type CertificateInfo, type Decoded, type Finding } from '../../../src/pki';
import { fixture, fixtureBytes } from './helpers';

type Part = Uint8Array | number[];

function tlv(tag: number, ...parts: Part[]): Uint8Array {
  const body = Buffer.concat(parts.map((p) => Buffer.from(p)));
  let len: number[] = [body.length];
  if (body.length >= 128) {
    len = [];
    for (let n = body.length; n > 0; n >>= 8) {
      len.unshift(n & 0xff);
    }
    len.unshift(0x80 | len.length);
  }
  return new Uint8Array(Buffer.concat([Buffer.from([tag, ...len]), body]));
}
const seq = (...p: Part[]) => tlv(0x30, ...p);
const int = (...bytes: number[]) => tlv(0x02, bytes);
const ascii = (s: string) => [...Buffer.from(s, 'latin1')];
const utc = (s: string) => tlv(0x17, ascii(s));
const gen = (s: string) => tlv(0x18, ascii(s));

/** An OID's contents, base-128, with arcs as BigInts. */
function oidBytes(dotted: string): number[] {
  const arcs = dotted.split('.').map(BigInt);
  const out: number[] = [];
  for (const arc of [arcs[0] * 40n + arcs[1], ...arcs.slice(2)]) {
    const groups: number[] = [];
    let v = arc;
    do {
      groups.unshift(Number(v & 0x7fn));
      v >>= 7n;
    } while (v > 0n);
    out.push(...groups.map((g, i) => (i < groups.length - 1 ? g | 0x80 : g)));
  }
  return out;
}
const oid = (dotted: string) => tlv(0x06, oidBytes(dotted));
const name = (cn: string) => seq(tlv(0x31, seq(oid('2.5.4.3'), tlv(0x0c, ascii(cn)))));
const SHA256_RSA = seq(oid('1.2.840.113549.1.1.11'), [0x05, 0x00]);
const leaf = decodeCertificate(fixtureBytes('leaf.der'));
const SPKI = fixtureBytes('leaf.der').slice(...leaf.offsets.spki);

interface CertParts {
  serial?: Uint8Array;
  notBefore?: Uint8Array;
  notAfter?: Uint8Array;
  extensions?: Uint8Array[];
  subject?: Uint8Array;
}

/** A v3 certificate (signature not valid: the decoder does not check it) with the parts given. */
function cert(p: CertParts = {}): Uint8Array {
  const exts = p.extensions ?? [seq(oid('2.5.29.17'), tlv(0x04, seq(tlv(0x82, ascii('edge.example')))))];
  const tbs = seq(tlv(0xa0, int(2)), p.serial ?? int(0x01, 0x23), SHA256_RSA, name('edge CA'), seq(p.notBefore ?? utc('240101000000Z'), p.notAfter ?? utc('340101000000Z')), p.subject ?? name('edge'), SPKI, tlv(0xa3, seq(...exts)));
  return seq(tbs, SHA256_RSA, tlv(0x03, [0x00, 1, 2, 3, 4]));
}

function decode(der: Uint8Array): Decoded {
  return decodeBlock(scanPem(toPem(der, 'CERTIFICATE'))[0]);
}

function asCert(der: Uint8Array): CertificateInfo {
  const d = decode(der);
  assert.equal(d.kind, 'certificate', d.kind === 'malformed' ? d.message : d.kind);
  return d as CertificateInfo;
}

const NOW = Date.parse('2025-06-01T00:00:00Z');

function codes(d: Decoded): string[] {
  // The synthetic leaves run ten years (2024-2034): lifetime-too-long is held by lifetime.test.ts, not here.
  return lintBlock(d, 0, { now: NOW })
    .filter((f: Finding) => f.code !== 'lifetime-too-long')
    .map((f: Finding) => `${f.code}/${f.severity}`);
}

test('edges: a plain certificate has no decode problems and no findings', () => {
  const c = asCert(cert());
  assert.equal(c.problems, undefined);
  assert.deepEqual(codes(c), []);
  assert.equal(c.serialNumber, '0123');
  assert.equal(c.notBefore, '2024-01-01T00:00:00Z');
});

test('edges: GeneralizedTime year 0000 is 0000 (not 1900), with a time-encoding finding', () => {
  const c = asCert(cert({ notBefore: gen('00000101000000Z') }));
  assert.equal(c.notBefore, '0000-01-01T00:00:00Z');
  assert.equal(Date.parse(c.notBefore), Date.UTC(2000, 0, 1) - 730_485 * 86_400_000);
  assert.deepEqual(codes(c), ['time-encoding/warning']);
  assert.match(lintBlock(c, 0)[0].message, /GeneralizedTime for a year before 2050 \(0000\)/);
});

test('edges: a date that does not exist is an invalid-time finding and is shown as written, never rolled over', () => {
  for (const [raw, why] of [
    ['231301000000Z', /month 13 does not exist/],
    ['230132000000Z', /day 32 does not exist/],
    ['230229000000Z', /day 29 does not exist in month 02 of 2023/],
    ['230101240000Z', /hour 24/],
    ['230101006000Z', /minute 60/],
    ['23010100000Z', /not a UTCTime/],
    ['2301010000000', /not a UTCTime/],
  ] as const) {
    const c = asCert(cert({ notAfter: utc(raw) }));
    assert.equal(c.notAfter, raw);
    assert.deepEqual(codes(c), ['invalid-time/error'], raw);
    assert.match(lintBlock(c, 0, { now: NOW })[0].message, why);
  }
  assert.equal(asCert(cert({ notAfter: utc('240229000000Z') })).notAfter, '2024-02-29T00:00:00Z');
  const local = asCert(cert({ notAfter: gen('20340101000000') }));
  assert.deepEqual(codes(local), ['invalid-time/error']);
  assert.match(lintBlock(local, 0)[0].message, /no time zone/);
});

test('edges: UTCTime without seconds, fractional seconds and offsets are read exactly, with a time-encoding finding', () => {
  const cases: [Uint8Array, string, RegExp][] = [
    [utc('3401010000Z'), '2034-01-01T00:00:00Z', /no seconds/],
    [gen('20500101000000.123456Z'), '2050-01-01T00:00:00.123456Z', /fractional seconds/],
    [utc('340101000000+0900'), '2033-12-31T15:00:00Z', /time-zone offset \(\+0900\)/],
  ];
  for (const [t, iso, why] of cases) {
    const c = asCert(cert({ notAfter: t }));
    assert.equal(c.notAfter, iso);
    assert.deepEqual(codes(c), ['time-encoding/warning'], iso);
    assert.match(lintBlock(c, 0, { now: NOW })[0].message, why);
  }
});

test('edges: an OID arc of 128 bits is printed exactly (BigInt), not as 3.29e+38', () => {
  const uuid = '2.25.329800735698586629295641978511506172918';
  const c = asCert(cert({ extensions: [seq(oid(uuid), tlv(0x04, [0x05, 0x00]))] }));
  assert.equal(c.extensions[0].oid, uuid);
  const max = '1.2.340282366920938463463374607431768211455';
  assert.equal(asCert(cert({ extensions: [seq(oid(max), tlv(0x04, [0x05, 0x00]))] })).extensions[0].oid, max);
  // A first arc pair of 2.x over 2^53 too.
  const big = `2.${2n ** 70n}.1`;
  assert.equal(asCert(cert({ extensions: [seq(oid(big), tlv(0x04, [0x05, 0x00]))] })).extensions[0].oid, big);
});

test('edges: an OID that is cut off or not minimal is malformed, not a shorter OID', () => {
  const truncated = tlv(0x06, [0x55, 0x1d, 0x91]);
  const d = decode(cert({ extensions: [seq(truncated, tlv(0x04, [0x05, 0x00]))] }));
  assert.equal(d.kind, 'malformed');
  assert.match((d as { message: string }).message, /ends inside an arc/);
  const padded = decode(cert({ extensions: [seq(tlv(0x06, [0x55, 0x80, 0x1d]), tlv(0x04, [0x05, 0x00]))] }));
  assert.match((padded as { message: string }).message, /not minimally encoded/);
});

test('edges: negative, empty, long and padded serial numbers are exact values with an invalid-serial finding', () => {
  const cases: [Uint8Array, string, string, RegExp][] = [
    [int(0xff), '-01', 'warning', /negative \(-01\)/],
    [int(0x80, 0x00), '-8000', 'warning', /negative/],
    [tlv(0x02, []), '', 'error', /empty/],
    [int(0x00, 0x01), '01', 'error', /not minimally encoded/],
    [int(0x01, ...new Array<number>(20).fill(0xaa)), `01${'aa'.repeat(20)}`, 'warning', /21 bytes long/],
  ];
  for (const [serial, value, severity, why] of cases) {
    const c = asCert(cert({ serial }));
    assert.equal(c.serialNumber, value);
    assert.deepEqual(codes(c), [`invalid-serial/${severity}`], value);
    assert.match(lintBlock(c, 0, { now: NOW })[0].message, why);
  }
  // 20 bytes, the sign byte included, is fine (RFC 5280 counts the encoded octets, as zlint does).
  assert.deepEqual(codes(asCert(cert({ serial: int(0x00, ...new Array<number>(19).fill(0xaa)) }))), []);
});

function basicConstraints(pathLen: Uint8Array): Uint8Array {
  return seq(oid('2.5.29.19'), tlv(0x01, [0xff]), tlv(0x04, seq(tlv(0x01, [0xff]), pathLen)));
}

test('edges: a huge or negative pathLenConstraint is shown exactly and not used as a limit, with a finding', () => {
  const huge = asCert(cert({ extensions: [basicConstraints(int(0x7f, ...new Array<number>(30).fill(0xff)))] }));
  assert.equal(huge.pathLength, undefined);
  assert.equal(huge.isCa, true);
  assert.equal(huge.extensions[0].value, `CA:TRUE, pathlen:${2n ** 247n - 1n}`);
  assert.deepEqual(codes(huge), ['invalid-path-length/warning']);
  const negative = asCert(cert({ extensions: [basicConstraints(int(0xff))] }));
  assert.equal(negative.pathLength, undefined);
  assert.equal(negative.extensions[0].value, 'CA:TRUE, pathlen:-1');
  assert.deepEqual(codes(negative), ['invalid-path-length/error']);
  const ok = asCert(cert({ extensions: [basicConstraints(int(0x00, 0x80))] }));
  assert.equal(ok.pathLength, 128);
  assert.deepEqual(codes(ok), []);
});

test('edges: a negative or huge version is malformed, not version 256', () => {
  const tbs = (v: number[]) => seq(seq(tlv(0xa0, int(...v)), int(1), SHA256_RSA, name('a'), seq(utc('240101000000Z'), utc('340101000000Z')), name('a'), SPKI), SHA256_RSA, tlv(0x03, [0, 1]));
  for (const v of [[0xff], [0x01, 0, 0, 0, 0, 0, 0, 0, 0]]) {
    const d = decode(tbs(v));
    assert.equal(d.kind, 'malformed');
    assert.match((d as { message: string }).message, /negative INTEGER|INTEGER too large/);
  }
});

test('edges: a CRL with a date that does not exist keeps it as written, with an invalid-time finding', () => {
  const revoked = seq(seq(int(0x05), utc('241301000000Z')));
  const crl = seq(seq(int(1), SHA256_RSA, name('edge CA'), utc('250101000000Z'), utc('250132000000Z'), revoked), SHA256_RSA, tlv(0x03, [0, 1]));
  const d = decodeCrl(crl);
  assert.equal(d.nextUpdate, '250132000000Z');
  assert.equal(d.entries[0].revocationDate, '241301000000Z');
  assert.deepEqual(codes(d), ['invalid-time/error', 'invalid-time/error']);
});

test('edges: JSON strings with \\/ and \\u escapes around a PEM are read as JSON reads them', () => {
  const pem = fixture('leaf.crt');
  const serial = leaf.serialNumber;
  assert.ok(pem.includes('/'), 'the fixture has a "/" in its base64');
  const json = JSON.stringify({ cert: pem });
  const variants = {
    'slash escaped (PHP, Java)': json.replace(/\//g, '\\/'),
    'hyphens escaped': json.replace(/-/g, '\\u002d'),
    'plus escaped (.NET)': json.replace(/\+/g, '\\u002B'),
    'line breaks as \\u000a': json.replace(/\\n/g, '\\u000a'),
    'everything escaped': json.replace(/[-+/]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).replace(/\\n/g, '\\u000A'),
  };
  for (const [what, text] of Object.entries(variants)) {
    const blocks = scanPem(text);
    assert.equal(blocks.length, 1, what);
    assert.equal(blocks[0].error, undefined, `${what}: ${blocks[0].error?.message}`);
    const d = decodeBlock(blocks[0]);
    assert.equal(d.kind === 'certificate' && d.serialNumber, serial, what);
  }
  // Two escaped blocks in one string, between other JSON: both, in order, nothing duplicated.
  const two = JSON.stringify({ a: 1, chain: fixture('chain.pem'), b: '-' }).replace(/-/g, '\\u002d');
  const expected = scanPem(fixture('chain.pem')).map((b) => b.label);
  assert.deepEqual(inspect(two).blocks.map((b) => b.label), expected);
  assert.ok(inspect(two).decoded.every((d) => d.kind === 'certificate'));
});

test('edges: a broken escaped body points at the line of the JSON string, not past it', () => {
  const text = JSON.stringify({ cert: fixture('leaf.crt').replace('MII', 'M!I') }).replace(/\//g, '\\/');
  const [b] = scanPem(text);
  assert.match(b.error?.message ?? '', /malformed base64 at line 1/);
  assert.ok(b.error!.range.end.character <= text.length);
});

test('edges: KeyUsage reads only the bits its BIT STRING says are used (the last byte\'s unused bits are not usages)', () => {
  // 0x07 with one unused bit: keyCertSign and cRLSign; the set low bit (encipherOnly) is not part of the value.
  const ku = (bits: number[]) => seq(oid('2.5.29.15'), tlv(0x01, [0xff]), tlv(0x04, tlv(0x03, bits)));
  assert.deepEqual(asCert(cert({ extensions: [ku([0x01, 0x07])] })).keyUsage, ['keyCertSign', 'cRLSign']);
  // decipherOnly is bit 8: the second byte's first bit, used when 7 of its bits are unused.
  assert.deepEqual(asCert(cert({ extensions: [ku([0x07, 0x86, 0x80])] })).keyUsage, ['digitalSignature', 'keyCertSign', 'cRLSign', 'decipherOnly']);
  assert.deepEqual(asCert(cert({ extensions: [ku([0x07, 0x80])] })).keyUsage, ['digitalSignature']);
});

test('edges: a UniversalString unit past U+10FFFF is shown as U+FFFD, not a malformed certificate', () => {
  const subject = seq(tlv(0x31, seq(oid('2.5.4.3'), tlv(0x1c, [0, 0, 0, 0x41, 0x00, 0x11, 0x00, 0x00, 0, 0, 0, 0x42]))));
  const c = asCert(cert({ subject }));
  assert.equal(c.subject, 'CN=A\ufffdB');
});
