// Connections to NCP (or the in-process emulator) per profile, progress with cancellation, and
// errors told as sentences with a next step. Loads dist/backend.js on first use.
import * as vscode from 'vscode';
import type * as Backend from './backend';
import type { DoctorReport, NcpClient, Recorder, RequestLog } from '../ncloud';
import { asNcpError, errorText, hint, isCancel } from './errors';
import type { RunningEmulator } from '../emulator';
import { recordFolder, setting } from './config';
import type { Context } from './context';
import type { Profile, Profiles } from './profiles';

export type BackendModule = typeof Backend;

/** What a client is made from: the profile as stored, and the recording folder (a change to either makes a new client). */
function madeOf(profile: Profile): string {
  return JSON.stringify([profile, recordFolder()]);
}

/** Actions quicker than this finish without a progress notification. */
const PROGRESS_DELAY_MS = 400;

export class Services implements vscode.Disposable {
  private backendModule: BackendModule | undefined;
  /** One client per profile id, with the profile (as JSON) it was made for. */
  private readonly clients = new Map<string, { made: string; client: Promise<NcpClient> }>();
  private emulator: Promise<RunningEmulator> | undefined;
  /** Tests hold client creation here, to replay a profile change landing mid-creation. */
  hold: Promise<void> | undefined;

  constructor(
    private readonly ctx: Context,
    readonly profiles: Profiles,
  ) {
    ctx.register(profiles.onDidChange(() => this.retireChanged()));
  }

  /** The NCP client, emulator and key generation: a separate bundle, loaded once. */
  backend(): BackendModule {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.backendModule ??= require(this.ctx.extension.asAbsolutePath('dist/backend.js')) as BackendModule;
    return this.backendModule;
  }

  /**
   * The emulator of the "Local emulator" profile, started in-process on a free loopback port. Not in
   * Restricted Mode (package.json's `untrustedWorkspaces` says so): every route that starts it (the
   * tree, "Use Local Emulator" offered by a palette command, Test Connection) gets this refusal.
   */
  startEmulator(): Promise<RunningEmulator> {
    if (!vscode.workspace.isTrusted) {
      return Promise.reject(new Error(vscode.l10n.t('Restricted Mode does not start the local emulator. Trust this workspace to use it.')));
    }
    this.emulator ??= (async () => {
      const dataDir = vscode.Uri.joinPath(this.ctx.extension.globalStorageUri, 'emulator').fsPath;
      const port = setting('emulator.port');
      const running = await this.backend().startEmulator({ host: '127.0.0.1', port, dataDir });
      this.ctx.log.info(`local emulator listening on ${running.url} (data in ${dataDir})`);
      return running;
    })().catch((err: unknown) => {
      this.emulator = undefined;
      throw err;
    });
    return this.emulator;
  }

  /** A client for `profile` as it is stored now, created on first use and kept until that profile changes. */
  client(profile: Profile): Promise<NcpClient> {
    const current = this.profiles.get(profile.id) ?? profile;
    const made = madeOf(current);
    const entry = this.clients.get(current.id);
    if (entry?.made === made) {
      return entry.client;
    }
    if (entry) {
      this.retire(entry.client);
    }
    const client = this.createClient(current);
    const fresh = { made, client };
    this.clients.set(current.id, fresh);
    client.catch(() => {
      if (this.clients.get(current.id) === fresh) {
        this.clients.delete(current.id);
      }
    });
    return client;
  }

  private async createClient(profile: Profile): Promise<NcpClient> {
    const b = this.backend();
    const log = (l: RequestLog) => {
      const line = `${profile.name}: ${l.method} ${l.path} → ${l.status} in ${l.ms.toFixed(0)} ms${l.attempt > 1 ? ` (attempt ${l.attempt})` : ''}${l.error ? ` ${l.error}` : ''}`;
      if (l.status === 'error' || l.status >= 400) {
        this.ctx.log.warn(line);
      } else {
        this.ctx.log.info(line);
      }
    };
    const record = this.recorder(profile);
    if (profile.kind === 'emulator') {
      const emulator = await this.startEmulator();
      await this.hold;
      return b.createClient({ target: { endpoint: emulator.url }, credentials: b.DEFAULT_CREDENTIALS, log, ...record });
    }
    const target = profile.endpoint ? { endpoint: profile.endpoint } : { site: profile.site ?? 'public' };
    return b.createClient({
      target,
      // Read from SecretStorage for each request that needs signing: a rotated key takes effect at once.
      credentials: async () => {
        const secretKey = await this.profiles.secret(profile.id);
        if (!profile.accessKey || !secretKey) {
          throw new b.NcpError({ kind: 'auth', message: vscode.l10n.t('The profile "{0}" has no secret key', profile.name) });
        }
        return { accessKey: profile.accessKey, secretKey };
      },
      log,
      ...record,
    });
  }

  /** `ncloudPki.recordTraffic`: each request and answer written to that folder, secrets removed (docs/testing.md). */
  private recorder(profile: Profile): { record?: Recorder } {
    const dir = recordFolder();
    if (!dir) {
      return {};
    }
    this.ctx.log.info(`${profile.name}: recording requests and answers in ${dir} (keys, signatures and private keys removed)`);
    return { record: this.backend().fileRecorder(dir, (m) => this.ctx.log.warn(m)) };
  }

  /** Test Connection: both APIs, the signature, the clock and permission to list, for a profile. */
  async doctor(profile: Profile): Promise<DoctorReport> {
    const b = this.backend();
    const record = this.recorder(profile);
    if (profile.kind === 'emulator') {
      return b.doctor({ target: { endpoint: (await this.startEmulator()).url }, credentials: b.DEFAULT_CREDENTIALS, ...record });
    }
    const secretKey = await this.profiles.secret(profile.id);
    if (!profile.accessKey || !secretKey) {
      throw new b.NcpError({ kind: 'auth', message: vscode.l10n.t('The profile "{0}" has no secret key', profile.name) });
    }
    return b.doctor({ target: profile.endpoint ? { endpoint: profile.endpoint } : { site: profile.site ?? 'public' }, credentials: { accessKey: profile.accessKey, secretKey }, ...record });
  }

  /**
   * A profile was added, edited, removed or made active: only the clients of profiles that are gone
   * or now differ are replaced. Saving a profile never closes a client that is still right, and a
   * replaced client closes only once its calls in progress have ended.
   */
  private retireChanged(): void {
    for (const [id, entry] of this.clients) {
      const now = this.profiles.get(id);
      if (!now || madeOf(now) !== entry.made) {
        this.clients.delete(id);
        this.retire(entry.client);
      }
    }
  }

  private retire(client: Promise<NcpClient>): void {
    client.then((x) => x.close()).catch(() => undefined);
  }

  /**
   * Runs a network action with a cancellable progress notification, shown only if it takes longer
   * than PROGRESS_DELAY_MS (quick reads would only flash a toast). Errors are reported as a sentence
   * with a next step; a cancellation resolves to undefined quietly.
   */
  async run<T>(title: string, action: (signal: AbortSignal, progress: vscode.Progress<{ message?: string; increment?: number }>) => Promise<T>, profile?: Profile): Promise<T | undefined> {
    const abort = new AbortController();
    let shown: vscode.Progress<{ message?: string; increment?: number }> | undefined;
    let last: { message?: string; increment?: number } | undefined;
    const work = action(abort.signal, {
      report: (p) => {
        last = p;
        shown?.report(p);
      },
    });
    try {
      const early = await Promise.race([work.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), PROGRESS_DELAY_MS))]);
      if (!early) {
        await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
          shown = progress;
          if (last) {
            progress.report(last);
          }
          token.onCancellationRequested(() => abort.abort());
          return work;
        });
      }
      return await work;
    } catch (err) {
      if (isCancel(err)) {
        this.ctx.log.info(`${title}: cancelled`);
        return undefined;
      }
      // The command ends now; the message and its buttons outlive it.
      void this.report(title, err, profile);
      return undefined;
    }
  }

  /** Tells the user what failed and what to do; offers credentials for auth errors, the log otherwise. */
  async report(what: string, err: unknown, profile?: Profile): Promise<void> {
    const ncp = asNcpError(err);
    const message = ncp ? `${errorText(ncp)}. ${hint(ncp)}` : errorText(err);
    this.ctx.log.error(`${what}: ${message}`);
    const openCredentials = vscode.l10n.t('Open Credentials');
    const showLog = vscode.l10n.t('Show Log');
    const actions = ncp?.kind === 'auth' && profile?.kind === 'ncp' ? [openCredentials, showLog] : [showLog];
    const pick = await vscode.window.showErrorMessage(vscode.l10n.t('{0} failed: {1}', what, message), ...actions);
    if (pick === openCredentials && profile) {
      await vscode.commands.executeCommand('ncloudPki.editProfile', { profile: profile.id });
    } else if (pick === showLog) {
      this.ctx.log.show();
    }
  }

  dispose(): void {
    for (const entry of this.clients.values()) {
      this.retire(entry.client);
    }
    this.clients.clear();
    void this.emulator?.then((e) => e.stop()).catch(() => undefined);
  }
}
