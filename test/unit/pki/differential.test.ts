// The two certificate decoders as each other's oracle: decode.ts (a direct DER walk, for the
// language server, lint and the CLI) and decodeX509.ts (@peculiar/x509, for the inspector). Every
// field both expose is compared on the Debian CA bundle, the fixtures, 10,000 seeded generated
// certificates and the hostile/fuzz corpus. A difference is either fixed or one of KNOWN below,
// each explained in docs/testing.md ("The two decoders").
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { decodeCertificate } from '../../../src/pki/decode';
import { decodeCertificateX509 } from '../../../src/pki/decodeX509';
import type { CertificateInfo } from '../../../src/pki/types';
import { decodePkcs7, scanBytes, scanPem } from '../../../src/pki';
import { certFactory, rng } from './certFactory';
import { loadCorpus, makeInput } from './fuzzCorpus';
import { FIXTURES } from './helpers';

type Outcome = { ok: true; value: unknown } | { ok: false; error: string };

function run(f: () => unknown): Outcome {
  try {
    return { ok: true, value: f() };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Field paths whose values differ, `path: own ≠ peculiar`; or that only one decoder accepts. */
export function differences(der: Uint8Array): string[] {
  const own = run(() => decodeCertificate(der));
  const pec = run(() => decodeCertificateX509(der));
  if (!own.ok || !pec.ok) {
    return own.ok === pec.ok ? [] : [own.ok ? `accepted only by decode.ts (@peculiar: ${(pec as { error: string }).error})` : `accepted only by @peculiar (decode.ts: ${(own as { error: string }).error})`];
  }
  const out: string[] = [];
  const walk = (path: string, a: unknown, b: unknown) => {
    if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
        walk(path ? `${path}.${k}` : k, (a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]);
      }
    } else if (a !== b) {
      out.push(`${path.replace(/\.\d+(?=\.|$)/g, '[]')}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`);
    }
  };
  // `problems` (what breaks an encoding rule) is decode.ts's alone: asn1js checks no such rule.
  const ownFields: Partial<CertificateInfo> = { ...(own.value as CertificateInfo) };
  delete ownFields.problems;
  walk('', ownFields, pec.value);
  return out;
}

/**
 * Differences that remain, each with its reason (docs/testing.md lists them too). Matched against
 * `path: own ≠ peculiar` lines; anything else fails the test.
 */
const KNOWN: { id: string; match: RegExp; reason: string }[] = [
  {
    id: 'non-ascii-in-ascii-string',
    // e.g. `sans[].value: "x\uFFFD" ≠ "xé"`: the @peculiar side holds a Latin-1 character.
    match: /: "(?:[^"\\]|\\.)*" ≠ "(?:[^"\\]|\\.)*[\u0080-\u00ff](?:[^"\\]|\\.)*"$/,
    reason: 'An IA5String, PrintableString, VisibleString or NumericString holding bytes ≥ 0x80, which X.680 does not allow: decode.ts reads the bytes as UTF-8 (a mis-labelled UTF-8 name reads right, other bytes show U+FFFD); @peculiar (asn1js) maps each byte to one Latin-1 character.',
  },
  // Damaged DER only (the mutated corpus): where the two read broken bytes differently.
  {
    id: 'damaged: time',
    match: /^(?:hostile\/mutated|fuzz corpus) .*: not(Before|After): "(?!\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")(?:[^"\\]|\\.)*" ≠ "[^"]*"$/,
    reason: 'A validity time that is no time (a letter among the digits, month 19): decode.ts keeps it as written and reports invalid-time; asn1js reads the digits with parseInt and makes a date of them (1899-11-30 for most, month 19 rolled into the next year). The inspector shows decode.ts\'s reading.',
  },
  {
    id: 'damaged: structure',
    match: /^(?:hostile\/mutated|fuzz corpus) .*: accepted only by @peculiar \(decode\.ts: (element of \d+ bytes runs past its container|length too large|truncated DER element|expected [\w -]+|OBJECT IDENTIFIER arc that starts with a 0x80 byte \(not minimally encoded\)|\d+ bytes of trailing data)\)$/,
    reason: "decode.ts checks each element's tag and length where RFC 5280 fixes them, and that an OID is minimally encoded, and refuses the certificate; asn1js reads on where it can (a length past its container or the buffer, a truncated last element, an unexpected tag where the schema takes any, bytes after the certificate).",
  },
  {
    id: 'damaged: schema',
    match: /^(?:hostile\/mutated|fuzz corpus) .*: accepted only by decode\.ts \(@peculiar: .*\)$/,
    reason: "@peculiar checks every element against the ASN.1 schema (each AttributeValue's tag, reserved tags, a BIT STRING's unused-bits count, trailing bytes); decode.ts reads only the fields it shows and skips what it does not need. The inspector then shows the certificate as malformed while lint and the language server show what they could read.",
  },
  {
    id: 'damaged: extension',
    match: /^(?:hostile\/mutated|fuzz corpus) .*: (extensions\[\]\.(raw|value)|extKeyUsage\[\]|keyUsage\[\]|ocsp\[\]|caIssuers\[\]|crlDistributionPoints\[\]|authorityKeyId|subjectKeyId|sans\[\](\.\w+)?|selfSigned|isCa|hasBasicConstraints|pathLength): /,
    reason: 'A damaged extension that one decoder still reads and the other shows as raw hex (different tolerance for inner tags, lengths and unfinished OIDs), with the facts taken from it (OCSP and CA-issuer URLs, CRL points, key ids, self-signed).',
  },
  {
    id: 'damaged: UniversalString',
    match: /^(?:hostile\/mutated|fuzz corpus) .*: (issuer|subject|issuerAttributes\[\]\.value|subjectAttributes\[\]\.value): "[^"]*\uFFFD[^"]*" ≠ "[^\uFFFD"]*"$/,
    reason: 'A UniversalString whose 4-byte units are no Unicode code points: decode.ts shows U+FFFD for each (it used to throw, which made the whole certificate malformed: fixed), asn1js turns the bytes into other characters.',
  },
  {
    id: 'damaged: version',
    match: /^(?:hostile\/mutated|fuzz corpus) .*: (version: -?\d+ ≠ -?\d+|accepted only by @peculiar \(decode\.ts: negative INTEGER \(-\d+\)\))$/,
    reason: 'A damaged version INTEGER (high bit set, or more than one byte): @peculiar reads it as a signed number; decode.ts refuses a negative one (the certificate is malformed) and reads a long one unsigned. Both are outside v1..v3.',
  },
];

function check(label: string, ders: Uint8Array[]): { counts: Record<string, number>; unexplained: string[] } {
  const counts: Record<string, number> = {};
  const unexplained: string[] = [];
  ders.forEach((der, i) => {
    for (const d of differences(der)) {
      const line = `${label} #${i}: ${d}`;
      const k = KNOWN.find((x) => x.match.test(line));
      if (k) {
        counts[k.id] = (counts[k.id] ?? 0) + 1;
      } else if (unexplained.length < 40) {
        unexplained.push(line);
      }
    }
  });
  return { counts, unexplained };
}

function report(label: string, n: number, r: { counts: Record<string, number>; unexplained: string[] }): void {
  console.log(`[differential] ${label}: ${n} inputs, known differences ${JSON.stringify(r.counts)}`);
  assert.deepEqual(r.unexplained, []);
}

/** Certificates (and PKCS#7 members) of every fixture file, recursively. */
function fixtureCertificates(dir: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) {
      out.push(...fixtureCertificates(p));
      continue;
    }
    const bytes = new Uint8Array(readFileSync(p));
    for (const b of scanBytes(bytes)) {
      if (b.der && b.kind === 'certificate') {
        out.push(b.der);
      } else if (b.der && b.kind === 'pkcs7') {
        out.push(...run(() => decodePkcs7(b.der!)).ok ? decodePkcs7(b.der).certificateDer : []);
      }
    }
  }
  return out;
}

const bundle = '/etc/ssl/certs/ca-certificates.crt';
const bundleCerts = existsSync(bundle) ? scanPem(readFileSync(bundle, 'utf8')).flatMap((b) => (b.der ? [b.der] : [])) : [];
const fixtureCerts = fixtureCertificates(FIXTURES);

test('differential: the Debian CA bundle (or the fixtures where it is absent)', () => {
  const certs = bundleCerts.length ? bundleCerts : fixtureCerts;
  assert.ok(certs.length > 5);
  report(bundleCerts.length ? bundle : 'fixtures (no bundle)', certs.length, check('bundle', certs));
});

test('differential: every certificate of the fixtures', () => {
  assert.ok(fixtureCerts.length >= 15, `${fixtureCerts.length}`);
  report('fixtures', fixtureCerts.length, check('fixture', fixtureCerts));
});

test('differential: 10,000 generated certificates (seeded)', () => {
  const spkis = [...fixtureCerts, ...bundleCerts.slice(0, 20)].flatMap((der) => {
    const d = run(() => decodeCertificate(der).offsets.spki);
    return d.ok ? [der.subarray(...(d.value as [number, number]))] : [];
  });
  const next = certFactory(0xd1ff, spkis);
  const certs = Array.from({ length: 10_000 }, next);
  report('generated', certs.length, check('generated (seed 0xd1ff)', certs));
});

test('differential: the hostile corpus and mutated certificates (seeded)', () => {
  const hostile = fixtureCertificates(join(FIXTURES, 'hostile'));
  const r = rng(0xbad);
  const seeds = fixtureCerts;
  const mutated = Array.from({ length: 3000 }, () => {
    const b = seeds[Math.floor(r() * seeds.length)].slice();
    for (let k = 1 + Math.floor(r() * 3); k > 0; k--) {
      const i = Math.floor(r() * b.length);
      b[i] = r() < 0.5 ? Math.floor(r() * 256) : b[i] ^ (1 << Math.floor(r() * 8));
    }
    return b;
  });
  report('hostile + mutated', hostile.length + mutated.length, check('hostile/mutated (seed 0xbad)', [...hostile, ...mutated]));
});

test('differential: the certificates of the fuzz corpus (fuzz-corpus.test.ts inputs 0..2999 of its seed)', () => {
  const corpus = loadCorpus();
  // Each distinct certificate once (the fixture files hold whole bundles, unchanged by most text damage).
  const certs = new Map<string, Uint8Array>();
  for (let i = 0; i < 3000; i++) {
    const input = makeInput(corpus, 0x12c0ffee, i);
    for (const b of typeof input === 'string' ? scanPem(input) : scanBytes(input)) {
      if (b.der && b.kind === 'certificate') {
        certs.set(Buffer.from(b.der).toString('base64'), b.der);
      }
    }
  }
  assert.ok(certs.size > 500, `${certs.size}`);
  report('fuzz corpus', certs.size, check('fuzz corpus (seed 0x12c0ffee)', [...certs.values()]));
});
