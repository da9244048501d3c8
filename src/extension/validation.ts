// NCP's field rules (docs/ncp-api.md), checked as the user types. Each returns an error sentence or undefined.
import * as vscode from 'vscode';
import { lifetimeLimits, type LifetimeLimit } from '../pki/lifetime';

const t = vscode.l10n.t;

/** NCP's CA alias rule: 3-15 letters, digits, - or _, starting with a letter. */
export function checkAlias(v: string): string | undefined {
  return /^[A-Za-z][A-Za-z0-9_-]{2,14}$/.test(v) ? undefined : t('3-15 letters, digits, - or _, starting with a letter');
}

/** A validity period: 1-3650 days, or MAX. */
export function checkPeriod(v: string): string | undefined {
  if (v === 'MAX') {
    return undefined;
  }
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 && n <= 3650 ? undefined : t('Days from 1 to 3650, or MAX');
}

/** One lifetime limit, said in the user's language, with its rule. */
export function lifetimeText(l: LifetimeLimit): string {
  switch (l.rule) {
    case 'apple-825':
      return t('Apple (iOS 13+, macOS 10.15+) rejects TLS server certificates valid for more than 825 days, under any root (support.apple.com/103769).');
    case 'android-webview':
      return t('Android WebView rejects server certificates valid for more than 397 days (ERR_CERT_VALIDITY_TOO_LONG), also under a root in the system store.');
    case 'public-tls':
      return t('Publicly trusted TLS certificates issued now may be valid for at most {0} days (CA/Browser Forum Baseline Requirements §6.3.2, ballot SC-081v3); a private CA is not bound by it.', l.days);
    case 'webtransport-hashes':
      return t('WebTransport serverCertificateHashes accepts certificates valid for at most 14 days.');
  }
}

/**
 * The validity of a TLS server certificate: NCP's rule (an error), then the lifetime limits it
 * exceeds as of today (a warning when clients reject it under any root, else information).
 */
export function checkLeafPeriod(v: string): string | vscode.InputBoxValidationMessage | undefined {
  const bad = checkPeriod(v);
  if (bad || v === 'MAX') {
    return bad;
  }
  const over = lifetimeLimits(Number(v), Date.now());
  if (over.length === 0) {
    return undefined;
  }
  return { message: over.map(lifetimeText).join(' '), severity: over.some((l) => l.anyRoot) ? vscode.InputBoxValidationSeverity.Warning : vscode.InputBoxValidationSeverity.Info };
}

export function checkCommonName(v: string): string | undefined {
  return v.trim().length >= 1 && v.length <= 64 ? undefined : t('1-64 characters');
}

export function checkOrganization(v: string): string | undefined {
  return v.length <= 64 ? undefined : t('At most 64 characters');
}

export function checkCountry(v: string): string | undefined {
  return v === '' || /^[A-Z]{2}$/.test(v) ? undefined : t('Two capital letters (ISO 3166), e.g. KR');
}

export function checkIps(v: string): string | undefined {
  const bad = list(v).filter((s) => !/^(\d{1,3}\.){3}\d{1,3}$/.test(s) && !/^[0-9a-fA-F:]+$/.test(s));
  return bad.length ? t('Not an IP address: {0}', bad.join(', ')) : undefined;
}

export function checkSecretKey(v: string): string | undefined {
  return v.trim().length >= 16 ? undefined : t('The secret key is 16 characters or more');
}

export function checkUrl(v: string): string | undefined {
  return /^https?:\/\/\S+$/.test(v) ? undefined : t('An http(s) URL');
}

export function checkEndpoint(v: string): string | undefined {
  return /^https?:\/\/[^\s/]+/.test(v) ? undefined : t('A URL such as https://ncloud.example or http://127.0.0.1:8787');
}

export function checkCrlDays(v: string): string | undefined {
  return Number.isInteger(Number(v)) && Number(v) >= 3 ? undefined : t('Whole days, 3 or more');
}

export function required(v: string): string | undefined {
  return v.trim() ? undefined : t('Required');
}

/** "a, b,,c" → ["a", "b", "c"]. */
export function list(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A name that is safe as one path segment. */
export function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+|_+$/g, '') || 'certificate';
}
