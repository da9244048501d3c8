// Structural proof that DER is public data (what the inspector host may send to its webview): a
// SIGNED envelope (certificate, CSR, CRL), a SubjectPublicKeyInfo, or a PKCS#7 bundle that holds only
// such envelopes. No private-key format (PKCS#8, PKCS#1, SEC1, encrypted PKCS#8, PKCS#12) has these
// shapes. Small on purpose: it is in the extension's activation bundle, the full decoder is not.
import { children, readTlv, type Tlv } from './der';

const SEQ = 0x30;
const OID = 0x06;
const BIT_STRING = 0x03;

function whole(der: Uint8Array): Tlv | undefined {
  const top = readTlv(der, 0);
  return top.tag === SEQ && top.end === der.length ? top : undefined;
}

/** SEQUENCE { OID, ... }: an AlgorithmIdentifier. */
function algorithm(der: Uint8Array, t: Tlv | undefined): boolean {
  return t !== undefined && t.tag === SEQ && t.end > t.body && der[t.body] === OID;
}

/** SEQUENCE { tbs SEQUENCE, AlgorithmIdentifier, BIT STRING }: a certificate, CSR or CRL. */
function signed(der: Uint8Array, top: Tlv): boolean {
  const c = children(der, top);
  return c.length === 3 && c[0].tag === SEQ && algorithm(der, c[1]) && c[2].tag === BIT_STRING;
}

/** SEQUENCE { AlgorithmIdentifier, BIT STRING }: a public key. */
function spki(der: Uint8Array, top: Tlv): boolean {
  const c = children(der, top);
  return c.length === 2 && algorithm(der, c[0]) && c[1].tag === BIT_STRING;
}

/** PKCS#7 signedData with no content, whose certificates and CRLs are all signed envelopes. */
function certificateBundle(der: Uint8Array, top: Tlv): boolean {
  const [type, content, ...more] = children(der, top);
  if (more.length || type?.tag !== OID || content?.tag !== 0xa0) {
    return false;
  }
  const signedData = readTlv(der, content.body, content.end);
  if (signedData.tag !== SEQ || signedData.end !== content.end) {
    return false;
  }
  for (const c of children(der, signedData)) {
    if (c.tag === SEQ) {
      // encapContentInfo: only its type, no content (a "certs-only" bundle).
      if (children(der, c).length !== 1) {
        return false;
      }
    } else if (c.tag === 0xa0 || c.tag === 0xa1) {
      if (!children(der, c).every((x) => x.tag === SEQ && signed(der, x))) {
        return false;
      }
    }
  }
  return true;
}

/** True when `der` is shaped as a certificate, CSR, CRL, public key or certificates-only PKCS#7. */
export function isPublicDer(der: Uint8Array): boolean {
  try {
    const top = whole(der);
    return top !== undefined && (signed(der, top) || spki(der, top) || certificateBundle(der, top));
  } catch {
    return false;
  }
}
