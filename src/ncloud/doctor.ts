// "Is this profile working?": both APIs of the profile reached, the signature accepted, the clock
// compared with NCP's Date header, and permission to list CAs and Certificate Manager
// certificates. Each check says what is wrong and what to do. Used by `ncloud-pki doctor` and the
// extension's "NCP PKI: Test Connection".
import { CertificateManagerApi } from './cm';
import { NcpError } from './errors';
import { PrivateCaApi } from './pca';
import { endpointsOf, type Target } from './sites';
import { Transport, type Credentials, type RequestLog, type TransportOptions } from './transport';

export interface DoctorCheck {
  /** Stable id: `pca`, `cm`, `clock`. */
  id: 'pca' | 'cm' | 'clock';
  ok: boolean;
  /** One line: what was found. */
  detail: string;
  /** What to do, when not ok. */
  fix?: string;
}

export interface DoctorReport {
  ok: boolean;
  checks: DoctorCheck[];
  /** Local clock minus the server's, in ms (from the Date header), when a server answered. */
  skewMs?: number;
}

/** Skew (ms) the report warns about; NCP refuses requests beyond 5 minutes. */
const WARN_SKEW_MS = 60_000;

/** Runs the checks against a target with credentials; never throws for what it finds. */
export async function doctor(options: { target: Target; credentials: Credentials } & Partial<Pick<TransportOptions, 'agents' | 'timeouts' | 'now' | 'record'>>): Promise<DoctorReport> {
  const now = options.now ?? Date.now;
  let skewMs: number | undefined;
  const log = (l: RequestLog) => {
    if (l.serverDate !== undefined) {
      skewMs = now() - l.serverDate;
    }
  };
  const endpoints = endpointsOf(options.target);
  const transport = new Transport({ ...options, retry: { retries: 0 }, timeouts: { connectMs: 5_000, headersMs: 10_000, bodyMs: 10_000, ...options.timeouts }, log });
  const client = { pca: new PrivateCaApi(transport, endpoints.pca), cm: new CertificateManagerApi(transport, endpoints.cm) };
  try {
    const pca = await check('pca', 'Private CA', () => client.pca.listCas(1).then((p) => `${p.totalCnt} CA(s) listed`));
    const cm = await check('cm', 'Certificate Manager', () => client.cm.list({ page: 1, pageSize: 1 }).then((p) => `${p.totalCount} certificate(s) listed`));
    const checks = [pca, cm];
    if (skewMs !== undefined) {
      const off = Math.abs(skewMs);
      const words = `${Math.round(off / 1000)} s ${skewMs > 0 ? 'ahead of' : 'behind'} the server's`;
      checks.push(off > WARN_SKEW_MS ? { id: 'clock', ok: false, detail: `this computer's clock is ${words}`, fix: 'Sync the clock (enable network time): NCP refuses requests more than 5 minutes off.' } : { id: 'clock', ok: true, detail: `clock within ${Math.max(1, Math.round(off / 1000))} s of the server's` });
    }
    return { ok: checks.every((c) => c.ok), checks, ...(skewMs !== undefined ? { skewMs } : {}) };
  } finally {
    await transport.close();
  }
}

async function check(id: 'pca' | 'cm', api: string, run: () => Promise<string>): Promise<DoctorCheck> {
  try {
    return { id, ok: true, detail: `${api}: reached, signature accepted, ${await run()}` };
  } catch (err) {
    if (!(err instanceof NcpError)) {
      return { id, ok: false, detail: `${api}: ${(err as Error).message}`, fix: 'Check the endpoint of this profile.' };
    }
    const what: Record<string, string> = {
      network: 'not reachable',
      timeout: 'did not answer in time',
      auth: err.skewMs !== undefined ? 'refused the request: the clocks differ by more than 5 minutes' : 'refused the signature (access key or secret key wrong)',
      permission: 'reached, signature accepted, but this key may not list here',
      contract: 'answered in a shape this version does not know',
    };
    return { id, ok: false, detail: `${api}: ${what[err.kind] ?? err.message} (${err.message}${err.code ? ` [${err.code}]` : ''})`, fix: err.hint };
  }
}
