// Finding PEM blocks in any text: PEM files, YAML (indented), JSON/.env strings with `\n` escapes,
// Kubernetes `tls.crt` values (base64 of a PEM), and raw DER or base64 for binary files.
import { render, text as msg, type Text } from './messages';
import { looksLikePfx } from './pfx';
import type { BlockKind, PemBlock, Position, Range } from './types';


const KINDS: Record<string, BlockKind> = {
  CERTIFICATE: 'certificate',
  'X509 CERTIFICATE': 'certificate',
  'TRUSTED CERTIFICATE': 'certificate',
  'CERTIFICATE REQUEST': 'csr',
  'NEW CERTIFICATE REQUEST': 'csr',
  'X509 CRL': 'crl',
  'PRIVATE KEY': 'privateKey',
  'RSA PRIVATE KEY': 'privateKey',
  'EC PRIVATE KEY': 'privateKey',
  'DSA PRIVATE KEY': 'privateKey',
  'ENCRYPTED PRIVATE KEY': 'privateKey',
  'OPENSSH PRIVATE KEY': 'privateKey',
  'PUBLIC KEY': 'publicKey',
  'RSA PUBLIC KEY': 'publicKey',
  PKCS7: 'pkcs7',
  CMS: 'pkcs7',
};

/** The block kind a PEM label names. */
export function kindOfLabel(label: string): BlockKind {
  return KINDS[label] ?? 'unknown';
}

/** Maps offsets in a text to zero-based line/character positions. */
export class LineMap {
  private readonly starts: number[] = [0];
  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
      this.starts.push(i + 1);
    }
  }
  /** The position of an offset. */
  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return { line: lo, character: offset - this.starts[lo] };
  }
  /** The range between two offsets. */
  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }
}

const B64 = new Int16Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((c, i) => {
  B64[c.charCodeAt(0)] = i;
});
// base64url too: some tools emit it.
B64['-'.charCodeAt(0)] = 62;
B64['_'.charCodeAt(0)] = 63;

/** Decodes base64 (whitespace not allowed); returns the bytes or the index of the first bad character. */
export function decodeBase64(s: string): { bytes: Uint8Array } | { badIndex: number; reason: Text } {
  let n = s.length;
  while (n > 0 && s.charCodeAt(n - 1) === 61) {
    n--;
  }
  if (s.length - n > 2) {
    return { badIndex: n, reason: msg('base64.padding') };
  }
  const out = new Uint8Array(Math.floor((n * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? B64[c] : -1;
    if (v < 0) {
      return { badIndex: i, reason: c === 61 ? msg('base64.early-padding') : msg('base64.character', s[i]) };
    }
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  if (n % 4 === 1) {
    return { badIndex: n - 1, reason: msg('base64.truncated') };
  }
  return { bytes: out.subarray(0, o) };
}

const utf8 = new TextDecoder();

/** Node's base64 decoder where there is one (the CLI, the language server); a browser decodes in decodeBase64. */
const nodeBuffer = (globalThis as { Buffer?: { from(s: string, encoding: 'base64'): Uint8Array } }).Buffer;

/**
 * decodeBase64's bytes for a string of base64 characters and at most two `=` at its end (undefined
 * where it fails), decoded by Node where it can (no loop in JavaScript).
 */
function base64Bytes(s: string): Uint8Array | undefined {
  if (!nodeBuffer) {
    const r = decodeBase64(s);
    return 'bytes' in r ? r.bytes : undefined;
  }
  let n = s.length;
  while (n > 0 && s.charCodeAt(n - 1) === 61) {
    n--;
  }
  return n % 4 === 1 ? undefined : new Uint8Array(nodeBuffer.from(s, 'base64'));
}

/** Encodes bytes as base64. */
export function encodeBase64(bytes: Uint8Array): string {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let s = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    s += A[v >> 18] + A[(v >> 12) & 63] + A[(v >> 6) & 63] + A[v & 63];
  }
  if (i < bytes.length) {
    const v = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8);
    s += A[v >> 18] + A[(v >> 12) & 63] + (i + 1 < bytes.length ? A[(v >> 6) & 63] : '=') + '=';
  }
  return s;
}

/** Wraps DER as a PEM block with the given label (64-column lines). */
export function toPem(der: Uint8Array, label: string): string {
  const b64 = encodeBase64(der);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) {
    lines.push(b64.slice(i, i + 64));
  }
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

interface BodyPiece {
  text: string;
  /** Offset in the scanned text of the piece's first character. */
  offset: number;
  /** Offset just past its last character (text may be shorter: JSON escapes read). */
  end: number;
}

/** The JSON escapes a string's base64 may carry besides line breaks: `\/` (PHP, Java) and `\u002B` (.NET's default encoder). */
const JSON_ESCAPE = /\\(?:u([0-9A-Fa-f]{4})|\/)/g;

/** Splits a block body into base64 pieces with their offsets, skipping RFC 1421 headers. */
function bodyPieces(text: string, from: number, to: number, escaped: boolean): { pieces: BodyPiece[]; headers: Record<string, string> } {
  const sep = escaped ? /\\r\\n|\\n|\\r|\\u000[aAdD]|\r?\n/g : /\r?\n/g;
  const pieces: BodyPiece[] = [];
  const headers: Record<string, string> = {};
  let inHeaders = true;
  let last = from;
  const push = (s: number, e: number) => {
    // Trim whitespace and the quote/backslash artifacts of YAML, JSON and .env strings.
    while (s < e && /[\s"',\\]/.test(text[s])) {
      s++;
    }
    while (e > s && /[\s"',\\]/.test(text[e - 1])) {
      e--;
    }
    if (escaped && s > 0 && text[s - 1] === '\\' && (text[s] === '/' || text[s] === 'u')) {
      s--; // the backslash starts an escape: keep it
    }
    const raw = text.slice(s, e);
    const piece = escaped && raw.includes('\\') ? raw.replace(JSON_ESCAPE, (_m, h: string | undefined) => (h ? String.fromCharCode(parseInt(h, 16)) : '/')) : raw;
    if (inHeaders) {
      const m = /^([A-Za-z-]+):\s*(.*)$/.exec(piece);
      if (m) {
        headers[m[1]] = m[2];
        return;
      }
      if (piece.length > 0 || pieces.length > 0) {
        inHeaders = false;
      }
    }
    if (piece.length > 0) {
      pieces.push({ text: piece, offset: s, end: e });
    }
  };
  const body = text.slice(from, to);
  sep.lastIndex = 0;
  for (let m = sep.exec(body); m; m = sep.exec(body)) {
    push(last, from + m.index);
    last = from + m.index + m[0].length;
  }
  push(last, to);
  return { pieces, headers };
}

/** The message of a block whose base64 breaks at `at` (its line and column count from 1). */
export function badBase64Text(at: Position, reason: Text): Text {
  return msg('base64.at', at.line + 1, at.character + 1, reason);
}

/** A block's error: the message in English and as data. */
function failure(t: Text, range: Range): { message: string; text: Text; range: Range } {
  return { message: render(t), text: t, range };
}

/** One armor line: `-----BEGIN X-----` or `-----END X-----`, where it starts and ends. */
interface Marker {
  begin: boolean;
  label: string;
  start: number;
  end: number;
}

// How deep a base64-encoded PEM inside a base64-encoded PEM is followed (a Kubernetes secret is 1).
const MAX_DEPTH = 3;

/** Fails loudly if a scanning loop did not move forward: a scanner bug, never an endless loop. */
function advance(from: number, to: number): number {
  if (!(to > from)) {
    throw new Error(`scanPem: no progress at offset ${from}`);
  }
  return to;
}

/** Every BEGIN and END line, in order, in one pass (the regex is local: no state shared between calls). */
function markers(text: string): Marker[] {
  const re = /-----(BEGIN|END) ([A-Z0-9][A-Z0-9 #._/-]{0,60}?)-----/g;
  const out: Marker[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ begin: m[1] === 'BEGIN', label: m[2], start: m.index, end: advance(m.index, m.index + m[0].length) });
  }
  return out;
}

/**
 * Every PEM block in `text`, in order, with exact ranges. Never throws: a block whose body is not
 * base64 or has no END line comes back with `error` set (and the position of the problem).
 * Linear in the text: BEGIN and END lines are found in one pass and paired in order.
 */
/**
 * Most blocks read from one text. A block costs about 2 KB from scan to lint, so 64 MiB of one-line
 * BEGINs (3.7 million blocks) would exhaust the 4 GB heap of `scan` or of the language server; no
 * real bundle comes near (the 10,000-certificate bench bundle is 15 MB).
 */
export const MAX_BLOCKS = 1_000_000;

export function scanPem(text: string, maxBlocks = MAX_BLOCKS): PemBlock[] {
  return scanAt(text, 0, maxBlocks);
}

function scanAt(text: string, depth: number, maxBlocks = MAX_BLOCKS): PemBlock[] {
  const lines = new LineMap(text);
  const blocks: PemBlock[] = [];
  const marks = markers(text);
  for (let i = 0; i < marks.length; i++) {
    const b = marks[i];
    if (!b.begin) {
      continue; // an END without its BEGIN
    }
    if (blocks.length === maxBlocks) {
      // The rest is one malformed block that says why it was not read.
      const range = lines.range(b.start, text.length);
      blocks.push({ index: blocks.length, label: b.label, kind: kindOfLabel(b.label), encoding: 'pem', range, text: '', headers: {}, error: failure(msg('pem.too-many', String(maxBlocks)), range) });
      break;
    }
    const { label } = b;
    const kind = kindOfLabel(label);
    const endMarker = `-----END ${label}-----`;
    const next = marks[i + 1];
    if (!next || next.begin || next.label !== label) {
      // No END before the next BEGIN (or an END for another label): the block is its BEGIN line.
      const limit = next ? next.start : text.length;
      let stop = b.end;
      while (stop < limit && text.charCodeAt(stop) !== 10) {
        stop++;
      }
      const why = next && !next.begin ? msg('pem.no-end-found', endMarker, `-----END ${next.label}-----`) : msg('pem.no-end', endMarker);
      blocks.push({ index: blocks.length, label, kind, encoding: 'pem', range: lines.range(b.start, stop), text: text.slice(b.start, stop), headers: {}, error: failure(why, lines.range(b.start, stop)) });
      continue;
    }
    i++;
    blocks.push(block(text, lines, blocks.length, label, kind, b.start, b.end, next.start, next.end));
  }
  // JSON strings whose escapes hide armor lines (`\u002d\u002d\u002d\u002d\u002dBEGIN`): read as JSON
  // reads them, and their blocks replace what the raw text showed inside them.
  if (depth < MAX_DEPTH && text.includes('\\u')) {
    for (const s of jsonStrings(text)) {
      const literal = text.slice(s.start, s.end);
      if (!literal.includes('\\u')) {
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(literal);
      } catch {
        continue;
      }
      if (typeof value !== 'string' || markers(value).length <= markers(literal).length) {
        continue;
      }
      const range = lines.range(s.start, s.end);
      const inside = (r: Range) => !before(r.start, range.start) && before(r.start, range.end);
      const kept = blocks.filter((x) => !inside(x.range));
      blocks.length = 0;
      for (const x of kept) {
        blocks.push(x);
      }
      for (const ib of scanAt(value, depth + 1)) {
        const { error, ...rest } = ib;
        blocks.push({ ...rest, index: 0, encoding: 'escaped', range, text: literal, ...(error ? { error: failure(error.text, range) } : {}) });
      }
    }
    reindex(blocks);
  }
  // Kubernetes secrets and similar: a PEM that was base64-encoded as a whole.
  // base64("-----BEGIN") starts with LS0tLS1CRUdJT. The regex is local, so the inner scan cannot
  // reset this loop's position (a shared /g regex once made this loop endless).
  if (depth < MAX_DEPTH && text.includes('LS0tLS1CRUdJT')) {
    const re = /LS0tLS1CRUdJT[A-Za-z0-9+/]{8,}={0,2}/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const end = advance(m.index, m.index + m[0].length);
      const bytes = base64Bytes(m[0]);
      if (!bytes) {
        continue;
      }
      const range = lines.range(m.index, end);
      for (const ib of scanAt(utf8.decode(bytes), depth + 1)) {
        const { error, ...rest } = ib;
        blocks.push({ ...rest, index: 0, encoding: 'base64-pem', range, text: m[0], ...(error ? { error: failure(error.text, range) } : {}) });
      }
    }
    reindex(blocks);
  }
  return blocks;
}

/** Blocks in text order, numbered. */
function reindex(blocks: PemBlock[]): void {
  blocks.sort((a, c) => a.range.start.line - c.range.start.line || a.range.start.character - c.range.start.character);
  blocks.forEach((x, k) => {
    x.index = k;
  });
}

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/** The double-quoted strings of a text, as a JSON tokenizer sees them (one line each), in one linear pass. */
function jsonStrings(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  let i = text.indexOf('"');
  while (i !== -1) {
    let j = i + 1;
    for (; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === 92) {
        j++;
      } else if (c === 34 || c === 10 || c === 13) {
        break;
      }
    }
    if (j < text.length && text.charCodeAt(j) === 34) {
      out.push({ start: i, end: j + 1 });
      j++;
    }
    i = text.indexOf('"', j);
  }
  return out;
}

/**
 * The layout nearly every block body has: lines of base64 (each maybe indented), padding only at the
 * end, the line breaks real or `\n` escapes. Only the characters LAYOUT removes are not base64.
 */
const PLAIN_BODY = /^(?:(?:\r?\n|\\r\\n|\\n)[ \t]*[A-Za-z0-9+/]+)*={0,2}(?:\r?\n|\\r\\n|\\n)[ \t]*$/;
const LAYOUT = /\\[nr]|[ \t\r\n=]/g;

/**
 * A block body laid out as PLAIN_BODY says, decoded; undefined for any other (headers, quotes, JSON
 * escapes, a bad character, no data), which bodyPieces and decodeBase64 read and explain. What this
 * returns is what they return for the same body.
 */
function plainBody(body: string): Uint8Array | undefined {
  if (!PLAIN_BODY.test(body)) {
    return undefined;
  }
  const data = body.replace(LAYOUT, '');
  return data.length > 0 ? base64Bytes(data) : undefined;
}

/** The block between a BEGIN line (`begin`..`bodyStart`) and its END line (`endAt`..`end`). */
function block(text: string, lines: LineMap, index: number, label: string, kind: BlockKind, begin: number, bodyStart: number, endAt: number, end: number): PemBlock {
  const raw = text.slice(bodyStart, endAt);
  const escaped = raw.includes('\\n') || raw.includes('\\r') || raw.includes('\\u000');
  const der = plainBody(raw);
  if (der) {
    return { index, label, kind, encoding: escaped ? 'escaped' : 'pem', range: lines.range(begin, end), text: text.slice(begin, end), headers: {}, der };
  }
  const { pieces, headers } = bodyPieces(text, bodyStart, endAt, escaped);
  const out: PemBlock = { index, label, kind, encoding: escaped ? 'escaped' : 'pem', range: lines.range(begin, end), text: text.slice(begin, end), headers };
  const r = decodeBase64(pieces.map((p) => p.text).join(''));
  if ('bytes' in r) {
    if (r.bytes.length === 0) {
      out.error = failure(msg('pem.empty'), out.range);
    } else {
      out.der = r.bytes;
    }
    return out;
  }
  // Map the bad index back to the line it came from.
  let i = r.badIndex;
  let piece = pieces[0];
  for (const p of pieces) {
    piece = p;
    if (i < p.text.length) {
      break;
    }
    i -= p.text.length;
  }
  // (In a piece whose JSON escapes were read, the column is the piece's start.)
  const at = piece ? piece.offset + (piece.end - piece.offset === piece.text.length ? Math.min(i, piece.text.length) : 0) : bodyStart;
  const lineOf = lines.position(at);
  out.error = { ...failure(badBase64Text(lineOf, r.reason), lines.range(piece ? piece.offset : at, piece ? piece.end : at + 1)), at: lineOf, reason: r.reason };
  return out;
}

/** Guesses what a DER blob is from its structure. */
export function sniffDer(der: Uint8Array): BlockKind {
  // Cheap structural probes; decode.ts validates for real.
  if (looksLikePfx(der)) {
    return 'pkcs12'; // before the key probe: a PFX, too, starts with an INTEGER (version 3)
  }
  try {
    const seq = readSeq(der, 0);
    const first = readSeq(der, seq.body);
    if (der[seq.body] === 0x06) {
      return 'pkcs7'; // ContentInfo: OID first
    }
    if (der[seq.body] === 0x02) {
      // PKCS#8 / RSA / EC private key start with an INTEGER version.
      return 'privateKey';
    }
    if (der[first.body] === 0xa0) {
      return 'certificate';
    }
    const inner = der[first.body];
    if (inner === 0x02) {
      // Either a v1 certificate (serial), a CSR (version 0 then Name) or a v2 CRL (version 1 then AlgorithmIdentifier).
      const v = readSeq(der, first.body);
      const next = der[v.end];
      const afterNext = readSeq(der, v.end);
      if (next === 0x30 && der[afterNext.body] === 0x06) {
        return v.end - v.body === 1 && der[v.body] === 1 ? 'crl' : 'certificate';
      }
      return 'csr';
    }
    if (inner === 0x30) {
      // v1 CRL (no version) or SPKI (AlgorithmIdentifier then BIT STRING).
      const a = readSeq(der, first.body);
      return der[a.end] === 0x03 && first.body === seq.body ? 'publicKey' : 'crl';
    }
  } catch {
    // fall through
  }
  return 'unknown';
}

function readSeq(buf: Uint8Array, offset: number): { body: number; end: number } {
  let len = buf[offset + 1];
  let body = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) {
      len = len * 256 + buf[body + i];
    }
    body += n;
  }
  if (body + len > buf.length || Number.isNaN(len)) {
    throw new Error('bad length');
  }
  return { body, end: body + len };
}

const DER_LABEL: Record<BlockKind, string> = {
  certificate: 'CERTIFICATE',
  csr: 'CERTIFICATE REQUEST',
  crl: 'X509 CRL',
  privateKey: 'PRIVATE KEY',
  publicKey: 'PUBLIC KEY',
  pkcs7: 'PKCS7',
  pkcs12: 'PKCS#12',
  unknown: 'UNKNOWN',
};

/**
 * Blocks in a file's raw bytes: DER (one block), PEM text, or bare base64 of DER.
 */
export function scanBytes(bytes: Uint8Array): PemBlock[] {
  const zero: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  if (bytes.length > 1 && bytes[0] === 0x30) {
    const kind = sniffDer(bytes);
    return [{ index: 0, label: DER_LABEL[kind], kind, encoding: 'der', range: zero, text: '', headers: {}, der: bytes }];
  }
  // UTF-16 with its byte order mark (Windows PowerShell's Out-File writes it), else UTF-8.
  const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8';
  const text = new TextDecoder(encoding).decode(bytes);
  const blocks = scanPem(text);
  if (blocks.length > 0) {
    return blocks;
  }
  const compact = text.replace(/\s+/g, '');
  if (compact.length >= 16 && /^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    const r = decodeBase64(compact);
    if ('bytes' in r && r.bytes[0] === 0x30) {
      const kind = sniffDer(r.bytes);
      const lines = new LineMap(text);
      return [{ index: 0, label: DER_LABEL[kind], kind, encoding: 'base64', range: lines.range(0, text.length), text, headers: {}, der: r.bytes }];
    }
  }
  return [];
}
