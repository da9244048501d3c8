// Which certificate of a file is the CA to trust, its fingerprints, and why trusting it may be unwise.
import { createHash } from 'node:crypto';
import { inspect, toPem, type CertificateInfo } from '../pki';

/** A CA certificate about to be trusted (or untrusted). */
export interface TrustCa {
  pem: string;
  der: Uint8Array;
  info: CertificateInfo;
  /** Lowercase hex, no separators. */
  sha256: string;
  sha1: string;
  /** The common name, or the subject. */
  name: string;
}

/** Thrown for input that cannot be trusted (a leaf, no certificate): the message is for the user. */
export class NotACa extends Error {
  /** The leaf that was given, when there was one (for a translated message). */
  constructor(
    message: string,
    readonly leaf?: { subject: string; issuer: string },
  ) {
    super(message);
  }
}

/** Makes a TrustCa from one certificate's DER. */
export function trustCa(der: Uint8Array, info: CertificateInfo): TrustCa {
  return {
    pem: toPem(der, 'CERTIFICATE'),
    der,
    info,
    sha256: createHash('sha256').update(der).digest('hex'),
    sha1: createHash('sha1').update(der).digest('hex'),
    name: info.subjectAttributes.find((a) => a.type === 'CN')?.value ?? info.subject,
  };
}

/**
 * Picks the CA to trust from a PEM/DER file: the root of a chain when there is one (self-signed
 * CA), else the topmost CA. A file with no CA certificate is refused with the reason.
 */
export function pickCa(input: string | Uint8Array): TrustCa {
  const r = inspect(input);
  const certs = r.decoded.flatMap((d, i) => (d.kind === 'certificate' && r.blocks[i].der ? [{ info: d, der: r.blocks[i].der }] : []));
  if (certs.length === 0) {
    throw new NotACa('no certificate found');
  }
  const cas = certs.filter((c) => c.info.isCa);
  if (cas.length === 0) {
    const leaf = certs[0].info;
    throw new NotACa(`"${leaf.subject}" is not a CA certificate (basicConstraints CA:FALSE): only CA certificates can be trusted. Trust the CA that issued it instead ("${leaf.issuer}").`, leaf);
  }
  const root = cas.find((c) => c.info.selfSigned) ?? cas.find((c) => !cas.some((o) => o !== c && o.info.subject === c.info.issuer)) ?? cas[0];
  return trustCa(root.der, root.info);
}

const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\//i;
const CA_KEY_USAGE = new Set(['keyCertSign', 'cRLSign', 'digitalSignature']);

/** One reason to think twice; `kind` and `detail` let a UI say it in its own words. */
export interface TrustWarning {
  kind: 'not-dev' | 'key-usage' | 'ext-key-usage' | 'long-lived';
  /** The key usages, the extended key usages or the end date, per kind. */
  detail: string;
  text: string;
}

/**
 * Why trusting `ca` on this computer deserves a second thought: a trusted root can sign for any
 * name. `fromEmulator` is true when the caller fetched it from the local emulator.
 */
export function trustWarnings(ca: TrustCa, fromEmulator: boolean): TrustWarning[] {
  const out: TrustWarning[] = [];
  const urls = [...ca.info.crlDistributionPoints, ...ca.info.caIssuers, ...ca.info.ocsp];
  const emulatorUrls = urls.length > 0 && urls.every((u) => LOOPBACK.test(u));
  if (!fromEmulator && !emulatorUrls) {
    out.push({ kind: 'not-dev', detail: ca.name, text: `"${ca.name}" is not known to be a development CA (it did not come from the local emulator): every certificate it signs, for any name, will be trusted by this computer` });
  }
  const extra = ca.info.keyUsage.filter((k) => !CA_KEY_USAGE.has(k));
  if (extra.length > 0) {
    out.push({ kind: 'key-usage', detail: extra.join(', '), text: `its key usage allows more than signing certificates and CRLs: ${extra.join(', ')}` });
  }
  const eku = ca.info.extKeyUsage.filter((k) => k !== 'serverAuth' && k !== 'clientAuth');
  if (eku.length > 0) {
    out.push({ kind: 'ext-key-usage', detail: eku.join(', '), text: `it may sign for more than TLS: ${eku.join(', ')}` });
  }
  if (Date.parse(ca.info.notAfter) - Date.parse(ca.info.notBefore) > 10 * 365.25 * 86400_000) {
    const until = ca.info.notAfter.slice(0, 10);
    out.push({ kind: 'long-lived', detail: until, text: `it is valid for more than 10 years (until ${until}): remember to uninstall it when done` });
  }
  return out;
}
