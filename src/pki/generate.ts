// Key pairs and CSRs made locally with WebCrypto, so a private key can stay on the user's machine
// when NCP only needs a CSR.
import { toPem } from './pem';

export type KeyType = 'RSA2048' | 'RSA4096' | 'EC256' | 'EC384' | 'EC521';

export const KEY_TYPES: readonly KeyType[] = ['RSA2048', 'RSA4096', 'EC256', 'EC384', 'EC521'];

/** The subject of a CSR; empty fields are left out. */
export interface SubjectFields {
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
  locality?: string;
  stateOrProvince?: string;
  country?: string;
  email?: string;
}

export interface CsrRequest {
  keyType: KeyType;
  subject: SubjectFields;
  dnsNames?: string[];
  ipAddresses?: string[];
  emails?: string[];
}

export interface GeneratedKey {
  /** PKCS#8 PEM. Write it with mode 0600; never log it. */
  privateKeyPem: string;
  publicKeyPem: string;
}

/** WebCrypto generation (and import) parameters for a key type. */
export function algorithmFor(keyType: KeyType): RsaHashedKeyGenParams | EcKeyGenParams {
  switch (keyType) {
    case 'RSA2048':
    case 'RSA4096':
      return { name: 'RSASSA-PKCS1-v1_5', modulusLength: keyType === 'RSA2048' ? 2048 : 4096, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
    case 'EC256':
      return { name: 'ECDSA', namedCurve: 'P-256' };
    case 'EC384':
      return { name: 'ECDSA', namedCurve: 'P-384' };
    case 'EC521':
      return { name: 'ECDSA', namedCurve: 'P-521' };
    default:
      throw new Error(`unknown key type ${String(keyType)}`);
  }
}

/** WebCrypto signing parameters for a key type (SHA-256, or SHA-384/512 with the larger curves). */
export function signingAlgorithm(keyType: KeyType): Algorithm | EcdsaParams {
  if (keyType.startsWith('RSA')) {
    return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as Algorithm;
  }
  return { name: 'ECDSA', hash: keyType === 'EC521' ? 'SHA-512' : keyType === 'EC384' ? 'SHA-384' : 'SHA-256' };
}

async function keyPair(keyType: KeyType): Promise<CryptoKeyPair> {
  return (await globalThis.crypto.subtle.generateKey(algorithmFor(keyType), true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function exportPair(keys: CryptoKeyPair): Promise<GeneratedKey> {
  const [pkcs8, spki] = await Promise.all([globalThis.crypto.subtle.exportKey('pkcs8', keys.privateKey), globalThis.crypto.subtle.exportKey('spki', keys.publicKey)]);
  return { privateKeyPem: toPem(new Uint8Array(pkcs8), 'PRIVATE KEY'), publicKeyPem: toPem(new Uint8Array(spki), 'PUBLIC KEY') };
}

/** Generates a key pair and exports it as PEM. */
export async function generateKeyPair(keyType: KeyType): Promise<GeneratedKey> {
  return exportPair(await keyPair(keyType));
}

/** Generates a key pair and a CSR signed with it; the key never leaves this process. */
export async function generateCsr(request: CsrRequest): Promise<GeneratedKey & { csrPem: string }> {
  const { x509 } = await import('./x509');
  const keys = await keyPair(request.keyType);
  const s = request.subject;
  const name: Record<string, string[]>[] = [];
  const add = (type: string, v: string | undefined) => {
    if (v && v.trim()) {
      name.push({ [type]: [v.trim()] });
    }
  };
  add('C', s.country);
  add('ST', s.stateOrProvince);
  add('L', s.locality);
  add('O', s.organization);
  add('OU', s.organizationalUnit);
  add('CN', s.commonName);
  add('E', s.email);
  const sans = [
    ...(request.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(request.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
    ...(request.emails ?? []).map((value) => ({ type: 'email' as const, value })),
  ];
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name,
    keys,
    signingAlgorithm: signingAlgorithm(request.keyType),
    extensions: sans.length ? [new x509.SubjectAlternativeNameExtension(sans)] : [],
  });
  return { ...(await exportPair(keys)), csrPem: toPem(new Uint8Array(csr.rawData), 'CERTIFICATE REQUEST') };
}
