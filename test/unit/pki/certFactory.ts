// Seeded random certificates for the differential test: a template whose every field varies
// (version, serial, names with every string type and the characters RFC 4514 escapes, UTCTime and
// GeneralizedTime, RSA/EC/EdDSA keys, each extension either decoder knows, critical or not, and
// known extensions whose value does not parse). Written with a few lines of DER encoding (tlv())
// so 10,000 take a moment; signatures are random bytes: neither decoder verifies them.
import { CURVES, EKU, SIGNATURE_ALGORITHMS } from '../../../src/pki/oids';

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return s / 2 ** 32;
  };
}

type Bytes = number[] | Uint8Array;

/** One DER element: tag, definite length, contents. */
export function tlv(tag: number, ...parts: Bytes[]): Uint8Array {
  const body = parts.flatMap((p) => Array.from(p));
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Uint8Array.from([tag, ...len, ...body]);
}

export function oidDer(oid: string): Uint8Array {
  const [a, b, ...rest] = oid.split('.').map(Number);
  const out = [40 * a + b];
  for (const v of rest) {
    const groups = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) {
      groups.unshift((x & 0x7f) | 0x80);
    }
    out.push(...groups);
  }
  return tlv(0x06, out);
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const latin1 = (s: string) => Array.from(s, (c) => c.charCodeAt(0) & 0xff);
const utf16 = (s: string) => Array.from(s).flatMap((c) => {
  const u = c.charCodeAt(0);
  return [u >> 8, u & 0xff];
});

export function certFactory(seed: number, spkis: Uint8Array[]): () => Uint8Array {
  const r = rng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const maybe = (p = 0.5) => r() < p;
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
  const ALPHA = [...'abcXYZ019 -._'];
  const SPECIAL = [',', '+', '"', '\\', '<', '>', ';', '=', '#', ' ', 'é', '한', '😀', '\u0000'];
  const word = () => Array.from({ length: 1 + int(12) }, () => (maybe(0.15) ? pick(SPECIAL) : pick(ALPHA))).join('');
  const printable = () => Array.from({ length: 1 + int(10) }, () => pick([..."ABCabc0123 '()+,-./:=?"])).join('');
  const ascii = () => Array.from({ length: 1 + int(12) }, () => pick([...'abcdefxyz0123.-@'])).join('');
  const ATTRS = ['2.5.4.3', '2.5.4.10', '2.5.4.11', '2.5.4.6', '2.5.4.7', '2.5.4.8', '2.5.4.5', '2.5.4.9', '2.5.4.17', '2.5.4.42', '2.5.4.4', '0.9.2342.19200300.100.1.25', '1.2.840.113549.1.9.1', '1.3.6.1.4.1.311.60.2.1.3', '2.5.4.15', '1.2.3.4.5'];
  const attributeValue = (): Uint8Array => {
    switch (int(9)) {
      case 0:
        return tlv(0x13, latin1(printable()));
      case 1:
        return tlv(0x1e, utf16(word().replace(/😀/g, 'x')));
      case 2:
        return tlv(0x16, latin1(ascii()));
      case 3:
        return tlv(0x12, latin1('0123 456'.slice(int(4))));
      case 4:
        return tlv(0x1a, latin1(printable()));
      case 5:
        return tlv(0x14, latin1('Teletex é'.slice(int(5))));
      case 6:
        // Not a string: shown as #hex by both.
        return tlv(0x02, [1 + int(100)]);
      default:
        return tlv(0x0c, utf8(word()));
    }
  };
  const name = (): Uint8Array => {
    const rdns: Uint8Array[] = [];
    for (let i = int(6); i > 0; i--) {
      const atvs = Array.from({ length: maybe(0.1) ? 2 : 1 }, () => tlv(0x30, oidDer(pick(ATTRS)), attributeValue()));
      rdns.push(tlv(0x31, ...atvs));
    }
    return tlv(0x30, ...rdns);
  };
  const time = (ms: number): Uint8Array => {
    const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString();
    const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
    const y = Number(digits.slice(0, 4));
    return y >= 1950 && y < 2050 && maybe(0.8) ? tlv(0x17, latin1(`${digits.slice(2)}Z`)) : tlv(0x18, latin1(`${digits}Z`));
  };
  const ip = () => (maybe() ? bytes(4) : Uint8Array.from({ length: 16 }, () => (maybe(0.4) ? int(256) : 0)));
  const generalName = (): Uint8Array => {
    switch (int(9)) {
      case 0:
        return tlv(0x81, latin1(ascii()));
      case 1:
        return tlv(0x86, latin1(`http://${ascii()}/x`));
      case 2:
        return tlv(0x87, ip());
      case 3:
        return tlv(0xa4, name());
      case 4:
        return oidDer(`1.3.6.1.4.1.${int(99999)}`).map((b, i) => (i === 0 ? 0x88 : b));
      case 5:
        return tlv(0xa0, oidDer(pick(['1.3.6.1.4.1.311.20.2.3', '1.2.3.4'])), tlv(0xa0, maybe() ? tlv(0x0c, utf8(ascii())) : tlv(0x04, bytes(3))));
      case 6:
        // A non-ASCII byte in an IA5String (not allowed; a known difference).
        return tlv(0x82, latin1(`${ascii()}é`));
      default:
        return tlv(0x82, latin1(ascii()));
    }
  };
  const generalNames = () => tlv(0x30, ...Array.from({ length: 1 + int(4) }, generalName));
  const bool = (v: boolean) => tlv(0x01, [v ? 0xff : 0]);
  const ext = (id: string, value: Uint8Array) => tlv(0x30, oidDer(id), ...(maybe(0.3) ? [bool(true)] : []), tlv(0x04, value));
  const ekus = Object.keys(EKU);
  const extensions = (): Uint8Array[] => {
    const out: Uint8Array[] = [];
    const add = (p: number, id: string, make: () => Uint8Array) => maybe(p) && out.push(ext(id, make()));
    add(0.6, '2.5.29.19', () => tlv(0x30, ...(maybe() ? [bool(maybe(0.7))] : []), ...(maybe(0.3) ? [tlv(0x02, [int(5)])] : [])));
    add(0.6, '2.5.29.15', () => {
      const used = 1 + int(2);
      return tlv(0x03, [used === 2 ? 7 : 1 + int(7)], bytes(used));
    });
    add(0.5, '2.5.29.37', () => tlv(0x30, ...Array.from({ length: 1 + int(3) }, () => oidDer(maybe(0.8) ? pick(ekus) : `1.2.3.${int(100)}`))));
    add(0.7, '2.5.29.17', generalNames);
    add(0.1, '2.5.29.18', generalNames);
    add(0.6, '2.5.29.14', () => tlv(0x04, bytes(1 + int(20))));
    add(0.6, '2.5.29.35', () => tlv(0x30, ...(maybe(0.9) ? [tlv(0x80, bytes(1 + int(20)))] : []), ...(maybe(0.1) ? [tlv(0xa1, ...Array.from({ length: 1 + int(2) }, generalName)), tlv(0x82, bytes(1 + int(8)))] : [])));
    add(0.4, '2.5.29.31', () => tlv(0x30, ...Array.from({ length: 1 + int(2) }, () => tlv(0x30, tlv(0xa0, tlv(0xa0, ...Array.from({ length: 1 + int(2) }, generalName)))))));
    add(0.4, '1.3.6.1.5.5.7.1.1', () => tlv(0x30, ...Array.from({ length: 1 + int(3) }, () => tlv(0x30, oidDer(pick(['1.3.6.1.5.5.7.48.1', '1.3.6.1.5.5.7.48.2', '1.3.6.1.5.5.7.48.5'])), maybe(0.8) ? tlv(0x86, latin1(`http://${ascii()}`)) : generalName()))));
    add(0.3, '2.5.29.32', () => tlv(0x30, ...Array.from({ length: 1 + int(3) }, () => tlv(0x30, oidDer(`2.23.140.1.${int(9)}`)))));
    add(0.1, '2.16.840.1.113730.1.13', () => tlv(0x16, latin1(ascii())));
    add(0.1, '1.3.6.1.4.1.11129.2.4.2', () => tlv(0x04, bytes(int(40))));
    add(0.2, `1.3.6.1.4.1.${int(99999)}`, () => tlv(0x04, bytes(2)));
    // A known extension whose value does not parse: both show it raw.
    add(0.05, pick(['2.5.29.19', '2.5.29.17', '2.5.29.15', '2.5.29.35']), () => Uint8Array.of(0x05, 0x00));
    return out;
  };
  const rsaSpki = () => {
    const modulus = bytes(64 + int(200));
    modulus[0] |= 0x80 >> int(8);
    return tlv(0x30, tlv(0x30, oidDer('1.2.840.113549.1.1.1'), [0x05, 0x00]), tlv(0x03, [0], tlv(0x30, tlv(0x02, [0], modulus), tlv(0x02, [1, 0, 1]))));
  };
  const ecSpki = () => tlv(0x30, tlv(0x30, oidDer('1.2.840.10045.2.1'), oidDer(pick(Object.keys(CURVES)))), tlv(0x03, [0, 4], bytes(64)));
  const sigs = Object.keys(SIGNATURE_ALGORITHMS);
  return () => {
    const v3 = maybe(0.9);
    const serial = bytes(1 + int(20));
    const nb = Date.UTC(1955, 0, 1) + r() * (Date.UTC(2090, 0, 1) - Date.UTC(1955, 0, 1));
    const sigAlg = tlv(0x30, oidDer(pick(sigs)), ...(maybe() ? [[0x05, 0x00]] : []));
    const spki = int(3) === 0 ? pick(spkis) : maybe() ? rsaSpki() : ecSpki();
    const subject = name();
    const exts = v3 && maybe(0.9) ? extensions() : [];
    const tbs = tlv(
      0x30,
      ...(v3 ? [tlv(0xa0, tlv(0x02, [2]))] : []),
      tlv(0x02, serial[0] & 0x80 ? [0, ...serial] : serial),
      sigAlg,
      maybe(0.2) ? subject : name(),
      tlv(0x30, time(nb), time(nb + r() * 40 * 365 * 86_400_000)),
      subject,
      spki,
      ...(exts.length ? [tlv(0xa3, tlv(0x30, ...exts))] : []),
    );
    return tlv(0x30, tbs, sigAlg, tlv(0x03, [0], bytes(32 + int(64))));
  };
}
