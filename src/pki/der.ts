// A minimal, allocation-light DER reader: enough to walk certificates, CSRs and CRLs fast.
// Offsets index into one shared Uint8Array; nothing is copied until a value is asked for.

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

/** Thrown for malformed DER; `offset` is where reading failed. */
export class DerError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

/** Reads the element at `offset`, bounded by `limit`. */
export function readTlv(buf: Uint8Array, offset: number, limit: number = buf.length): Tlv {
  if (offset + 2 > limit) {
    throw new DerError('truncated DER element', offset);
  }
  const tag = buf[offset];
  if ((tag & 0x1f) === 0x1f) {
    throw new DerError('high-tag-number form is not supported', offset);
  }
  let len = buf[offset + 1];
  let body = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) {
      throw new DerError(n === 0 ? 'indefinite length is not DER' : 'length too large', offset + 1);
    }
    if (body + n > limit) {
      throw new DerError('truncated length', offset + 1);
    }
    len = 0;
    for (let i = 0; i < n; i++) {
      len = len * 256 + buf[body + i];
    }
    body += n;
  }
  const end = body + len;
  if (end > limit) {
    throw new DerError(`element of ${len} bytes runs past its container`, offset);
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

/** Expects a tag; throws a DerError naming what was expected. */
export function expect(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t || t.tag !== tag) {
    throw new DerError(`expected ${what}`, t?.start ?? -1);
  }
  return t;
}

/** Decodes an OBJECT IDENTIFIER's contents to dotted form. */
export function oid(buf: Uint8Array, t: Tlv): string {
  const parts: number[] = [];
  let v = 0;
  for (let i = t.body; i < t.end; i++) {
    v = v * 128 + (buf[i] & 0x7f);
    if (!(buf[i] & 0x80)) {
      if (parts.length === 0) {
        const first = v < 80 ? Math.floor(v / 40) : 2;
        parts.push(first, v - first * 40);
      } else {
        parts.push(v);
      }
      v = 0;
    }
  }
  return parts.join('.');
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lowercase hex of a byte range, optionally separated. */
export function hex(buf: Uint8Array, start = 0, end = buf.length, sep = ''): string {
  let s = '';
  for (let i = start; i < end; i++) {
    s += (i > start ? sep : '') + HEX[buf[i]];
  }
  return s;
}

/** An INTEGER's contents as lowercase hex without the sign-padding zero byte. */
export function integerHex(buf: Uint8Array, t: Tlv): string {
  let s = t.body;
  if (t.end - s > 1 && buf[s] === 0) {
    s++;
  }
  return hex(buf, s, t.end);
}

/** A small non-negative INTEGER as a number. */
export function smallInt(buf: Uint8Array, t: Tlv): number {
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
        s += String.fromCodePoint(((bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]) >>> 0);
      }
      return s;
    }
    default:
      return utf8.decode(bytes);
  }
}

/** UTCTime or GeneralizedTime to epoch milliseconds (NaN when malformed). */
export function time(buf: Uint8Array, t: Tlv): number {
  const s = latin1.decode(buf.subarray(t.body, t.end));
  let m: RegExpMatchArray | null;
  if (t.tag === 0x17) {
    m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(s);
    if (!m) {
      return NaN;
    }
    const yy = Number(m[1]);
    return Date.UTC(yy >= 50 ? 1900 + yy : 2000 + yy, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  }
  m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d+))?Z$/.exec(s);
  if (!m) {
    return NaN;
  }
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), m[7] ? Number(`0.${m[7]}`) * 1000 : 0);
}
