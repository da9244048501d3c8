// Fingerprints with WebCrypto (async, so they are computed only when shown).
import { encodeBase64 } from './pem';
import type { CertificateInfo } from './types';

function toHex(buf: ArrayBuffer): string {
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** SHA-1 and SHA-256 of the DER, lowercase hex without separators. */
export async function fingerprints(der: Uint8Array): Promise<{ sha1: string; sha256: string }> {
  const [sha1, sha256] = await Promise.all([globalThis.crypto.subtle.digest('SHA-1', der as BufferSource), globalThis.crypto.subtle.digest('SHA-256', der as BufferSource)]);
  return { sha1: toHex(sha1), sha256: toHex(sha256) };
}

/** The SPKI SHA-256 pin (HPKP / `pin-sha256`), base64. */
export async function spkiPin(der: Uint8Array, info: Pick<CertificateInfo, 'offsets'>): Promise<string> {
  const spki = der.subarray(info.offsets.spki[0], info.offsets.spki[1]);
  return encodeBase64(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', spki as BufferSource)));
}

/** Formats hex as colon-separated uppercase pairs, as openssl prints fingerprints. */
export function colonHex(hex: string): string {
  return hex.toUpperCase().replace(/(..)(?!$)/g, '$1:');
}
