// A PKCS#12 keystore recognized by its first bytes, whatever its file is called. No imports: the
// decoder's DER sniffing (pem.ts sniffDer, so `scan` and the language server's inventory) and the
// container reader's cheap look (src/export/sniff.ts) both use it.

/** DER of OID 1.2.840.113549.1.7.1 (pkcs7-data), a PFX's authSafe content type. */
const PKCS7_DATA = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];

/** Where the content of the element with `tag` at `at` starts (BER indefinite length too); -1 when there is none. */
function contentAt(b: Uint8Array, at: number, tag: number): number {
  if (b[at] !== tag || at + 1 >= b.length) {
    return -1;
  }
  const len = b[at + 1];
  return len < 0x80 ? at + 2 : len - 0x80 <= 4 ? at + 2 + (len - 0x80) : -1;
}

/**
 * True when the bytes start as a PKCS#12 PFX does (RFC 7292): SEQUENCE { INTEGER 3, SEQUENCE {
 * pkcs7-data OID …. Certificates and keys start differently (a certificate with a SEQUENCE, keys
 * with INTEGER 0 or 1, PKCS#7 with its OID), so a PFX is found whatever its file is called.
 */
export function looksLikePfx(b: Uint8Array): boolean {
  const version = contentAt(b, 0, 0x30);
  if (version < 0 || b[version] !== 0x02 || b[version + 1] !== 0x01 || b[version + 2] !== 0x03) {
    return false;
  }
  const authSafe = contentAt(b, version + 3, 0x30);
  return authSafe >= 0 && PKCS7_DATA.every((x, i) => b[authSafe + i] === x);
}
