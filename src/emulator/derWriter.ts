// A direct DER writer for the one certificate layout the emulator signs (RFC 5280 TBSCertificate with
// the extensions NCP puts in its certificates). Issuance used to build each certificate through
// @peculiar/x509's schema encoder and reparse the CA certificate every time; writing the fixed layout
// byte by byte is many times faster (`npm run bench -- emulator`, "TBS encoder" row) and is held
// byte-identical to @peculiar's output by test/unit/emulator/derWriter.test.ts.

/** A TLV: tag, definite length, then the concatenated contents. */
export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) {
    n += p.length;
  }
  const head = n < 0x80 ? [tag, n] : n < 0x100 ? [tag, 0x81, n] : n < 0x10000 ? [tag, 0x82, n >> 8, n & 0xff] : [tag, 0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  const out = new Uint8Array(head.length + n);
  out.set(head, 0);
  let at = head.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const seq = (...parts: Uint8Array[]): Uint8Array => tlv(0x30, ...parts);

const oidCache = new Map<string, Uint8Array>();

/** An OBJECT IDENTIFIER from its dotted form (cached: the layout uses a few dozen). */
export function oid(dotted: string): Uint8Array {
  let out = oidCache.get(dotted);
  if (!out) {
    const arcs = dotted.split('.').map(Number);
    const bytes: number[] = [arcs[0] * 40 + arcs[1]];
    for (const arc of arcs.slice(2)) {
      const chunk: number[] = [arc & 0x7f];
      for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) {
        chunk.unshift((v & 0x7f) | 0x80);
      }
      bytes.push(...chunk);
    }
    out = tlv(0x06, Uint8Array.from(bytes));
    oidCache.set(dotted, out);
  }
  return out;
}

const utf8 = new TextEncoder();

export function str(tag: number, s: string): Uint8Array {
  return tlv(tag, utf8.encode(s));
}

/** A positive INTEGER from big-endian magnitude octets (a 0x00 octet added when the top bit is set). */
export function unsignedInteger(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0 && !(bytes[i + 1] & 0x80)) {
    i++;
  }
  const b = bytes.subarray(i);
  return b[0] & 0x80 ? tlv(0x02, Uint8Array.of(0), b) : tlv(0x02, b);
}

export function smallInteger(n: number): Uint8Array {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  return unsignedInteger(Uint8Array.from(bytes));
}

export function hexBytes(hex: string): Uint8Array {
  const h = hex.length % 2 ? `0${hex}` : hex;
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(h.slice(i * 2, i * 2 + 2), 16);
  }
  return out;
}

const two = (n: number) => String(n).padStart(2, '0');

/** UTCTime up to 2049, GeneralizedTime from 2050 (RFC 5280 4.1.2.5), whole seconds, Zulu. */
export function time(d: Date): Uint8Array {
  const y = d.getUTCFullYear();
  const rest = `${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z`;
  return y >= 1950 && y < 2050 ? str(0x17, `${two(y % 100)}${rest}`) : str(0x18, `${String(y).padStart(4, '0')}${rest}`);
}

/** A BIT STRING of whole octets. */
export function bitString(bytes: Uint8Array): Uint8Array {
  return tlv(0x03, Uint8Array.of(0), bytes);
}

/** A named-bit BIT STRING (KeyUsage): bit 0 is the top bit of the first octet; trailing zero bits dropped. */
export function namedBits(bits: number[]): Uint8Array {
  const top = Math.max(...bits);
  const bytes = new Uint8Array((top >> 3) + 1);
  for (const b of bits) {
    bytes[b >> 3] |= 0x80 >> (b & 7);
  }
  return tlv(0x03, Uint8Array.of(7 - (top & 7)), bytes);
}

export const TRUE = Uint8Array.of(0x01, 0x01, 0xff);
export const NULL = Uint8Array.of(0x05, 0x00);

/** One Extension: extnID, critical when set, extnValue wrapping the DER value. */
export function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical ? seq(oid(id), TRUE, tlv(0x04, value)) : seq(oid(id), tlv(0x04, value));
}
