// `ncloud-pki trust install|uninstall|status [--ca TAG | --file PEM]`: a dev CA trusted by this
// computer's stores, the exact commands shown and confirmed first, and every change recorded so
// `uninstall` removes exactly what was added. `--stores FILE` (or NCLOUD_PKI_TRUST_CONFIG) points
// every store at other paths and commands: the tests' sandbox.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { colonHex } from '../pki';
import {
  configFromFile,
  defaultConfig,
  needSudo,
  describeStep,
  install,
  NotACa,
  pickCa,
  planInstall,
  planUninstall,
  readState,
  runStep,
  runtimeChecks,
  storeStatus,
  trustWarnings,
  uninstall,
  type Step,
  type TrustCa,
  type TrustConfig,
} from '../trust';
import { client } from './api';
import { opt, UsageError, type Args } from './args';
import type { CommandMain } from './main';

/** The user's config folder for ncloud-pki (the trust record lives there). */
function configDir(): string {
  if (process.env.NCLOUD_PKI_CONFIG_DIR) {
    return process.env.NCLOUD_PKI_CONFIG_DIR;
  }
  const home = homedir();
  if (process.platform === 'darwin') {
    return join(home, 'Library/Application Support/ncloud-pki');
  }
  if (process.platform === 'win32') {
    return join(process.env.APPDATA ?? join(home, 'AppData/Roaming'), 'ncloud-pki');
  }
  return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'ncloud-pki');
}

function loadConfig(a: Args): TrustConfig {
  const file = opt(a, 'stores') ?? process.env.NCLOUD_PKI_TRUST_CONFIG;
  const base = defaultConfig(homedir(), process.platform, configDir());
  return file ? configFromFile(file, base) : base;
}

/** The CA named on the command line, and whether it came from the local emulator. */
async function caFromArgs(a: Args): Promise<{ ca: TrustCa; fromEmulator: boolean } | undefined> {
  const file = opt(a, 'file');
  const tag = opt(a, 'ca');
  if (file && tag) {
    throw new UsageError('give --file or --ca, not both');
  }
  if (file) {
    return { ca: pickCa(new Uint8Array(readFileSync(file))), fromEmulator: false };
  }
  if (tag) {
    const c = client(a);
    try {
      const got = await c.pca.getCa(tag);
      if (!got.caCertInfo?.certPem) {
        throw new Error(`CA ${tag} has no certificate yet (status ${got.caInfo.status})`);
      }
      const endpoint = opt(a, 'endpoint');
      return { ca: pickCa(got.caCertInfo.certPem), fromEmulator: !!endpoint && /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/.test(endpoint) };
    } finally {
      await c.close();
    }
  }
  return undefined;
}


/** Asks before running: --yes confirms; without it, only an interactive terminal may say yes. */
async function confirm(a: Args, question: string): Promise<boolean> {
  if (a.options.has('yes')) {
    return true;
  }
  if (!process.stdin.isTTY) {
    throw new Error('stdin is not a terminal: read the commands above and re-run with --yes to run them');
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

function header(ca: TrustCa): string {
  return `"${ca.name}" (${ca.info.subject})\n  SHA-256 ${colonHex(ca.sha256)}\n`;
}

function printSteps(groups: { label: string; steps: Step[] }[], sudo: boolean): void {
  for (const g of groups) {
    process.stdout.write(`  ${g.label}:\n${g.steps.map((s) => `    ${describeStep(s, sudo)}\n`).join('')}`);
  }
}

async function installCmd(a: Args, config: TrustConfig): Promise<number> {
  const picked = await caFromArgs(a);
  if (!picked) {
    throw new UsageError('trust install needs --file CA.pem or --ca TAG');
  }
  const { ca, fromEmulator } = picked;
  const kinds = opt(a, 'only')?.split(',');
  const plan = planInstall(config, ca, kinds ? (s) => kinds.includes(s.id.split(':')[0]) : undefined);
  process.stdout.write(`Trusting ${header(ca)}`);
  for (const w of trustWarnings(ca, fromEmulator)) {
    process.stderr.write(`warning: ${w.text}\n`);
  }
  for (const s of plan.already) {
    process.stdout.write(`  already trusted: ${s.label}\n`);
  }
  if (plan.steps.length === 0) {
    process.stdout.write('Nothing to do.\n');
    return 0;
  }
  const sudo = needSudo(config);
  process.stdout.write(`These commands will run (the CA is copied to ${plan.file} first):\n`);
  printSteps(
    plan.steps.map((p) => ({ label: p.store.label, steps: p.steps })),
    sudo,
  );
  if (!(await confirm(a, 'Run them?'))) {
    process.stdout.write('Nothing changed.\n');
    return 1;
  }
  const done = await install(config, plan, (steps) => steps.forEach((s) => runStep(s, sudo)));
  process.stdout.write(`Trusted in ${done.length} store(s); recorded in ${config.stateFile} (ncloud-pki trust uninstall removes exactly these).\n`);
  return 0;
}

async function uninstallCmd(a: Args, config: TrustConfig): Promise<number> {
  const picked = await caFromArgs(a);
  const records = planUninstall(config, picked?.ca.sha256);
  if (records.every((r) => r.stores.length === 0)) {
    process.stdout.write(picked ? `Nothing recorded for ${header(picked.ca)}` : 'Nothing recorded: ncloud-pki has trusted no CA here.\n');
    return 0;
  }
  const sudo = needSudo(config);
  process.stdout.write('These commands will run (they undo what ncloud-pki trust install recorded, nothing else):\n');
  for (const r of records) {
    process.stdout.write(`  ${r.subject} (SHA-256 ${colonHex(r.sha256)})\n`);
    printSteps(
      r.stores.map((s) => ({ label: s.label, steps: s.undo })),
      sudo,
    );
  }
  if (!(await confirm(a, 'Run them?'))) {
    process.stdout.write('Nothing changed.\n');
    return 1;
  }
  const undone = await uninstall(config, records, (steps) => steps.forEach((s) => runStep(s, sudo)));
  process.stdout.write(`Removed from ${undone.length} store(s).\n`);
  return 0;
}

async function statusCmd(a: Args, config: TrustConfig): Promise<number> {
  const picked = await caFromArgs(a);
  const state = readState(config);
  const cas = picked ? [picked.ca] : state.map((r) => pickCa(new Uint8Array(readFileSync(r.file))));
  const report = cas.map((ca) => {
    const stores = storeStatus(config, ca);
    const os = stores.find((s) => s.store.id.startsWith('os:'));
    const java = stores.find((s) => s.store.id.startsWith('java:'));
    const file = state.find((r) => r.sha256 === ca.sha256)?.file ?? opt(a, 'file') ?? 'CA.pem';
    return {
      subject: ca.info.subject,
      sha256: ca.sha256,
      stores: stores.map((s) => ({ store: s.store.id, label: s.store.label, trusted: s.trusted, recorded: s.recorded })),
      runtimes: runtimeChecks(process.env, ca.sha256, file, os?.trusted ?? false, config.os.bundle, java ? java.trusted : undefined),
    };
  });
  if (a.options.has('json')) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  if (report.length === 0) {
    process.stdout.write('ncloud-pki has trusted no CA here (give --file or --ca to check one).\n');
  }
  for (const r of report) {
    process.stdout.write(`${r.subject}\n  SHA-256 ${colonHex(r.sha256)}\n`);
    for (const s of r.stores) {
      process.stdout.write(`  ${s.trusted ? 'trusted    ' : 'not trusted'}  ${s.label}${s.recorded ? ' (installed by ncloud-pki)' : ''}\n`);
    }
    for (const c of r.runtimes) {
      process.stdout.write(`  ${c.accepts ? 'accepts' : 'rejects'}  ${c.runtime}: ${c.why}${c.fix ? `\n             fix: ${c.fix}` : ''}\n`);
    }
  }
  return 0;
}

/** Runs `trust install|uninstall|status`; returns the exit code. */
export const main: CommandMain = async ([, verb], a) => {
  try {
    const config = loadConfig(a);
    switch (verb) {
      case 'install':
        return await installCmd(a, config);
      case 'uninstall':
        return await uninstallCmd(a, config);
      case 'status':
        return await statusCmd(a, config);
      default:
        throw new UsageError(verb ? `unknown command 'trust ${verb}'` : "'trust' needs install, uninstall or status");
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`ncloud-pki: ${err.message}\nrun 'ncloud-pki trust ${verb} --help' for usage\n`);
      return 2;
    }
    process.stderr.write(`ncloud-pki: ${err instanceof NotACa ? 'refusing to trust: ' : ''}${(err as Error).message}\n`);
    return 1;
  }
};
