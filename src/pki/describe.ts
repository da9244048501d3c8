// Short human names for decoded blocks, shared by the language server's hovers and outline and
// by the inspector webview.
import type { Decoded, PublicKeyInfo } from './types';

const DAY = 86_400_000;

export function commonName(c: { subjectAttributes: { type: string; value: string }[]; subject: string }): string {
  return c.subjectAttributes.find((a) => a.type === 'CN')?.value ?? (c.subject || '(no subject)');
}

export function keyText(k: PublicKeyInfo): string {
  if (k.curve) {
    return `${k.algorithm} ${k.curve}`;
  }
  return k.size ? `${k.algorithm} ${k.size}` : k.algorithm;
}

/** "in 12 days" / "3 days ago" / "today". */
export function relative(iso: string, now: number): string {
  const d = Math.round((Date.parse(iso) - now) / DAY);
  if (d === 0) {
    return 'today';
  }
  return d > 0 ? `in ${d} day${d === 1 ? '' : 's'}` : `${-d} day${d === -1 ? '' : 's'} ago`;
}

/** The outline name of a block: kind and what identifies it. */
export function blockName(d: Decoded): string {
  switch (d.kind) {
    case 'certificate':
      return `Certificate: ${commonName(d)}`;
    case 'csr':
      return `Certificate request: ${commonName(d)}`;
    case 'crl':
      return `CRL: ${d.issuerAttributes.find((a) => a.type === 'CN')?.value ?? d.issuer}`;
    case 'privateKey':
      return `Private key: ${d.encrypted ? 'encrypted' : keyText(d.publicKey)}`;
    case 'publicKey':
      return `Public key: ${keyText(d.publicKey)}`;
    case 'pkcs7':
      return `PKCS#7 bundle: ${d.certificates.length} certificate${d.certificates.length === 1 ? '' : 's'}`;
    case 'malformed':
      return `Malformed ${d.claimed === 'unknown' ? 'block' : d.claimed}`;
    default:
      return 'Unknown block';
  }
}
