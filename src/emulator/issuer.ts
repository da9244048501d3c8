// Real PKI for the emulator: keys of the requested type, X.509 certificates with the extensions NCP
// puts in them, CRLs. Certificates are written directly as DER (derWriter.ts) and signed with
// node:crypto on libuv's thread pool; CSRs and CRLs (rare) go through @peculiar/x509.
import { createECDH, createHash, createPrivateKey, generateKeyPair, randomBytes, sign, webcrypto, type KeyObject } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { promisify } from 'node:util';
import { x509 } from '../pki/x509';
import { toPem } from '../pki';
import { children, readTlv } from '../pki/der';
import { KEY_TYPES, type KeyType, type X509Parameters } from '../ncloud/vocabulary';
import { algorithmFor, signingAlgorithm } from '../pki/generate';
import * as der from './derWriter';

export type NcpKeyType = KeyType;
export const NCP_KEY_TYPES: readonly NcpKeyType[] = KEY_TYPES;

const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);

/** NCP's names for the algorithms, as its responses show them. */
export function algorithmNames(keyType: NcpKeyType): { publicKeyAlgorithm: string; signatureAlgorithm: string } {
  return keyType.startsWith('RSA') ? { publicKeyAlgorithm: 'RSA', signatureAlgorithm: 'SHA256withRSA' } : { publicKeyAlgorithm: 'EC', signatureAlgorithm: keyType === 'EC521' ? 'SHA512withECDSA' : 'SHA256withECDSA' };
}

export interface KeyPair {
  privateKey: KeyObject;
  /** SubjectPublicKeyInfo DER of the public key. */
  spki: Uint8Array;
  /** PKCS#8 PEM of the private key (how the emulator stores CA keys). */
  pkcs8: string;
  /**
   * The private key as Issue End Cert hands it out: PKCS#1 `RSA PRIVATE KEY` for RSA (the seed page's
   * example), PKCS#8 for EC (NCP documents no EC example; the README lists this choice).
   */
  issuedPem: string;
}

const generateRsa = promisify(generateKeyPair);

const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const CURVES = { EC256: { name: 'prime256v1', oid: '1.2.840.10045.3.1.7', size: 32 }, EC521: { name: 'secp521r1', oid: '1.3.132.0.35', size: 66 } } as const;

/**
 * A new key pair of an NCP key type. RSA keys are generated on libuv's thread pool (tens of ms
 * each). An EC key takes OpenSSL about 20 µs through ECDH, and its PKCS#8 and SubjectPublicKeyInfo
 * are written directly: exporting a KeyObject costs several times the generation itself.
 */
export async function newKey(keyType: NcpKeyType): Promise<KeyPair> {
  if (keyType === 'RSA2048' || keyType === 'RSA4096') {
    const { privateKey, publicKey } = await generateRsa('rsa', { modulusLength: keyType === 'RSA2048' ? 2048 : 4096, publicExponent: 0x10001 });
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    return { privateKey, spki: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })), pkcs8, issuedPem: privateKey.export({ type: 'pkcs1', format: 'pem' }) as string };
  }
  const curve = CURVES[keyType];
  const ecdh = createECDH(curve.name);
  const point = ecdh.generateKeys();
  const secret = new Uint8Array(curve.size);
  const raw = ecdh.getPrivateKey();
  secret.set(raw, curve.size - raw.length);
  const algorithm = der.seq(der.oid(EC_PUBLIC_KEY), der.oid(curve.oid));
  // RFC 5208 PrivateKeyInfo around an RFC 5915 ECPrivateKey (curve in the algorithm, public key kept), as OpenSSL writes it.
  const pkcs8Der = der.seq(der.smallInteger(0), algorithm, der.tlv(0x04, der.seq(der.smallInteger(1), der.tlv(0x04, secret), der.tlv(0xa1, der.bitString(point)))));
  const pkcs8 = toPem(pkcs8Der, 'PRIVATE KEY');
  let privateKey: KeyObject | undefined;
  return {
    // Only a CA needs its key as an object; an end-entity key is handed out and never used here.
    get privateKey() {
      privateKey ??= createPrivateKey({ key: Buffer.from(pkcs8Der), format: 'der', type: 'pkcs8' });
      return privateKey;
    },
    spki: der.seq(algorithm, der.bitString(point)),
    pkcs8,
    issuedPem: pkcs8,
  };
}

/** NCP's name for a certificate's own key algorithm (`RSA` or `EC`). */
export function publicKeyAlgorithmOf(key: x509.PublicKey): 'RSA' | 'EC' {
  return key.algorithm.name === 'ECDSA' || key.algorithm.name === 'ECDH' ? 'EC' : 'RSA';
}

/** Drops milliseconds: certificate dates have one-second resolution, and NCP reports them so. */
export function wholeSeconds(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

const keyCache = new Map<string, KeyObject>();

/** A stored CA private key, parsed once and kept: CA keys sign every issuance. */
export function importKey(pkcs8Pem: string): KeyObject {
  let k = keyCache.get(pkcs8Pem);
  if (!k) {
    k = createPrivateKey(pkcs8Pem);
    keyCache.set(pkcs8Pem, k);
  }
  return k;
}

/** A certificate's serial as NCP shows it: lowercase colon-separated octets, no sign octet. */
export function serialOf(cert: x509.X509Certificate): string {
  let h = cert.serialNumber.toLowerCase();
  if (h.length % 2) {
    h = `0${h}`;
  }
  while (h.length > 2 && h.startsWith('00')) {
    h = h.slice(2);
  }
  return h.replace(/(..)(?!$)/g, '$1:');
}

/** A positive 20-octet serial, as NCP's colon-separated hex. */
export function newSerial(): string {
  const b = randomBytes(20);
  b[0] = (b[0] & 0x7f) | 0x01; // positive, and never a leading zero octet
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

export type { X509Parameters };

/** ISO 3166 alpha-3 codes NCP's own example uses ("KOR"), as the alpha-2 code X.509 needs. */
const COUNTRY3: Record<string, string> = { KOR: 'KR', USA: 'US', JPN: 'JP', CHN: 'CN', DEU: 'DE', GBR: 'GB', FRA: 'FR', SGP: 'SG' };

/** The certificate's C for a country given as NCP accepts it (alpha-2 or alpha-3); undefined if neither. */
export function countryCode(country: string): string | undefined {
  const c = country.toUpperCase();
  const two = COUNTRY3[c] ?? c;
  return /^[A-Z]{2}$/.test(two) ? two : undefined;
}

/** A subject's attributes in certificate order (C, ST, L, STREET, O, OU, CN), empty ones left out. */
function subjectAttributes(p: X509Parameters): [string, string][] {
  const out: [string, string][] = [];
  const add = (type: string, v?: string) => {
    if (v) {
      out.push([type, v]);
    }
  };
  add('C', p.country ? countryCode(p.country) : undefined);
  add('ST', p.stateProvince);
  add('L', p.locality);
  add('STREET', p.streetAddress);
  add('O', p.organization);
  add('OU', p.organizationUnit);
  add('CN', p.commonName);
  return out;
}

function subjectName(p: X509Parameters): x509.JsonName {
  return subjectAttributes(p).map(([type, v]) => ({ [type]: [v] }));
}

const ATTRIBUTE_OIDS: Record<string, string> = { C: '2.5.4.6', ST: '2.5.4.8', L: '2.5.4.7', STREET: '2.5.4.9', O: '2.5.4.10', OU: '2.5.4.11', CN: '2.5.4.3' };

/** A Name: PrintableString where the value allows it, UTF8String otherwise (as @peculiar/x509 writes it). */
function nameDer(p: X509Parameters): Uint8Array {
  return der.seq(...subjectAttributes(p).map(([type, v]) => der.tlv(0x31, der.seq(der.oid(ATTRIBUTE_OIDS[type]), der.str(/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(v) ? 0x13 : 0x0c, v)))));
}

function list(s?: string): string[] {
  return (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);
}

/** The SHA-1 of a SubjectPublicKeyInfo's key bits (RFC 5280 4.2.1.2, method 1). */
function keyIdentifier(spki: Uint8Array): Uint8Array {
  const bits = children(spki, readTlv(spki, 0))[1];
  return createHash('sha1').update(spki.subarray(bits.body + 1, bits.end)).digest();
}

/** What signing needs from an issuer certificate, read once per certificate and kept. */
interface IssuerFacts {
  subject: Uint8Array;
  keyId: Uint8Array;
}

const issuerCache = new Map<string, IssuerFacts>();

function issuerFacts(certPem: string): IssuerFacts {
  let f = issuerCache.get(certPem);
  if (!f) {
    const cert = new Uint8Array(x509.PemConverter.decodeFirst(certPem));
    const tbs = children(cert, readTlv(cert, 0))[0];
    const [, , , , , subject, spki] = children(cert, tbs);
    f = { subject: cert.slice(subject.start, subject.end), keyId: keyIdentifier(cert.subarray(spki.start, spki.end)) };
    issuerCache.set(certPem, f);
  }
  return f;
}

function signatureAlgorithmDer(keyType: NcpKeyType): Uint8Array {
  return keyType.startsWith('RSA') ? der.seq(der.oid('1.2.840.113549.1.1.11'), der.NULL) : der.seq(der.oid(keyType === 'EC521' ? '1.2.840.10045.4.3.4' : '1.2.840.10045.4.3.2'));
}

function hashOf(keyType: NcpKeyType): string {
  return keyType === 'EC521' ? 'sha512' : 'sha256';
}

function ipOctets(ip: string): Uint8Array {
  if (isIPv4(ip)) {
    return Uint8Array.from(ip.split('.').map(Number));
  }
  if (!isIPv6(ip)) {
    throw new Error(`'${ip}' is not an IP address`);
  }
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const groups = (x: string) => (x ? x.split(':') : []);
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[i * 2] = v >> 8;
    out[i * 2 + 1] = v & 0xff;
  });
  return out;
}

const uri = (u: string) => der.str(0x86, u);

export interface IssueParams {
  serial: string;
  subject: X509Parameters | x509.Name;
  /** SubjectPublicKeyInfo DER, or a public key read from a CSR. */
  publicKey: Uint8Array | x509.PublicKey;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
  pathLength?: number;
  /** Issuer certificate and its key; absent for a self-signed root. */
  issuer?: { certPem: string; keyType: NcpKeyType; signingKey: KeyObject };
  selfKey?: { keyType: NcpKeyType; signingKey: KeyObject };
  /** Where the issuer's CRL and certificate are published (emulator URLs). */
  urls?: { crl: string; ca: string; ocsp?: string };
  /** SANs requested in a CSR, kept as they are. */
  sanExtension?: x509.Extension;
}

/** The TBSCertificate of `p` (RFC 5280 4.1), written directly as DER; the issuer certificate is read once and kept. */
export function tbsCertificate(p: IssueParams): Uint8Array {
  const signer = p.issuer ?? p.selfKey;
  if (!signer) {
    throw new Error('issue() needs an issuer or a self key');
  }
  const subject = p.subject instanceof x509.Name ? new Uint8Array(p.subject.toArrayBuffer()) : nameDer(p.subject);
  const spki = p.publicKey instanceof Uint8Array ? p.publicKey : new Uint8Array(p.publicKey.rawData);
  const ownId = keyIdentifier(spki);
  const issuer = p.issuer ? issuerFacts(p.issuer.certPem) : { subject, keyId: ownId };
  const exts: Uint8Array[] = [
    der.extension('2.5.29.19', true, der.seq(...(p.ca ? [der.TRUE, ...(p.pathLength !== undefined ? [der.smallInteger(p.pathLength)] : [])] : []))),
    der.extension('2.5.29.15', true, der.namedBits(p.ca ? [0, 5, 6] : [0, 2])),
    der.extension('2.5.29.14', false, der.tlv(0x04, ownId)),
    der.extension('2.5.29.35', false, der.seq(der.tlv(0x80, issuer.keyId))),
  ];
  if (!p.ca) {
    exts.push(der.extension('2.5.29.37', false, der.seq(der.oid('1.3.6.1.5.5.7.3.1'), der.oid('1.3.6.1.5.5.7.3.2'))));
  }
  if (p.sanExtension) {
    exts.push(new Uint8Array(p.sanExtension.rawData));
  } else if (!(p.subject instanceof x509.Name)) {
    const names = [...list(p.subject.altName).map((v) => (v.includes('@') ? der.str(0x81, v) : der.str(0x82, v))), ...list(p.subject.ip).map((v) => der.tlv(0x87, ipOctets(v)))];
    if (names.length) {
      exts.push(der.extension('2.5.29.17', false, der.seq(...names)));
    }
  }
  if (p.urls) {
    exts.push(der.extension('2.5.29.31', false, der.seq(der.seq(der.tlv(0xa0, der.tlv(0xa0, uri(p.urls.crl)))))));
    exts.push(der.extension('1.3.6.1.5.5.7.1.1', false, der.seq(...(p.urls.ocsp ? [der.seq(der.oid('1.3.6.1.5.5.7.48.1'), uri(p.urls.ocsp))] : []), der.seq(der.oid('1.3.6.1.5.5.7.48.2'), uri(p.urls.ca)))));
  }
  return der.seq(
    der.tlv(0xa0, der.smallInteger(2)),
    der.unsignedInteger(der.hexBytes(p.serial.replace(/:/g, ''))),
    signatureAlgorithmDer(signer.keyType),
    issuer.subject,
    der.seq(der.time(p.notBefore), der.time(p.notAfter)),
    subject,
    spki,
    der.tlv(0xa3, der.seq(...exts)),
  );
}

const signAsync = promisify(sign);

/**
 * Issues a certificate; returns its PEM. An RSA signature (about 1 ms) is made on libuv's thread
 * pool; an ECDSA one (about 20 µs) on this thread, where it costs less than handing it over.
 */
export async function issue(p: IssueParams): Promise<string> {
  const tbs = tbsCertificate(p);
  const signer = (p.issuer ?? p.selfKey)!;
  const signature = signer.keyType.startsWith('RSA') ? await signAsync('sha256', tbs, signer.signingKey) : sign(hashOf(signer.keyType), tbs, signer.signingKey);
  return toPem(der.seq(tbs, signatureAlgorithmDer(signer.keyType), der.bitString(signature)), 'CERTIFICATE');
}

/** A Node private key as a WebCrypto key, for the rare paths still signed by @peculiar/x509 (CSRs, CRLs). */
function webCryptoKey(key: KeyObject, keyType: NcpKeyType): Promise<CryptoKey> {
  return crypto.subtle.importKey('pkcs8', key.export({ type: 'pkcs8', format: 'der' }), algorithmFor(keyType), false, ['sign']);
}

/** A CSR for a subordinate CA waiting for an external signature. */
export async function csrFor(params: X509Parameters, key: KeyPair, keyType: NcpKeyType): Promise<string> {
  const alg = algorithmFor(keyType);
  const keys = { privateKey: await webCryptoKey(key.privateKey, keyType), publicKey: await crypto.subtle.importKey('spki', Uint8Array.from(key.spki), alg, true, ['verify']) };
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: subjectName(params), keys, signingAlgorithm: signingAlgorithm(keyType) }, crypto);
  return toPem(new Uint8Array(csr.rawData), 'CERTIFICATE REQUEST');
}

/** Reads and verifies a CSR; throws with a reason when it is not one or its signature is wrong. */
export async function readCsr(pem: string): Promise<{ subject: x509.Name; publicKey: x509.PublicKey; commonName: string; san?: x509.Extension }> {
  const csr = new x509.Pkcs10CertificateRequest(pem);
  if (!(await csr.verify(crypto))) {
    throw new Error('the CSR signature does not verify');
  }
  const san = csr.getExtension('2.5.29.17');
  return { subject: csr.subjectName, publicKey: csr.publicKey, commonName: csr.subjectName.getField('CN')[0] ?? '', ...(san ? { san } : {}) };
}

export interface CrlParams {
  issuerCertPem: string;
  keyType: NcpKeyType;
  signingKey: KeyObject;
  thisUpdate: Date;
  nextUpdate: Date;
  crlNumber: number;
  revoked: { serial: string; date: number }[];
}

/** Signs a CRL listing the revoked serials. */
export async function signCrl(p: CrlParams): Promise<string> {
  const issuer = new x509.X509Certificate(p.issuerCertPem);
  const crl = await x509.X509CrlGenerator.create(
    {
      issuer: issuer.subjectName,
      thisUpdate: p.thisUpdate,
      nextUpdate: p.nextUpdate,
      signingAlgorithm: signingAlgorithm(p.keyType),
      signingKey: await webCryptoKey(p.signingKey, p.keyType),
      entries: p.revoked.map((r) => ({ serialNumber: r.serial.replace(/:/g, ''), revocationDate: new Date(r.date), reason: x509.X509CrlReason.unspecified })),
      extensions: [await x509.AuthorityKeyIdentifierExtension.create(issuer.publicKey, false, crypto), new x509.Extension('2.5.29.20', false, der.smallInteger(p.crlNumber) as BufferSource)],
    },
    crypto,
  );
  return toPem(new Uint8Array(crl.rawData), 'X509 CRL');
}

/** Reads a PEM certificate's validity and subject (for activate and imports). */
export function readCertificate(pem: string): { notBefore: Date; notAfter: Date; subject: string; publicKey: x509.PublicKey; cert: x509.X509Certificate } {
  const cert = new x509.X509Certificate(pem);
  return { notBefore: cert.notBefore, notAfter: cert.notAfter, subject: cert.subject, publicKey: cert.publicKey, cert };
}
