// Decoding certificates, CSRs, CRLs, keys and PKCS#7 bundles to plain data with a direct DER walk:
// no ASN.1 object model is built, so decoding costs about what parsing the bytes costs.
// Over 400 lines on purpose: one walk per structure (certificate, CSR, CRL, keys, PKCS#7) sharing
// the name, key and extension helpers; each extension has its own small decoder in one table by OID.
import { children, DerError, expect, hex, integerHex, integerProblem, oid, readTlv, signedBigInt, smallInt, text, time, type Tlv } from './der';
import { CRL_REASONS, CSR_ATTRIBUTES, CURVES, EKU, EXTENSIONS, KEY_ALGORITHMS, KEY_USAGE, NAME_ATTRIBUTES, SIGNATURE_ALGORITHMS } from './oids';
import { render, text as msg, type Text } from './messages';
import { kindName } from './describe';
import { sniffDer } from './pem';
import type { CertificateInfo, CrlEntry, CrlInfo, CsrInfo, DecodeProblem, Decoded, KeyInfo, NameAttribute, PemBlock, Pkcs7Info, PublicKeyInfo, SubjectAltName } from './types';

const SEQ = 0x30;
const SET = 0x31;
const INT = 0x02;
const BIT = 0x03;
const OCTET = 0x04;
const OID = 0x06;

/** Decodes one block. Never throws: problems come back as `{ kind: 'malformed' }`. */
export function decodeBlock(block: PemBlock): Decoded {
  if (block.error || !block.der) {
    const why = block.error?.text ?? msg('malformed.no-data');
    return { kind: 'malformed', claimed: block.kind, message: render(why), text: why, range: block.error?.range ?? block.range };
  }
  try {
    return decodeDer(block.der, block.kind === 'unknown' ? sniffDer(block.der) : block.kind, block.label, block.headers);
  } catch (err) {
    // The parser's words are data too (which field, by its ASN.1 name, and what was wrong with it).
    const why = err instanceof DerError ? msg('malformed.der', kindName(block.kind), err.text, err.offset) : msg('malformed.other', kindName(block.kind), err instanceof Error ? err.message : String(err));
    return { kind: 'malformed', claimed: block.kind, message: render(why), text: why, range: block.range };
  }
}

/** A message in English and as data. */
function said(t: Text): { message: string; text: Text } {
  return { message: render(t), text: t };
}


/** Decodes DER of a known kind; throws DerError when it does not parse. */
export function decodeDer(der: Uint8Array, kind: PemBlock['kind'], label = '', headers: Record<string, string> = {}): Decoded {
  switch (kind) {
    case 'certificate':
      return decodeCertificate(der);
    case 'csr':
      return decodeCsr(der);
    case 'crl':
      return decodeCrl(der);
    case 'privateKey':
      return decodePrivateKey(der, label, headers);
    case 'publicKey':
      return decodePublicKeyBlock(der, label);
    case 'pkcs7':
      return decodePkcs7(der);
    case 'pkcs12':
      return { kind: 'pkcs12' };
    default:
      return { kind: 'unknown', label };
  }
}

function whole(der: Uint8Array): Tlv {
  const top = expect(readTlv(der, 0), SEQ, 'SEQUENCE');
  if (top.end !== der.length) {
    throw new DerError(msg('der.trailing', der.length - top.end), top.end);
  }
  return top;
}

function algorithm(der: Uint8Array, t: Tlv): { oid: string; params?: Tlv } {
  const parts = children(der, expect(t, SEQ, 'AlgorithmIdentifier'));
  return { oid: oid(der, expect(parts[0], OID, 'algorithm OBJECT IDENTIFIER')), params: parts[1] };
}

/** A validity or CRL time as ISO 8601, exactly; one that is not a time is kept as written, with a problem. */
function timeField(der: Uint8Array, t: Tlv | undefined, field: string | Text, problems: DecodeProblem[]): string {
  if (!t || (t.tag !== 0x17 && t.tag !== 0x18)) {
    throw new DerError(msg('der.expected-time', field), t?.start ?? -1);
  }
  const v = time(der, t);
  if ('error' in v) {
    problems.push({ code: 'invalid-time', severity: 'error', ...said(msg('invalid-time', field, v.raw, v.error)) });
    return v.raw;
  }
  if (v.nonDer) {
    problems.push({ code: 'time-encoding', severity: 'warning', ...said(msg('time-encoding', field, v.iso, v.nonDer)) });
  }
  return v.iso;
}

/**
 * The serial number's value, and a problem when RFC 5280 §4.1.2.2 does not allow it. A zero serial is
 * not reported: nine roots of the Debian bundle have one, and the value shown is exact.
 */
function serialNumber(der: Uint8Array, t: Tlv, problems: DecodeProblem[]): string {
  const value = integerHex(der, t);
  const bad = integerProblem(der, t);
  const why = bad ?? (value.startsWith('-') ? msg('serial.negative', value) : t.end - t.body > 20 ? msg('serial.too-long', t.end - t.body) : undefined);
  if (why) {
    problems.push({ code: 'invalid-serial', severity: bad ? 'error' : 'warning', ...said(msg('invalid-serial', why)) });
  }
  return value;
}

/** `problems` if there are any, as an optional field. */
function withProblems(problems: DecodeProblem[]): { problems?: DecodeProblem[] } {
  return problems.length ? { problems } : {};
}

/** The string types a name attribute's value is read as text from (others are shown as `#` and hex). */
const STRING_TAGS = [0x0c, 0x13, 0x14, 0x16, 0x1e, 0x1c, 0x1a, 0x12];

/** A Name as RFC 4514 text (most specific RDN first) and as an attribute list (in DER order). */
export function decodeName(der: Uint8Array, t: Tlv): { text: string; attributes: NameAttribute[] } {
  const attributes: NameAttribute[] = [];
  const rdns: string[] = [];
  const rdnList = children(der, expect(t, SEQ, 'Name'));
  for (let r = 0; r < rdnList.length; r++) {
    let rdn = '';
    const atvs = children(der, expect(rdnList[r], SET, 'RelativeDistinguishedName'));
    for (let a = 0; a < atvs.length; a++) {
      const pair = children(der, atvs[a]);
      const v = pair[1];
      const id = oid(der, pair[0]);
      const type = NAME_ATTRIBUTES[id] ?? id;
      const isString = v !== undefined && STRING_TAGS.includes(v.tag);
      const value = v === undefined ? '' : isString ? text(der, v) : `#${hex(der, v.start, v.end)}`;
      attributes.push({ type, oid: id, value });
      const part = `${type}=${isString ? escapeRdnValue(value) : value}`;
      rdn = a === 0 ? part : `${rdn}+${part}`;
    }
    rdns.push(rdn);
  }
  return { text: rdns.reverse().join(','), attributes };
}

/** What escapeRdnValue changes: a special character anywhere, `#` or a space first, a space last. */
const RDN_SPECIAL = /[\\,+"<>;=]|^[# ]| $/;

export function escapeRdnValue(v: string): string {
  if (!RDN_SPECIAL.test(v)) {
    return v;
  }
  let s = v.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`);
  if (s.startsWith('#') || s.startsWith(' ')) {
    s = `\\${s}`;
  }
  if (s.endsWith(' ') && s.length > 1) {
    s = `${s.slice(0, -1)}\\ `;
  }
  return s;
}

// FNV-1a (64-bit, as two 32-bit halves): a cheap, synchronous id to pair a key with its certificate.
export function fnv(buf: Uint8Array, start: number, end: number): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = start; i < end; i++) {
    h1 = Math.imul(h1 ^ buf[i], 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ buf[i], 0x811c9dc5) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

function bitLength(der: Uint8Array, t: Tlv): number {
  let s = t.body;
  while (s < t.end && der[s] === 0) {
    s++;
  }
  if (s === t.end) {
    return 0;
  }
  return (t.end - s - 1) * 8 + (32 - Math.clz32(der[s]));
}

/** Decodes a SubjectPublicKeyInfo. */
export function decodeSpki(der: Uint8Array, spki: Tlv): PublicKeyInfo {
  const parts = children(der, expect(spki, SEQ, 'SubjectPublicKeyInfo'));
  const bits = parts[1];
  const a = algorithm(der, parts[0]);
  expect(bits, BIT, 'subjectPublicKey BIT STRING');
  const algorithmName = KEY_ALGORITHMS[a.oid] ?? a.oid;
  const info: PublicKeyInfo = { algorithm: algorithmName };
  if (algorithmName === 'RSA' || algorithmName === 'RSA-PSS') {
    const rsa = readTlv(der, bits.body + 1, bits.end);
    const n = children(der, expect(rsa, SEQ, 'RSAPublicKey'))[0];
    info.size = bitLength(der, expect(n, INT, 'RSAPublicKey modulus'));
    info.id = fnv(der, n.body, n.end);
  } else if (algorithmName === 'EC') {
    const curve = a.params && a.params.tag === OID ? oid(der, a.params) : undefined;
    const c = curve ? CURVES[curve] : undefined;
    info.curve = c?.name ?? curve ?? 'explicit parameters';
    if (c) {
      info.size = c.size;
    }
    info.id = fnv(der, bits.body + 1, bits.end);
  } else if (algorithmName === 'Ed25519' || algorithmName === 'X25519') {
    info.size = 256;
    info.id = fnv(der, bits.body + 1, bits.end);
  } else if (algorithmName === 'Ed448' || algorithmName === 'X448') {
    info.size = algorithmName === 'Ed448' ? 456 : 448;
    info.id = fnv(der, bits.body + 1, bits.end);
  } else if (algorithmName === 'DSA' && a.params?.tag === SEQ) {
    const [p] = children(der, a.params);
    info.size = bitLength(der, p);
    info.id = fnv(der, bits.body + 1, bits.end);
  }
  return info;
}

function generalName(der: Uint8Array, g: Tlv): SubjectAltName {
  switch (g.tag) {
    case 0x81:
      return { type: 'email', value: text(der, { ...g, tag: 0x16 }) };
    case 0x82:
      return { type: 'dns', value: text(der, { ...g, tag: 0x16 }) };
    case 0x86:
      return { type: 'uri', value: text(der, { ...g, tag: 0x16 }) };
    case 0x87:
      return { type: 'ip', value: ipText(der.subarray(g.body, g.end)) };
    case 0xa4:
      return { type: 'dirName', value: decodeName(der, readTlv(der, g.body, g.end)).text };
    case 0x88:
      return { type: 'registeredId', value: oid(der, g) };
    case 0xa0: {
      const [o, v] = children(der, g);
      const id = oid(der, o);
      let value = v ? hex(der, v.body, v.end) : '';
      if (v) {
        const inner = readTlv(der, v.body, v.end);
        if ([0x0c, 0x13, 0x16].includes(inner.tag)) {
          value = text(der, inner);
        }
      }
      return { type: 'otherName', value: `${id === '1.3.6.1.4.1.311.20.2.3' ? 'UPN' : id};${value}` };
    }
    default:
      return { type: 'other', value: hex(der, g.body, g.end) };
  }
}

export function ipText(b: Uint8Array): string {
  if (b.length === 4) {
    return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  }
  if (b.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) {
      groups.push(((b[i] << 8) | b[i + 1]).toString(16));
    }
    // Compress the longest run of zero groups, as RFC 5952 says.
    let best = -1;
    let bestLen = 0;
    for (let i = 0; i < 8; ) {
      if (groups[i] !== '0') {
        i++;
        continue;
      }
      let j = i;
      while (j < 8 && groups[j] === '0') {
        j++;
      }
      if (j - i > bestLen && j - i > 1) {
        best = i;
        bestLen = j - i;
      }
      i = j;
    }
    if (best < 0) {
      return groups.join(':');
    }
    return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
  }
  // Name constraints carry address + mask.
  return Array.from(b).join('.');
}

/** What the extensions of a certificate (or CSR, CRL) say, in CertificateInfo's own fields. */
type ExtensionData = Pick<CertificateInfo, 'extensions' | 'sans' | 'isCa' | 'hasBasicConstraints' | 'pathLength' | 'keyUsage' | 'extKeyUsage' | 'subjectKeyId' | 'authorityKeyId' | 'crlDistributionPoints' | 'ocsp' | 'caIssuers'> & Pick<CrlInfo, 'crlNumber'> & { problems: DecodeProblem[] };

function decodeExtensions(der: Uint8Array, seq: Tlv | undefined): ExtensionData {
  const out: ExtensionData = { extensions: [], sans: [], isCa: false, hasBasicConstraints: false, keyUsage: [], extKeyUsage: [], crlDistributionPoints: [], ocsp: [], caIssuers: [], problems: [] };
  if (!seq) {
    return out;
  }
  const list = children(der, expect(seq, SEQ, 'Extensions'));
  for (let k = 0; k < list.length; k++) {
    const parts = children(der, expect(list[k], SEQ, 'Extension'));
    const id = oid(der, expect(parts[0], OID, 'extnID OBJECT IDENTIFIER'));
    const critical = parts.length === 3 && parts[1].tag === 0x01 && der[parts[1].body] !== 0;
    const octets = expect(parts[parts.length - 1], OCTET, 'extnValue OCTET STRING');
    const name = EXTENSIONS[id] ?? id;
    const decoder = Object.hasOwn(EXTENSION_DECODERS, id) ? EXTENSION_DECODERS[id] : undefined;
    let value: string | undefined;
    try {
      value = decoder?.(der, readTlv(der, octets.body, octets.end), out);
    } catch {
      value = undefined;
    }
    const raw = value === undefined;
    value ??= hex(der, octets.body, octets.end, ':');
    out.extensions.push(raw ? { oid: id, name, critical, value, raw } : { oid: id, name, critical, value });
  }
  return out;
}


function keyId(der: Uint8Array, t: Tlv): string {
  return hex(der, t.body, t.end, ':').toUpperCase();
}

/** Decodes one extension's value into text, recording what it means in `out`. */
type ExtensionDecoder = (der: Uint8Array, v: Tlv, out: ExtensionData) => string;

function basicConstraints(der: Uint8Array, v: Tlv, out: ExtensionData): string {
  const parts = children(der, expect(v, SEQ, 'BasicConstraints'));
  const a = parts[0];
  const b = parts[1];
  out.hasBasicConstraints = true;
  out.isCa = a?.tag === 0x01 && der[a.body] !== 0;
  const pl = a?.tag === INT ? a : b?.tag === INT ? b : undefined;
  if (!pl) {
    return `CA:${out.isCa ? 'TRUE' : 'FALSE'}`;
  }
  // pathLenConstraint is INTEGER (0..MAX): shown exactly, kept only when it is a usable number.
  const value = pl.end > pl.body ? signedBigInt(der, pl) : undefined;
  const why = value === undefined ? msg('path-length.empty') : value < 0n ? msg('path-length.negative', String(value)) : value > BigInt(Number.MAX_SAFE_INTEGER) ? msg('path-length.huge', String(value)) : undefined;
  if (why) {
    out.problems.push({ code: 'invalid-path-length', severity: value !== undefined && value > 0n ? 'warning' : 'error', ...said(msg('invalid-path-length', why)) });
  } else {
    out.pathLength = Number(value);
  }
  return `CA:${out.isCa ? 'TRUE' : 'FALSE'}, pathlen:${value ?? '(empty)'}`;
}

function keyUsage(der: Uint8Array, v: Tlv, out: ExtensionData): string {
  expect(v, BIT, 'KeyUsage');
  // The last byte's unused bits (the first content byte says how many) are not part of the value.
  const bits = (v.end - v.body - 1) * 8 - (der[v.body] & 7);
  for (let i = 0; i < KEY_USAGE.length && i < bits; i++) {
    const byte = v.body + 1 + (i >> 3);
    if (der[byte] & (0x80 >> (i & 7))) {
      out.keyUsage.push(KEY_USAGE[i]);
    }
  }
  return out.keyUsage.join(', ');
}

function extKeyUsage(der: Uint8Array, v: Tlv, out: ExtensionData): string {
  const list = children(der, expect(v, SEQ, 'ExtKeyUsage'));
  for (let k = 0; k < list.length; k++) {
    const e = oid(der, list[k]);
    out.extKeyUsage.push(EKU[e] ?? e);
  }
  return out.extKeyUsage.join(', ');
}

function generalNames(der: Uint8Array, v: Tlv): SubjectAltName[] {
  return children(der, expect(v, SEQ, 'GeneralNames')).map((g) => generalName(der, g));
}

export function namesText(names: SubjectAltName[]): string {
  return names.map((n) => `${sanLabel(n.type)}:${n.value}`).join(', ');
}

function subjectAltName(der: Uint8Array, v: Tlv, out: ExtensionData): string {
  out.sans = generalNames(der, v);
  return namesText(out.sans);
}

function issuerAltName(der: Uint8Array, v: Tlv): string {
  return namesText(generalNames(der, v));
}

function subjectKeyId(der: Uint8Array, v: Tlv, out: ExtensionData): string {
  out.subjectKeyId = keyId(der, expect(v, OCTET, 'SubjectKeyIdentifier'));
  return out.subjectKeyId;
}

function authorityKeyId(der: Uint8Array, v: Tlv, out: ExtensionData): string {
  const parts: string[] = [];
  for (const c of children(der, expect(v, SEQ, 'AuthorityKeyIdentifier'))) {
    if (c.tag === 0x80) {
      out.authorityKeyId = keyId(der, c);
      parts.push(`keyid:${out.authorityKeyId}`);
    } else if (c.tag === 0x82) {
      parts.push(`serial:${hex(der, c.body, c.end, ':').toUpperCase()}`);
    } else if (c.tag === 0xa1) {
      parts.push(namesText(children(der, c).map((g) => generalName(der, g))));
    }
  }
  return parts.join(', ');
}

function crlDistributionPoints(der: Uint8Array, v: Tlv, out: ExtensionData): string {
  // distributionPoint [0] → fullName [0] → GeneralNames
  const points = children(der, expect(v, SEQ, 'CRLDistributionPoints'));
  for (let p = 0; p < points.length; p++) {
    const fields = children(der, points[p]);
    for (let f = 0; f < fields.length; f++) {
      if (fields[f].tag !== 0xa0) {
        continue;
      }
      const names = children(der, fields[f]);
      for (let n = 0; n < names.length; n++) {
        if (names[n].tag !== 0xa0) {
          continue;
        }
        const gns = children(der, names[n]);
        for (let g = 0; g < gns.length; g++) {
          const gn = generalName(der, gns[g]);
          out.crlDistributionPoints.push(gn.type === 'uri' ? gn.value : `${sanLabel(gn.type)}:${gn.value}`);
        }
      }
    }
  }
  return out.crlDistributionPoints.join(', ');
}

function authorityInfoAccess(der: Uint8Array, v: Tlv, out: ExtensionData): string {
  const parts: string[] = [];
  const list = children(der, expect(v, SEQ, 'AuthorityInfoAccess'));
  for (let k = 0; k < list.length; k++) {
    const ad = children(der, list[k]);
    const method = oid(der, ad[0]);
    const gn = generalName(der, ad[1]);
    if (method === '1.3.6.1.5.5.7.48.1') {
      out.ocsp.push(gn.value);
      parts.push(`OCSP - ${sanLabel(gn.type)}:${gn.value}`);
    } else if (method === '1.3.6.1.5.5.7.48.2') {
      out.caIssuers.push(gn.value);
      parts.push(`CA Issuers - ${sanLabel(gn.type)}:${gn.value}`);
    } else {
      parts.push(`${method} - ${gn.value}`);
    }
  }
  return parts.join(', ');
}

function certificatePolicies(der: Uint8Array, v: Tlv): string {
  return children(der, expect(v, SEQ, 'CertificatePolicies'))
    .map((pi) => `Policy: ${oid(der, children(der, pi)[0])}`)
    .join(', ');
}

function crlNumber(der: Uint8Array, v: Tlv, out: ExtensionData): string {
  out.crlNumber = integerHex(der, expect(v, INT, 'CRLNumber'));
  return out.crlNumber;
}

/** The extensions we decode, by OID (as @peculiar/x509's extensions/ folder does); others are shown as hex. */
const EXTENSION_DECODERS: Record<string, ExtensionDecoder> = {
  '2.5.29.19': basicConstraints,
  '2.5.29.15': keyUsage,
  '2.5.29.37': extKeyUsage,
  '2.5.29.17': subjectAltName,
  '2.5.29.18': issuerAltName,
  '2.5.29.14': subjectKeyId,
  '2.5.29.35': authorityKeyId,
  '2.5.29.31': crlDistributionPoints,
  '1.3.6.1.5.5.7.1.1': authorityInfoAccess,
  '2.5.29.32': certificatePolicies,
  '2.5.29.20': crlNumber,
  '2.16.840.1.113730.1.13': (der, v) => text(der, v),
  '1.3.6.1.4.1.11129.2.4.2': (_der, v) => `${v.end - v.body} bytes of signed certificate timestamps`,
  '1.3.6.1.4.1.11129.2.4.3': () => 'poison (precertificate)',
};

const SAN_LABELS: Record<SubjectAltName['type'], string> = { dns: 'DNS', email: 'email', ip: 'IP Address', uri: 'URI', dirName: 'DirName', otherName: 'othername', registeredId: 'Registered ID', other: 'other' };

export function sanLabel(t: SubjectAltName['type']): string {
  return SAN_LABELS[t];
}

function signatureParts(der: Uint8Array, top: Tlv): { tbs: Tlv; sigOid: string; sig: Tlv } {
  const parts = children(der, top);
  const tbs = expect(parts[0], SEQ, 'tbsCertificate SEQUENCE');
  const sig = expect(parts[2], BIT, 'signatureValue BIT STRING');
  return { tbs, sigOid: algorithm(der, parts[1]).oid, sig };
}

/** Decodes an X.509 certificate. */
export function decodeCertificate(der: Uint8Array): CertificateInfo {
  const top = whole(der);
  const { tbs, sigOid, sig } = signatureParts(der, top);
  const f = children(der, tbs);
  let i = 0;
  let version = 1;
  if (f[0]?.tag === 0xa0) {
    version = smallInt(der, readTlv(der, f[0].body, f[0].end)) + 1;
    i++;
  }
  const problems: DecodeProblem[] = [];
  const serial = serialNumber(der, expect(f[i++], INT, 'serialNumber INTEGER'), problems);
  i++; // inner signature algorithm
  const issuerT = f[i++];
  const issuer = decodeName(der, issuerT);
  const validity = children(der, expect(f[i++], SEQ, 'Validity'));
  const subjectT = f[i++];
  const subject = decodeName(der, subjectT);
  const spki = f[i++];
  const publicKey = decodeSpki(der, spki);
  let extSeq: Tlv | undefined;
  for (; i < f.length; i++) {
    if (f[i].tag === 0xa3) {
      extSeq = readTlv(der, f[i].body, f[i].end);
    }
  }
  const ext = decodeExtensions(der, extSeq);
  const notBefore = timeField(der, validity[0], 'notBefore', problems);
  const notAfter = timeField(der, validity[1], 'notAfter', problems);
  for (const p of ext.problems) {
    problems.push(p);
  }
  const sameName = issuerT.end - issuerT.start === subjectT.end - subjectT.start && bytesEqual(der, issuerT.start, subjectT.start, issuerT.end - issuerT.start);
  // Built in field order, the optional fields only when present (object spreads cost a cold decoder).
  const info = {
    kind: 'certificate',
    version,
    serialNumber: serial,
    subject: subject.text,
    subjectAttributes: subject.attributes,
    issuer: issuer.text,
    issuerAttributes: issuer.attributes,
    notBefore,
    notAfter,
    sans: ext.sans,
    publicKey,
    signatureAlgorithm: SIGNATURE_ALGORITHMS[sigOid] ?? sigOid,
    signatureOid: sigOid,
    isCa: ext.isCa,
  } as CertificateInfo;
  if (ext.pathLength !== undefined) {
    info.pathLength = ext.pathLength;
  }
  info.hasBasicConstraints = ext.hasBasicConstraints;
  info.keyUsage = ext.keyUsage;
  info.extKeyUsage = ext.extKeyUsage;
  if (ext.subjectKeyId) {
    info.subjectKeyId = ext.subjectKeyId;
  }
  if (ext.authorityKeyId) {
    info.authorityKeyId = ext.authorityKeyId;
  }
  info.crlDistributionPoints = ext.crlDistributionPoints;
  info.ocsp = ext.ocsp;
  info.caIssuers = ext.caIssuers;
  info.extensions = ext.extensions;
  info.selfSigned = sameName && (!ext.authorityKeyId || !ext.subjectKeyId || ext.authorityKeyId === ext.subjectKeyId);
  info.offsets = { tbs: [tbs.start, tbs.end], spki: [spki.start, spki.end], signature: [sig.body + 1, sig.end], issuer: [issuerT.start, issuerT.end], subject: [subjectT.start, subjectT.end] };
  if (problems.length) {
    info.problems = problems;
  }
  return info;
}

function bytesEqual(der: Uint8Array, a: number, b: number, n: number): boolean {
  for (let k = 0; k < n; k++) {
    if (der[a + k] !== der[b + k]) {
      return false;
    }
  }
  return true;
}

/** Decodes a PKCS#10 certificate request. */
export function decodeCsr(der: Uint8Array): CsrInfo {
  const top = whole(der);
  const { tbs, sigOid, sig } = signatureParts(der, top);
  const [ver, subjectT, spki, attrs] = children(der, tbs);
  expect(ver, INT, 'CertificationRequestInfo version');
  const subject = decodeName(der, subjectT);
  const info: CsrInfo = {
    kind: 'csr',
    subject: subject.text,
    subjectAttributes: subject.attributes,
    publicKey: decodeSpki(der, spki),
    signatureAlgorithm: SIGNATURE_ALGORITHMS[sigOid] ?? sigOid,
    signatureOid: sigOid,
    sans: [],
    extensions: [],
    attributes: [],
    offsets: { tbs: [tbs.start, tbs.end], spki: [spki.start, spki.end], signature: [sig.body + 1, sig.end] },
  };
  if (attrs?.tag === 0xa0) {
    for (const a of children(der, attrs)) {
      const [o, set] = children(der, a);
      const id = oid(der, o);
      const values = children(der, expect(set, SET, 'Attribute values SET'));
      if (id === '1.2.840.113549.1.9.14' && values[0]) {
        const ext = decodeExtensions(der, values[0]);
        info.extensions = ext.extensions;
        info.sans = ext.sans;
        if (ext.problems.length) {
          info.problems = ext.problems;
        }
        info.attributes.push({ oid: id, name: 'extensionRequest', value: `${ext.extensions.length} extension(s)` });
      } else {
        // challengePassword is a secret of sorts: show that it is there, not what it is.
        const shown = id === '1.2.840.113549.1.9.7' ? '(present)' : values.map((x) => ([0x0c, 0x13, 0x16].includes(x.tag) ? text(der, x) : hex(der, x.start, x.end))).join(', ');
        info.attributes.push({ oid: id, name: CSR_ATTRIBUTES[id] ?? id, value: shown });
      }
    }
  }
  return info;
}

/** Decodes an X.509 CRL. */
export function decodeCrl(der: Uint8Array): CrlInfo {
  const top = whole(der);
  const { tbs, sigOid, sig } = signatureParts(der, top);
  const f = children(der, tbs);
  let i = 0;
  let version = 1;
  if (f[0]?.tag === INT) {
    version = smallInt(der, f[0]) + 1;
    i++;
  }
  i++; // signature algorithm
  const issuerT = f[i++];
  const issuer = decodeName(der, issuerT);
  const problems: DecodeProblem[] = [];
  const thisUpdate = timeField(der, f[i++], 'thisUpdate', problems);
  let nextUpdate: string | undefined;
  if (f[i] && (f[i].tag === 0x17 || f[i].tag === 0x18)) {
    nextUpdate = timeField(der, f[i++], 'nextUpdate', problems);
  }
  const entries: CrlEntry[] = [];
  if (f[i]?.tag === SEQ) {
    for (const e of children(der, f[i++])) {
      const [serial, date, exts] = children(der, e);
      const entry: CrlEntry = { serialNumber: integerHex(der, expect(serial, INT, 'userCertificate INTEGER')), revocationDate: timeField(der, date, msg('field.revocation-date', integerHex(der, serial) || msg('field.empty-serial')), problems) };
      if (exts) {
        for (const x of children(der, exts)) {
          const parts = children(der, x);
          if (oid(der, parts[0]) === '2.5.29.21') {
            const octets = parts[parts.length - 1];
            const en = readTlv(der, octets.body, octets.end);
            entry.reason = CRL_REASONS[smallInt(der, en)] ?? String(smallInt(der, en));
          }
        }
      }
      entries.push(entry);
    }
  }
  let ext = decodeExtensions(der, undefined);
  if (f[i]?.tag === 0xa0) {
    ext = decodeExtensions(der, readTlv(der, f[i].body, f[i].end));
    for (const p of ext.problems) {
    problems.push(p);
  }
  }
  return {
    kind: 'crl',
    version,
    issuer: issuer.text,
    issuerAttributes: issuer.attributes,
    thisUpdate,
    ...(nextUpdate ? { nextUpdate } : {}),
    signatureAlgorithm: SIGNATURE_ALGORITHMS[sigOid] ?? sigOid,
    signatureOid: sigOid,
    ...(ext.crlNumber ? { crlNumber: ext.crlNumber } : {}),
    ...(ext.authorityKeyId ? { authorityKeyId: ext.authorityKeyId } : {}),
    entries,
    extensions: ext.extensions,
    offsets: { tbs: [tbs.start, tbs.end], signature: [sig.body + 1, sig.end], issuer: [issuerT.start, issuerT.end] },
    ...withProblems(problems),
  };
}

function rsaKeyInfo(der: Uint8Array, seq: Tlv, modulusIndex: number, algorithmName = 'RSA'): PublicKeyInfo {
  const n = children(der, seq)[modulusIndex];
  expect(n, INT, 'RSAPublicKey modulus');
  return { algorithm: algorithmName, size: bitLength(der, n), id: fnv(der, n.body, n.end) };
}

function sec1KeyInfo(der: Uint8Array, seq: Tlv, curveOid?: string): PublicKeyInfo {
  let curve = curveOid;
  let id: string | undefined;
  for (const c of children(der, seq)) {
    if (c.tag === 0xa0) {
      curve = oid(der, readTlv(der, c.body, c.end));
    } else if (c.tag === 0xa1) {
      const bits = readTlv(der, c.body, c.end);
      id = fnv(der, bits.body + 1, bits.end);
    }
  }
  const c = curve ? CURVES[curve] : undefined;
  return { algorithm: 'EC', ...(c ? { size: c.size } : {}), curve: c?.name ?? curve ?? 'unknown', ...(id ? { id } : {}) };
}

function decodePrivateKey(der: Uint8Array, label: string, headers: Record<string, string>): KeyInfo {
  if (label === 'ENCRYPTED PRIVATE KEY') {
    whole(der);
    return { kind: 'privateKey', format: 'encrypted', encrypted: true, publicKey: { algorithm: 'unknown (encrypted)' } };
  }
  if (label === 'OPENSSH PRIVATE KEY') {
    return { kind: 'privateKey', format: 'openssh', encrypted: false, publicKey: { algorithm: 'OpenSSH' } };
  }
  if ((headers['Proc-Type'] ?? '').includes('ENCRYPTED')) {
    return { kind: 'privateKey', format: 'pkcs1', encrypted: true, publicKey: { algorithm: label.startsWith('EC') ? 'EC' : label.startsWith('DSA') ? 'DSA' : 'RSA' } };
  }
  const top = whole(der);
  const f = children(der, top);
  if (label === 'RSA PRIVATE KEY') {
    return { kind: 'privateKey', format: 'pkcs1', encrypted: false, publicKey: rsaKeyInfo(der, top, 1) };
  }
  if (label === 'EC PRIVATE KEY') {
    return { kind: 'privateKey', format: 'sec1', encrypted: false, publicKey: sec1KeyInfo(der, top) };
  }
  // PKCS#8: version, AlgorithmIdentifier, OCTET STRING privateKey [, attributes] [, [1] publicKey]
  expect(f[0], INT, 'PrivateKeyInfo version');
  if (f[1]?.tag !== SEQ) {
    // A PKCS#1 RSA key or SEC1 EC key without the specific label.
    return f[1]?.tag === INT ? { kind: 'privateKey', format: 'pkcs1', encrypted: false, publicKey: rsaKeyInfo(der, top, 1) } : { kind: 'privateKey', format: 'sec1', encrypted: false, publicKey: sec1KeyInfo(der, top) };
  }
  const a = algorithm(der, f[1]);
  const octets = expect(f[2], OCTET, 'privateKey OCTET STRING');
  const name = KEY_ALGORITHMS[a.oid] ?? a.oid;
  let publicKey: PublicKeyInfo = { algorithm: name };
  if (name === 'RSA' || name === 'RSA-PSS') {
    publicKey = rsaKeyInfo(der, readTlv(der, octets.body, octets.end), 1, name);
  } else if (name === 'EC') {
    publicKey = sec1KeyInfo(der, readTlv(der, octets.body, octets.end), a.params?.tag === OID ? oid(der, a.params) : undefined);
  } else if (name === 'Ed25519' || name === 'X25519') {
    publicKey = { algorithm: name, size: 256 };
  } else if (name === 'Ed448' || name === 'X448') {
    publicKey = { algorithm: name, size: name === 'Ed448' ? 456 : 448 };
  } else if (name === 'DSA' && a.params?.tag === SEQ) {
    publicKey = { algorithm: name, size: bitLength(der, children(der, a.params)[0]) };
  }
  return { kind: 'privateKey', format: 'pkcs8', encrypted: false, publicKey };
}

function decodePublicKeyBlock(der: Uint8Array, label: string): KeyInfo {
  const top = whole(der);
  if (label === 'RSA PUBLIC KEY') {
    return { kind: 'publicKey', format: 'pkcs1', encrypted: false, publicKey: rsaKeyInfo(der, top, 0) };
  }
  return { kind: 'publicKey', format: 'spki', encrypted: false, publicKey: decodeSpki(der, top) };
}

/** Decodes a PKCS#7 / CMS SignedData certificate bundle (.p7b). */
export function decodePkcs7(der: Uint8Array): Pkcs7Info {
  const top = whole(der);
  const [type, content] = children(der, top);
  const typeOid = oid(der, expect(type, OID, 'contentType OBJECT IDENTIFIER'));
  if (typeOid !== '1.2.840.113549.1.7.2') {
    throw new DerError(msg('der.not-signed-data', typeOid), type.start);
  }
  const signedData = readTlv(der, expect(content, 0xa0, 'content').body, content.end);
  const certificateDer: Uint8Array[] = [];
  let crlCount = 0;
  for (const c of children(der, signedData)) {
    if (c.tag === 0xa0) {
      for (const cert of children(der, c)) {
        certificateDer.push(der.slice(cert.start, cert.end));
      }
    } else if (c.tag === 0xa1) {
      crlCount = children(der, c).length;
    }
  }
  return { kind: 'pkcs7', certificates: certificateDer.map((d) => decodeCertificate(d)), certificateDer, crlCount };
}
