// The finding codes and where each is explained: docs/findings.md has one section per code, and
// every diagnostic (LSP `codeDescription.href`), inspector badge and CLI finding links to it.
/** Every finding code the linter reports, in the order docs/findings.md lists them (FindingCode is this list's type). */
export const FINDING_CODES = [
  'expired',
  'not-yet-valid',
  'expiring-soon',
  'weak-rsa',
  'weak-signature',
  'leaf-without-san',
  'ca-without-basic-constraints',
  'chain-order',
  'key-mismatch',
  'malformed',
  'crl-outdated',
  'encrypted-key',
  'invalid-time',
  'time-encoding',
  'invalid-serial',
  'invalid-path-length',
  'lifetime-too-long',
] as const;

/**
 * Findings the language server makes from what the CAs of your NCP profiles say (their certificates
 * and current CRLs, sent by the extension), not from the file alone: documented and configurable too.
 */
export const CA_FINDING_CODES = ['revoked', 'issuer-expires-first', 'development-ca'] as const;
export type CaFindingCode = (typeof CA_FINDING_CODES)[number];

/** Findings of `ncloud-pki scan` that lint does not make (they are about where a block is): documented too. */
export const SCAN_FINDING_CODES = ['private-key-in-repo'] as const;

/** The page that explains every finding (the repository's docs/findings.md, as GitHub renders it). */
export const FINDINGS_PAGE = 'https://github.com/ncloud-pki/ncloud-pki/blob/main/docs/findings.md';

/** The link to the section about `code` (its heading is the code itself, so the anchor is too). */
export function findingHref(code: string): string {
  return `${FINDINGS_PAGE}#${code}`;
}

/**
 * Findings grouped by the index of their block, in one pass: picking each block's findings out of
 * the whole list made a file of 20,000 blocks take 26 s (the inventory) and 29 s (the inspector).
 */
export function findingsByBlock<T extends { block: number }>(found: readonly T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const f of found) {
    const list = out.get(f.block);
    if (list) {
      list.push(f);
    } else {
      out.set(f.block, [f]);
    }
  }
  return out;
}
