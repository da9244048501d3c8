// The PKI core's public API. Runs in Node, in the language server and in the browser webview:
// no `vscode`, no `node:*`; hashing and signatures through WebCrypto.
//
//   scanPem(text) / scanBytes(bytes) → PemBlock[]        where the blocks are (ranges, labels, DER)
//   decodeBlock(block) → Decoded                         plain data for one block (sync, cheap)
//   lintBlock(decoded, i, opts) → Finding[]              per-block findings (cache by block.text)
//   lintDocument(decoded[]) → Finding[]                  chain order, key/certificate mismatch
//   inspectText(text, opts) → { blocks, decoded, findings }   all of the above in one call
//   buildChain(certs) → Promise<ChainReport>             order leaf → root, verify signatures
//   fingerprints(der), spkiPin(der, info)                SHA-1 / SHA-256 / SPKI pin (async)
//   generateKeyPair(type), generateCsr(request)          keys and CSRs made locally
import { decodeBlock } from './decode';
import { lintBlock, lintDocument } from './lint';
import { scanBytes, scanPem } from './pem';
import type { Decoded, Finding, LintOptions, PemBlock } from './types';

export * from './types';
export { decodeBlock, decodeCertificate, decodeCrl, decodeCsr, decodeDer, decodePkcs7 } from './decode';
export { lintBlock, lintDocument } from './lint';
export { expiryWindow, expiresSoon } from './expiry';
export { CA_FINDING_CODES, FINDING_CODES, FINDINGS_PAGE, findingHref, findingsByBlock, SCAN_FINDING_CODES } from './findings';
export { lifetimeDays, lifetimeLimits, publicTlsMaxDays, periodDays, type LifetimeLimit, type LifetimeRule } from './lifetime';
export { scanPem, scanBytes, toPem, encodeBase64, decodeBase64, kindOfLabel, LineMap } from './pem';
export { buildChain, verifySignature, type ChainInput } from './chain';
export { fingerprints, spkiPin, colonHex } from './fingerprint';
export { generateKeyPair, generateCsr, KEY_TYPES, type KeyType, type CsrRequest, type SubjectFields, type GeneratedKey } from './generate';

/** Everything about a document: its blocks, each decoded, and all findings. */
export interface Inspection {
  blocks: PemBlock[];
  decoded: Decoded[];
  findings: Finding[];
}

/**
 * Scans, decodes and lints a text (or a file's bytes) in one call. `decode` is decodeBlock unless
 * given (the inspector passes decodeX509.ts's, which reads certificates with @peculiar/x509).
 */
export function inspect(input: string | Uint8Array, options: LintOptions = {}, decode: (block: PemBlock) => Decoded = decodeBlock): Inspection {
  const blocks = typeof input === 'string' ? scanPem(input) : scanBytes(input);
  const decoded = blocks.map((b) => decode(b));
  const findings = decoded.flatMap((d, i) => lintBlock(d, i, options, blocks[i].error?.range));
  for (const f of lintDocument(decoded)) {
    findings.push(f);
  }
  return { blocks, decoded, findings };
}
