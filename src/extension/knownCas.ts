// What the CAs of your profiles say, for the language server: each ACTIVE CA's certificate and
// chain, whether it is a development CA (the local emulator's), and what its current CRL revokes.
// A CRL is fetched once and kept (globalState) until its nextUpdate; then fetched again. When that
// fails (offline), the kept one stands and the server says it is stale (not when the CA's own
// current CRL is past its nextUpdate: that one was fetched). Revoking or rotating through
// the extension fetches that CA's CRL again at once.
import * as vscode from 'vscode';
import type { KnownCrl, KnownIssuer } from '../language/protocol';
import type { Ca } from '../ncloud';
import type { Context } from './context';
import { GLOBAL_STATE } from './keys';
import type { PemFeature } from './pem';
import type { Profile } from './profiles';
import type { Services } from './services';

/** A CRL as kept: what the server needs, and when it was fetched. */
interface KeptCrl extends KnownCrl {
  fetchedAt: string;
}

const DAY = 86_400_000;
/** Never fetch again sooner than this, whatever nextUpdate says (a CRL due now, offline). */
const RETRY_MS = 5 * 60_000;
/** setTimeout's limit (about 24.8 days). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class KnownCaFeed implements vscode.Disposable {
  private readonly profiles = new Map<string, { profile: Profile; cas: Ca[]; run: number }>();
  private readonly issuers = new Map<string, KnownIssuer[]>();
  /** `profile\0caTag` of CRLs to fetch again now (revoked or rotated through the extension). */
  private readonly forced = new Set<string>();
  /** `profile\0caTag` of CRLs whose last fetch failed: past their nextUpdate, the kept one is sent as stale. */
  private readonly failed = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ctx: Context,
    private readonly services: Services,
    private readonly pem: PemFeature,
  ) {}

  /** The tree listed a profile's CAs: tell the server at once (with the CRLs kept), then fetch the CRLs due and tell it again. */
  async loaded(profile: Profile, cas: Ca[]): Promise<void> {
    const run = (this.profiles.get(profile.id)?.run ?? 0) + 1;
    this.profiles.set(profile.id, { profile, cas, run });
    this.publish(profile.id, false);
    await this.refresh(profile.id);
  }

  /** A CA's CRL changed through the extension (a revocation, a rotation): fetch it again now. */
  async changed(profileId: string, caTag: string): Promise<void> {
    this.forced.add(`${profileId}\u0000${caTag}`);
    await this.refresh(profileId);
  }

  private async refresh(profileId: string): Promise<void> {
    const entry = this.profiles.get(profileId);
    if (!entry) {
      return;
    }
    const run = entry.run + 1;
    entry.run = run;
    let fetched = false;
    for (const ca of this.active(entry.cas)) {
      fetched = (await this.fetchIfDue(entry.profile, ca)) || fetched;
    }
    // A later listing's refresh sends what it lists. This one still sends what it fetched (with the
    // latest listing's CAs): the later one may have found that CRL not due, or ended before it was kept.
    if (fetched || this.profiles.get(profileId)?.run === run) {
      this.publish(profileId, true);
    }
  }

  private active(cas: Ca[]): Ca[] {
    return cas.filter((ca) => ca.caInfo.status === 'ACTIVE' && ca.caCertInfo?.certPem);
  }

  private key(profileId: string, caTag: string): string {
    return `${GLOBAL_STATE.crlPrefix}${profileId}:${caTag}`;
  }

  private kept(profileId: string, caTag: string): KeptCrl | undefined {
    return this.ctx.extension.globalState.get<KeptCrl>(this.key(profileId, caTag));
  }

  /** When a kept CRL should be fetched again: its nextUpdate, or a day after it was fetched when it has none. */
  private static due(crl: KeptCrl): number {
    return crl.nextUpdate ? Date.parse(crl.nextUpdate) : Date.parse(crl.fetchedAt) + DAY;
  }

  /** Fetches the CA's CRL when due or forced; true when it tried (what is kept, or whether it is stale, may have changed). */
  private async fetchIfDue(profile: Profile, ca: Ca): Promise<boolean> {
    const tag = ca.caInfo.caTag;
    const id = `${profile.id}\u0000${tag}`;
    const forced = this.forced.delete(id);
    const kept = this.kept(profile.id, tag);
    if (kept && !forced && KnownCaFeed.due(kept) > Date.now()) {
      return false;
    }
    try {
      const pem = await (await this.services.client(profile)).pca.getCrl(tag);
      const b = this.services.backend();
      const block = b.scanPem(pem).find((x) => x.label === 'X509 CRL');
      const d = block ? b.decodeBlock(block) : undefined;
      if (d?.kind !== 'crl') {
        throw new Error('the answer is not a CRL');
      }
      const crl: KeptCrl = { revoked: d.entries.map((e) => ({ serial: e.serialNumber, date: e.revocationDate })), thisUpdate: d.thisUpdate, ...(d.nextUpdate ? { nextUpdate: d.nextUpdate } : {}), fetchedAt: new Date().toISOString() };
      await this.ctx.extension.globalState.update(this.key(profile.id, tag), crl);
      this.failed.delete(id);
      this.ctx.log.info(`CRL of ${ca.caInfo.alias}: ${crl.revoked.length} revoked, next update ${crl.nextUpdate ?? 'none'}`);
    } catch (err) {
      this.failed.add(id);
      const why = err instanceof Error ? err.message : String(err);
      this.ctx.log.warn(kept ? `CRL of ${ca.caInfo.alias} could not be fetched (${why}); using the one fetched ${kept.fetchedAt}` : `CRL of ${ca.caInfo.alias} could not be fetched (${why})`);
    }
    return true;
  }

  /** Sends the server every profile's CAs, as the profile's latest listing has them, with the CRLs kept now. */
  private publish(profileId: string, schedule: boolean): void {
    const entry = this.profiles.get(profileId);
    if (!entry) {
      return;
    }
    const { profile, cas } = entry;
    const b = this.services.backend();
    const now = Date.now();
    const known: KnownIssuer[] = [];
    for (const ca of this.active(cas)) {
      const block = b.scanPem(ca.caCertInfo!.certPem)[0];
      const d = block ? b.decodeBlock(block) : undefined;
      if (d?.kind !== 'certificate') {
        continue;
      }
      const kept = this.kept(profile.id, ca.caInfo.caTag);
      const crl: KnownCrl | undefined = kept && { revoked: kept.revoked, thisUpdate: kept.thisUpdate, ...(kept.nextUpdate ? { nextUpdate: kept.nextUpdate } : {}), ...(KnownCaFeed.due(kept) <= now && this.failed.has(`${profile.id}\u0000${ca.caInfo.caTag}`) ? { stale: true } : {}) };
      known.push({
        subject: d.subject,
        ...(d.subjectKeyId ? { keyId: d.subjectKeyId } : {}),
        profile: profile.id,
        profileName: profile.kind === 'emulator' ? vscode.l10n.t('Local emulator') : profile.name,
        caTag: ca.caInfo.caTag,
        alias: ca.caInfo.alias,
        certPem: ca.caCertInfo!.certPem,
        ...(ca.caCertInfo!.chainPem ? { chainPem: ca.caCertInfo!.chainPem } : {}),
        ...(profile.kind === 'emulator' ? { development: true } : {}),
        ...(crl ? { crl } : {}),
      });
    }
    this.issuers.set(profile.id, known);
    this.pem.setKnownIssuers([...this.issuers.values()].flat());
    if (schedule) {
      this.schedule();
    }
  }

  /** Fetches again when the first kept CRL is due (at least RETRY_MS from now). */
  private schedule(): void {
    clearTimeout(this.timer);
    let next = Infinity;
    for (const { profile, cas } of this.profiles.values()) {
      for (const ca of this.active(cas)) {
        const kept = this.kept(profile.id, ca.caInfo.caTag);
        next = Math.min(next, kept ? KnownCaFeed.due(kept) : Date.now());
      }
    }
    if (next === Infinity) {
      return;
    }
    this.timer = setTimeout(
      () => {
        for (const id of this.profiles.keys()) {
          this.refresh(id).catch((err: unknown) => this.ctx.log.warn(`CRL refresh: ${String(err)}`));
        }
      },
      Math.min(MAX_TIMER_MS, Math.max(RETRY_MS, next - Date.now())),
    );
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
