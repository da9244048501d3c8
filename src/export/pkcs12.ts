// PKCS#12 (RFC 7292) files from a private key and its chain. The structures come from
// @peculiar/asn1-pfx / asn1-cms / asn1-pkcs8 (already in every bundle through @peculiar/x509); the
// crypto is node:crypto. Two profiles, as OpenSSL 3 writes them:
//   modern: PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) for keys and certificates, HMAC-SHA256 MAC;
//   legacy: pbeWithSHAAnd3-KeyTripleDES-CBC and an HMAC-SHA1 MAC (`openssl pkcs12 -legacy`), for
//           Windows before 10 1709 and Java before 8u301, which cannot read the modern one.
import { createCipheriv, createHash, createHmac, hash as digest, pbkdf2Sync, randomBytes } from 'node:crypto';
import { ContentInfo, EncryptedContent, EncryptedContentInfo, id_data } from '@peculiar/asn1-cms';
import { AuthenticatedSafe, CertBag, id_certBag, id_pkcs8ShroudedKeyBag, id_x509Certificate, MacData, PFX, PKCS12Attribute, PKCS8ShroudedKeyBag, SafeBag, SafeContents } from '@peculiar/asn1-pfx';
import { EncryptedData as EncryptedKeyData } from '@peculiar/asn1-pkcs8';
import { DigestInfo } from '@peculiar/asn1-rsa';
import { AsnProp, AsnPropTypes, AsnSerializer, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { BmpString } from 'asn1js';

const OID = {
  encryptedData: '1.2.840.113549.1.7.6',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSHA256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha1: '1.3.14.3.2.26',
  pbeSha3Des: '1.2.840.113549.1.12.1.3',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
};

// The few structures asn1-pfx leaves to other RFCs, declared with the same schema library.
/** RFC 8018 PBKDF2-params (salt `specified` only). */
export class Pbkdf2Params {
  @AsnProp({ type: AsnPropTypes.OctetString }) salt = new ArrayBuffer(0);
  @AsnProp({ type: AsnPropTypes.Integer }) iterationCount = 0;
  @AsnProp({ type: AsnPropTypes.Integer, optional: true }) keyLength?: number;
  @AsnProp({ type: AlgorithmIdentifier }) prf = new AlgorithmIdentifier();
}
/** RFC 8018 PBES2-params. */
export class Pbes2Params {
  @AsnProp({ type: AlgorithmIdentifier }) keyDerivationFunc = new AlgorithmIdentifier();
  @AsnProp({ type: AlgorithmIdentifier }) encryptionScheme = new AlgorithmIdentifier();
}
/** RFC 7292 pkcs-12PbeParams. */
export class Pkcs12PbeParams {
  @AsnProp({ type: AsnPropTypes.OctetString }) salt = new ArrayBuffer(0);
  @AsnProp({ type: AsnPropTypes.Integer }) iterations = 0;
}
/** RFC 5652 EncryptedData (without unprotected attributes). */
export class CmsEncryptedData {
  @AsnProp({ type: AsnPropTypes.Integer }) version = 0;
  @AsnProp({ type: EncryptedContentInfo }) encryptedContentInfo = new EncryptedContentInfo();
}

/** What goes into a PKCS#12 file. */
export interface Pkcs12Input {
  /** The private key, PKCS#8 DER. */
  key: Uint8Array;
  /** Certificates as DER, the key's certificate first, then its issuers. */
  certificates: Uint8Array[];
  password: string;
  /** The alias Windows and keytool show (friendlyName of the key and its certificate). */
  friendlyName: string;
  /** 3DES/SHA-1 for old Windows and Java instead of AES-256/PBKDF2. */
  legacy?: boolean;
  /** Iteration count of the key derivations (default 10,000 modern, 2,048 legacy as OpenSSL). */
  iterations?: number;
}

const der = (value: object): ArrayBuffer => AsnSerializer.serialize(value);
const buf = (b: Uint8Array): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/** The password as RFC 7292 B.1 wants it for its own KDF: BMPString, big-endian, two zero bytes after. */
function bmpPassword(password: string): Buffer {
  const out = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i++) {
    out.writeUInt16BE(password.charCodeAt(i), i * 2);
  }
  return out;
}

/**
 * RFC 7292 appendix B.2: the PKCS#12 key derivation, used for the MAC key of every profile and for
 * the key and IV of the legacy 3DES encryption. `id` 1 = key, 2 = IV, 3 = MAC key.
 */
export function pkcs12Kdf(hash: 'sha1' | 'sha256', password: string, salt: Uint8Array, id: 1 | 2 | 3, iterations: number, length: number): Buffer {
  const u = hash === 'sha1' ? 20 : 32;
  const v = 64;
  const fill = (src: Uint8Array): Buffer => {
    const out = Buffer.alloc(src.length === 0 ? 0 : v * Math.ceil(src.length / v));
    for (let i = 0; i < out.length; i++) {
      out[i] = src[i % src.length];
    }
    return out;
  };
  const D = Buffer.alloc(v, id);
  const I = Buffer.concat([fill(salt), fill(bmpPassword(password))]);
  const blocks: Buffer[] = [];
  for (let done = 0; done < length; done += u) {
    let A = createHash(hash).update(D).update(I).digest();
    // crypto.hash() is ~4x faster than createHash() for these thousands of tiny digests.
    for (let r = 1; r < iterations; r++) {
      A = digest(hash, A, 'buffer');
    }
    blocks.push(A);
    const B = fill(A);
    // I_j = (I_j + B + 1) mod 2^(v*8), for each v-byte block of I.
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k] + B[k] + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** Encrypts `data` with the profile's password-based scheme; returns the algorithm and ciphertext. */
function encrypt(data: Uint8Array, input: Pkcs12Input, iterations: number): { algorithm: AlgorithmIdentifier; ciphertext: Buffer } {
  const salt = randomBytes(input.legacy ? 8 : 16);
  if (input.legacy) {
    const key = pkcs12Kdf('sha1', input.password, salt, 1, iterations, 24);
    const iv = pkcs12Kdf('sha1', input.password, salt, 2, iterations, 8);
    const cipher = createCipheriv('des-ede3-cbc', key, iv);
    const params = new Pkcs12PbeParams();
    params.salt = buf(salt);
    params.iterations = iterations;
    return { algorithm: new AlgorithmIdentifier({ algorithm: OID.pbeSha3Des, parameters: der(params) }), ciphertext: Buffer.concat([cipher.update(data), cipher.final()]) };
  }
  // PBES2 takes the password as UTF-8 bytes (as OpenSSL and Java do), not as a BMPString.
  const key = pbkdf2Sync(Buffer.from(input.password, 'utf8'), salt, iterations, 32, 'sha256');
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  const kdf = new Pbkdf2Params();
  kdf.salt = buf(salt);
  kdf.iterationCount = iterations;
  kdf.prf = new AlgorithmIdentifier({ algorithm: OID.hmacWithSHA256, parameters: null });
  const params = new Pbes2Params();
  params.keyDerivationFunc = new AlgorithmIdentifier({ algorithm: OID.pbkdf2, parameters: der(kdf) });
  params.encryptionScheme = new AlgorithmIdentifier({ algorithm: OID.aes256Cbc, parameters: der(new OctetString(buf(iv))) });
  return { algorithm: new AlgorithmIdentifier({ algorithm: OID.pbes2, parameters: der(params) }), ciphertext: Buffer.concat([cipher.update(data), cipher.final()]) };
}

/** Builds a password-protected PKCS#12 file (DER) holding the key and its chain. */
export function buildPkcs12(input: Pkcs12Input): Uint8Array {
  if (!input.password) {
    throw new Error('a PKCS#12 file needs a password');
  }
  if (input.certificates.length === 0) {
    throw new Error('a PKCS#12 file needs the key’s certificate');
  }
  const iterations = input.iterations ?? (input.legacy ? 2048 : 10000);
  // localKeyId ties the key to its certificate; OpenSSL uses the certificate's SHA-1, so do we.
  // (PKCS12Attribute's constructor drops its argument in asn1-pfx 2.x, hence Object.assign.)
  const attributes = [
    Object.assign(new PKCS12Attribute(), { attrId: OID.friendlyName, attrValues: [new BmpString({ value: input.friendlyName }).toBER()] }),
    Object.assign(new PKCS12Attribute(), { attrId: OID.localKeyId, attrValues: [der(new OctetString(buf(createHash('sha1').update(input.certificates[0]).digest())))] }),
  ];

  const certBags = new SafeContents(
    input.certificates.map(
      (c, i) =>
        new SafeBag({
          bagId: id_certBag,
          bagValue: der(new CertBag({ certId: id_x509Certificate, certValue: der(new OctetString(buf(c))) })),
          bagAttributes: i === 0 ? attributes : undefined,
        }),
    ),
  );
  const certsEnc = encrypt(new Uint8Array(der(certBags)), input, iterations);
  const encryptedData = new CmsEncryptedData();
  encryptedData.encryptedContentInfo = new EncryptedContentInfo({
    contentType: id_data,
    contentEncryptionAlgorithm: certsEnc.algorithm,
    encryptedContent: new EncryptedContent({ value: new OctetString(buf(certsEnc.ciphertext)) }),
  });

  const keyEnc = encrypt(input.key, input, iterations);
  const keyBag = new PKCS8ShroudedKeyBag({ encryptionAlgorithm: keyEnc.algorithm, encryptedData: new EncryptedKeyData(buf(keyEnc.ciphertext)) });
  const keyBags = new SafeContents([new SafeBag({ bagId: id_pkcs8ShroudedKeyBag, bagValue: der(keyBag), bagAttributes: attributes })]);

  const authSafe = new Uint8Array(
    der(
      new AuthenticatedSafe([
        new ContentInfo({ contentType: OID.encryptedData, content: der(encryptedData) }),
        new ContentInfo({ contentType: id_data, content: der(new OctetString(der(keyBags))) }),
      ]),
    ),
  );

  const hash = input.legacy ? 'sha1' : 'sha256';
  const macSalt = randomBytes(input.legacy ? 8 : 16);
  const macKey = pkcs12Kdf(hash, input.password, macSalt, 3, iterations, hash === 'sha1' ? 20 : 32);
  const mac = createHmac(hash, macKey).update(authSafe).digest();
  const pfx = new PFX({
    version: 3,
    authSafe: new ContentInfo({ contentType: id_data, content: der(new OctetString(buf(authSafe))) }),
    macData: new MacData({
      mac: new DigestInfo({ digestAlgorithm: new AlgorithmIdentifier({ algorithm: hash === 'sha1' ? OID.sha1 : OID.sha256, parameters: null }), digest: new OctetString(buf(mac)) }),
      macSalt: new OctetString(buf(macSalt)),
      iterations,
    }),
  });
  return new Uint8Array(der(pfx));
}
