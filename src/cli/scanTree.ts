// One file's blocks for `ncloud-pki scan` (the walk and the reading are src/files/walk.ts, shared
// with the language server's inventory). Kept apart from the output code (table, JSON, SARIF).
import { readCandidate } from '../files/walk';
import { findingHref, inspect as inspectInput, SCAN_FINDING_CODES, type CertificateInfo, type Finding, type LintOptions, type PemBlock, type Range } from '../pki';
import { toJson, type BlockJson } from './inspect';

/** A finding of `scan` that lint does not make: it is about where a block is, not what it is. */
export const PRIVATE_KEY_FINDING = SCAN_FINDING_CODES[0];

/** A finding as `scan` prints it. */
export interface ScanFinding {
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
  range?: Range;
}

/** One block found by `scan`: what the table, SARIF and the exit code need, and the `inspect --json` object when asked for. */
export interface ScanBlock {
  file: string;
  kind: string;
  label: string;
  encoding: PemBlock['encoding'];
  range: Range;
  findings: ScanFinding[];
  /** Earliest notAfter of the block's certificates (a PKCS#7 bundle has several), if any. */
  expires?: string;
  /** A short name for the table: the subject's CN, the CRL's issuer, the key's algorithm. */
  name: string;
  json?: BlockJson;
}

/** Reads one file; returns its blocks, or nothing when the file holds none. Throws on read errors. */
export function scanFile(path: string, lint: LintOptions, json: boolean): ScanBlock[] {
  const input = readCandidate(path);
  if (input === undefined) {
    return [];
  }
  const result = inspectInput(input, lint);
  if (result.blocks.length === 0) {
    return [];
  }
  const byBlock = new Map<number, Finding[]>();
  for (const f of result.findings) {
    byBlock.set(f.block, [...(byBlock.get(f.block) ?? []), f]);
  }
  return result.blocks.map((b, i) => {
    const d = result.decoded[i];
    const own = byBlock.get(i) ?? [];
    const findings: ScanFinding[] = own.map((f) => ({ severity: f.severity, code: f.code, message: f.message, ...(f.range ? { range: f.range } : {}) }));
    if (b.kind === 'privateKey' || d.kind === 'privateKey') {
      const encrypted = d.kind === 'privateKey' && d.encrypted;
      findings.push({
        severity: encrypted ? 'warning' : 'error',
        code: PRIVATE_KEY_FINDING,
        message: encrypted ? 'An encrypted private key is stored in the tree: keep keys in a secret store.' : 'A private key is stored in the tree: anyone who can read it can impersonate its certificate. Move it to a secret store and replace the key.',
      });
    }
    const out: ScanBlock = { file: path, kind: d.kind === 'malformed' ? b.kind : d.kind, label: b.label, encoding: b.encoding, range: b.range, findings, name: b.label };
    const cn = (c: CertificateInfo) => c.subjectAttributes.find((a) => a.type === 'CN')?.value ?? c.subject;
    if (d.kind === 'certificate') {
      out.expires = d.notAfter;
      out.name = cn(d);
    } else if (d.kind === 'pkcs7' && d.certificates.length) {
      const first = d.certificates.reduce((a, c) => (c.notAfter < a.notAfter ? c : a));
      out.expires = first.notAfter;
      out.name = `${cn(first)} (first of ${d.certificates.length} to expire)`;
    } else if (d.kind === 'csr') {
      out.name = d.subjectAttributes.find((a) => a.type === 'CN')?.value ?? d.subject;
    } else if (d.kind === 'crl') {
      out.name = d.issuer;
    } else if (d.kind === 'privateKey' || d.kind === 'publicKey') {
      out.name = `${d.publicKey.algorithm} ${d.kind === 'privateKey' ? 'private' : 'public'} key`;
    }
    if (json) {
      out.json = { ...toJson(path, b, d, own), findings: findings.map(({ range: _r, ...f }) => ({ ...f, href: findingHref(f.code) })) };
    }
    return out;
  });
}

export { walkEach } from '../files/walk';
