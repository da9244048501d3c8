// The local NCP emulator: the same signed HTTP API as NAVER Cloud's Private CA and Certificate
// Manager, on loopback, with durable state and real certificates. Used in-process by the
// extension's "Local emulator" profile, standalone by `ncloud-pki emulator`, and by the tests.
import type { AddressInfo } from 'node:net';
import { createEmulatorServer, isLoopback, type Credentials, type Fault, type LogLine } from './server';
import { Service } from './service';

import type { Sync } from './store';
export type { Credentials as EmulatorCredentials, Fault, LogLine } from './server';
export { isLoopback } from './server';

/** The local emulator's published key pair: accepted on loopback only (see startEmulator). */
export const DEFAULT_CREDENTIALS: Credentials = { accessKey: 'EMULATOR-ACCESS-KEY', secretKey: 'EMULATOR-SECRET-KEY' };

export interface EmulatorOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Where state lives (created if missing; files are mode 0600). */
  dataDir: string;
  credentials?: Credentials[];
  /** Clock in epoch ms (tests move it). */
  now?: () => number;
  /**
   * Emulator-only: shifts the PKI's clock (issuance, CRLs, expiry, reissue) by this many ms, so
   * certificates can be minted already expired or not yet valid. The gateway keeps real time, so
   * clients still sign with theirs.
   */
  clockOffsetMs?: number;
  /** Emulator-only: shifts the gateway's clock (the 5-minute signature window and the Date header), to rehearse clock skew. */
  gatewaySkewMs?: number;
  /** Request log (error lines are rate-limited; keys and bodies are never in it). */
  log?: (line: LogLine) => void;
  /** Host header values accepted besides loopback names (`*`: any). Default: the bound host when it is not a wildcard. */
  allowedHosts?: string[];
  caPageSize?: number;
  certPageSize?: number;
  /** How long a Certificate Manager reissue stays ONGOING (default 3 s). */
  cmIssueDelayMs?: number;
  /** Seed Certificate Manager with a few certificates on first start (default true). */
  seed?: boolean;
  /** Tests: wraps the journal's fsync, to check what each one covers before requests are answered. */
  journalSync?: Sync;
}

export interface RunningEmulator {
  /** Origin, e.g. http://127.0.0.1:8787 */
  url: string;
  port: number;
  /** Emulator-only: moves the PKI's clock to real time + `ms` (the gateway keeps its own). */
  setClockOffset(ms: number): void;
  /** Emulator-only: how far the PKI's clock is from real time, in ms. */
  clockOffset(): number;
  /** Injects faults into the next matching requests. */
  inject(fault: Fault): void;
  /** Drops every pending injected fault. */
  clearFaults(): void;
  /** Requests seen per `METHOD path`. */
  readonly counts: Map<string, number>;
  /** Forgets all state (and seeds again unless disabled). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** A configuration the emulator refuses to start with; the message says what to do. */
export class EmulatorConfigError extends Error {
  override readonly name = 'EmulatorConfigError';
}

/** Starts the emulator and resolves once it listens. */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const creds = options.credentials ?? [DEFAULT_CREDENTIALS];
  if (!isLoopback(host) && creds.some((c) => c.accessKey === DEFAULT_CREDENTIALS.accessKey || c.secretKey === DEFAULT_CREDENTIALS.secretKey)) {
    // The default keys are published: on a reachable address anyone could create CAs with them.
    throw new EmulatorConfigError(
      `refusing to listen on ${host} with the published default keys: anyone who can reach it could use the emulator. ` +
        'Pass your own keys (--access-key/--secret-key, or the environment variables NCLOUD_PKI_EMULATOR_ACCESS_KEY and NCLOUD_PKI_EMULATOR_SECRET_KEY), or listen on 127.0.0.1.',
    );
  }
  // Emulator-only: a clock moved by --clock-offset (and setClockOffset) for the API, the gateway's
  // signature window and the Date header, so certificates can be minted expired or not yet valid.
  let clockOffsetMs = options.clockOffsetMs ?? 0;
  const base = options.now ?? Date.now;
  const now = () => base() + clockOffsetMs;
  const gatewaySkewMs = options.gatewaySkewMs ?? 0;
  const gatewayNow = () => base() + gatewaySkewMs;
  let origin = '';
  const service = new Service({
    dataDir: options.dataDir,
    now,
    publicOrigin: () => origin,
    caPageSize: options.caPageSize ?? 20,
    certPageSize: options.certPageSize ?? 50,
    cmIssueDelayMs: options.cmIssueDelayMs ?? 3000,
    ...(options.journalSync ? { journalSync: options.journalSync } : {}),
  });
  const faults: Fault[] = [];
  const counts = new Map<string, number>();
  const wildcard = host === '0.0.0.0' || host === '::' || host === '';
  const allowedHosts = options.allowedHosts ?? (wildcard ? [] : [host.toLowerCase()]);
  const clock = {
    offsetMs: () => clockOffsetMs,
    setOffsetMs: (ms: number) => {
      clockOffsetMs = ms;
    },
    now,
  };
  const server = createEmulatorServer({ service, credentials: () => creds, now: gatewayNow, faults, counts, allowedHosts, clock, ...(options.log ? { log: options.log } : {}) });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (options.seed !== false) {
    await service.cm.seedCm();
  }
  return {
    url: origin,
    port,
    counts,
    inject: (f) => faults.push({ ...f }),
    setClockOffset: (ms) => {
      clockOffsetMs = ms;
    },
    clockOffset: () => clockOffsetMs,
    clearFaults: () => {
      faults.length = 0;
    },
    reset: async () => {
      service.store.clear();
      faults.length = 0;
      counts.clear();
      if (options.seed !== false) {
        await service.cm.seedCm();
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          service.store.close();
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
