// Reading what others hand us: PKCS#12/PFX (RFC 7292, modern and legacy), Java keystores (JKS, and
// PKCS#12 keystores through the same path) and JWK/JWKS (RFC 7517, certificates from `x5c`). Runs
// in the extension host and the CLI only: passwords and keys stay here; what leaves is the
// certificates (DER) and, per key, its type and size.
import { createDecipheriv, createHash, createHmac, createPrivateKey, pbkdf2Sync, timingSafeEqual, X509Certificate, type KeyObject } from 'node:crypto';
import { ContentInfo } from '@peculiar/asn1-cms';
import { AuthenticatedSafe, CertBag, id_certBag, id_keyBag, id_pkcs8ShroudedKeyBag, PFX, PKCS8ShroudedKeyBag, SafeContents } from '@peculiar/asn1-pfx';
import { AsnParser, AsnProp, AsnPropTypes, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { CmsEncryptedData, Pbes2Params, Pkcs12PbeParams, pkcs12Kdf } from './pkcs12';
import { rc2CbcDecrypt } from './rc2';
import { render, text as msg, type Text } from '../pki/messages';

export type ContainerFormat = 'pkcs12' | 'jks' | 'jwk';

/** A key as it may be shown: never its material. */
export interface KeySummary {
  /** e.g. "EC P-256", "RSA 2048", "Ed25519". */
  type: string;
  /** Where it sits: an alias, a `kid`, or "key 1". */
  name: string;
  /** True when the file holds the private key (shown as such, never sent). */
  private: boolean;
}

export interface Container {
  format: ContainerFormat;
  certificates: Uint8Array[];
  keys: KeySummary[];
}

/** A container this reader cannot open, and why: `text` as data (the editor words it in the user's language), `message` in English. */
export class ContainerError extends Error {
  constructor(readonly text: Text) {
    super(render(text));
  }
}

/** The container asks for a password (none given) or the one given is wrong: the message says which. */
export class PasswordNeeded extends Error {
  constructor(
    readonly format: ContainerFormat,
    readonly wrong: boolean,
  ) {
    super(wrong ? `the password does not open this ${format === 'jks' ? 'Java keystore' : 'PKCS#12 file'}` : `this ${format === 'jks' ? 'Java keystore' : 'PKCS#12 file'} needs a password`);
  }
}

/** Which container a file is, from its bytes (and its name for JSON): undefined for anything else. */
export function containerFormat(bytes: Uint8Array, name = ''): ContainerFormat | undefined {
  if (bytes.length >= 4 && bytes[0] === 0xfe && bytes[1] === 0xed && bytes[2] === 0xfe && bytes[3] === 0xed) {
    return 'jks';
  }
  if (bytes[0] === 0x30 && (/\.(p12|pfx)$/i.test(name) || isPfx(bytes))) {
    return 'pkcs12';
  }
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('utf8').trimStart();
  if (head.startsWith('{') && (/\.(jwks?|json)$/i.test(name) || /"kty"\s*:/.test(head)) && /"(kty|keys)"\s*:/.test(head)) {
    return 'jwk';
  }
  return undefined;
}

function isPfx(bytes: Uint8Array): boolean {
  try {
    const pfx = AsnParser.parse(bytes, PFX);
    return pfx.version === 3 && !!pfx.authSafe;
  } catch {
    return false;
  }
}

/** Reads a container; `password` for PKCS#12 and JKS (PasswordNeeded when missing or wrong). */
export function readContainer(bytes: Uint8Array, name: string, password?: string): Container {
  switch (containerFormat(bytes, name)) {
    case 'pkcs12':
      return readPkcs12(bytes, password);
    case 'jks':
      return readJks(bytes, password);
    case 'jwk':
      return readJwk(Buffer.from(bytes).toString('utf8'));
    default:
      throw new ContainerError(msg('container.unknown'));
  }
}

// ---- key summaries ------------------------------------------------------------------------------

const CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521', 'P-256': 'P-256', 'P-384': 'P-384', 'P-521': 'P-521' };

function describeKey(k: KeyObject): string {
  const d = k.asymmetricKeyDetails ?? {};
  switch (k.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return `RSA ${d.modulusLength ?? '?'}`;
    case 'ec':
      return `EC ${CURVES[d.namedCurve ?? ''] ?? d.namedCurve ?? '?'}`;
    case 'ed25519':
      return 'Ed25519';
    case 'ed448':
      return 'Ed448';
    default:
      return String(k.asymmetricKeyType ?? 'unknown').toUpperCase();
  }
}

/** The type of the key a certificate certifies. */
function certKeyType(der: Uint8Array): string {
  return describeKey(new X509Certificate(der).publicKey);
}

// ---- PKCS#12 ------------------------------------------------------------------------------------

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  pbeSha3Des: '1.2.840.113549.1.12.1.3',
  pbeSha2Des: '1.2.840.113549.1.12.1.4',
  pbeShaRc2_128: '1.2.840.113549.1.12.1.5',
  pbeShaRc2_40: '1.2.840.113549.1.12.1.6',
  friendlyName: '1.2.840.113549.1.9.20',
};
const PRF: Record<string, string> = { '1.2.840.113549.2.7': 'sha1', '1.2.840.113549.2.9': 'sha256', '1.2.840.113549.2.10': 'sha384', '1.2.840.113549.2.11': 'sha512' };
const CIPHERS: Record<string, { name: string; key: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', key: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', key: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', key: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', key: 24 },
};
const DIGESTS: Record<string, 'sha1' | 'sha256'> = { '1.3.14.3.2.26': 'sha1', '2.16.840.1.101.3.4.2.1': 'sha256' };

/** PBKDF2-params with the PRF optional (HMAC-SHA1 when absent, RFC 8018 A.2), as older writers omit it. */
class Pbkdf2ParamsIn {
  @AsnProp({ type: AsnPropTypes.OctetString }) salt = new ArrayBuffer(0);
  @AsnProp({ type: AsnPropTypes.Integer }) iterationCount = 0;
  @AsnProp({ type: AsnPropTypes.Integer, optional: true }) keyLength?: number;
  @AsnProp({ type: AlgorithmIdentifier, optional: true }) prf?: AlgorithmIdentifier;
}

const u8 = (b: ArrayBuffer | ArrayBufferView) => (b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength));

/** Decrypts with a password-based scheme of RFC 8018 (PBES2) or RFC 7292 (PKCS#12 PBE). */
function pbeDecrypt(alg: AlgorithmIdentifier, data: Uint8Array, password: string): Uint8Array {
  const params = alg.parameters ? u8(alg.parameters) : new Uint8Array();
  if (alg.algorithm === OID.pbes2) {
    const p = AsnParser.parse(params, Pbes2Params);
    if (p.keyDerivationFunc.algorithm !== OID.pbkdf2) {
      throw new ContainerError(msg('container.kdf', p.keyDerivationFunc.algorithm));
    }
    const kdf = AsnParser.parse(u8(p.keyDerivationFunc.parameters!), Pbkdf2ParamsIn);
    const cipher = CIPHERS[p.encryptionScheme.algorithm];
    const prf = kdf.prf ? PRF[kdf.prf.algorithm] : 'sha1';
    if (!cipher || !prf) {
      throw new ContainerError(msg('container.cipher', p.encryptionScheme.algorithm));
    }
    const iv = u8(AsnParser.parse(u8(p.encryptionScheme.parameters!), OctetString));
    const key = pbkdf2Sync(Buffer.from(password, 'utf8'), u8(kdf.salt), kdf.iterationCount, cipher.key, prf);
    const d = createDecipheriv(cipher.name, key, iv);
    return Buffer.concat([d.update(data), d.final()]);
  }
  const p = AsnParser.parse(params, Pkcs12PbeParams);
  const salt = u8(p.salt);
  switch (alg.algorithm) {
    case OID.pbeSha3Des:
    case OID.pbeSha2Des: {
      const key = pkcs12Kdf('sha1', password, salt, 1, p.iterations, 24);
      const iv = pkcs12Kdf('sha1', password, salt, 2, p.iterations, 8);
      const d = createDecipheriv('des-ede3-cbc', alg.algorithm === OID.pbeSha2Des ? Buffer.concat([key.subarray(0, 16), key.subarray(0, 8)]) : key, iv);
      return Buffer.concat([d.update(data), d.final()]);
    }
    case OID.pbeShaRc2_40:
    case OID.pbeShaRc2_128: {
      const bytes = alg.algorithm === OID.pbeShaRc2_40 ? 5 : 16;
      const key = pkcs12Kdf('sha1', password, salt, 1, p.iterations, bytes);
      const iv = pkcs12Kdf('sha1', password, salt, 2, p.iterations, 8);
      return rc2CbcDecrypt(key, bytes * 8, iv, data);
    }
    default:
      throw new ContainerError(msg('container.encryption', alg.algorithm));
  }
}

function friendlyName(attrs: { attrId: string; attrValues: ArrayBuffer[] }[] | undefined): string | undefined {
  const a = attrs?.find((x) => x.attrId === OID.friendlyName)?.attrValues[0];
  if (!a) {
    return undefined;
  }
  // A BMPString: tag 0x1e, a short length, UTF-16BE.
  const b = u8(a);
  const body = b.subarray(2);
  let s = '';
  for (let i = 0; i + 1 < body.length; i += 2) {
    s += String.fromCharCode((body[i] << 8) | body[i + 1]);
  }
  return s;
}

/** Reads a PKCS#12 file: checks the MAC with the password, decrypts certificates and keys. */
export function readPkcs12(bytes: Uint8Array, password?: string): Container {
  const pfx = AsnParser.parse(bytes, PFX);
  if (pfx.authSafe.contentType !== OID.data) {
    throw new ContainerError(msg('container.public-key-mac'));
  }
  const authSafe = u8(AsnParser.parse(u8(pfx.authSafe.content), OctetString));
  if (pfx.macData) {
    if (password === undefined) {
      throw new PasswordNeeded('pkcs12', false);
    }
    const hash = DIGESTS[pfx.macData.mac.digestAlgorithm.algorithm];
    if (!hash) {
      throw new ContainerError(msg('container.mac', pfx.macData.mac.digestAlgorithm.algorithm));
    }
    const iterations = pfx.macData.iterations ?? 1;
    const key = pkcs12Kdf(hash, password, u8(pfx.macData.macSalt), 3, iterations, hash === 'sha1' ? 20 : 32);
    const mac = createHmac(hash, key).update(authSafe).digest();
    const want = u8(pfx.macData.mac.digest);
    if (mac.length !== want.length || !timingSafeEqual(mac, want)) {
      throw new PasswordNeeded('pkcs12', true);
    }
  }
  const certificates: Uint8Array[] = [];
  const keys: KeySummary[] = [];
  const safes = AsnParser.parse(authSafe, AuthenticatedSafe);
  for (const ci of safes as unknown as ContentInfo[]) {
    let contents: Uint8Array;
    if (ci.contentType === OID.data) {
      contents = u8(AsnParser.parse(u8(ci.content), OctetString));
    } else if (ci.contentType === OID.encryptedData) {
      const ed = AsnParser.parse(u8(ci.content), CmsEncryptedData);
      const enc = ed.encryptedContentInfo;
      const cipherText = enc.encryptedContent?.value ? u8(enc.encryptedContent.value.buffer) : enc.encryptedContent?.constructedValue ? Buffer.concat(enc.encryptedContent.constructedValue.map((o) => u8(o.buffer))) : new Uint8Array();
      contents = pbeDecrypt(enc.contentEncryptionAlgorithm, cipherText, password ?? '');
    } else {
      continue;
    }
    for (const bag of AsnParser.parse(contents, SafeContents) as unknown as { bagId: string; bagValue: ArrayBuffer; bagAttributes?: { attrId: string; attrValues: ArrayBuffer[] }[] }[]) {
      const name = friendlyName(bag.bagAttributes) ?? `key ${keys.length + 1}`;
      if (bag.bagId === id_certBag) {
        const cb = AsnParser.parse(u8(bag.bagValue), CertBag);
        certificates.push(u8(AsnParser.parse(u8(cb.certValue), OctetString)));
      } else if (bag.bagId === id_pkcs8ShroudedKeyBag) {
        const kb = AsnParser.parse(u8(bag.bagValue), PKCS8ShroudedKeyBag);
        const plain = pbeDecrypt(kb.encryptionAlgorithm, u8(kb.encryptedData.buffer), password ?? '');
        keys.push({ type: describeKey(createPrivateKey({ key: Buffer.from(plain), format: 'der', type: 'pkcs8' })), name, private: true });
      } else if (bag.bagId === id_keyBag) {
        keys.push({ type: describeKey(createPrivateKey({ key: Buffer.from(u8(bag.bagValue)), format: 'der', type: 'pkcs8' })), name, private: true });
      }
    }
  }
  return { format: 'pkcs12', certificates, keys };
}

// ---- JKS ----------------------------------------------------------------------------------------

/**
 * Java's JKS format (sun.security.provider.JavaKeyStore): magic FEEDFEED, version 2, entries
 * (1 = private key with its certificate chain, 2 = trusted certificate), then a SHA-1 over the
 * password (UTF-16BE), the words "Mighty Aphrodite" and everything before it. Certificates are in
 * the clear; the password proves the file is intact. Private keys are not decrypted: their type
 * comes from the first certificate of their chain.
 */
export function readJks(bytes: Uint8Array, password?: string): Container {
  const b = Buffer.from(bytes);
  let off = 0;
  const need = (n: number) => {
    if (off + n > b.length) {
      throw new ContainerError(msg('container.jks-truncated'));
    }
  };
  const u32 = () => {
    need(4);
    const v = b.readUInt32BE(off);
    off += 4;
    return v;
  };
  const utf = () => {
    need(2);
    const n = b.readUInt16BE(off);
    off += 2;
    need(n);
    const s = b.toString('utf8', off, off + n);
    off += n;
    return s;
  };
  const blob = () => {
    const n = u32();
    need(n);
    const v = b.subarray(off, off + n);
    off += n;
    return new Uint8Array(v);
  };
  if (u32() !== 0xfeedfeed) {
    throw new ContainerError(msg('container.not-jks'));
  }
  const version = u32();
  if (version !== 1 && version !== 2) {
    throw new ContainerError(msg('container.jks-version', version));
  }
  const count = u32();
  const certificates: Uint8Array[] = [];
  const keys: KeySummary[] = [];
  const cert = () => {
    if (version === 2) {
      const type = utf();
      if (type !== 'X.509') {
        throw new ContainerError(msg('container.certificate-type', type));
      }
    }
    return blob();
  };
  for (let i = 0; i < count; i++) {
    const tag = u32();
    const alias = utf();
    need(8);
    off += 8; // creation date
    if (tag === 1) {
      blob(); // the protected key: never decrypted here
      const chain = u32();
      const certs = Array.from({ length: chain }, cert);
      for (const c of certs) {
        certificates.push(c);
      }
      keys.push({ type: certs[0] ? certKeyType(certs[0]) : 'unknown', name: alias, private: true });
    } else if (tag === 2) {
      certificates.push(cert());
    } else {
      throw new ContainerError(msg('container.jks-entry', tag));
    }
  }
  if (password === undefined) {
    throw new PasswordNeeded('jks', false);
  }
  need(20);
  const pw = Buffer.alloc(password.length * 2);
  for (let i = 0; i < password.length; i++) {
    pw.writeUInt16BE(password.charCodeAt(i), i * 2);
  }
  const digest = createHash('sha1').update(pw).update('Mighty Aphrodite', 'utf8').update(b.subarray(0, off)).digest();
  if (!timingSafeEqual(digest, b.subarray(off, off + 20))) {
    throw new PasswordNeeded('jks', true);
  }
  return { format: 'jks', certificates, keys };
}

// ---- JWK / JWKS ---------------------------------------------------------------------------------

interface Jwk {
  kty?: string;
  crv?: string;
  n?: string;
  d?: string;
  kid?: string;
  x5c?: string[];
}

/** A JWK or a JWK Set: certificates from each key's `x5c`, and each key's type (private or public). */
export function readJwk(text: string): Container {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ContainerError(msg('container.json', (err as Error).message));
  }
  const list: Jwk[] = json && typeof json === 'object' && Array.isArray((json as { keys?: unknown }).keys) ? (json as { keys: Jwk[] }).keys : [json as Jwk];
  const certificates: Uint8Array[] = [];
  const keys: KeySummary[] = [];
  list.forEach((k, i) => {
    if (!k || typeof k !== 'object' || typeof k.kty !== 'string') {
      throw new ContainerError(msg('container.no-kty', i + 1));
    }
    for (const c of k.x5c ?? []) {
      // x5c is standard base64 DER (RFC 7517 §4.7), not base64url.
      certificates.push(new Uint8Array(Buffer.from(c, 'base64')));
    }
    const type =
      k.kty === 'RSA'
        ? `RSA ${k.n ? Buffer.from(k.n, 'base64url').length * 8 : '?'}`
        : k.kty === 'EC'
          ? `EC ${k.crv ?? '?'}`
          : k.kty === 'OKP'
            ? (k.crv ?? 'OKP')
            : k.kty === 'oct'
              ? 'symmetric (oct)'
              : k.kty;
    keys.push({ type, name: typeof k.kid === 'string' ? k.kid : `key ${i + 1}`, private: typeof k.d === 'string' || k.kty === 'oct' });
  });
  return { format: 'jwk', certificates, keys };
}

/** The certificates as one PEM text (what the inspector and `inspect` read). */
export function certificatesPem(c: Container): string {
  return c.certificates.map((d) => `-----BEGIN CERTIFICATE-----\n${Buffer.from(d).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`).join('');
}

