// What the CAs of the user's NCP profiles say about a document's certificates: revoked (their
// current CRL lists it), the issuer expires before the certificate, issued by a development CA in
// a file where production configuration lives. The extension sends the CAs (certificate, chain,
// CRL); the server matches issuers by name and key id, then by signature. Also the "Replace with
// the full chain" edit, from the known chain.
import ignore from 'ignore';
import { issuedBy, verifySignature } from '../../pki/chain';
import { commonName } from '../../pki/describe';
import { decodeBlock } from '../../pki/decode';
import type { CaFindingCode } from '../../pki/findings';
import { text, type Text } from '../../pki/messages';
import { scanPem } from '../../pki/pem';
import type { CertificateInfo, Range } from '../../pki/types';
import type { CaDiagnosticData, KnownIssuer } from '../protocol';
import type { Analysis } from './analysis';
import type { BlockModel } from './model';

interface Cert {
  info: CertificateInfo;
  der: Uint8Array;
  /** The PEM block as text. */
  pem: string;
}

/** A CA the extension told about, decoded once. */
export interface KnownCa {
  issuer: KnownIssuer;
  cert: Cert;
  /** The CA's issuers from its chain, nearest first (without the CA itself). */
  above: Cert[];
  /** Revoked serial → revocation date. */
  revoked: Map<string, string>;
}

/** A finding about a certificate from what its CA says. */
export interface CaFinding {
  code: CaFindingCode;
  severity: 'error' | 'warning';
  block: number;
  text: Text;
  data: CaDiagnosticData;
}

function certificates(pem: string | undefined): Cert[] {
  const out: Cert[] = [];
  for (const block of pem ? scanPem(pem) : []) {
    const d = decodeBlock(block);
    if (d.kind === 'certificate' && block.der) {
      out.push({ info: d, der: block.der, pem: block.text });
    }
  }
  return out;
}

/** The known CAs, with what is cheap to keep: decoded certificates, revoked sets, signature checks done. */
export class KnownCas {
  readonly list: KnownCa[];
  /** `ca index \0 certificate text` → whether the CA's key verifies it (undefined: cannot tell). */
  private readonly verified = new Map<string, boolean | undefined>();

  /**
   * Every CA told about (the Reissue lens needs only its name); `list` holds those sent with their
   * certificate. `developmentCas` (names or ids) are development CAs too, besides those marked so.
   */
  constructor(
    readonly issuers: KnownIssuer[],
    developmentCas: readonly string[] = [],
  ) {
    const dev = new Set(developmentCas);
    this.list = issuers.flatMap((original) => {
      const issuer = !original.development && (dev.has(original.alias) || dev.has(original.caTag)) ? { ...original, development: true } : original;
      const [cert] = certificates(issuer.certPem);
      if (!cert) {
        return [];
      }
      const pool = certificates(issuer.chainPem).filter((c) => c.pem !== cert.pem);
      const above: Cert[] = [];
      for (let cur = cert; !cur.info.selfSigned; ) {
        const next = pool.find((p) => issuedBy(cur.info, p.info) && !above.includes(p));
        if (!next) {
          break;
        }
        above.push(next);
        cur = next;
      }
      return [{ issuer, cert, above, revoked: new Map((issuer.crl?.revoked ?? []).map((r) => [r.serial.toLowerCase(), r.date])) }];
    });
  }

  /** Whether a known CA may have issued `c` (by name and key id; the signature is not checked). */
  mayHaveIssued(c: CertificateInfo): boolean {
    return !c.selfSigned && this.list.some((ca) => issuedBy(c, ca.cert.info));
  }

  /** The known CA that issued `c`: same name and key id, and (when it can be checked here) its key verifies the signature. */
  async issuerOf(c: { info: CertificateInfo; der: Uint8Array }, key: string): Promise<KnownCa | undefined> {
    if (c.info.selfSigned) {
      return undefined;
    }
    for (let i = 0; i < this.list.length; i++) {
      const ca = this.list[i];
      if (!issuedBy(c.info, ca.cert.info)) {
        continue;
      }
      const id = `${i}\u0000${key}`;
      if (!this.verified.has(id)) {
        if (this.verified.size > 20_000) {
          this.verified.clear();
        }
        this.verified.set(id, await verifySignature(c, ca.cert));
      }
      // A signature that does not verify is another CA of the same name (a re-created dev root).
      if (this.verified.get(id) !== false) {
        return ca;
      }
    }
    return undefined;
  }
}

/** Which of `patterns` (gitignore-style, relative to a root) `path` matches, if any. */
export function productionMatch(path: string, roots: string[], patterns: string[]): string | undefined {
  const root = roots.filter((r) => path.startsWith(r.endsWith('/') ? r : `${r}/`)).sort((a, b) => b.length - a.length)[0];
  const rel = (root ? path.slice(root.length) : path).replace(/^[A-Za-z]:/, '').replace(/^\/+/, '');
  if (!rel) {
    return undefined;
  }
  return patterns.find((p) => {
    try {
      return ignore().add(p).ignores(rel);
    } catch {
      return false; // not a pattern `ignore` reads: never matches
    }
  });
}

function cn(c: CertificateInfo): string {
  return commonName(c);
}

/** A certificate of a file, as what its CA says needs it: its block index, decoded form, DER and cache key. */
export interface CertAt {
  block: number;
  info: CertificateInfo;
  der: Uint8Array;
  /** Its block's text (the signature check is cached by it). */
  key: string;
}

/** The document's certificates (plain blocks). */
export function certificatesOf(model: BlockModel, analysis: Analysis): CertAt[] {
  return model.spans.flatMap((span, i) => {
    const d = analysis.decoded[i];
    return d?.kind === 'certificate' && span.block.der ? [{ block: i, info: d, der: span.block.der, key: span.key }] : [];
  });
}

/** The document's certificates (plain blocks) that a known CA issued, with what that CA says about them. */
export function caFindings(model: BlockModel, analysis: Analysis, cas: KnownCas, production: string | undefined): Promise<CaFinding[]> {
  return findingsFor(certificatesOf(model, analysis), cas, production);
}

/** What the known CAs say of `certs` (a document's, or a closed file's from the inventory). */
export async function findingsFor(certs: CertAt[], cas: KnownCas, production: string | undefined): Promise<CaFinding[]> {
  const out: CaFinding[] = [];
  for (const { block: i, info: d, der, key } of certs) {
    const ca = await cas.issuerOf({ info: d, der }, key);
    if (!ca) {
      continue;
    }
    const { issuer } = ca;
    const data: CaDiagnosticData = { profile: issuer.profile, caTag: issuer.caTag, alias: issuer.alias };
    const revokedOn = ca.revoked.get(d.serialNumber.toLowerCase());
    if (revokedOn !== undefined) {
      const said = text('revoked', cn(d), issuer.alias, d.serialNumber, revokedOn);
      const crl = issuer.crl;
      out.push({ code: 'revoked', severity: 'error', block: i, data, text: crl?.stale ? text('revoked.stale', said, crl.thisUpdate, crl.nextUpdate ?? '') : said });
    }
    // The first of the CA and its issuers to expire, when that is before this certificate.
    const first = [ca.cert, ...ca.above].reduce((a, b) => (Date.parse(b.info.notAfter) < Date.parse(a.info.notAfter) ? b : a));
    if (Date.parse(first.info.notAfter) < Date.parse(d.notAfter)) {
      out.push({ code: 'issuer-expires-first', severity: 'warning', block: i, data, text: text('issuer-expires-first', cn(d), d.notAfter, cn(first.info), first.info.notAfter) });
    }
    if (issuer.development && production !== undefined) {
      out.push({ code: 'development-ca', severity: 'warning', block: i, data, text: text('development-ca', cn(d), issuer.alias, issuer.profileName ?? issuer.profile, production) });
    }
  }
  return out;
}

/**
 * "Replace with the full chain": the certificate at `at`, issued by a known CA, followed by that CA
 * and its issuers (leaf → root). When the document holds only plain PEM certificates of that chain
 * (whitespace between them), they are all replaced, in order; otherwise the missing issuers are
 * inserted after the certificate, and nothing else moves. Undefined when nothing is missing.
 */
export async function fullChainEdit(model: BlockModel, analysis: Analysis, cas: KnownCas, at: Range['start']): Promise<{ ca: KnownCa; edit: { range: Range; newText: string } } | undefined> {
  const span = model.blockAt(at);
  const d = span && analysis.decoded[span.block.index];
  if (!span || d?.kind !== 'certificate' || !span.block.der) {
    return undefined;
  }
  const ca = await cas.issuerOf({ info: d, der: span.block.der }, span.key);
  if (!ca) {
    return undefined;
  }
  const chain = [ca.cert, ...ca.above];
  const present = new Set(model.spans.map((s) => s.block.text.trim()));
  const missing = chain.filter((c) => !present.has(c.pem.trim()));
  if (missing.length === 0) {
    return undefined;
  }
  const text = model.text;
  const spans = model.spans;
  const ours = new Set([span.block.text.trim(), ...chain.map((c) => c.pem.trim())]);
  const replaceAll =
    spans.every((s, i) => s.block.encoding === 'pem' && analysis.decoded[i]?.kind === 'certificate' && ours.has(s.block.text.trim())) &&
    spans.every((s, i) => i === 0 || text.slice(spans[i - 1].end, s.start).trim() === '');
  if (replaceAll) {
    const separator = spans.length > 1 ? text.slice(spans[0].end, spans[1].start) : '\n';
    return { ca, edit: { range: { start: spans[0].block.range.start, end: spans[spans.length - 1].block.range.end }, newText: [span.block.text, ...chain.map((c) => c.pem)].join(separator || '\n') } };
  }
  const end = span.block.range.end;
  return { ca, edit: { range: { start: end, end }, newText: missing.map((c) => `\n${c.pem}`).join('') } };
}
