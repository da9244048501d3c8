// "Trust CA on This Computer…" and "Remove Trust…": the CLI's plan/run code (src/trust) behind a
// modal that shows every command and where it runs. Commands that need elevation run in a terminal
// the user sees (sudo asks there); the others run at once. What was trusted is recorded in global
// storage, so "Remove Trust…" undoes exactly that. Outside production, NCLOUD_PKI_TRUST_CONFIG
// points every store at a sandbox (the integration tests), as it does for the CLI.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RuntimeCheck, Step, TrustCa, TrustConfig, TrustWarning } from '../../trust';
import type { BackendModule } from '../services';
import type { Ext } from '../ext';
import { CaNode } from '../tree';
import { caFor } from './cas';

const t = vscode.l10n.t;
type TrustModule = BackendModule['trust'];

/** What trustCa returns (for tests): the stores now trusting the CA, by label. */
export interface TrustResult {
  sha256: string;
  stores: string[];
  /** What Node, Python requests, curl, Java and VS Code would now say of the CA. */
  runtimes: RuntimeCheck[];
}

function config(ext: Ext, m: TrustModule): TrustConfig {
  const base = m.defaultConfig(homedir(), process.platform, ext.ctx.extension.globalStorageUri.fsPath);
  const sandbox = ext.ctx.extension.extensionMode === vscode.ExtensionMode.Production ? undefined : process.env.NCLOUD_PKI_TRUST_CONFIG;
  return sandbox ? m.configFromFile(sandbox, base) : base;
}

function warningText(w: TrustWarning): string {
  switch (w.kind) {
    case 'not-dev':
      return t('"{0}" was not created for development (it did not come from the local emulator): this computer will trust every certificate it signs, for any name.', w.detail);
    case 'key-usage':
      return t('Its key usage allows more than signing certificates and CRLs: {0}.', w.detail);
    case 'ext-key-usage':
      return t('It may sign for more than TLS: {0}.', w.detail);
    case 'long-lived':
      return t('It is valid for more than 10 years (until {0}): remove the trust when you are done.', w.detail);
  }
}

/** The modal's list: per store, its commands as shell lines, the elevated ones marked. */
function describe(m: TrustModule, groups: { label: string; steps: Step[] }[], sudo: boolean): string {
  return groups
    .map((g) => {
      const inTerminal = g.steps.some((s) => s.elevated);
      return `${g.label}${inTerminal ? ` — ${t('in a terminal')}` : ''}:\n${g.steps.map((s) => `  ${m.describeStep(s, sudo)}`).join('\n')}`;
    })
    .join('\n\n');
}

/** Runs one store's commands: elevated ones in a visible terminal (waiting for them), the rest here. */
function runner(ext: Ext, m: TrustModule, sudo: boolean) {
  return async (steps: Step[], label: string): Promise<void> => {
    if (!steps.some((s) => s.elevated)) {
      for (const s of steps) {
        ext.ctx.log.info(`trust: ${m.describeStep(s, false)}`);
        m.runStep(s, false);
      }
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'ncloud-pki-trust-'));
    const marker = join(dir, 'status');
    const lines = steps.map((s) => m.describeStep(s, sudo));
    ext.ctx.log.info(`trust (terminal): ${lines.join(' && ')}`);
    const terminal = vscode.window.createTerminal({ name: t('NCP PKI: Trust'), ...(process.platform === 'win32' ? {} : { shellPath: '/bin/sh' }) });
    try {
      terminal.show();
      terminal.sendText(`${lines.join(' && ')}; echo $? > '${marker}'`);
      const code = await ext.services.run(t('Waiting for the commands in the terminal (sudo may ask for your password)'), (signal) => waitFor(marker, terminal, signal));
      if (code === undefined) {
        throw new Error(t('The terminal was closed or the wait was cancelled before the commands for {0} finished.', label));
      }
      if (code !== 0) {
        throw new Error(t('The commands for {0} failed in the terminal (exit {1}).', label, code));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** The exit status the terminal writes into `marker`; rejects when the terminal closes first. */
function waitFor(marker: string, terminal: vscode.Terminal, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearInterval(timer);
      closed.dispose();
    };
    const timer = setInterval(() => {
      let text = '';
      try {
        text = readFileSync(marker, 'utf8');
      } catch {
        return;
      }
      if (/\n$/.test(text)) {
        stop();
        resolve(Number(text.trim()));
      }
    }, 200);
    const closed = vscode.window.onDidCloseTerminal((x) => {
      if (x === terminal) {
        stop();
        reject(new Error(t('The terminal was closed')));
      }
    });
    signal.addEventListener('abort', () => {
      stop();
      reject(signal.reason as Error);
    });
  });
}

/** The CA to trust from what the command was invoked on: a CA node, a file, the editor, or a pick. */
async function source(ext: Ext, arg: unknown): Promise<{ input: string | Uint8Array; where: string; fromEmulator: boolean } | undefined> {
  if (arg instanceof vscode.Uri) {
    return { input: new Uint8Array(readFileSync(arg.fsPath)), where: vscode.workspace.asRelativePath(arg), fromEmulator: false };
  }
  const doc = vscode.window.activeTextEditor?.document;
  if (!(arg instanceof CaNode) && doc && /-----BEGIN CERTIFICATE-----/.test(doc.getText())) {
    return { input: doc.getText(), where: vscode.workspace.asRelativePath(doc.uri), fromEmulator: false };
  }
  const target = await caFor(ext, arg, t('Trust CA on This Computer'), (ca) => ca.caInfo.status === 'ACTIVE' || ca.caInfo.status === 'DEACTIVATED');
  if (!target) {
    return undefined;
  }
  const got = await ext.services.run(t('Reading {0}', target.ca.caInfo.alias), async (signal) => (await ext.services.client(target.profile)).pca.getCa(target.ca.caInfo.caTag, { signal }), target.profile);
  if (!got) {
    return undefined;
  }
  if (!got.caCertInfo?.certPem) {
    void vscode.window.showInformationMessage(t('{0} has no certificate yet.', target.ca.caInfo.alias));
    return undefined;
  }
  return { input: got.caCertInfo.certPem, where: target.ca.caInfo.alias, fromEmulator: target.profile.kind === 'emulator' };
}

/** "Trust CA on This Computer…" on a CA node, a chain/CA file, the active editor or a picked CA. */
export function trustCa(ext: Ext) {
  return async (arg?: unknown): Promise<TrustResult | undefined> => {
    const from = await source(ext, arg);
    return from && trustPem(ext, from.input, from.where, from.fromEmulator);
  };
}

/** Trusts the CA of `input` (the root of a chain), after showing the commands and asking. */
export async function trustPem(ext: Ext, input: string | Uint8Array, where: string, fromEmulator: boolean): Promise<TrustResult | undefined> {
  const m = ext.services.backend().trust;
  let ca: TrustCa;
  try {
    ca = m.pickCa(input);
  } catch (err) {
    if (!(err instanceof m.NotACa)) {
      throw err;
    }
    void vscode.window.showErrorMessage(
      err.leaf
        ? t('Cannot trust {0}: "{1}" is not a CA certificate (basicConstraints CA:FALSE), and only CA certificates can be trusted. Trust the CA that issued it instead ("{2}").', where, err.leaf.subject, err.leaf.issuer)
        : t('Cannot trust {0}: it holds no certificate.', where),
    );
    return undefined;
  }
  const cfg = config(ext, m);
  const plan = m.planInstall(cfg, ca);
  if (plan.steps.length === 0) {
    void vscode.window.showInformationMessage(plan.already.length ? t('"{0}" is already trusted in every store found ({1}).', ca.name, plan.already.map((s) => s.label).join(', ')) : t('No trust store was found on this computer.'));
    if (plan.already.length) {
      ext.walkthrough.mark('trust');
    }
    return { sha256: ca.sha256, stores: plan.already.map((s) => s.label), runtimes: offerRuntimeFixes(m.runtimesFor(cfg, ca, plan.file, process.env), ca.name) };
  }
  const sudo = m.needSudo(cfg);
  const detail = [
    ...m.trustWarnings(ca, fromEmulator).map((w) => `⚠ ${warningText(w)}`),
    `${ca.info.subject}\nSHA-256 ${ca.sha256}`,
    t('These commands will run (the CA is copied to {0} first):', plan.file),
    describe(
      m,
      plan.steps.map((p) => ({ label: p.store.label, steps: p.steps })),
      sudo,
    ),
    ...(plan.already.length ? [t('Already trusted: {0}', plan.already.map((s) => s.label).join(', '))] : []),
    t('"NCP PKI: Remove Trust…" undoes exactly these changes.'),
  ].join('\n\n');
  if (!(await ext.ctx.prompter.confirm(t('Trust "{0}" on this computer?', ca.name), detail, t('Trust')))) {
    return undefined;
  }
  const run = runner(ext, m, sudo);
  let done: { label: string }[] = [];
  try {
    done = await m.install(cfg, plan, (steps, store) => run(steps, store.label));
  } catch (err) {
    const recorded = m.readState(cfg).find((r) => r.sha256 === ca.sha256)?.stores.length ?? 0;
    void vscode.window.showErrorMessage(t('Trusting "{0}" stopped: {1} ({2} store(s) changed before that are recorded for "Remove Trust…").', ca.name, (err as Error).message, recorded));
    return undefined;
  }
  void vscode.window.showInformationMessage(t('"{0}" is now trusted in {1}. "NCP PKI: Remove Trust…" removes exactly this.', ca.name, done.map((d) => d.label).join(', ')));
  ext.walkthrough.mark('trust');
  return { sha256: ca.sha256, stores: [...plan.already.map((s) => s.label), ...done.map((d) => d.label)], runtimes: offerRuntimeFixes(m.runtimesFor(cfg, ca, plan.file, process.env), ca.name) };
}

/** "Remove Trust…": the recorded CAs, one picked, its recorded undo commands shown, asked, run. */
export function untrustCa(ext: Ext) {
  return async (): Promise<string[] | undefined> => {
    const m = ext.services.backend().trust;
    const cfg = config(ext, m);
    const records = m.readState(cfg).filter((r) => r.stores.length > 0);
    if (records.length === 0) {
      void vscode.window.showInformationMessage(t('NCP PKI has trusted no CA on this computer.'));
      return undefined;
    }
    const pick = await ext.ctx.prompter.pick(
      records.map((r) => ({ label: r.subject, description: `SHA-256 ${r.sha256.slice(0, 16)}…`, detail: r.stores.map((s) => s.label).join(', '), record: r })),
      { title: t('Remove Trust'), placeHolder: t('The CAs NCP PKI trusted on this computer') },
    );
    if (!pick) {
      return undefined;
    }
    const sudo = m.needSudo(cfg);
    const detail = [
      t('These commands will run (they undo what "Trust CA on This Computer…" recorded, nothing else):'),
      describe(
        m,
        pick.record.stores.map((s) => ({ label: s.label, steps: s.undo })),
        sudo,
      ),
    ].join('\n\n');
    if (!(await ext.ctx.prompter.confirm(t('Remove the trust in "{0}"?', pick.label), detail, t('Remove Trust')))) {
      return undefined;
    }
    const run = runner(ext, m, sudo);
    try {
      const undone = await m.uninstall(cfg, [pick.record], (steps, store) => run(steps, store.label));
      void vscode.window.showInformationMessage(t('"{0}" is no longer trusted in {1}.', pick.label, undone.map((s) => s.label).join(', ')));
      return undone.map((s) => s.label);
    } catch (err) {
      void vscode.window.showErrorMessage(t('Removing the trust in "{0}" stopped: {1}', pick.label, (err as Error).message));
      return undefined;
    }
  };
}

/** A runtime's verdict in the user's language. */
function runtimeText(c: RuntimeCheck): string {
  const r = c.reason;
  switch (r.id) {
    case 'env-holds':
      return t('{0} holds the CA', r.setting);
    case 'env-lacks':
      return t('{0} does not hold the CA', r.setting);
    case 'node-default':
      return t('Node uses its own copy of the public roots, not the OS store, unless NODE_EXTRA_CA_CERTS is set');
    case 'requests-default':
      return t('requests uses certifi’s bundle, not the OS store, unless REQUESTS_CA_BUNDLE is set');
    case 'os-trusts':
      return t('they read the OS store, which trusts the CA');
    case 'os-lacks':
      return t('they read the OS store, which does not trust the CA');
    case 'java-holds':
      return t('its cacerts holds the CA');
    case 'java-lacks':
      return t('its cacerts does not hold the CA');
    case 'vscode-os':
      return t('it adds the OS store’s roots while the setting http.systemCertificates is on (the default)');
    case 'vscode-no-os':
      return t('it trusts the OS store (http.systemCertificates), which does not trust the CA');
  }
}

/**
 * Trusted in the stores is not trusted everywhere: names the runtimes that would still reject the
 * CA's certificates and why, and offers the exact lines that fix them (copied, never written into
 * anyone's shell files). Does not wait for the answer; returns the checks.
 */
function offerRuntimeFixes(checks: RuntimeCheck[], name: string): RuntimeCheck[] {
  const rejecting = checks.filter((c) => !c.accepts);
  if (rejecting.length) {
    const copy = t('Copy the Settings');
    void vscode.window
      .showWarningMessage(t('These would still reject certificates from "{0}": {1}', name, rejecting.map((c) => `${c.runtime} (${runtimeText(c)})`).join('; ')), copy)
      .then(async (pick) => {
        if (pick === copy) {
          await vscode.env.clipboard.writeText(`${rejecting.flatMap((c) => (c.fix ? [c.fix] : [])).join('\n')}\n`);
        }
      });
  }
  return checks;
}
