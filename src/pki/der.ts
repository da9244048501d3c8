// A minimal, allocation-light DER reader: enough to walk certificates, CSRs and CRLs fast.
// Offsets index into one shared Uint8Array; nothing is copied until a value is asked for.
import { render, text as msg, type Text } from './messages';

/** One DER element: tag byte, where its contents start, and where it ends (exclusive). */
export interface Tlv {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the first content byte. */
  body: number;
  /** Offset just past the last content byte. */
  end: number;
}

/** Thrown for malformed DER; `offset` is where reading failed, `text` what went wrong (as data, to be translated; `message` is its English). */
export class DerError extends Error {
  constructor(
    readonly text: Text,
    readonly offset: number,
  ) {
    super(render(text));
  }
}

/** Reads the element at `offset`, bounded by `limit`. */
export function readTlv(buf: Uint8Array, offset: number, limit: number = buf.length): Tlv {
  if (offset + 2 > limit) {
    throw new DerError(msg('der.truncated'), offset);
  }
  const tag = buf[offset];
  if ((tag & 0x1f) === 0x1f) {
    throw new DerError(msg('der.high-tag'), offset);
  }
  let len = buf[offset + 1];
  let body = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) {
      throw new DerError(msg(n === 0 ? 'der.indefinite' : 'der.length-too-large'), offset + 1);
    }
    if (body + n > limit) {
      throw new DerError(msg('der.truncated-length'), offset + 1);
    }
    len = 0;
    for (let i = 0; i < n; i++) {
      len = len * 256 + buf[body + i];
    }
    body += n;
  }
  const end = body + len;
  if (end > limit) {
    throw new DerError(msg('der.past-container', len), offset);
  }
  return { tag, start: offset, body, end };
}

/** The children of a constructed element. */
export function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let p = parent.body;
  while (p < parent.end) {
    const t = readTlv(buf, p, parent.end);
    out.push(t);
    p = t.end;
  }
  return out;
}

/** Expects a tag; throws a DerError naming what was expected (`what`: its ASN.1 name, the same in every language). */
export function expect(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t || t.tag !== tag) {
    throw new DerError(msg('der.expected', what), t?.start ?? -1);
  }
  return t;
}

/**
 * Decodes an OBJECT IDENTIFIER's contents to dotted form, exactly: an arc too large for a double
 * (a 128-bit UUID arc under 2.25) is read as a BigInt. Throws a DerError for an encoding that is not
 * DER (empty, an arc with a leading 0x80 byte, the last arc cut off) rather than printing a guess.
 */
export function oid(buf: Uint8Array, t: Tlv): string {
  // Each OID is read once, then shared: the few dozen a certificate's fields use, by a hash of their bytes.
  let h = t.end - t.body;
  for (let i = t.body; i < t.end; i++) {
    h = (h * 31 + buf[i]) | 0;
  }
  const seen = OIDS.get(h);
  if (seen !== undefined && sameBytes(seen.bytes, buf, t.body, t.end)) {
    return seen.oid;
  }
  const s = dotted(buf, t);
  if (seen === undefined && OIDS.size < 4096) {
    OIDS.set(h, { bytes: buf.slice(t.body, t.end), oid: s });
  }
  return s;
}

function sameBytes(a: Uint8Array, buf: Uint8Array, start: number, end: number): boolean {
  if (a.length !== end - start) {
    return false;
  }
  for (let i = start; i < end; i++) {
    if (a[i - start] !== buf[i]) {
      return false;
    }
  }
  return true;
}

/** The OIDs `oid` has read (at most 4,096), by the hash of their bytes. */
const OIDS = new Map<number, { bytes: Uint8Array; oid: string }>();

function dotted(buf: Uint8Array, t: Tlv): string {
  if (t.end <= t.body) {
    throw new DerError(msg('der.oid-empty'), t.start);
  }
  let s = '';
  let v = 0;
  let big: bigint | undefined;
  let atStart = true;
  for (let i = t.body; i < t.end; i++) {
    const b = buf[i];
    if (atStart && b === 0x80) {
      throw new DerError(msg('der.oid-0x80'), i);
    }
    atStart = false;
    if (big === undefined && v >= 2 ** 45) {
      big = BigInt(v);
    }
    if (big === undefined) {
      v = v * 128 + (b & 0x7f);
    } else {
      big = (big << 7n) | BigInt(b & 0x7f);
    }
    if (!(b & 0x80)) {
      if (s === '') {
        // The first two arcs share one number: X*40+Y, with X = 2 for everything from 80 on.
        s = big !== undefined ? `2.${big - 80n}` : v < 80 ? `${Math.floor(v / 40)}.${v % 40}` : `2.${v - 80}`;
      } else {
        s += `.${big ?? v}`;
      }
      v = 0;
      big = undefined;
      atStart = true;
    }
  }
  if (!atStart) {
    throw new DerError(msg('der.oid-cut'), t.end - 1);
  }
  return s;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lowercase hex of a byte range, optionally separated. */
export function hex(buf: Uint8Array, start = 0, end = buf.length, sep = ''): string {
  const parts = new Array<string>(Math.max(0, end - start));
  for (let i = start; i < end; i++) {
    parts[i - start] = HEX[buf[i]];
  }
  return parts.join(sep);
}

/**
 * An INTEGER's value as lowercase hex without the sign-padding zero byte; a negative one as `-`
 * and its magnitude (two's complement undone), so it is never shown as if it were positive.
 * An empty INTEGER (not DER) is `''`: callers that care report it (integerProblem).
 */
export function integerHex(buf: Uint8Array, t: Tlv): string {
  if (t.end <= t.body) {
    return '';
  }
  if (buf[t.body] & 0x80) {
    const mag = (-signedBigInt(buf, t)).toString(16);
    return `-${mag.length % 2 ? '0' : ''}${mag}`;
  }
  let s = t.body;
  if (t.end - s > 1 && buf[s] === 0) {
    s++;
  }
  return hex(buf, s, t.end);
}

/** Why an INTEGER's encoding is not DER (empty, or a needless leading 0x00/0xff byte), if it is not. */
export function integerProblem(buf: Uint8Array, t: Tlv): Text | undefined {
  if (t.end <= t.body) {
    return msg('der.integer-empty-value');
  }
  if (t.end - t.body > 1 && ((buf[t.body] === 0 && !(buf[t.body + 1] & 0x80)) || (buf[t.body] === 0xff && buf[t.body + 1] & 0x80))) {
    return msg('der.integer-not-minimal');
  }
  return undefined;
}

/** An INTEGER's exact value (two's complement), however long. Throws a DerError when it is empty. */
export function signedBigInt(buf: Uint8Array, t: Tlv): bigint {
  if (t.end <= t.body) {
    throw new DerError(msg('der.integer-empty'), t.start);
  }
  let v = 0n;
  for (let i = t.body; i < t.end; i++) {
    v = (v << 8n) | BigInt(buf[i]);
  }
  return buf[t.body] & 0x80 ? v - (1n << BigInt(8 * (t.end - t.body))) : v;
}

/**
 * A small non-negative INTEGER (a version, a CRL reason) as a number. Throws a DerError for an empty,
 * negative or too large one instead of returning a wrong number (0xff is -1, not 255).
 */
export function smallInt(buf: Uint8Array, t: Tlv): number {
  if (t.end <= t.body || buf[t.body] & 0x80 || t.end - t.body > 6) {
    throw new DerError(t.end <= t.body ? msg('der.integer-empty') : buf[t.body] & 0x80 ? msg('der.integer-negative', String(signedBigInt(buf, t))) : msg('der.integer-too-large'), t.start);
  }
  let v = 0;
  for (let i = t.body; i < t.end; i++) {
    v = v * 256 + buf[i];
  }
  return v;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
const latin1 = new TextDecoder('latin1');

/** A string type's contents as text (UTF8String, PrintableString, IA5String, BMPString, ...). */
export function text(buf: Uint8Array, t: Tlv): string {
  const bytes = buf.subarray(t.body, t.end);
  switch (t.tag) {
    case 0x1e: {
      // BMPString: UTF-16BE
      let s = '';
      for (let i = 0; i + 1 < bytes.length; i += 2) {
        s += String.fromCharCode((bytes[i] << 8) | bytes[i + 1]);
      }
      return s;
    }
    case 0x14: // TeletexString: treated as Latin-1, as OpenSSL does
      return latin1.decode(bytes);
    case 0x1c: {
      // UniversalString: UTF-32BE
      let s = '';
      for (let i = 0; i + 3 < bytes.length; i += 4) {
        // A value past U+10FFFF is no character: shown as U+FFFD, not thrown (that made the whole certificate malformed).
        const cp = ((bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]) >>> 0;
        s += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      }
      return s;
    }
    default:
      return utf8.decode(bytes);
  }
}

/** A time read exactly (`nonDer` says what about its encoding DER or RFC 5280 does not allow), or why it is not a time. */
export type TimeValue = { iso: string; ms: number; nonDer?: Text } | { raw: string; error: Text };

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A UTCTime or GeneralizedTime, exactly: year 0000 stays 0000, fractional seconds are kept as
 * written, and a date that does not exist (month 13, day 32, 30 February, hour 24) is an error with
 * the text as written, never rolled over into another date.
 */
export function time(buf: Uint8Array, t: Tlv): TimeValue {
  return derTime(buf, t) ?? anyTime(buf, t);
}

/** Two ASCII digits at `i` as a number, or NaN. */
function digits2(buf: Uint8Array, i: number): number {
  const a = buf[i] - 48;
  const b = buf[i + 1] - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN;
}

/**
 * The form nearly every certificate uses, read without a regular expression or a Date: UTCTime
 * YYMMDDHHMMSSZ, or GeneralizedTime YYYYMMDDHHMMSSZ from 2050 on. Undefined for anything else (other
 * forms, dates that do not exist), which `anyTime` reads and explains.
 */
function derTime(buf: Uint8Array, t: Tlv): TimeValue | undefined {
  const utc = t.tag === 0x17;
  const n = t.end - t.body;
  if (n !== (utc ? 13 : 15) || buf[t.end - 1] !== 0x5a) {
    return undefined;
  }
  let p = t.body;
  let year = digits2(buf, p);
  p += 2;
  if (!(year >= 0)) {
    return undefined;
  }
  if (utc) {
    year += year >= 50 ? 1900 : 2000;
  } else {
    year = year * 100 + digits2(buf, p);
    p += 2;
    if (!(year >= 2050)) {
      return undefined;
    }
  }
  const month = digits2(buf, p);
  const day = digits2(buf, p + 2);
  const h = digits2(buf, p + 4);
  const mi = digits2(buf, p + 6);
  const sec = digits2(buf, p + 8);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month - 1] + (month === 2 && leap ? 1 : 0) && h <= 23 && mi <= 59 && sec <= 59)) {
    return undefined;
  }
  const two = (v: number) => (v < 10 ? `0${v}` : `${v}`);
  return { iso: `${year}-${two(month)}-${two(day)}T${two(h)}:${two(mi)}:${two(sec)}Z`, ms: Date.UTC(year, month - 1, day, h, mi, sec) };
}

/** Any UTCTime or GeneralizedTime, by the rules above (`time` without its fast path; exported for the test that holds one to the other). */
export function anyTime(buf: Uint8Array, t: Tlv): TimeValue {
  const raw = latin1.decode(buf.subarray(t.body, Math.min(t.end, t.body + 40)));
  const utc = t.tag === 0x17;
  const m = utc ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?()(Z|[+-]\d{4})?$/.exec(raw) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{4})?$/.exec(raw);
  if (!m || t.end - t.body > 40) {
    return { raw, error: msg('time.not-a', utc ? 'UTCTime (YYMMDDHHMMSSZ)' : 'GeneralizedTime (YYYYMMDDHHMMSSZ)') };
  }
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  const year = utc ? (Number(y) >= 50 ? 1900 : 2000) + Number(y) : Number(y);
  const month = Number(mo);
  const day = Number(d);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const bad =
    month < 1 || month > 12 ? msg('time.no-month', mo)
    : day < 1 || day > DAYS_IN_MONTH[month - 1] + (month === 2 && leap ? 1 : 0) ? msg('time.no-day', d, mo, String(year).padStart(4, '0'))
    : Number(h) > 23 ? msg('time.no-hour', h)
    : mi !== undefined && Number(mi) > 59 ? msg('time.no-minute', mi)
    : sec !== undefined && Number(sec) > 59 ? msg('time.no-second', sec)
    : zone === undefined ? msg('time.no-zone')
    : zone !== 'Z' && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(3)) > 59) ? msg('time.no-offset', zone)
    : undefined;
  if (bad) {
    return { raw, error: bad };
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(Number(h), Number(mi ?? 0), Number(sec ?? 0), 0);
  const offset = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3)));
  const whole = date.getTime() - offset * 60_000;
  const iso = new Date(whole).toISOString().replace('.000Z', frac ? `.${frac}Z` : 'Z');
  const why = [
    sec === undefined ? msg(mi === undefined ? 'time.no-minutes-seconds' : 'time.no-seconds') : undefined,
    frac ? msg('time.fraction') : undefined,
    zone !== 'Z' ? msg('time.offset', zone) : undefined,
    !utc && year < 2050 ? msg('time.generalized-early', y) : undefined,
  ].filter((x) => x !== undefined);
  return { iso, ms: whole + (frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0), ...(why.length ? { nonDer: why.reduce((a, b) => msg('list', a, b)) } : {}) };
}
