// Chains: order certificates leaf → root, find each issuer by name and key id, and verify each
// signature with WebCrypto (so this runs in the browser too).
import { children, readTlv } from './der';
import { commonName } from './describe';
import { render, text, type Text } from './messages';
import { SIGNATURE_HASH } from './oids';
import type { CertificateInfo, ChainLink, ChainReport } from './types';

/** A certificate with the DER it was decoded from. */
export interface ChainInput {
  info: CertificateInfo;
  der: Uint8Array;
}

/** True when `parent`'s subject (and key id, when both carry one) names it as `child`'s issuer. */
export function issuedBy(child: CertificateInfo, parent: CertificateInfo): boolean {
  if (child.issuer !== parent.subject) {
    return false;
  }
  return !child.authorityKeyId || !parent.subjectKeyId || child.authorityKeyId === parent.subjectKeyId;
}

/**
 * Orders `certs` leaf → root and verifies every link. Never throws; what is wrong is in `problems`
 * and in each link's `problem`. `now` (epoch ms) drives the expiry checks.
 */
export async function buildChain(certs: ChainInput[], now: number = Date.now()): Promise<ChainReport> {
  const problems: Text[] = [];
  if (certs.length === 0) {
    return { order: [], links: [], inOrder: true, complete: false, ...told([text('chain.empty')]) };
  }
  const bySubject = new Map<string, number[]>();
  certs.forEach((c, i) => {
    const list = bySubject.get(c.info.subject);
    if (list) {
      list.push(i);
    } else {
      bySubject.set(c.info.subject, [i]);
    }
  });
  const issuerOf = certs.map((c, i) => (c.info.selfSigned ? undefined : (bySubject.get(c.info.issuer) ?? []).find((k) => k !== i && issuedBy(c.info, certs[k].info))));
  // The leaf: a certificate nobody in the set was issued by; prefer a non-CA, then the first.
  const isIssuer = new Set(issuerOf.filter((x): x is number => x !== undefined));
  const candidates = certs.map((_, i) => i).filter((i) => !isIssuer.has(i));
  const leaf = candidates.find((i) => !certs[i].info.isCa) ?? candidates[0] ?? 0;
  const order: number[] = [];
  const inChain = new Set<number>();
  for (let cur: number | undefined = leaf; cur !== undefined && !inChain.has(cur); cur = issuerOf[cur]) {
    order.push(cur);
    inChain.add(cur);
  }
  const unused = certs.map((_, i) => i).filter((i) => !inChain.has(i));
  if (unused.length > 0) {
    problems.push(text('chain.unused', unused.length, commonName(certs[leaf].info), unused.map((i) => `#${i + 1}`).join(', ')));
  }
  const links: ChainLink[] = [];
  for (const i of order) {
    const c = certs[i];
    const link: ChainLink = { cert: i };
    let problem: Text | undefined;
    const p = issuerOf[i];
    if (Date.parse(c.info.notAfter) < now) {
      problem = text('chain.expired', c.info.notAfter);
    } else if (Date.parse(c.info.notBefore) > now) {
      problem = text('chain.not-yet-valid', c.info.notBefore);
    }
    if (c.info.selfSigned) {
      link.signatureValid = await verifySignature(c, c);
      if (link.signatureValid === false) {
        problem = text('chain.self-signature');
      }
    } else if (p === undefined) {
      // Said once, as this link's problem (it used to be said a second time, in other words).
      problem ??= text('chain.issuer-not-in-bundle', c.info.issuer);
    } else {
      link.issuer = p;
      link.signatureValid = await verifySignature(c, certs[p]);
      if (link.signatureValid === false) {
        problem = text('chain.bad-signature', commonName(certs[p].info));
      } else if (!certs[p].info.isCa) {
        problem = text('chain.issuer-not-ca', commonName(certs[p].info));
      }
    }
    if (problem) {
      link.problem = render(problem);
      link.problemText = problem;
      problems.push(text('chain.link', commonName(c.info), problem));
    }
    links.push(link);
  }
  const last = order[order.length - 1];
  const root = certs[last].info.selfSigned ? last : undefined;
  const inOrder = order.every((v, k) => k === 0 || v > order[k - 1]) && order[0] === 0;
  if (!inOrder) {
    problems.push(text('chain.order'));
  }
  const complete = root !== undefined && links.every((l) => l.signatureValid === true) && unused.length === 0;
  return { order, links, ...(root !== undefined ? { root } : {}), inOrder, complete, ...told(problems) };
}

/** The problems in English (each once) and as data, in the same order. */
function told(problems: Text[]): Pick<ChainReport, 'problems' | 'texts'> {
  const seen = new Map(problems.map((t) => [render(t), t]));
  return { problems: [...seen.keys()], texts: [...seen.values()] };
}

/**
 * Verifies `child`'s signature with `parent`'s public key. Undefined when the algorithm cannot be
 * checked here (RSA-PSS parameters, DSA, MD5...).
 */
export async function verifySignature(child: ChainInput, parent: ChainInput): Promise<boolean | undefined> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    return undefined;
  }
  const sigOid = child.info.signatureOid;
  const hash = SIGNATURE_HASH[sigOid];
  const spki = parent.der.subarray(parent.info.offsets.spki[0], parent.info.offsets.spki[1]);
  const tbs = child.der.subarray(child.info.offsets.tbs[0], child.info.offsets.tbs[1]);
  let signature = child.der.subarray(child.info.offsets.signature[0], child.info.offsets.signature[1]);
  const key = parent.info.publicKey;
  try {
    if (sigOid.startsWith('1.2.840.113549.1.1.') && hash && hash !== 'MD5' && hash !== 'MD2' && key.algorithm === 'RSA') {
      const k = await subtle.importKey('spki', spki as BufferSource, { name: 'RSASSA-PKCS1-v1_5', hash }, false, ['verify']);
      return await subtle.verify('RSASSA-PKCS1-v1_5', k, signature as BufferSource, tbs as BufferSource);
    }
    if (sigOid.startsWith('1.2.840.10045.4.') && hash && key.algorithm === 'EC' && key.curve && ['P-256', 'P-384', 'P-521'].includes(key.curve)) {
      const k = await subtle.importKey('spki', spki as BufferSource, { name: 'ECDSA', namedCurve: key.curve }, false, ['verify']);
      signature = ecdsaDerToRaw(signature, key.curve === 'P-521' ? 66 : key.curve === 'P-384' ? 48 : 32);
      return await subtle.verify({ name: 'ECDSA', hash }, k, signature as BufferSource, tbs as BufferSource);
    }
    if (sigOid === '1.3.101.112' && key.algorithm === 'Ed25519') {
      const k = await subtle.importKey('spki', spki as BufferSource, { name: 'Ed25519' }, false, ['verify']);
      return await subtle.verify({ name: 'Ed25519' }, k, signature as BufferSource, tbs as BufferSource);
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** ECDSA signatures are DER SEQUENCE{r, s} in X.509 and r||s in WebCrypto. */
function ecdsaDerToRaw(sig: Uint8Array, size: number): Uint8Array {
  const seq = readTlv(sig, 0);
  const [r, s] = children(sig, seq);
  const out = new Uint8Array(size * 2);
  const put = (t: { body: number; end: number }, at: number) => {
    let b = t.body;
    while (t.end - b > size && sig[b] === 0) {
      b++;
    }
    out.set(sig.subarray(b, t.end), at + size - (t.end - b));
  };
  put(r, 0);
  put(s, size);
  return out;
}
