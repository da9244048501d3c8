// The inspector's certificate decoder: @peculiar/x509 (and the @peculiar/asn1-x509 schemas under
// it) parse the certificate; this file only turns their objects into the core's CertificateInfo,
// formatted exactly as decode.ts formats its own walk. The two are each other's oracle
// (test/unit/pki/differential.test.ts). It is heavier than decode.ts, so only the inspector's
// webview chunk loads it; the language server, lint and the CLI keep the direct DER walk.
// Byte offsets (for signature checks and the SPKI pin) come from a framing walk: @peculiar keeps
// no positions.
import 'reflect-metadata';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import * as asn from '@peculiar/asn1-x509';
import { fromBER } from 'asn1js';
import { children, integerHex as integerHexOf, readTlv } from './der';
import { decodeBlock, escapeRdnValue, fnv, ipText, namesText, sanLabel } from './decode';
import { CURVES, EKU, EXTENSIONS, KEY_ALGORITHMS, KEY_USAGE, NAME_ATTRIBUTES, SIGNATURE_ALGORITHMS } from './oids';
import type { CertificateInfo, Decoded, Extension, NameAttribute, PemBlock, PublicKeyInfo, SubjectAltName } from './types';
import { x509 } from './x509';

/** @peculiar keeps its parsed ASN.1 model in a protected `asn`; read it without copying. */
function model<T>(data: x509.AsnData<T>): T {
  return (data as unknown as { asn: T }).asn;
}

function isoTime(ms: number): string {
  if (Number.isNaN(ms)) {
    throw new Error('invalid time');
  }
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
function hexOf(buf: ArrayBuffer | Uint8Array, sep = ''): string {
  return Array.from(buf instanceof Uint8Array ? buf : new Uint8Array(buf), (b) => HEX[b]).join(sep);
}

/** An INTEGER's value as decode.ts shows it (lowercase hex, signed, no sign-padding byte). */
function integerHex(buf: ArrayBuffer): string {
  const b = new Uint8Array(buf);
  return integerHexOf(b, { tag: 0x02, start: 0, body: 0, end: b.length });
}

/** A string that @peculiar's AttributeValue choice leaves as `anyValue` (NumericString, VisibleString...). */
function anyString(raw: ArrayBuffer): string | undefined {
  const tag = new Uint8Array(raw)[0];
  if (![0x12, 0x1a, 0x0c, 0x13, 0x14, 0x16, 0x1c, 0x1e].includes(tag)) {
    return undefined;
  }
  const parsed = fromBER(raw);
  const block = parsed.result as unknown as { valueBlock?: { value?: unknown } };
  return parsed.offset === -1 || typeof block.valueBlock?.value !== 'string' ? undefined : block.valueBlock.value;
}

function name(n: asn.Name): { text: string; attributes: NameAttribute[] } {
  const attributes: NameAttribute[] = [];
  const rdns: string[] = [];
  for (const rdn of n) {
    const parts: string[] = [];
    for (const atv of rdn) {
      const v = atv.value;
      const str = v.utf8String ?? v.printableString ?? v.ia5String ?? v.bmpString ?? v.teletexString ?? v.universalString ?? (v.anyValue ? anyString(v.anyValue) : undefined);
      const value = str ?? (v.anyValue ? `#${hexOf(v.anyValue)}` : '');
      const type = NAME_ATTRIBUTES[atv.type] ?? atv.type;
      attributes.push({ type, oid: atv.type, value });
      parts.push(`${type}=${str !== undefined ? escapeRdnValue(value) : value}`);
    }
    rdns.push(parts.join('+'));
  }
  return { text: rdns.reverse().join(','), attributes };
}

function bitLength(buf: ArrayBuffer | Uint8Array): number {
  const b = buf instanceof Uint8Array ? buf : new Uint8Array(buf);
  let s = 0;
  while (s < b.length && b[s] === 0) {
    s++;
  }
  return s === b.length ? 0 : (b.length - s - 1) * 8 + (32 - Math.clz32(b[s]));
}

function publicKey(spki: asn.SubjectPublicKeyInfo): PublicKeyInfo {
  const oidName = spki.algorithm.algorithm;
  const algorithmName = KEY_ALGORITHMS[oidName] ?? oidName;
  const info: PublicKeyInfo = { algorithm: algorithmName };
  const bits = new Uint8Array(spki.subjectPublicKey);
  const params = spki.algorithm.parameters;
  if (algorithmName === 'RSA' || algorithmName === 'RSA-PSS') {
    // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
    const seq = fromBER(spki.subjectPublicKey).result as unknown as { valueBlock: { value: { valueBlock: { valueHexView: Uint8Array } }[] } };
    const modulus = seq.valueBlock.value?.[0]?.valueBlock?.valueHexView;
    if (!modulus) {
      throw new Error('the RSA public key is not an RSAPublicKey');
    }
    info.size = bitLength(modulus);
    info.id = fnv(modulus, 0, modulus.length);
  } else if (algorithmName === 'EC') {
    let curve: string | undefined;
    if (params && new Uint8Array(params)[0] === 0x06) {
      curve = (fromBER(params).result as unknown as { valueBlock: { toString(): string } }).valueBlock.toString();
    }
    const c = curve ? CURVES[curve] : undefined;
    info.curve = c?.name ?? curve ?? 'explicit parameters';
    if (c) {
      info.size = c.size;
    }
    info.id = fnv(bits, 0, bits.length);
  } else if (algorithmName === 'Ed25519' || algorithmName === 'X25519') {
    info.size = 256;
    info.id = fnv(bits, 0, bits.length);
  } else if (algorithmName === 'Ed448' || algorithmName === 'X448') {
    info.size = algorithmName === 'Ed448' ? 456 : 448;
    info.id = fnv(bits, 0, bits.length);
  } else if (algorithmName === 'DSA' && params && new Uint8Array(params)[0] === 0x30) {
    const seq = fromBER(params).result as unknown as { valueBlock: { value: { valueBlock: { valueHexView: Uint8Array } }[] } };
    info.size = bitLength(seq.valueBlock.value[0].valueBlock.valueHexView);
    info.id = fnv(bits, 0, bits.length);
  }
  return info;
}

/** The certificate-wide facts that extensions set (as decode.ts's ExtensionData). */
type ExtensionData = Pick<CertificateInfo, 'extensions' | 'sans' | 'isCa' | 'hasBasicConstraints' | 'pathLength' | 'keyUsage' | 'extKeyUsage' | 'subjectKeyId' | 'authorityKeyId' | 'crlDistributionPoints' | 'ocsp' | 'caIssuers'>;

function generalName(g: asn.GeneralName): SubjectAltName {
  if (g.rfc822Name !== undefined) {
    return { type: 'email', value: g.rfc822Name };
  }
  if (g.dNSName !== undefined) {
    return { type: 'dns', value: g.dNSName };
  }
  if (g.uniformResourceIdentifier !== undefined) {
    return { type: 'uri', value: g.uniformResourceIdentifier };
  }
  if (g.iPAddress !== undefined) {
    return { type: 'ip', value: ipFromPeculiar(g.iPAddress) };
  }
  if (g.directoryName !== undefined) {
    return { type: 'dirName', value: name(g.directoryName).text };
  }
  if (g.registeredID !== undefined) {
    return { type: 'registeredId', value: g.registeredID };
  }
  if (g.otherName !== undefined) {
    const id = g.otherName.typeId;
    const value = anyString(g.otherName.value) ?? hexOf(g.otherName.value);
    return { type: 'otherName', value: `${id === '1.3.6.1.4.1.311.20.2.3' ? 'UPN' : id};${value}` };
  }
  const other = g.x400Address ?? (g.ediPartyName ? AsnConvert.serialize(g.ediPartyName) : undefined);
  return { type: 'other', value: other ? hexOf(other) : '' };
}

/**
 * @peculiar formats an iPAddress itself (IPv4 dotted, IPv6 compressed, a name constraint's
 * address/mask as CIDR); the core shows RFC 5952 text, so the address goes back to bytes first.
 */
function ipFromPeculiar(text: string): string {
  const bytes = (addr: string): number[] => {
    if (addr.includes('.')) {
      return addr.split('.').map(Number);
    }
    const [left, right = ''] = addr.split('::');
    const l = left ? left.split(':') : [];
    const r = right ? right.split(':') : [];
    const groups = addr.includes('::') ? [...l, ...Array<string>(8 - l.length - r.length).fill('0'), ...r] : l;
    return groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]);
  };
  const [addr, prefix] = text.split('/');
  if (prefix === undefined) {
    return ipText(new Uint8Array(bytes(addr)));
  }
  // A name constraint: the address, then the mask its prefix length stands for.
  const a = bytes(addr);
  const mask = a.map((_, i) => (0xff00 >> Math.min(8, Math.max(0, Number(prefix) - i * 8))) & 0xff);
  return ipText(new Uint8Array([...a, ...mask]));
}

function generalNames(names: asn.GeneralName[]): SubjectAltName[] {
  return names.map(generalName);
}

/**
 * Each known extension's text and facts, from its value parsed with @peculiar/asn1-x509's schema
 * (what @peculiar/x509's extension classes do inside, without their re-encoding of the envelope).
 */
function extensionValue(id: string, value: ArrayBuffer, out: ExtensionData): string | undefined {
  switch (id) {
    case asn.id_ce_basicConstraints: {
      const b = AsnConvert.parse(value, asn.BasicConstraints);
      out.hasBasicConstraints = true;
      out.isCa = b.cA;
      if (b.pathLenConstraint !== undefined) {
        out.pathLength = b.pathLenConstraint;
      }
      return `CA:${out.isCa ? 'TRUE' : 'FALSE'}${out.pathLength !== undefined ? `, pathlen:${out.pathLength}` : ''}`;
    }
    case asn.id_ce_keyUsage: {
      const flags = AsnConvert.parse(value, asn.KeyUsage).toNumber();
      out.keyUsage = KEY_USAGE.filter((_, i) => flags & (1 << i));
      return out.keyUsage.join(', ');
    }
    case asn.id_ce_extKeyUsage: {
      const usages = [...AsnConvert.parse(value, asn.ExtendedKeyUsage)] as unknown[];
      if (!usages.every((u) => typeof u === 'string' && /^\d+(\.\d+)+$/.test(u))) {
        throw new Error('an ExtKeyUsage OID that does not decode');
      }
      out.extKeyUsage = (usages as string[]).map((u) => EKU[u] ?? u);
      return out.extKeyUsage.join(', ');
    }
    case asn.id_ce_subjectAltName:
      out.sans = generalNames(AsnConvert.parse(value, asn.SubjectAlternativeName));
      return namesText(out.sans);
    case asn.id_ce_issuerAltName:
      return namesText(generalNames(AsnConvert.parse(value, asn.IssueAlternativeName)));
    case asn.id_ce_subjectKeyIdentifier:
      out.subjectKeyId = keyId(AsnConvert.parse(value, asn.SubjectKeyIdentifier).buffer);
      return out.subjectKeyId;
    case asn.id_ce_authorityKeyIdentifier: {
      const a = AsnConvert.parse(value, asn.AuthorityKeyIdentifier);
      const parts: string[] = [];
      if (a.keyIdentifier) {
        out.authorityKeyId = keyId(a.keyIdentifier.buffer);
        parts.push(`keyid:${out.authorityKeyId}`);
      }
      if (a.authorityCertIssuer) {
        parts.push(namesText(generalNames(a.authorityCertIssuer)));
      }
      if (a.authorityCertSerialNumber) {
        parts.push(`serial:${hexOf(a.authorityCertSerialNumber, ':').toUpperCase()}`);
      }
      return parts.join(', ');
    }
    case asn.id_ce_cRLDistributionPoints:
      for (const dp of AsnConvert.parse(value, asn.CRLDistributionPoints)) {
        for (const gn of dp.distributionPoint?.fullName ?? []) {
          const n = generalName(gn);
          out.crlDistributionPoints.push(n.type === 'uri' ? n.value : `${sanLabel(n.type)}:${n.value}`);
        }
      }
      return out.crlDistributionPoints.join(', ');
    case asn.id_pe_authorityInfoAccess: {
      const parts: string[] = [];
      for (const ad of AsnConvert.parse(value, asn.AuthorityInfoAccessSyntax)) {
        const n = generalName(ad.accessLocation);
        if (ad.accessMethod === asn.id_ad_ocsp) {
          out.ocsp.push(n.value);
          parts.push(`OCSP - ${sanLabel(n.type)}:${n.value}`);
        } else if (ad.accessMethod === asn.id_ad_caIssuers) {
          out.caIssuers.push(n.value);
          parts.push(`CA Issuers - ${sanLabel(n.type)}:${n.value}`);
        } else {
          parts.push(`${ad.accessMethod} - ${n.value}`);
        }
      }
      return parts.join(', ');
    }
    case asn.id_ce_certificatePolicies:
      return AsnConvert.parse(value, asn.CertificatePolicies)
        .map((p) => `Policy: ${p.policyIdentifier}`)
        .join(', ');
    case '2.16.840.1.113730.1.13':
      return anyString(value);
    case '1.3.6.1.4.1.11129.2.4.2':
      return `${AsnConvert.parse(value, OctetString).byteLength} bytes of signed certificate timestamps`;
    case '1.3.6.1.4.1.11129.2.4.3':
      return 'poison (precertificate)';
    default:
      return undefined;
  }
}

function keyId(buf: ArrayBuffer): string {
  return hexOf(buf, ':').toUpperCase();
}

function extensions(list: asn.Extension[] | undefined): ExtensionData {
  const out: ExtensionData = { extensions: [], sans: [], isCa: false, hasBasicConstraints: false, keyUsage: [], extKeyUsage: [], crlDistributionPoints: [], ocsp: [], caIssuers: [] };
  for (const ext of list ?? []) {
    const id = ext.extnID;
    const octets = ext.extnValue.buffer;
    let value: string | undefined;
    try {
      value = extensionValue(id, octets, out);
    } catch {
      value = undefined;
    }
    const raw = value === undefined;
    value ??= hexOf(octets, ':');
    const base = { oid: id, name: EXTENSIONS[id] ?? id, critical: ext.critical, value };
    out.extensions.push(raw ? { ...base, raw } : (base satisfies Extension));
  }
  return out;
}

/** Two Names alike attribute by attribute, string type included (as equal DER would be). */
function sameName(a: asn.Name, b: asn.Name): boolean {
  const key = (n: asn.Name) => JSON.stringify(n.map((rdn) => rdn.map((atv) => [atv.type, Object.entries(atv.value).map(([k, v]) => [k, v instanceof ArrayBuffer ? hexOf(v) : v])])));
  return key(a) === key(b);
}

/** Where the parts lie in the DER: the framing only (tags and lengths), for hashing and verifying. */
function offsets(der: Uint8Array): CertificateInfo['offsets'] {
  const top = readTlv(der, 0);
  const [tbs, , sig] = children(der, top);
  const f = children(der, tbs);
  const i = f[0]?.tag === 0xa0 ? 1 : 0;
  const [issuer, , subject, spki] = f.slice(i + 2);
  return { tbs: [tbs.start, tbs.end], spki: [spki.start, spki.end], signature: [sig.body + 1, sig.end], issuer: [issuer.start, issuer.end], subject: [subject.start, subject.end] };
}

/** Decodes an X.509 certificate with @peculiar/x509. Throws on what it cannot parse. */
export function decodeCertificateX509(der: Uint8Array): CertificateInfo {
  const cert = new x509.X509Certificate(der as Uint8Array<ArrayBuffer>);
  const c = model<asn.Certificate>(cert);
  const tbs = c.tbsCertificate;
  const subject = name(tbs.subject);
  const issuer = name(tbs.issuer);
  const ext = extensions(tbs.extensions);
  const sigOid = c.signatureAlgorithm.algorithm;
  const selfNamed = sameName(tbs.issuer, tbs.subject);
  return {
    kind: 'certificate',
    version: tbs.version + 1,
    serialNumber: integerHex(tbs.serialNumber),
    subject: subject.text,
    subjectAttributes: subject.attributes,
    issuer: issuer.text,
    issuerAttributes: issuer.attributes,
    notBefore: isoTime(cert.notBefore.getTime()),
    notAfter: isoTime(cert.notAfter.getTime()),
    sans: ext.sans,
    publicKey: publicKey(tbs.subjectPublicKeyInfo),
    signatureAlgorithm: SIGNATURE_ALGORITHMS[sigOid] ?? sigOid,
    signatureOid: sigOid,
    isCa: ext.isCa,
    ...(ext.pathLength !== undefined ? { pathLength: ext.pathLength } : {}),
    hasBasicConstraints: ext.hasBasicConstraints,
    keyUsage: ext.keyUsage,
    extKeyUsage: ext.extKeyUsage,
    ...(ext.subjectKeyId ? { subjectKeyId: ext.subjectKeyId } : {}),
    ...(ext.authorityKeyId ? { authorityKeyId: ext.authorityKeyId } : {}),
    crlDistributionPoints: ext.crlDistributionPoints,
    ocsp: ext.ocsp,
    caIssuers: ext.caIssuers,
    extensions: ext.extensions,
    selfSigned: selfNamed && (!ext.authorityKeyId || !ext.subjectKeyId || ext.authorityKeyId === ext.subjectKeyId),
    offsets: offsets(der),
  };
}

/**
 * decodeBlock() with @peculiar/x509 reading certificates, alone or in a PKCS#7 bundle; other kinds
 * (CSR, CRL, keys) are decode.ts's. decode.ts still decides what is malformed and what breaks the
 * rules (`problems`: @peculiar's asn1js reads leniently and checks no encoding rule), so lint, the
 * language server and the inspector agree. @peculiar supplies the fields, except those a problem
 * concerns (a time that is no time is shown as written, not as the date asn1js makes of it) and
 * where it refuses what decode.ts read (damaged DER only: decode.ts's reading is shown).
 */
export function decodeBlockX509(block: PemBlock): Decoded {
  const own = decodeBlock(block);
  if (own.kind === 'certificate') {
    return merged(block.der!, own);
  }
  if (own.kind === 'pkcs7') {
    return { ...own, certificates: own.certificates.map((c, i) => merged(own.certificateDer[i], c)) };
  }
  return own;
}

function merged(der: Uint8Array, own: CertificateInfo): CertificateInfo {
  let pec: CertificateInfo;
  try {
    pec = decodeCertificateX509(der);
  } catch {
    return own;
  }
  if (!own.problems) {
    return pec;
  }
  const out: CertificateInfo = { ...pec, problems: own.problems };
  if (own.problems.some((p) => p.code === 'invalid-time')) {
    out.notBefore = own.notBefore;
    out.notAfter = own.notAfter;
  }
  if (own.pathLength === undefined) {
    delete out.pathLength;
  }
  return out;
}
