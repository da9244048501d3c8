// Lint findings: one list shared by the language server, the webview and the CLI.
// lintBlock() looks at one decoded block (cacheable by the block's text); lintDocument() adds the
// checks that need several blocks (chain order, key/certificate mismatch), which are cheap.
import { expiresSoon } from './expiry';
import { lifetimeDays, lifetimeLimits } from './lifetime';
import { SIGNATURE_HASH } from './oids';
import type { CertificateInfo, Decoded, Finding, LintOptions, Range } from './types';

const DAY = 86_400_000;

function days(ms: number): number {
  return Math.floor(Math.abs(ms) / DAY);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Findings about one block on its own. `block` is the block's index in its document. */
export function lintBlock(decoded: Decoded, block: number, options: LintOptions = {}, range?: Range): Finding[] {
  const now = options.now ?? Date.now();
  const warnDays = options.expiryWarningDays ?? 30;
  const out: Finding[] = [];
  const add = (f: Omit<Finding, 'block'>) => out.push({ ...f, block });
  // What the decoder read but found against the rules, or could not read as a value.
  for (const p of 'problems' in decoded ? (decoded.problems ?? []) : []) {
    add({ code: p.code, severity: p.severity, message: p.message });
  }
  switch (decoded.kind) {
    case 'malformed':
      add({ code: 'malformed', severity: 'error', message: decoded.message, ...(decoded.range ?? range ? { range: decoded.range ?? range } : {}) });
      break;
    case 'certificate': {
      const c = decoded;
      const nb = Date.parse(c.notBefore);
      const na = Date.parse(c.notAfter);
      if (na < now) {
        add({ code: 'expired', severity: 'error', message: `Certificate "${cn(c)}" expired ${plural(days(now - na), 'day')} ago (${c.notAfter}).` });
      } else if (nb > now) {
        add({ code: 'not-yet-valid', severity: 'error', message: `Certificate "${cn(c)}" is not valid until ${c.notBefore} (in ${plural(days(nb - now), 'day')}).` });
      } else if (expiresSoon(nb, na, now, warnDays)) {
        add({ code: 'expiring-soon', severity: 'warning', message: `Certificate "${cn(c)}" expires in ${plural(days(na - now), 'day')} (${c.notAfter}).` });
      }
      weakKey(c.publicKey, add);
      // A trust anchor's self-signature is never checked, so its hash does not matter.
      if (!c.selfSigned) {
        weakSignature(c.signatureOid, c.signatureAlgorithm, add);
      }
      if (!c.isCa && !c.selfSigned && c.sans.length === 0) {
        add({ code: 'leaf-without-san', severity: 'warning', message: `Certificate "${cn(c)}" has no subjectAltName: browsers and most TLS clients ignore the common name and will reject it.` });
      }
      lifetime(c, add);
      if (!c.isCa && (c.keyUsage.includes('keyCertSign') || (c.selfSigned && c.version >= 3 && !c.hasBasicConstraints))) {
        add({ code: 'ca-without-basic-constraints', severity: 'warning', message: `Certificate "${cn(c)}" signs certificates but lacks basicConstraints CA:TRUE, so verifiers will not accept it as an issuer.` });
      }
      break;
    }
    case 'csr':
      weakKey(decoded.publicKey, add);
      weakSignature(decoded.signatureOid, decoded.signatureAlgorithm, add);
      break;
    case 'crl':
      if (decoded.nextUpdate && Date.parse(decoded.nextUpdate) < now) {
        add({ code: 'crl-outdated', severity: 'warning', message: `CRL next update was due ${plural(days(now - Date.parse(decoded.nextUpdate)), 'day')} ago (${decoded.nextUpdate}); clients will treat it as stale.` });
      }
      weakSignature(decoded.signatureOid, decoded.signatureAlgorithm, add);
      break;
    case 'privateKey':
      if (decoded.encrypted) {
        add({ code: 'encrypted-key', severity: 'info', message: 'This private key is encrypted: a server needs its passphrase to start, and its type and size are unknown until it is decrypted.' });
      }
      weakKey(decoded.publicKey, add);
      break;
    case 'publicKey':
      weakKey(decoded.publicKey, add);
      break;
    case 'pkcs7':
      decoded.certificates.forEach((c, i) => {
        for (const f of lintBlock(c, block, options)) {
          out.push({ ...f, message: `Certificate ${i + 1} of the bundle: ${f.message}` });
        }
      });
      break;
    default:
      break;
  }
  return out;
}

function cn(c: CertificateInfo): string {
  return c.subjectAttributes.find((a) => a.type === 'CN')?.value ?? c.subject ?? '(no subject)';
}

function weakKey(k: { algorithm: string; size?: number }, add: (f: Omit<Finding, 'block'>) => void): void {
  if ((k.algorithm === 'RSA' || k.algorithm === 'RSA-PSS' || k.algorithm === 'DSA') && k.size !== undefined && k.size < 2048) {
    add({ code: 'weak-rsa', severity: 'error', message: `${k.algorithm} key of ${k.size} bits is too weak: use at least 2048 bits.` });
  }
}

function weakSignature(sigOid: string, name: string, add: (f: Omit<Finding, 'block'>) => void): void {
  const h = SIGNATURE_HASH[sigOid];
  if (h === 'SHA-1' || h === 'MD5' || h === 'MD2') {
    add({ code: 'weak-signature', severity: 'warning', message: `Signed with ${name}: ${h} is broken for signatures and rejected by modern clients.` });
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
    const issuerPos = (bySubject.get(c.issuer) ?? []).find((j) => j !== k && sameName(c, certs[j].c)) ?? -1;
    if (issuerPos !== -1 && issuerPos < k) {
      const issuer = certs[issuerPos];
      out.push({
        code: 'chain-order',
        severity: 'warning',
        message: `Chain out of order: "${cn(c)}" comes after its issuer "${cn(issuer.c)}"; servers must send the leaf first, then each issuer.`,
        block: i,
        related: [{ block: issuer.i, message: `the issuer of "${cn(c)}"` }],
      });
    }
  }
  // Keys that match no certificate in the same file.
  const keyIds = new Set(certs.map(({ c }) => c.publicKey.id));
  if (certs.length > 0) {
    const leaf = certs.find(({ c }) => !c.isCa) ?? certs[0];
    decoded.forEach((d, i) => {
      if (d.kind !== 'privateKey' || d.encrypted || !d.publicKey.id) {
        return;
      }
      if (!keyIds.has(d.publicKey.id)) {
        out.push({
          code: 'key-mismatch',
          severity: 'error',
          message: `This private key does not belong to any certificate in this file (expected the key of "${cn(leaf.c)}").`,
          block: i,
          related: [{ block: leaf.i, message: `the certificate the key should match` }],
        });
      }
    });
  }
  return out;
}

/** A TLS server certificate valid for longer than a client accepts (docs/findings.md#lifetime-too-long). */
function lifetime(c: CertificateInfo, add: (f: Omit<Finding, 'block'>) => void): void {
  const tls = c.extKeyUsage.length === 0 || c.extKeyUsage.includes('serverAuth');
  if (c.isCa || c.keyUsage.includes('keyCertSign') || !tls) {
    return;
  }
  const nb = Date.parse(c.notBefore);
  const days = lifetimeDays(nb, Date.parse(c.notAfter));
  // Only the limits that reject it under any root: the public limit binds public CAs, never this
  // file's private one (issuing still mentions it).
  const over = lifetimeLimits(days, nb).filter((l) => l.anyRoot);
  if (over.length === 0) {
    return;
  }
  add({
    code: 'lifetime-too-long',
    severity: 'warning',
    message: `Certificate "${cn(c)}" is valid for ${Math.round(days)} days, longer than ${over.map((l) => `${l.days} days: ${l.text}`).join('; ')}.`,
  });
}
