// Plain data shared by every consumer of the PKI core (language server, webview, CLI, extension).
// Everything here survives JSON and postMessage: no classes, no functions.
import type { FINDING_CODES } from './findings';
import type { Text } from './messages';

/** Zero-based position, as LSP and VS Code count. */
export interface Position {
  line: number;
  character: number;
}

/** A half-open text range. */
export interface Range {
  start: Position;
  end: Position;
}

export type BlockKind = 'certificate' | 'csr' | 'crl' | 'privateKey' | 'publicKey' | 'pkcs7' | 'pkcs12' | 'unknown';

/** One PEM (or DER) block found in a text or file. */
export interface PemBlock {
  /** Position among the blocks of its document. */
  index: number;
  /** The PEM label (`CERTIFICATE`, `X509 CRL`, ...). */
  label: string;
  kind: BlockKind;
  /** How it was written: PEM lines, a string with `\n` escapes, a base64-encoded PEM (Kubernetes), raw DER, bare base64. */
  encoding: 'pem' | 'escaped' | 'base64-pem' | 'der' | 'base64';
  /** From BEGIN to the end of END. */
  range: Range;
  /** The block's source text (the cache key for incremental linting). */
  text: string;
  /** RFC 1421 headers such as Proc-Type. */
  headers: Record<string, string>;
  /** The decoded bytes, when the body was valid base64. */
  der?: Uint8Array;
  /** Why the block could not be read, with where. */
  error?: { message: string; text: Text; range: Range; at?: Position; reason?: Text };
}

/** One attribute of a distinguished name. */
export interface NameAttribute {
  /** Short name (CN, O, ...) or the dotted OID when there is none. */
  type: string;
  oid: string;
  value: string;
}

export type SanType = 'dns' | 'email' | 'ip' | 'uri' | 'dirName' | 'otherName' | 'registeredId' | 'other';

export interface SubjectAltName {
  type: SanType;
  value: string;
}

export interface PublicKeyInfo {
  /** RSA, RSA-PSS, EC, Ed25519, Ed448, X25519, X448, DSA, or the OID. */
  algorithm: string;
  /** Bits: modulus size for RSA/DSA, field size for EC. */
  size?: number;
  /** P-256, P-384, P-521, secp256k1... */
  curve?: string;
  /** A short non-secret identifier of the public key, equal for a key pair's two halves. */
  id?: string;
}

export interface Extension {
  oid: string;
  /** Short name, or the OID when unknown. */
  name: string;
  critical: boolean;
  /** Human-readable value; hex for extensions we do not know. */
  value: string;
  /** True when the value is shown raw. */
  raw?: boolean;
}

/** Byte offsets into the block's DER, for verification and hashing. */
export interface DerOffsets {
  tbs: [number, number];
  spki: [number, number];
  /** The signature BIT STRING's contents without the unused-bits byte. */
  signature: [number, number];
  issuer: [number, number];
  subject: [number, number];
}

/**
 * What the decoder read but found against the rules (a negative serial, UTCTime without seconds), or
 * could not read as a value (month 13: the field then holds the text as written). Lint reports each.
 */
export interface DecodeProblem {
  code: FindingCode;
  severity: Severity;
  /** In English; `text` is the same message as data. */
  message: string;
  text: Text;
}

export interface CertificateInfo {
  kind: 'certificate';
  version: number;
  serialNumber: string;
  subject: string;
  subjectAttributes: NameAttribute[];
  issuer: string;
  issuerAttributes: NameAttribute[];
  /** ISO 8601 UTC; as written in the certificate when it is not a time (see `problems`). */
  notBefore: string;
  notAfter: string;
  sans: SubjectAltName[];
  publicKey: PublicKeyInfo;
  signatureAlgorithm: string;
  signatureOid: string;
  isCa: boolean;
  pathLength?: number;
  hasBasicConstraints: boolean;
  keyUsage: string[];
  extKeyUsage: string[];
  subjectKeyId?: string;
  authorityKeyId?: string;
  crlDistributionPoints: string[];
  ocsp: string[];
  caIssuers: string[];
  extensions: Extension[];
  selfSigned: boolean;
  offsets: DerOffsets;
  /** Present when there are some. */
  problems?: DecodeProblem[];
}

export interface CsrInfo {
  kind: 'csr';
  subject: string;
  subjectAttributes: NameAttribute[];
  publicKey: PublicKeyInfo;
  signatureAlgorithm: string;
  signatureOid: string;
  sans: SubjectAltName[];
  extensions: Extension[];
  attributes: { oid: string; name: string; value: string }[];
  offsets: Pick<DerOffsets, 'tbs' | 'spki' | 'signature'>;
  problems?: DecodeProblem[];
}

export interface CrlEntry {
  serialNumber: string;
  revocationDate: string;
  reason?: string;
}

export interface CrlInfo {
  kind: 'crl';
  version: number;
  issuer: string;
  issuerAttributes: NameAttribute[];
  thisUpdate: string;
  nextUpdate?: string;
  signatureAlgorithm: string;
  signatureOid: string;
  crlNumber?: string;
  authorityKeyId?: string;
  entries: CrlEntry[];
  extensions: Extension[];
  offsets: Pick<DerOffsets, 'tbs' | 'signature' | 'issuer'>;
  problems?: DecodeProblem[];
}

/** A key: its type and size only, never its material. */
export interface KeyInfo {
  kind: 'privateKey' | 'publicKey';
  format: 'pkcs8' | 'pkcs1' | 'sec1' | 'spki' | 'encrypted' | 'openssh';
  encrypted: boolean;
  publicKey: PublicKeyInfo;
}

export interface Pkcs7Info {
  kind: 'pkcs7';
  certificates: CertificateInfo[];
  /** The certificates' DER, for chain checks and fingerprints. */
  certificateDer: Uint8Array[];
  crlCount: number;
}

/** A PKCS#12 keystore: recognized, not opened (its content is encrypted; no password is asked for). */
export interface Pkcs12Info {
  kind: 'pkcs12';
}

export interface MalformedInfo {
  kind: 'malformed';
  /** What the block claimed to be. */
  claimed: BlockKind;
  message: string;
  text: Text;
  range?: Range;
}

export interface UnknownInfo {
  kind: 'unknown';
  label: string;
}

export type Decoded = CertificateInfo | CsrInfo | CrlInfo | KeyInfo | Pkcs7Info | Pkcs12Info | MalformedInfo | UnknownInfo;

export type Severity = 'error' | 'warning' | 'info';

/** The codes of findings; src/pki/findings.ts lists them at run time and docs/findings.md explains each. */
export type FindingCode = (typeof FINDING_CODES)[number];

/** One problem found in a block. */
export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** In English; `text` is the same message as data, for the edges to translate. */
  message: string;
  text: Text;
  /** The block it is about. */
  block: number;
  /** Where, when narrower than the block (malformed base64). */
  range?: Range;
  /** Other blocks involved (the issuer of a misordered chain, the certificate a key should match). */
  related?: { block: number; message: string; text: Text }[];
}

export interface LintOptions {
  /** Epoch milliseconds; defaults to now. */
  now?: number;
  /** Warn when a certificate expires within this many days (default 30), or within the last third of its lifetime when that is shorter. */
  expiryWarningDays?: number;
}

/** One certificate's place in a chain. */
export interface ChainLink {
  /** Index into the certificates given. */
  cert: number;
  /** Index of its issuer among them, if found. */
  issuer?: number;
  /** Signature checked with the issuer's key: true/false, undefined when it could not be checked. */
  signatureValid?: boolean;
  problem?: string;
  problemText?: Text;
}

export interface ChainReport {
  /** Indices leaf → root. */
  order: number[];
  links: ChainLink[];
  /** Index of the self-signed certificate the chain ends at, if present. */
  root?: number;
  /** True when the certificates were given leaf → root already. */
  inOrder: boolean;
  /** True when every link has its issuer and every signature verifies up to a self-signed root. */
  complete: boolean;
  /** In English; `texts` holds the same problems as data, for the edges to translate. */
  problems: string[];
  texts: Text[];
}
