// NCP's field rules (docs/ncp-api.md), checked as the user types. Each returns an error sentence or undefined.
import * as vscode from 'vscode';

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
