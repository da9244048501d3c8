// Record NCP traffic (`--record DIR`, the setting `ncloudPki.recordTraffic`): each request and its
// answer as one JSON file, so users with an account can contribute what real NCP answers and
// `test/unit/ncloud/replay.test.ts` can replay it through the client. Nothing secret is written:
// the access key and signature headers are never recorded, private keys (fields and PEM blocks)
// are replaced, binary answers (Certificate Manager's ZIP holds the key) are left out, and the
// account's own numbers (memberNo, nrn, loginId) are masked.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EMULATOR_HEADER } from './vocabulary';

export { EMULATOR_HEADER };

/** One request and its answer, as written to a file. */
export interface Exchange {
  /** The client operation (`OPERATIONS` in contract.ts), when the call named one. */
  operation?: string;
  /** Who answered: our local emulator (it says so in a header), NCP's published hosts, or another endpoint. */
  from: 'emulator' | 'ncp' | 'custom endpoint';
  recordedAt: string;
  request: { method: string; path: string; body?: unknown };
  response: { status: number; contentType: string; body?: unknown; text?: string; omitted?: string };
}

export type Recorder = (x: Exchange) => void;

export const REDACTED = '[redacted by ncloud-pki]';

/** Fields whose value is a secret, wherever they appear. */
const SECRET_FIELDS = /^(privatekey|secretkey|accesskey|password|passphrase|passwd|token|signature)$/i;
/** Fields that identify the account: masked, keeping their JSON type so replays still parse. */
const ACCOUNT_FIELDS = /^(memberno|mbrno|nrn|loginid)$/i;

/** A PEM private key of any kind (PKCS#1, PKCS#8, encrypted, EC, OpenSSH), complete or cut short. */
function redactPemKeys(s: string): string {
  return s.replace(/-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g, REDACTED);
}

/** A copy of a JSON value with every secret replaced and account numbers masked. */
export function redact(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (SECRET_FIELDS.test(key) && value !== '') {
      return REDACTED;
    }
    if (ACCOUNT_FIELDS.test(key)) {
      // The account number becomes zeros; a login name is masked whole.
      const digits = value.replace(/[0-9]/g, '0');
      return /^loginid$/i.test(key) ? digits.replace(/[A-Za-z]/g, (c) => (c === c.toUpperCase() ? 'X' : 'x')) : digits;
    }
    return redactPemKeys(value);
  }
  if (typeof value === 'number' && ACCOUNT_FIELDS.test(key)) {
    return 0;
  }
  if (Array.isArray(value)) {
    return value.map((v) => redact(v, key));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, k)]));
  }
  return value;
}

/** Where an answer came from, by the emulator's header and NCP's published host names. */
export function answeredBy(origin: string, emulatorHeader: boolean): Exchange['from'] {
  if (emulatorHeader) {
    return 'emulator';
  }
  return /\.apigw\.(gov-|fin-)?ntruss\.com$/.test(new URL(origin).hostname) ? 'ncp' : 'custom endpoint';
}

/** The answer's body for the file: JSON redacted, text with keys removed, bytes left out. */
export function recordedBody(contentType: string, bytes: Uint8Array): Pick<Exchange['response'], 'body' | 'text' | 'omitted'> {
  const text = new TextDecoder().decode(bytes);
  if (contentType.includes('json') || /^\s*[[{]/.test(text)) {
    try {
      return { body: redact(JSON.parse(text)) };
    } catch {
      // Not JSON after all: kept as text below.
    }
  }
  if (bytes.length === 0) {
    return { text: '' };
  }
  if (/^(application\/(zip|octet-stream)|image\/)/.test(contentType) || bytes.includes(0)) {
    return { omitted: `${bytes.length} bytes of ${contentType || 'binary'}: not recorded (a ZIP from Certificate Manager holds the private key)` };
  }
  return { text: redactPemKeys(text) };
}

/**
 * A recorder writing one file per exchange into `dir` (created 0700 if missing; files 0600,
 * never replacing one). A file that cannot be written is reported through `warn` once per
 * reason, and never fails the call it records.
 */
export function fileRecorder(dir: string, warn: (message: string) => void): Recorder {
  let n = 0;
  const warned = new Set<string>();
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return (x) => {
    n++;
    const name = `${stamp}-${process.pid}-${String(n).padStart(3, '0')}-${x.operation ?? 'call'}.json`;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileSync(join(dir, name), `${JSON.stringify(x, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      if (!warned.has(why)) {
        warned.add(why);
        warn(`could not record ${x.request.method} ${x.request.path} in ${dir}: ${(err as Error).message}`);
      }
    }
  };
}
