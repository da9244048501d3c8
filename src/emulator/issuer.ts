// Real PKI for the emulator: keys of the requested type, X.509 certificates with the extensions NCP
// puts in them, CRLs. Built on @peculiar/x509 over Node's WebCrypto.
import { webcrypto, randomBytes } from 'node:crypto';
import { x509 } from '../pki/x509';
import { toPem } from '../pki';
import { children, readTlv } from '../pki/der';
import { KEY_TYPES, type KeyType, type X509Parameters } from '../ncloud/vocabulary';
import { algorithmFor, signingAlgorithm } from '../pki/generate';

export type NcpKeyType = KeyType;
export const NCP_KEY_TYPES: readonly NcpKeyType[] = KEY_TYPES;

const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);

/** NCP's names for the algorithms, as its responses show them. */
export function algorithmNames(keyType: NcpKeyType): { publicKeyAlgorithm: string; signatureAlgorithm: string } {
  return keyType.startsWith('RSA') ? { publicKeyAlgorithm: 'RSA', signatureAlgorithm: 'SHA256withRSA' } : { publicKeyAlgorithm: 'EC', signatureAlgorithm: keyType === 'EC521' ? 'SHA512withECDSA' : 'SHA256withECDSA' };
}

export interface KeyPair {
  keys: CryptoKeyPair;
  /** PKCS#8 PEM of the private key (how the emulator stores CA keys). */
  pkcs8: string;
  /**
   * The private key as Issue End Cert hands it out: PKCS#1 `RSA PRIVATE KEY` for RSA (the seed page's
   * example), PKCS#8 for EC (NCP documents no EC example; the README lists this choice).
   */
  issuedPem: string;
}

/** A new key pair of an NCP key type. */
export async function newKey(keyType: NcpKeyType): Promise<KeyPair> {
  const keys = (await crypto.subtle.generateKey(algorithmFor(keyType), true, ['sign', 'verify'])) as CryptoKeyPair;
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', keys.privateKey));
  const pkcs8Pem = toPem(pkcs8, 'PRIVATE KEY');
  return { keys, pkcs8: pkcs8Pem, issuedPem: keyType.startsWith('RSA') ? toPem(pkcs1Of(pkcs8), 'RSA PRIVATE KEY') : pkcs8Pem };
}

/** The RSAPrivateKey (PKCS#1) inside a PKCS#8 PrivateKeyInfo: its privateKey OCTET STRING. */
export function pkcs1Of(pkcs8: Uint8Array): Uint8Array {
  const top = readTlv(pkcs8, 0);
  const octets = children(pkcs8, top)[2];
  if (!octets || octets.tag !== 0x04) {
    throw new Error('not a PKCS#8 PrivateKeyInfo');
  }
  return pkcs8.slice(octets.body, octets.end);
}

/** NCP's name for a certificate's own key algorithm (`RSA` or `EC`). */
export function publicKeyAlgorithmOf(key: x509.PublicKey): 'RSA' | 'EC' {
  return key.algorithm.name === 'ECDSA' || key.algorithm.name === 'ECDH' ? 'EC' : 'RSA';
}

/** Drops milliseconds: certificate dates have one-second resolution, and NCP reports them so. */
export function wholeSeconds(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

const keyCache = new Map<string, Promise<CryptoKey>>();

/** Imports a stored CA private key (cached: CA keys are used for every issuance). */
export function importKey(pkcs8Pem: string, keyType: NcpKeyType): Promise<CryptoKey> {
  let k = keyCache.get(pkcs8Pem);
  if (!k) {
    const der = x509.PemConverter.decodeFirst(pkcs8Pem);
    k = crypto.subtle.importKey('pkcs8', der, algorithmFor(keyType), false, ['sign']);
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

function subjectName(p: X509Parameters): x509.JsonName {
  const n: x509.JsonName = [];
  const add = (type: string, v?: string) => {
    if (v) {
      n.push({ [type]: [v] });
    }
  };
  add('C', p.country ? countryCode(p.country) : undefined);
  add('ST', p.stateProvince);
  add('L', p.locality);
  add('STREET', p.streetAddress);
  add('O', p.organization);
  add('OU', p.organizationUnit);
  add('CN', p.commonName);
  return n;
}

function list(s?: string): string[] {
  return (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);
}

export interface IssueParams {
  serial: string;
  subject: X509Parameters | x509.Name;
  publicKey: CryptoKey | x509.PublicKey;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
  pathLength?: number;
  /** Issuer certificate; absent for a self-signed root. */
  issuer?: { certPem: string; keyType: NcpKeyType; signingKey: CryptoKey };
  selfKey?: { keyType: NcpKeyType; signingKey: CryptoKey };
  /** Where the issuer's CRL and certificate are published (emulator URLs). */
  urls?: { crl: string; ca: string; ocsp?: string };
  /** SANs requested in a CSR, kept as they are. */
  sanExtension?: x509.Extension;
}

/** Issues a certificate; returns its PEM. */
export async function issue(p: IssueParams): Promise<string> {
  const issuerCert = p.issuer ? new x509.X509Certificate(p.issuer.certPem) : undefined;
  const signer = p.issuer ?? p.selfKey;
  if (!signer) {
    throw new Error('issue() needs an issuer or a self key');
  }
  const subject = p.subject instanceof x509.Name ? p.subject : new x509.Name(subjectName(p.subject));
  const publicKey = p.publicKey instanceof x509.PublicKey ? p.publicKey : await x509.PublicKey.create(p.publicKey, crypto);
  const exts: x509.Extension[] = [
    new x509.BasicConstraintsExtension(p.ca, p.ca ? p.pathLength : undefined, true),
    new x509.KeyUsagesExtension(p.ca ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    await x509.SubjectKeyIdentifierExtension.create(publicKey, false, crypto),
    await x509.AuthorityKeyIdentifierExtension.create(issuerCert ? issuerCert.publicKey : publicKey, false, crypto),
  ];
  if (!p.ca) {
    exts.push(new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]));
  }
  if (p.sanExtension) {
    exts.push(p.sanExtension);
  } else if (!(p.subject instanceof x509.Name)) {
    const names = [...list(p.subject.altName).map((v) => ({ type: (v.includes('@') ? 'email' : 'dns') as 'email' | 'dns', value: v })), ...list(p.subject.ip).map((v) => ({ type: 'ip' as const, value: v }))];
    if (names.length) {
      exts.push(new x509.SubjectAlternativeNameExtension(names));
    }
  }
  if (p.urls) {
    exts.push(new x509.CRLDistributionPointsExtension([p.urls.crl]));
    exts.push(new x509.AuthorityInfoAccessExtension({ caIssuers: [p.urls.ca], ...(p.urls.ocsp ? { ocsp: [p.urls.ocsp] } : {}) }));
  }
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: p.serial.replace(/:/g, ''),
      subject,
      issuer: issuerCert ? issuerCert.subjectName : subject,
      notBefore: p.notBefore,
      notAfter: p.notAfter,
      publicKey,
      signingKey: signer.signingKey,
      signingAlgorithm: signingAlgorithm(signer.keyType),
      extensions: exts,
    },
    crypto,
  );
  return toPem(new Uint8Array(cert.rawData), 'CERTIFICATE');
}

/** A CSR for a subordinate CA waiting for an external signature. */
export async function csrFor(params: X509Parameters, key: KeyPair, keyType: NcpKeyType): Promise<string> {
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: subjectName(params), keys: key.keys, signingAlgorithm: signingAlgorithm(keyType) }, crypto);
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
  signingKey: CryptoKey;
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
      signingKey: p.signingKey,
      entries: p.revoked.map((r) => ({ serialNumber: r.serial.replace(/:/g, ''), revocationDate: new Date(r.date), reason: x509.X509CrlReason.unspecified })),
      extensions: [await x509.AuthorityKeyIdentifierExtension.create(issuer.publicKey, false, crypto), new x509.Extension('2.5.29.20', false, derInteger(p.crlNumber) as BufferSource)],
    },
    crypto,
  );
  return toPem(new Uint8Array(crl.rawData), 'X509 CRL');
}

function derInteger(n: number): Uint8Array {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if (bytes[0] & 0x80) {
    bytes.unshift(0);
  }
  return Uint8Array.from([0x02, bytes.length, ...bytes]);
}

/** Reads a PEM certificate's validity and subject (for activate and imports). */
export function readCertificate(pem: string): { notBefore: Date; notAfter: Date; subject: string; publicKey: x509.PublicKey; cert: x509.X509Certificate } {
  const cert = new x509.X509Certificate(pem);
  return { notBefore: cert.notBefore, notAfter: cert.notAfter, subject: cert.subject, publicKey: cert.publicKey, cert };
}
