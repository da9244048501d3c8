// The fuzz corpus (issue 12): seeded mutations of the Debian CA bundle's certificates (or, without
// it, of our fixtures) and of every fixture under test/fixtures/pki, run through everything that
// reads untrusted text: scanPem/scanBytes, the decoder and lint (all three through the inspector's
// view model, which runs them first), the view model itself and the redaction in front of the
// webview. Input `i` of seed `s` is rebuilt from (s, i) alone, so a failure is reproduced with
// `node out/test/unit/pki/fuzz-corpus.test.js --seed=S --only=I`.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { webviewContent } from '../../../src/extension/redact';
import { encodeBase64, scanBytes, scanPem, toPem } from '../../../src/pki';
import { readTlv } from '../../../src/pki/der';
import { buildView } from '../../../src/webview/model';
import { FIXTURES } from './helpers';

export const DEBIAN_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** A small, fast PRNG (mulberry32-like) with a 32-bit seed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

type Input = string | Uint8Array;

export interface Corpus {
  /** Where the certificates came from. */
  source: string;
  /** DER of certificates, CSRs, CRLs, public and private keys, PKCS#7. */
  der: { der: Uint8Array; label: string }[];
  /** Whole fixture files as text (PEM, YAML, JSON, .env, OpenSSH, PGP, PuTTY). */
  texts: { name: string; text: string }[];
  /** Every 24-character run of base64 that only a private key's text holds (PEM, PGP, PuTTY, OpenSSH bodies). */
  keyWindows: Set<string>;
  /** Every 16-byte run (hex) that only a private key's DER holds. */
  keyDerWindows: Set<string>;
}

const WINDOW = 24;
const DER_WINDOW = 16;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

function windows(s: string, into: Set<string>): void {
  for (const run of s.match(/[A-Za-z0-9+/]{24,}/g) ?? []) {
    for (let i = 0; i + WINDOW <= run.length; i++) {
      into.add(run.slice(i, i + WINDOW));
    }
  }
}

/**
 * Where a key's DER holds its numbers (INTEGER, OCTET STRING, BIT STRING values of DER_WINDOW bytes
 * or more), not its structure: "INTEGER 0, SEQUENCE { id-ecPublicKey, secp384r1 }" starts every
 * P-384 key and, once mutated, a certificate's bytes too. DER inside an OCTET STRING (PKCS#8) is
 * followed; bytes that do not read as DER count whole.
 */
export function secretRanges(der: Uint8Array): [number, number][] {
  const out: [number, number][] = [];
  const walk = (start: number, end: number, depth: number): boolean => {
    for (let p = start; p < end; ) {
      let t: ReturnType<typeof readTlv>;
      try {
        t = readTlv(der, p, end);
      } catch {
        return false;
      }
      if (t.tag & 0x20) {
        if (depth > 8 || !walk(t.body, t.end, depth + 1)) {
          return false;
        }
      } else if (!(t.tag === 0x04 && t.end - t.body > 2 && walk(t.body, t.end, depth + 1)) && t.end - t.body >= DER_WINDOW) {
        out.push([t.body, t.end]);
      }
      p = t.end;
    }
    return true;
  };
  return walk(0, der.length, 0) ? out : [[0, der.length]];
}

let loaded: Corpus | undefined;

/** The corpus (built once per process). */
export function loadCorpus(): Corpus {
  loaded ??= buildCorpus();
  return loaded;
}

function buildCorpus(): Corpus {
  const der: Corpus['der'] = [];
  let source = `${DEBIAN_BUNDLE} (absent: fixtures only)`;
  if (existsSync(DEBIAN_BUNDLE)) {
    const blocks = scanPem(readFileSync(DEBIAN_BUNDLE, 'utf8')).filter((b) => b.der);
    der.push(...blocks.map((b) => ({ der: b.der!, label: b.label })));
    source = `${DEBIAN_BUNDLE} (${blocks.length} certificates)`;
  }
  const texts: Corpus['texts'] = [];
  const keyTexts: string[] = [];
  const keyDer: Uint8Array[] = [];
  for (const path of files(FIXTURES).sort()) {
    const name = relative(FIXTURES, path);
    if (name.endsWith('.sh')) {
      continue;
    }
    const bytes = new Uint8Array(readFileSync(path));
    if (bytes[0] === 0x30) {
      der.push({ der: bytes, label: scanBytes(bytes)[0]?.label ?? 'CERTIFICATE' });
      continue;
    }
    const text = new TextDecoder().decode(bytes);
    texts.push({ name, text });
    const blocks = scanPem(text);
    for (const b of blocks) {
      if (b.der) {
        der.push({ der: b.der, label: b.label });
      }
      if (b.kind === 'privateKey') {
        if (b.der) {
          keyDer.push(b.der);
        } else {
          keyTexts.push(b.encoding === 'base64-pem' ? new TextDecoder().decode(Uint8Array.from(Buffer.from(b.text, 'base64'))) : b.text);
        }
      }
    }
    // Key files we do not read as DER (OpenSSH, PGP, PuTTY): their text is the key material.
    if (/\.(key|asc|ppk)$/.test(name) && !blocks.some((b) => b.kind === 'privateKey' && b.der)) {
      keyTexts.push(text);
    }
  }
  // Key material only: the armour lines ("-----BEGIN PRIVATE KEY-----") name a label, which the
  // fuzzer also puts on certificates, so they prove nothing. Other encodings (base64 of a key file,
  // a key's DER inside other bytes) are decoded by `leakedKey` and checked against these.
  const isKey = (d: Uint8Array) => keyDer.some((k) => k === d);
  const keyWindows = new Set<string>();
  for (const k of keyTexts) {
    windows(k.split('\n').filter((l) => !l.includes('-----')).join('\n'), keyWindows);
  }
  for (const d of keyDer) {
    // Windows of the key's base64 (as in its PEM) whose bytes all lie in one of its numbers.
    const b64 = encodeBase64(d);
    const ranges = secretRanges(d);
    for (let j = 0; j + WINDOW <= b64.length; j++) {
      const [from, to] = [Math.floor((6 * j) / 8), Math.floor((6 * (j + WINDOW) - 1) / 8) + 1];
      if (ranges.some(([a, b]) => a <= from && to <= b)) {
        keyWindows.add(b64.slice(j, j + WINDOW));
      }
    }
  }
  // Public data shares runs with keys (an RSA modulus is in the key, its certificate and its public
  // key): those prove nothing, whatever the line breaks (lines joined, `\n` escapes).
  for (const { der: d, label } of der.filter((x) => !isKey(x.der))) {
    for (const s of [encodeBase64(d), toPem(d, label)]) {
      for (const run of s.match(/[A-Za-z0-9+/]{24,}/g) ?? []) {
        for (let i = 0; i + WINDOW <= run.length; i++) {
          keyWindows.delete(run.slice(i, i + WINDOW));
        }
      }
    }
  }
  const keyDerWindows = new Set<string>();
  for (const d of keyDer) {
    const hex = Buffer.from(d).toString('hex');
    for (const [a, b] of secretRanges(d)) {
      for (let i = a; i + DER_WINDOW <= b; i++) {
        keyDerWindows.add(hex.slice(2 * i, 2 * (i + DER_WINDOW)));
      }
    }
  }
  for (const { der: d } of der.filter((x) => !isKey(x.der))) {
    const hex = Buffer.from(d).toString('hex');
    for (let i = 0; i + DER_WINDOW <= d.length; i++) {
      keyDerWindows.delete(hex.slice(2 * i, 2 * (i + DER_WINDOW)));
    }
  }
  return { source, der, texts, keyWindows, keyDerWindows };
}

/** Offsets of the length bytes of every element that parses, depth first (the interesting bytes). */
function lengthOffsets(der: Uint8Array): number[] {
  const out: number[] = [];
  const walk = (start: number, end: number, depth: number) => {
    for (let p = start; p < end && depth < 20 && out.length < 400; ) {
      try {
        const t = readTlv(der, p, end);
        out.push(p + 1);
        if (t.tag & 0x20 || t.tag === 0x04 || t.tag === 0x03) {
          walk(t.tag === 0x03 ? t.body + 1 : t.body, t.end, depth + 1);
        }
        p = t.end;
      } catch {
        return;
      }
    }
  };
  walk(0, der.length, 0);
  return out;
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

function int(r: () => number, n: number): number {
  return Math.floor(r() * n);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

function header(tag: number, len: number): Uint8Array {
  if (len < 128) {
    return new Uint8Array([tag, len]);
  }
  const b: number[] = [];
  for (let n = len; n > 0; n = Math.floor(n / 256)) {
    b.unshift(n & 0xff);
  }
  return new Uint8Array([tag, 0x80 | b.length, ...b]);
}

/** `inner` in `layers` elements of `tag`, the headers built first and the bytes copied once. */
function nest(inner: Uint8Array, tag: number, layers: number): Uint8Array {
  const headers: Uint8Array[] = [];
  for (let len = inner.length, k = 0; k < layers; k++) {
    const h = header(tag, len);
    headers.push(h);
    len += h.length;
  }
  return concat(...headers.reverse(), inner);
}

/** One DER mutation: bit flips, bytes, truncation, a corrupted or huge length, nesting, splicing. */
function mutateDer(d: Uint8Array, r: () => number, c: Corpus): Uint8Array {
  const b = d.slice();
  switch (int(r, 8)) {
    case 0: {
      for (let k = 1 + int(r, 4); k > 0; k--) {
        b[int(r, b.length)] ^= 1 << int(r, 8);
      }
      return b;
    }
    case 1: {
      b[int(r, b.length)] = int(r, 256);
      return b;
    }
    case 2:
      return b.subarray(0, int(r, b.length));
    case 3: {
      // A length field: a nearby value, zero, indefinite, or 1..4 length bytes of anything.
      const offs = lengthOffsets(d);
      const at = offs.length ? pick(r, offs) : 1;
      const v = pick(r, [0x00, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x89, 0xff, (b[at] + 1) & 0xff, (b[at] - 1) & 0xff]);
      b[at] = v;
      return b;
    }
    case 4: {
      // A huge length: 0x84 0x7f 0xff 0xff 0xff (2 GiB) or 0x88 followed by eight 0xff, spliced in.
      const offs = lengthOffsets(d);
      const at = offs.length ? pick(r, offs) : 1;
      const huge = pick(r, [[0x84, 0x7f, 0xff, 0xff, 0xff], [0x84, 0xff, 0xff, 0xff, 0xff], [0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], [0x83, 0xff, 0xff, 0xff]]);
      return concat(b.subarray(0, at), new Uint8Array(huge), b.subarray(at + 1));
    }
    case 5: {
      // Nesting: the element wrapped in layers of SEQUENCE / OCTET STRING / [0], up to thousands.
      const layers = pick(r, [1, 2, 10, 100, 3000]);
      return nest(b, pick(r, [0x30, 0x04, 0xa0, 0x31]), layers);
    }
    case 6: {
      // A piece of another seed spliced in (element boundaries of one, bytes of the other).
      const o = pick(r, c.der).der;
      const from = int(r, o.length);
      const at = int(r, b.length);
      return concat(b.subarray(0, at), o.subarray(from, from + 1 + int(r, 200)), b.subarray(at));
    }
    default: {
      // Deep nesting of SEQUENCEs (correct lengths) spliced in anywhere.
      const n = nest(new Uint8Array([0x30, 0x00]), 0x30, pick(r, [50, 500, 2000]));
      const at = int(r, b.length);
      return concat(b.subarray(0, at), n, b.subarray(at));
    }
  }
}

/**
 * Repetition stops at this many characters. Unbounded, 200× of 200× made inputs of 20 MB (1 in 60
 * inputs over 200 KB took 86% of the run's time and most of its memory); large inputs are held by
 * the linear-time tests (hostile.test.ts, model.test.ts, redact.test.ts), not by this budget.
 */
export const MAX_REPEATED = 64 * 1024;

const LABELS = ['CERTIFICATE', 'X509 CRL', 'CERTIFICATE REQUEST', 'PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY', 'PUBLIC KEY', 'PKCS7', 'ENCRYPTED PRIVATE KEY', 'TRUSTED CERTIFICATE', 'OPENSSH PRIVATE KEY', 'PGP PRIVATE KEY BLOCK'];

/** One text mutation: armour damage, base64 damage, truncation, nesting as base64, JSON/YAML framing. */
function mutateText(t: string, r: () => number): string {
  const at = int(r, t.length + 1);
  switch (int(r, 12)) {
    case 0: // drop an END line (or a BEGIN)
      return t.replace(pick(r, [/-----END [^-]*-----/, /-----BEGIN [^-]*-----/]), '');
    case 1: // an END for another label
      return t.replace(/-----END [^-]*-----/, `-----END ${pick(r, LABELS)}-----`);
    case 2: // damaged dashes, case, spaces
      return t.replace(/-----(BEGIN|END)/, pick(r, ['----$1', '------$1', '-----begin', '----- $1', '-----$1  ']));
    case 3: // a BEGIN line inside the body
      return `${t.slice(0, at)}\n-----BEGIN ${pick(r, LABELS)}-----\n${t.slice(at)}`;
    case 4: // base64 damage: a bad character, an early "=", a removed character, a space
      return t.slice(0, at) + pick(r, ['!', '=', '==', '====', ' ', '\t', '\u00e9', '\\', '"', '']) + t.slice(at + int(r, 2));
    case 5:
      return t.slice(0, at);
    case 6: // base64 of the whole text (a Kubernetes secret), maybe wrapped at 76 columns
      return `apiVersion: v1\ndata:\n  tls.crt: ${wrap(Buffer.from(t).toString('base64'), r() < 0.5 ? 76 : 0, '    ')}\n`;
    case 7: // a JSON string, with the escapes some encoders use
      return `{"k": ${escapeJson(t, r)}}`;
    case 8: // repeated many times, up to MAX_REPEATED (repeated mutations once compounded to 20 MB inputs)
      return t.repeat(Math.max(1, Math.min(pick(r, [2, 20, 200]), Math.floor(MAX_REPEATED / t.length))));
    case 9: // lines joined, or CRLF
      return r() < 0.5 ? t.replace(/\n/g, '') : t.replace(/\n/g, '\r\n');
    case 10: // a .env / YAML scalar with \n escapes
      return `TLS=${JSON.stringify(t)}\nkey: "${t.replace(/\n/g, '\\n')}"\n`;
    default: // lines shuffled
      return t.split('\n').sort(() => r() - 0.5).join('\n');
  }
}

function wrap(s: string, width: number, indent: string): string {
  if (!width) {
    return s;
  }
  const lines: string[] = [];
  for (let i = 0; i < s.length; i += width) {
    lines.push(s.slice(i, i + width));
  }
  return lines.join(`\n${indent}`);
}

function escapeJson(t: string, r: () => number): string {
  let s = JSON.stringify(t);
  if (r() < 0.5) {
    s = s.replace(/\//g, '\\/');
  }
  if (r() < 0.5) {
    s = s.replace(/-/g, '\\u002d');
  }
  if (r() < 0.3) {
    s = s.replace(/\+/g, '\\u002B');
  }
  return s;
}

/** Input `i` of `seed`: rebuilt from the two numbers alone. */
export function makeInput(c: Corpus, seed: number, i: number): Input {
  const r = rng((seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0);
  const kind = r();
  if (kind < 0.35) {
    // DER bytes, mutated 1..3 times.
    const s = pick(r, c.der);
    let d = s.der;
    for (let k = 1 + int(r, 3); k > 0; k--) {
      d = mutateDer(d, r, c);
    }
    return d;
  }
  if (kind < 0.65) {
    // PEM of a (possibly mutated) DER, then maybe text damage.
    const s = pick(r, c.der);
    const d = r() < 0.6 ? mutateDer(s.der, r, c) : s.der;
    let t = toPem(d, r() < 0.8 ? s.label : pick(r, LABELS));
    if (r() < 0.5) {
      t += toPem(pick(r, c.der).der, pick(r, LABELS));
    }
    return r() < 0.7 ? mutateText(t, r) : t;
  }
  // A fixture file (PEM, YAML, JSON, .env, OpenSSH, PGP, PuTTY), mutated 1..3 times as text.
  let t = pick(r, c.texts).text;
  for (let k = 1 + int(r, 3); k > 0; k--) {
    t = mutateText(t, r);
  }
  return t;
}

/** What an input did: nothing escapes, so any exception is returned as the failure. */
export async function runPipeline(input: Input, now: number): Promise<{ redactedText?: string; redactedDer?: string }> {
  // The view model runs `inspect` (scan, decode, every lint) first, so this is all of them once.
  await buildView(input, { now });
  const sent = typeof input === 'string' ? webviewContent({ text: input }) : webviewContent({ bytes: input, binary: true });
  // What the webview then builds from what it was sent (unless that is the input, built just above).
  if (sent.der !== undefined) {
    const der = Uint8Array.from(Buffer.from(sent.der, 'base64'));
    if (typeof input === 'string' || Buffer.compare(der, input) !== 0) {
      await buildView(der, { now });
    }
  } else if (sent.text !== input) {
    await buildView(sent.text ?? '', { now });
  }
  // Bytes that are text (a .pem opened as bytes) go through the text path too.
  const asText = typeof input === 'string' ? undefined : webviewContent({ bytes: input });
  return { redactedText: [sent.text ?? '', asText?.text ?? ''].join('\n'), ...(sent.der !== undefined ? { redactedDer: sent.der } : {}) };
}

/** Windows are looked up every STEP characters (bytes): a run of key material WINDOW + STEP - 1 long is always seen. */
const STEP = 4;
/** base64 runs, joined across line breaks and indentation (PEM bodies, wrapped Kubernetes values). */
const RUNS = /[A-Za-z0-9+/]{4,}(?:[ \t]*\r?\n[ \t]*[A-Za-z0-9+/]{4,})*/g;

function derLeak(c: Corpus, bytes: Uint8Array): number | undefined {
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
  for (let i = 0; i + DER_WINDOW <= bytes.length; i += STEP) {
    if (c.keyDerWindows.has(hex.slice(2 * i, 2 * (i + DER_WINDOW)))) {
      return i;
    }
  }
  return undefined;
}

/** Key material in `text`: as it is, or in base64 runs decoded (DER, or text holding a key, twice over). */
function textLeak(c: Corpus, text: string, depth: number): string | undefined {
  for (const joined of text.match(RUNS) ?? []) {
    const run = joined.replace(/\s+/g, '');
    if (run.length < WINDOW) {
      continue;
    }
    for (let i = 0; i + WINDOW <= run.length; i += STEP) {
      if (c.keyWindows.has(run.slice(i, i + WINDOW))) {
        return `…${run.slice(i, i + WINDOW)}…`;
      }
    }
    // Decoded at each of the 4 offsets a base64 text can start at: one of them is the real bytes.
    for (let r = 0; r < 4; r++) {
      const bytes = Buffer.from(run.slice(r, r + ((run.length - r) & ~3)), 'base64');
      const at = derLeak(c, bytes);
      if (at !== undefined) {
        return `base64 of DER, byte ${at}`;
      }
      const inner = depth < 2 ? textLeak(c, bytes.toString('latin1'), depth + 1) : undefined;
      if (inner) {
        return `base64 of ${inner}`;
      }
    }
  }
  return undefined;
}

/** The first private-key run found in what would be sent to the webview, if any. */
export function leakedKey(c: Corpus, out: { redactedText?: string; redactedDer?: string }): string | undefined {
  const text = textLeak(c, out.redactedText ?? '', 0);
  if (text) {
    return `text: ${text}`;
  }
  const at = out.redactedDer !== undefined ? derLeak(c, Buffer.from(out.redactedDer, 'base64')) : undefined;
  return at !== undefined ? `DER at byte ${at}` : undefined;
}

/** An input as a fixture file's content (text as is, bytes as bytes). */
export function describeInput(input: Input): string {
  return typeof input === 'string' ? JSON.stringify(input.length > 400 ? `${input.slice(0, 400)}…` : input) : `${input.length} bytes: ${encodeBase64(input.subarray(0, 300))}${input.length > 300 ? '…' : ''}`;
}
