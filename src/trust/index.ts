// Trusting a dev CA on this computer: plan (commands shown before anything runs), install, record,
// uninstall exactly what was recorded, and status (stores by fingerprint, plus runtimes). Node-side,
// no vscode: the CLI and the extension share it; the caller asks the user between plan and run.
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { writeAtomic } from '../files/safeWrite';
import type { TrustCa } from './ca';
import { runtimeChecks, type RuntimeCheck } from './runtime';
import { storesOf, type Step, type Store, type TrustConfig } from './stores';

export { pickCa, trustCa, trustWarnings, NotACa, type TrustCa, type TrustWarning } from './ca';
export { configFromFile, needSudo, defaultConfig, describeStep, runStep, storesOf, type Step, type Store, type TrustConfig } from './stores';
export { runtimeChecks, type RuntimeCheck, type RuntimeReason } from './runtime';

/** What was done to one store, with the commands that undo it. */
export interface StoreRecord {
  store: string;
  label: string;
  undo: Step[];
  at: string;
}

/** One trusted CA in the state file. */
export interface TrustRecord {
  sha256: string;
  subject: string;
  /** The CA copy the install commands read (kept for uninstall and NODE_EXTRA_CA_CERTS). */
  file: string;
  stores: StoreRecord[];
}

interface StateFile {
  version: 1;
  trusted: TrustRecord[];
}

/** Reads the state file (empty when there is none yet). */
export function readState(config: TrustConfig): TrustRecord[] {
  try {
    const s = JSON.parse(readFileSync(config.stateFile, 'utf8')) as StateFile;
    return Array.isArray(s.trusted) ? s.trusted : [];
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw new Error(`cannot read the trust record ${config.stateFile}: ${(err as Error).message}`);
  }
}

function writeState(config: TrustConfig, trusted: TrustRecord[]): void {
  writeAtomic(config.stateFile, `${JSON.stringify({ version: 1, trusted } satisfies StateFile, null, 2)}\n`, 0o600);
}

/** Where the copy of a CA lives (beside the state file). */
export function caFile(config: TrustConfig, ca: TrustCa): string {
  return join(dirname(config.stateFile), 'cas', `${ca.sha256.slice(0, 16)}.pem`);
}

/** What `install` would do: per store not trusting the CA yet, the commands. */
export interface InstallPlan {
  ca: TrustCa;
  file: string;
  steps: { store: Store; steps: Step[] }[];
  /** Stores that already trust it (nothing to do there). */
  already: Store[];
}

export function planInstall(config: TrustConfig, ca: TrustCa, only?: (s: Store) => boolean): InstallPlan {
  const file = caFile(config, ca);
  const stores = storesOf(config).filter((s) => !only || only(s));
  const already = stores.filter((s) => s.trusts(ca));
  return { ca, file, already, steps: stores.filter((s) => !already.includes(s)).map((store) => ({ store, steps: store.install(ca, file) })) };
}

/** Runs one store's commands (all of them, in order); throws when one fails. */
export type RunSteps = (steps: Step[], store: Store) => void | Promise<void>;

/**
 * Runs a plan store by store, recording each store as soon as its commands succeeded (so a later
 * failure still leaves an exact record of what to undo).
 */
export async function install(config: TrustConfig, plan: InstallPlan, run: RunSteps): Promise<StoreRecord[]> {
  writeAtomic(plan.file, plan.ca.pem, 0o644);
  const done: StoreRecord[] = [];
  for (const { store, steps } of plan.steps) {
    await run(steps, store);
    done.push({ store: store.id, label: store.label, undo: store.uninstall(plan.ca, plan.file), at: new Date().toISOString() });
    const state = readState(config);
    const rec = state.find((r) => r.sha256 === plan.ca.sha256) ?? { sha256: plan.ca.sha256, subject: plan.ca.info.subject, file: plan.file, stores: [] };
    rec.stores = [...rec.stores.filter((s) => s.store !== store.id), done[done.length - 1]];
    writeState(config, [...state.filter((r) => r.sha256 !== plan.ca.sha256), rec]);
  }
  return done;
}

/** The recorded undo commands for one CA (by SHA-256), or for every recorded CA. */
export function planUninstall(config: TrustConfig, sha256?: string): TrustRecord[] {
  return readState(config).filter((r) => !sha256 || r.sha256 === sha256);
}

/** Runs the recorded undo commands, dropping each store from the record once undone. */
export async function uninstall(config: TrustConfig, records: TrustRecord[], run: (steps: Step[], store: StoreRecord) => void | Promise<void>): Promise<StoreRecord[]> {
  const undone: StoreRecord[] = [];
  for (const rec of records) {
    for (const s of rec.stores) {
      await run(s.undo, s);
      undone.push(s);
      const state = readState(config);
      const cur = state.find((r) => r.sha256 === rec.sha256);
      if (cur) {
        cur.stores = cur.stores.filter((x) => x.store !== s.store);
        writeState(config, cur.stores.length ? state : state.filter((r) => r !== cur));
      }
    }
  }
  return undone;
}

/** Per store: whether it trusts the CA now, and whether we recorded putting it there. */
export function storeStatus(config: TrustConfig, ca: TrustCa): { store: Store; trusted: boolean; recorded: boolean }[] {
  const rec = readState(config).find((r) => r.sha256 === ca.sha256);
  return storesOf(config).map((store) => ({ store, trusted: store.trusts(ca), recorded: !!rec?.stores.some((s) => s.store === store.id) }));
}

/** What the runtimes (Node, Python requests, curl, Java, VS Code) would say of `ca` with the stores as they are now; `file`: a PEM of the CA, for the fixes offered. */
export function runtimesFor(config: TrustConfig, ca: TrustCa, file: string, env: NodeJS.ProcessEnv): RuntimeCheck[] {
  const stores = storeStatus(config, ca);
  const os = stores.find((s) => s.store.id.startsWith('os:'));
  const java = stores.find((s) => s.store.id.startsWith('java:'));
  return runtimeChecks(env, ca.sha256, file, os?.trusted ?? false, config.os.bundle, java ? java.trusted : undefined);
}
