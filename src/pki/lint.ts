// Lint findings: one list shared by the language server, the webview and the CLI.
// lintBlock() looks at one decoded block (cacheable by the block's text); lintDocument() adds the
// checks that need several blocks (chain order, key/certificate mismatch), which are cheap.
import { expiresSoon } from './expiry';
import { lifetimeDays, lifetimeLimits } from './lifetime';
import { days as dayCount, render, text, type Text, type TextArg, type TextId } from './messages';
import { SIGNATURE_HASH } from './oids';
import type { CertificateInfo, Decoded, Finding, LintOptions, Range } from './types';

const DAY = 86_400_000;

function days(ms: number): Text {
  return dayCount(Math.floor(Math.abs(ms) / DAY));
}

/** A finding from its code (its message's id too, unless `t` says otherwise), in English and as data. */
type Add = (f: Omit<Finding, 'block' | 'message' | 'text'> & { t?: Text; args?: TextArg[] }) => void;

function said(t: Text): { message: string; text: Text } {
  return { message: render(t), text: t };
}

/** Findings about one block on its own. `block` is the block's index in its document. */
export function lintBlock(decoded: Decoded, block: number, options: LintOptions = {}, range?: Range): Finding[] {
  const now = options.now ?? Date.now();
  const warnDays = options.expiryWarningDays ?? 30;
  const out: Finding[] = [];
  const add: Add = ({ t, args = [], ...f }) => out.push({ ...f, ...said(t ?? text(f.code as TextId, ...args)), block });
  // What the decoder read but found against the rules, or could not read as a value.
  if ('problems' in decoded && decoded.problems) {
    for (const p of decoded.problems) {
      add({ code: p.code, severity: p.severity, t: p.text });
    }
  }
  switch (decoded.kind) {
    case 'malformed':
      add({ code: 'malformed', severity: 'error', t: decoded.text, ...(decoded.range ?? range ? { range: decoded.range ?? range } : {}) });
      break;
    case 'certificate': {
      const c = decoded;
      const nb = Date.parse(c.notBefore);
      const na = Date.parse(c.notAfter);
      if (na < now) {
        add({ code: 'expired', severity: 'error', args: [cn(c), days(now - na), c.notAfter] });
      } else if (nb > now) {
        add({ code: 'not-yet-valid', severity: 'error', args: [cn(c), c.notBefore, days(nb - now)] });
      } else if (expiresSoon(nb, na, now, warnDays)) {
        add({ code: 'expiring-soon', severity: 'warning', args: [cn(c), days(na - now), c.notAfter] });
      }
      weakKey(c.publicKey, add);
      // A trust anchor's self-signature is never checked, so its hash does not matter.
      if (!c.selfSigned) {
        weakSignature(c.signatureOid, c.signatureAlgorithm, add);
      }
      if (!c.isCa && !c.selfSigned && c.sans.length === 0) {
        add({ code: 'leaf-without-san', severity: 'warning', args: [cn(c)] });
      }
      lifetime(c, nb, na, add);
      if (!c.isCa && (c.keyUsage.includes('keyCertSign') || (c.selfSigned && c.version >= 3 && !c.hasBasicConstraints))) {
        add({ code: 'ca-without-basic-constraints', severity: 'warning', args: [cn(c)] });
      }
      break;
    }
    case 'csr':
      weakKey(decoded.publicKey, add);
      weakSignature(decoded.signatureOid, decoded.signatureAlgorithm, add);
      break;
    case 'crl':
      if (decoded.nextUpdate && Date.parse(decoded.nextUpdate) < now) {
        add({ code: 'crl-outdated', severity: 'warning', args: [days(now - Date.parse(decoded.nextUpdate)), decoded.nextUpdate] });
      }
      weakSignature(decoded.signatureOid, decoded.signatureAlgorithm, add);
      break;
    case 'privateKey':
      if (decoded.encrypted) {
        add({ code: 'encrypted-key', severity: 'info' });
      }
      weakKey(decoded.publicKey, add);
      break;
    case 'publicKey':
      weakKey(decoded.publicKey, add);
      break;
    case 'pkcs7':
      decoded.certificates.forEach((c, i) => {
        for (const f of lintBlock(c, block, options)) {
          out.push({ ...f, ...said(text('bundle-member', i + 1, f.text)) });
        }
      });
      break;
    default:
      break;
  }
  return out;
}

function cn(c: CertificateInfo): TextArg {
  return c.subjectAttributes.find((a) => a.type === 'CN')?.value ?? c.subject ?? text('no-subject');
}

function weakKey(k: { algorithm: string; size?: number }, add: Add): void {
  if ((k.algorithm === 'RSA' || k.algorithm === 'RSA-PSS' || k.algorithm === 'DSA') && k.size !== undefined && k.size < 2048) {
    add({ code: 'weak-rsa', severity: 'error', args: [k.algorithm, k.size] });
  }
}

function weakSignature(sigOid: string, name: string, add: Add): void {
  const h = SIGNATURE_HASH[sigOid];
  if (h === 'SHA-1' || h === 'MD5' || h === 'MD2') {
    add({ code: 'weak-signature', severity: 'warning', args: [name, h] });
  }
}

function sameName(a: CertificateInfo, b: CertificateInfo): boolean {
  return a.issuer === b.subject && (!a.authorityKeyId || !b.subjectKeyId || a.authorityKeyId === b.subjectKeyId);
}

/**
 * The cross-block findings of a document: a certificate followed by something other than its
 * issuer when the issuer is in the file (chain out of order), and private keys that match no
 * certificate of the file.
 */
export function lintDocument(decoded: Decoded[]): Finding[] {
  const out: Finding[] = [];
  const certs: { i: number; c: CertificateInfo }[] = [];
  decoded.forEach((d, i) => {
    if (d.kind === 'certificate') {
      certs.push({ i, c: d });
    }
  });
  // Chain order: for each non-self-signed certificate whose issuer is in the file, the issuer
  // must come later (leaf → root).
  // Index by subject so a 10,000-certificate bundle stays linear.
  const bySubject = new Map<string, number[]>();
  certs.forEach(({ c }, k) => {
    const list = bySubject.get(c.subject);
    if (list) {
      list.push(k);
    } else {
      bySubject.set(c.subject, [k]);
    }
  });
  for (let k = 0; k < certs.length; k++) {
    const { i, c } = certs[k];
    if (c.selfSigned) {
      continue;
    }
    const issuerPos = bySubject.get(c.issuer)?.find((j) => j !== k && sameName(c, certs[j].c)) ?? -1;
    if (issuerPos !== -1 && issuerPos < k) {
      const issuer = certs[issuerPos];
      out.push({
        code: 'chain-order',
        severity: 'warning',
        ...said(text('chain-order', cn(c), cn(issuer.c))),
        block: i,
        related: [{ block: issuer.i, ...said(text('chain-order.related', cn(c))) }],
      });
    }
  }
  // Keys that match no certificate in the same file (the certificates' key ids only gathered when there is a key).
  if (certs.length > 0 && decoded.some((d) => d.kind === 'privateKey')) {
    const keyIds = new Set(certs.map(({ c }) => c.publicKey.id));
    const leaf = certs.find(({ c }) => !c.isCa) ?? certs[0];
    decoded.forEach((d, i) => {
      if (d.kind !== 'privateKey' || d.encrypted || !d.publicKey.id) {
        return;
      }
      if (!keyIds.has(d.publicKey.id)) {
        out.push({
          code: 'key-mismatch',
          severity: 'error',
          ...said(text('key-mismatch', cn(leaf.c))),
          block: i,
          related: [{ block: leaf.i, ...said(text('key-mismatch.related')) }],
        });
      }
    });
  }
  return out;
}

/** A TLS server certificate valid for longer than a client accepts (docs/findings.md#lifetime-too-long). */
function lifetime(c: CertificateInfo, nb: number, na: number, add: Add): void {
  const tls = c.extKeyUsage.length === 0 || c.extKeyUsage.includes('serverAuth');
  if (c.isCa || c.keyUsage.includes('keyCertSign') || !tls) {
    return;
  }
  const days = lifetimeDays(nb, na);
  // Only the limits that reject it under any root: the public limit binds public CAs, never this
  // file's private one (issuing still mentions it).
  const over = lifetimeLimits(days, nb).filter((l) => l.anyRoot);
  if (over.length === 0) {
    return;
  }
  add({
    code: 'lifetime-too-long',
    severity: 'warning',
    args: [cn(c), Math.round(days), over.map((l) => `${l.days} days: ${l.text}`).join('; ')],
  });
}
