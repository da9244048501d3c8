// Short human names for decoded blocks, shared by the language server's hovers and outline and
// by the inspector webview.
import { days, text, type Text, type TextId } from './messages';
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
export function relative(iso: string, now: number): Text {
  const d = Math.round((Date.parse(iso) - now) / DAY);
  if (d === 0) {
    return text('relative.today');
  }
  return d > 0 ? text('relative.in', days(d)) : text('relative.ago', days(-d));
}

/** The kind of a block, in words ("certificate", "CRL", "DER structure" when unknown). */
export function kindName(kind: string): Text {
  const known = ['certificate', 'csr', 'crl', 'privateKey', 'publicKey', 'pkcs7', 'pkcs12'] as const;
  return text(known.find((k) => k === kind) ? (`kind.${kind}` as TextId) : 'kind.der');
}

/** The outline name of a block: kind and what identifies it. */
export function blockName(d: Decoded): Text {
  switch (d.kind) {
    case 'certificate':
      return text('name.certificate', commonName(d));
    case 'csr':
      return text('name.csr', commonName(d));
    case 'crl':
      return text('name.crl', d.issuerAttributes.find((a) => a.type === 'CN')?.value ?? d.issuer);
    case 'privateKey':
      return text('name.private-key', d.encrypted ? text('word.encrypted') : keyText(d.publicKey));
    case 'publicKey':
      return text('name.public-key', keyText(d.publicKey));
    case 'pkcs7':
      return text('name.pkcs7', text(d.certificates.length === 1 ? 'count.certificate' : 'count.certificates', d.certificates.length));
    case 'pkcs12':
      return text('kind.pkcs12');
    case 'malformed':
      return d.claimed === 'unknown' ? text('name.malformed-block') : text('name.malformed', kindName(d.claimed));
    default:
      return text('name.unknown');
  }
}
