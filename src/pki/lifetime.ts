// Lifetimes that TLS clients enforce on server (leaf) certificates, with the rule each comes from.
// Used when issuing (the wizard, the CLI) and by the `lifetime-too-long` lint finding. The
// sources are cited in docs/findings.md#lifetime-too-long.

const DAY = 86_400_000;

/** The CA/Browser Forum's maximum for publicly trusted TLS certificates, by issuance date (ballot SC-081v3). */
const PUBLIC_SCHEDULE: { from: string; since: number; days: number }[] = [
  { from: '2029-03-15', days: 47 },
  { from: '2027-03-15', days: 100 },
  { from: '2026-03-15', days: 200 },
  { from: '2020-09-01', days: 398 },
].map((s) => ({ ...s, since: Date.parse(`${s.from}T00:00:00Z`) }));

/** Apple's 825-day limit applies to certificates issued from this day on. */
const APPLE_SINCE = Date.parse('2019-07-01T00:00:00Z');

/** The step of the schedule a certificate issued at `issued` falls under (undefined before 2020-09-01). */
function publicStep(issued: number): { from: string; days: number } | undefined {
  return PUBLIC_SCHEDULE.find((s) => issued >= s.since);
}

/** The most days a publicly trusted TLS certificate issued at `issued` may be valid (undefined before 2020-09-01). */
export function publicTlsMaxDays(issued: number): number | undefined {
  return publicStep(issued)?.days;
}

export type LifetimeRule = 'apple-825' | 'public-tls' | 'android-webview' | 'webtransport-hashes';

/** One limit a certificate's lifetime exceeds. */
export interface LifetimeLimit {
  rule: LifetimeRule;
  /** The limit in days. */
  days: number;
  /** Who enforces it, and where the rule is written (English; UIs translate by `rule`). */
  text: string;
  /** true when clients reject the certificate whatever root it chains to (a private CA's included). */
  anyRoot: boolean;
}

/** Validity in days, from notBefore to notAfter (fractional). */
export function lifetimeDays(notBefore: number, notAfter: number): number {
  return (notAfter - notBefore) / DAY;
}

/**
 * The limits a TLS server certificate valid for `days` from `issued` exceeds. `webTransport`
 * adds the 14-day limit of WebTransport's serverCertificateHashes (only relevant when asked for).
 */
export function lifetimeLimits(days: number, issued: number, options: { webTransport?: boolean } = {}): LifetimeLimit[] {
  const out: LifetimeLimit[] = [];
  if (days > 825 && issued >= APPLE_SINCE) {
    out.push({ rule: 'apple-825', days: 825, anyRoot: true, text: 'Apple (iOS 13+, macOS 10.15+) rejects TLS server certificates issued after 2019-07-01 that are valid for more than 825 days, whatever root they chain to (Apple support article 103769)' });
  }
  const pub = publicStep(issued);
  if (pub !== undefined && days > pub.days) {
    out.push({ rule: 'public-tls', days: pub.days, anyRoot: false, text: `publicly trusted TLS certificates issued on or after ${pub.from} may be valid for at most ${pub.days} days (CA/Browser Forum Baseline Requirements §6.3.2, ballot SC-081v3; enforced by Apple's, Chrome's, Mozilla's and Microsoft's root programs): a private CA is not bound by it, but the certificate cannot move to a public CA as it is` });
  }
  // Android WebView verifies with Chromium's own verifier, which treats a root installed in the
  // system store as publicly trusted (reported: mkcert PR #539 at 397 days).
  if (days > 397) {
    out.push({ rule: 'android-webview', days: 397, anyRoot: true, text: 'Android WebView rejects server certificates valid for more than 397 days with ERR_CERT_VALIDITY_TOO_LONG, also under a root installed in the system store' });
  }
  if (options.webTransport && days > 14) {
    out.push({ rule: 'webtransport-hashes', days: 14, anyRoot: true, text: 'WebTransport serverCertificateHashes accepts only certificates valid for at most 14 days (W3C WebTransport, "custom certificate requirements")' });
  }
  return out;
}

/** Days requested from NCP as `period` ("MAX" or a number), or undefined when unknown. */
export function periodDays(period: string | undefined): number | undefined {
  return period && /^\d+$/.test(period) ? Number(period) : undefined;
}
