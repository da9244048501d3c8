// NCP's validation rules and error shapes for the emulated APIs (docs/ncp-api.md): what a request
// may hold, and the errors NCP answers with. Pure: no state, no I/O.
import { isIP } from 'node:net';
import { countryCode, NCP_KEY_TYPES, wholeSeconds, type NcpKeyType, type X509Parameters } from './issuer';

export const DAY = 86_400_000;
/** The account number the emulator answers with (one account). */
export const MEMBER_NO = '0000000';

/** An error NCP would answer: HTTP status, NCP code, message. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** A Certificate Manager failure (returned with HTTP 200 and a returnCode, as NCP does). */
export class CmError extends Error {
  override readonly name = 'CmError';
  constructor(readonly returnCode: string, message: string, readonly status = 200) {
    super(message);
  }
}

export const bad = (code: string, msg: string) => new ApiError(400, code, msg);
export const CA_TAG = /^[0-9a-f]{8}-[0-9a-f]{8}$/;
export const SERIAL = /^[0-9a-f]{2}(:[0-9a-f]{2}){0,19}$/;


export function validateParams(raw: unknown, required = true): X509Parameters {
  if (raw === undefined || raw === null) {
    if (required) {
      throw bad('EMPTY_X509_PARAMETERS', 'x509Parameters is required');
    }
    return { commonName: '' };
  }
  if (typeof raw !== 'object') {
    throw bad('INVALID_INPUT', 'x509Parameters must be an object');
  }
  const r = raw as Record<string, unknown>;
  const str = (k: string, max: number, alt?: string): string | undefined => {
    const v = r[k] ?? (alt ? r[alt] : undefined);
    if (v === undefined || v === null || v === '') {
      return undefined;
    }
    if (typeof v !== 'string') {
      throw bad('INVALID_INPUT', `x509Parameters.${k} must be a string`);
    }
    if (v.length > max) {
      throw bad('INVALID_INPUT', `x509Parameters.${k} is longer than ${max} characters`);
    }
    return v;
  };
  const commonName = str('commonName', 10_000);
  if (!commonName) {
    throw bad('EMPTY_COMMON_NAME', 'x509Parameters.commonName is required');
  }
  if (commonName.length > 64) {
    throw bad('EXCEED_COMMON_NAME', 'x509Parameters.commonName is longer than 64 characters');
  }
  // Echoed as given (NCP's Create CA example sends and answers "KOR"); the certificate gets alpha-2.
  const country = str('country', 3, 'contry');
  if (country && !countryCode(country)) {
    throw bad('INVALID_INPUT', `x509Parameters.country '${country}' is not an ISO 3166 country code`);
  }
  const ip = str('ip', 1000);
  for (const a of (ip ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
    if (!isIP(a)) {
      throw bad('INVALID_X509_IP', `'${a}' is not an IP address`);
    }
  }
  const altName = str('altName', 2000);
  for (const a of (altName ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
    if (!/^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,62}\.)*[A-Za-z0-9-]{1,63}$/.test(a) && !/^[^@\s]+@[^@\s]+$/.test(a)) {
      throw bad('INVALID_INPUT', `altName '${a}' is neither a DNS name nor an e-mail address`);
    }
  }
  const out: X509Parameters = { commonName };
  const set = (k: keyof X509Parameters, v: string | undefined) => {
    if (v) {
      out[k] = v;
    }
  };
  set('altName', altName);
  set('ip', ip);
  set('organization', str('organization', 64));
  set('organizationUnit', str('organizationUnit', 128, 'organicationUnit'));
  set('locality', str('locality', 128));
  set('stateProvince', str('stateProvince', 128));
  set('streetAddress', str('streetAddress', 128));
  set('country', country);
  return out;
}

export function keyType(v: unknown, required: boolean, fallback: NcpKeyType): NcpKeyType {
  if (v === undefined || v === null || v === '') {
    if (required) {
      throw bad('EMPTY_KEY_TYPE', 'keyType is required');
    }
    return fallback;
  }
  if (!NCP_KEY_TYPES.includes(v as NcpKeyType)) {
    throw bad('INVALID_X509_KEY_TYPE', `keyType must be one of ${NCP_KEY_TYPES.join(', ')}`);
  }
  return v as NcpKeyType;
}

/** Validity end for `period` (days or MAX), never beyond the issuer's. */
export function notAfter(nowMs: number, period: unknown, issuerNotAfter: number | undefined, fallbackDays: number): number {
  const now = wholeSeconds(nowMs);
  if (period === undefined || period === null || period === '') {
    const end = now + fallbackDays * DAY;
    return issuerNotAfter !== undefined ? Math.min(end, issuerNotAfter) : end;
  }
  if (period === 'MAX') {
    return issuerNotAfter ?? now + 3650 * DAY;
  }
  const s = String(period);
  if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > 3650) {
    throw bad('INVALID_INPUT_PERIOD', `period must be 1-3650 days or MAX, not '${s}'`);
  }
  const end = now + Number(s) * DAY;
  if (issuerNotAfter !== undefined && end > issuerNotAfter) {
    throw bad('EXCEED_EXPIRY_DATE', `a certificate valid for ${s} days would outlive its issuer, which expires ${new Date(issuerNotAfter).toISOString()}; use a shorter period or MAX`);
  }
  return end;
}

export function pageNo(v: string | null): number {
  if (v === null || v === '') {
    return 1;
  }
  if (!/^\d+$/.test(v) || Number(v) < 1) {
    throw bad('INVALID_REQUEST', `pageNo must be a positive integer, not '${v}'`);
  }
  return Number(v);
}
