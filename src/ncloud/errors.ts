/** What went wrong, in terms a user can act on. */
export type NcpErrorKind = 'auth' | 'permission' | 'notFound' | 'validation' | 'state' | 'quota' | 'server' | 'network' | 'timeout' | 'cancelled' | 'contract' | 'closed';

export interface NcpErrorInit {
  kind: NcpErrorKind;
  message: string;
  code?: string;
  status?: number;
  method?: string;
  path?: string;
  skewMs?: number;
  cause?: unknown;
}

/** Brands NcpErrors across bundles: the extension's and the backend's copies of this class are distinct. */
const BRAND = Symbol.for('ncloud-pki.NcpError');

/**
 * The one error type of the NCP client. `code` is NCP's (e.g. `ALREADY_EXIST_ALIAS`, gateway `200`,
 * Certificate Manager `2200`) or the transport's (`ECONNREFUSED`, `HEADERS_TIMEOUT`); `hint` is a sentence that
 * tells the user what to do next.
 */
export class NcpError extends Error {
  /**
   * `instanceof NcpError` holds for an NcpError made by any copy of this class (each esbuild bundle
   * has its own), as Node's errors do; a plain Error named 'NcpError' is not one.
   */
  static override [Symbol.hasInstance](x: unknown): boolean {
    return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[BRAND] === true;
  }

  readonly [BRAND] = true;
  readonly kind: NcpErrorKind;
  readonly code?: string;
  readonly status?: number;
  readonly method?: string;
  readonly path?: string;
  /** Local clock minus NCP's, when a 401 was caused by clock skew. */
  readonly skewMs?: number;
  readonly hint: string;

  constructor(init: NcpErrorInit) {
    super(init.message, init.cause !== undefined ? { cause: init.cause } : undefined);
    this.name = 'NcpError';
    this.kind = init.kind;
    this.code = init.code;
    this.status = init.status;
    this.method = init.method;
    this.path = init.path;
    this.skewMs = init.skewMs;
    this.hint = hintFor(init);
  }
}

const CODE_HINTS: Record<string, string> = {
  ALREADY_EXIST_ALIAS: 'Choose another alias: CA aliases are unique in the account.',
  EXCEED_EXPIRY_DATE: 'Choose a shorter validity (or MAX): a certificate can never outlive its issuer.',
  INVALID_CA_STATUS: 'Activate the CA first (only an ACTIVE CA can sign; only a CA in DESTROYING can be deleted).',
  INVALID_STATUS: 'This status change is not allowed from the CA\'s current status.',
  INVALID_ISSUER_CA: 'Activate the issuing CA first.',
  NOT_EXIST_ISSUER_CA: 'The issuing CA no longer exists: refresh the view and pick another.',
  INVALID_X509_IP: 'IP SANs must be IPv4 or IPv6 addresses, comma separated.',
  INVALID_INPUT_PERIOD: 'The validity must be 1-3650 days, or MAX.',
  EXCEED_CA_ALIAS: 'Use an alias of 3-15 letters, digits, - or _, starting with a letter.',
  EXCEED_COMMON_NAME: 'Use a common name of at most 64 characters.',
};

function minutes(ms: number): string {
  const m = Math.round(Math.abs(ms) / 60_000);
  return `${m} minute${m === 1 ? '' : 's'}`;
}

/** The next step for an error, in English (the CLI's words; the extension has its own, translated). */
export function hintFor(e: Pick<NcpErrorInit, 'kind' | 'code' | 'skewMs'>): string {
  if (e.code && CODE_HINTS[e.code]) {
    return CODE_HINTS[e.code];
  }
  switch (e.kind) {
    case 'auth':
      if (e.skewMs !== undefined) {
        return `Your computer's clock is ${minutes(e.skewMs)} ${e.skewMs > 0 ? 'ahead of' : 'behind'} NCP's; NCP refuses requests more than 5 minutes off. Sync the clock (e.g. enable network time) and retry.`;
      }
      return 'Check the access key and secret key of this profile (NCP console → My Page → Account Management → Authentication Key Management).';
    case 'permission':
      return 'This key is not allowed to do that: grant the sub-account a Private CA / Certificate Manager role, or use another key.';
    case 'notFound':
      return 'It may have been deleted or never existed: refresh the view.';
    case 'validation':
      return 'Correct the input and try again.';
    case 'state':
      return 'Refresh the view to see the current state, then try again.';
    case 'quota':
      return 'NCP is limiting requests from this account: wait a minute, then retry.';
    case 'server':
      return 'NCP had an internal error: retry in a moment; if it persists, check NCP\'s service status.';
    case 'network':
      return 'Could not reach NCP: check the network, the proxy, or the endpoint of this profile.';
    case 'timeout':
      return 'NCP did not answer in time: retry in a moment.';
    case 'cancelled':
      return 'Cancelled.';
    case 'contract':
      return 'NCP answered in a shape this version does not know, so nothing was written. Update ncloud-pki; if it persists, report it with a recording (--record DIR).';
    case 'closed':
      return 'NCP PKI sent this through a connection it had already closed: a bug in the extension, not your network. Refresh the view to retry, and please report it with the NCP PKI log.';
  }
}

/** The error kind for a Private CA envelope code (and its HTTP status). */
export function kindOfCode(code: string, status: number): NcpErrorKind {
  if (code === 'NOT_FOUND' || status === 404) {
    return 'notFound';
  }
  if (code === 'UNAUTHORIZED' || status === 401) {
    return 'auth';
  }
  if (code === 'FORBIDDEN' || code === 'NOT_AUTHORIZED_ACTION' || status === 403) {
    return 'permission';
  }
  if (code === 'INTERNAL_SERVER_ERROR' || status >= 500) {
    return 'server';
  }
  if (['INVALID_STATUS', 'INVALID_CA_STATUS', 'INVALID_ISSUER_CA', 'ALREADY_EXIST_ALIAS', 'INVALID_CERT'].includes(code)) {
    return 'state';
  }
  if (status === 429) {
    return 'quota';
  }
  return 'validation';
}
