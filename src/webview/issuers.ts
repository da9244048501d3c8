// Issuers from elsewhere: when the inspected text holds a certificate whose issuer is not in it
// (certs/cert.pem alone), the host sends candidate certificates (files beside it, open editors,
// the CAs of the NCP profiles) and this walks up from each such certificate to its root, keeping
// where each issuer came from. Certificates only: the host never sends keys.
import { issuedBy, verifySignature, type ChainInput } from '../pki/chain';
import { decodeBlock } from '../pki/decode';
import { encodeBase64, scanPem } from '../pki/pem';

/** Candidate issuers and where they came from ("chain.pem beside it"). */
export interface IssuerSource {
  from: string;
  /** PEM text holding CERTIFICATE blocks only. */
  text: string;
}

export interface FoundIssuer extends ChainInput {
  from: string;
}

const MAX_DEPTH = 8;

/**
 * The issuers of `certs` found in `sources`, each at most once, in walk order (the issuer of the
 * first open certificate, its issuer, ...). A candidate whose signature verifies wins over one
 * that only matches by name. `sources` is awaited only when some issuer is missing: a bundle of
 * roots does not wait for the host's search.
 */
export async function findIssuers(certs: ChainInput[], pending: IssuerSource[] | Promise<IssuerSource[]>): Promise<FoundIssuer[]> {
  // Certificates whose issuer is neither themselves nor in the text.
  const open = certs.filter((c) => !c.info.selfSigned && !certs.some((p) => p !== c && issuedBy(c.info, p.info)));
  if (open.length === 0) {
    return [];
  }
  const sources = await pending;
  if (sources.length === 0) {
    return [];
  }
  const seen = new Set(certs.map((c) => encodeBase64(c.der)));
  const pool: FoundIssuer[] = [];
  for (const s of sources) {
    for (const block of scanPem(s.text)) {
      const d = block.der ? decodeBlock(block) : undefined;
      const key = block.der ? encodeBase64(block.der) : '';
      if (d?.kind === 'certificate' && !seen.has(key)) {
        seen.add(key);
        pool.push({ info: d, der: block.der!, from: s.from });
      }
    }
  }
  const found: FoundIssuer[] = [];
  for (let cur of open) {
    for (let depth = 0; depth < MAX_DEPTH && !cur.info.selfSigned; depth++) {
      const matches = pool.filter((p) => !found.includes(p) && issuedBy(cur.info, p.info));
      let pick: FoundIssuer | undefined;
      for (const m of matches) {
        if ((await verifySignature(cur, m)) === true) {
          pick = m;
          break;
        }
      }
      pick ??= matches[0];
      if (!pick) {
        break;
      }
      found.push(pick);
      cur = pick;
    }
  }
  return found;
}
