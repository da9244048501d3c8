// The workspace inventory, in the language server: every certificate, CSR, CRL and key under the
// workspace folders (the walk and reading of `ncloud-pki scan`, .gitignore and the editor's
// excludes honoured), indexed in slices so requests keep being answered, kept up to date file by
// file, and served as LSP 3.17 workspace diagnostics with a result id per file (an unchanged file
// is answered `unchanged`). A file's certificates are kept (decoded, with their DER) so that what
// the user's CAs say of them (revoked, issuer expires first, development CA) is worked out when the
// file is reported; the result id of a file a known CA may have issued carries the generation of the
// known CAs, so a new CRL reports it again and leaves every other file `unchanged`. What the CAs
// say is kept per file and generation, and shown in the file's rows (the Certificates view) too.
import { statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expandBraces } from '../../files/braces';
import { isExcluded, readCandidate, readCandidates, walk } from '../../files/walk';
import { inspect, lintBlock, lintDocument } from '../../pki';
import { findingsByBlock, type CaFindingCode } from '../../pki/findings';
import type { Text } from '../../pki/messages';
import type { CertificateInfo, Decoded, Finding, Range } from '../../pki/types';
import type { CaDiagnosticData, InventoryEntry, InventoryNotification } from '../protocol';
import type { CertAt } from './cas';

/** A finding placed in its file, for diagnostics. */
export interface PlacedFinding {
  range: Range;
  code: Finding['code'] | CaFindingCode;
  severity: Finding['severity'];
  /** The message as data, rendered in the client's language by the server. */
  text: Text;
  /** What a finding from a known CA carries for its quick fixes. */
  data?: CaDiagnosticData;
}

/** A certificate kept for what the known CAs say of it: a CertAt placed in its file. */
export type KeptCert = CertAt & { range: Range };

/** A finding from the known CAs about the certificate of block `block`. */
export type CaPlaced = PlacedFinding & { block: number };

/** What the inventory asks of the known CAs: one generation of them (the server's `KnownCas` as they were when the view was taken). */
export interface CaView {
  /** Changes whenever what the CAs say may change (other CAs, a new CRL, settings); only grows. */
  generation: number;
  /** Whether a known CA may have issued one of these (cheap: names and key ids only). */
  touches(certs: KeptCert[]): boolean;
  /** What the known CAs say of a file's certificates. */
  findings(uri: string, certs: KeptCert[]): Promise<CaPlaced[]>;
}

interface FileState {
  uri: string;
  mtimeMs: number;
  size: number;
  resultId: string;
  entries: InventoryEntry[];
  findings: PlacedFinding[];
  certs: KeptCert[];
  /** The blocks as decoded, to lint again without reading the file (the day changed). */
  blocks: KeptBlock[];
  decoded: Decoded[];
  /** Whether a known CA may have issued one of `certs`, as of CA generation `caGeneration`. */
  touches?: boolean;
  caGeneration?: number;
  /** What the known CAs of generation `generation` say of `certs`, shared by whoever asks (a re-read file starts without). */
  fromCas?: { generation: number; findings: Promise<CaPlaced[]> };
  /** What its rows show of it (`syncCas`), and of which generation. */
  caRows?: { generation: number; findings: CaPlaced[] };
}

/** What the index says of one file for `workspace/diagnostic`. */
export type FileReport = { uri: string; resultId: string; findings: PlacedFinding[] | 'unchanged' };

const DAY = 86_400_000;
const NO_CAS: CaView = { generation: 0, touches: () => false, findings: () => Promise.resolve([]) };
const today = () => Math.floor(Date.now() / DAY);

/** Files read between yields to the event loop (requests and edits get read in between). */
const SLICE = 64;
/** Most time between two progress notifications, in ms. */
const NOTIFY_MS = 250;

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const cn = (c: { subjectAttributes: { type: string; value: string }[]; subject: string }) => c.subjectAttributes.find((a) => a.type === 'CN')?.value ?? c.subject;

/** What is kept of a block besides its decoded form. */
interface KeptBlock {
  range: Range;
  kind: string;
  label: string;
  /** Where a malformed block's error is. */
  errorRange?: Range;
}

type Indexed = { entries: InventoryEntry[]; findings: PlacedFinding[]; certs: KeptCert[]; blocks: KeptBlock[]; decoded: Decoded[] };

/** Reads one file into its inventory entries and placed findings; undefined when it holds no block. */
export function indexFile(path: string, uri: string, expiryWarningDays: number): Indexed | undefined {
  const input = readCandidate(path);
  if (input === undefined) {
    return undefined;
  }
  const result = inspect(input, { expiryWarningDays });
  if (!result.blocks.length) {
    return undefined;
  }
  const blocks = result.blocks.map((b): KeptBlock => ({ range: b.range, kind: b.kind, label: b.label, ...(b.error ? { errorRange: b.error.range } : {}) }));
  const certs = result.blocks.flatMap((b, i): KeptCert[] => {
    const d = result.decoded[i];
    return d.kind === 'certificate' && b.der ? [{ block: i, info: d, der: b.der, key: b.text, range: b.range }] : [];
  });
  return { ...placed(uri, blocks, result.decoded, result.findings), certs, blocks, decoded: result.decoded };
}

/** Lints kept blocks again (the time moved on): no reading, no decoding. */
export function relint(uri: string, blocks: KeptBlock[], decoded: Decoded[], expiryWarningDays: number): { entries: InventoryEntry[]; findings: PlacedFinding[] } {
  const findings = decoded.flatMap((d, i) => lintBlock(d, i, { expiryWarningDays }, blocks[i].errorRange));
  for (const f of lintDocument(decoded)) {
    findings.push(f);
  }
  return placed(uri, blocks, decoded, findings);
}

/** The inventory entries and placed findings of a file's blocks. */
function placed(uri: string, blocks: KeptBlock[], decoded: Decoded[], found: Finding[]): { entries: InventoryEntry[]; findings: PlacedFinding[] } {
  const byBlock = findingsByBlock(found);
  const entries = blocks.map((b, i): InventoryEntry => {
    const d = decoded[i];
    const own = (byBlock.get(i) ?? []).map((f) => ({ code: f.code, severity: f.severity }));
    const base = { uri, range: b.range, kind: d.kind === 'malformed' ? b.kind : d.kind, name: b.label, findings: own };
    if (d.kind === 'certificate') {
      return { ...base, name: cn(d), subject: d.subject, issuer: d.issuer, notAfter: d.notAfter };
    }
    if (d.kind === 'pkcs7' && d.certificates.length) {
      const first = d.certificates.reduce((a: CertificateInfo, c: CertificateInfo) => (c.notAfter < a.notAfter ? c : a));
      return { ...base, name: cn(first), subject: first.subject, issuer: first.issuer, notAfter: first.notAfter };
    }
    if (d.kind === 'csr') {
      return { ...base, name: cn(d), subject: d.subject };
    }
    if (d.kind === 'crl') {
      return { ...base, name: d.issuer, issuer: d.issuer };
    }
    if (d.kind === 'privateKey' || d.kind === 'publicKey') {
      return { ...base, name: `${d.publicKey.algorithm} ${d.kind === 'privateKey' ? 'private' : 'public'} key` };
    }
    if (d.kind === 'pkcs12') {
      return { ...base, name: 'PKCS#12 keystore' };
    }
    return base;
  });
  const findings = found.map((f) => ({ range: f.range ?? blocks[f.block].range, code: f.code, severity: f.severity, text: f.text }));
  return { entries, findings };
}

export class Inventory {
  private roots: string[] = [];
  private exclude: string[] = [];
  private readonly files = new Map<string, FileState>();
  /** Files reported to `workspace/diagnostic` that have since lost every block: one empty report each. */
  private readonly gone = new Set<string>();
  private generation = 0;
  private counter = 0;
  private running: Promise<void> | undefined;
  /** Read every file again, unchanged or not (the settings changed what lint says). */
  private force = false;
  expiryWarningDays = 30;
  /** Progress of the last full indexing. */
  progress = { scanned: 0, total: 0, done: false, ms: 0 };
  /** The day (UTC, days since the epoch) the files were linted for; a new day lints them again. */
  private day = today();
  private dayTimer: NodeJS.Timeout | undefined;

  /** Whether CA findings are being worked out (`syncCas`), and whether to go round again when done. */
  private syncing = false;
  private syncAgain = false;

  /** `cas` gives the known CAs as they are now (a view of one generation). */
  constructor(
    private readonly notify: (p: InventoryNotification.Params) => void,
    private readonly cas: () => CaView = () => NO_CAS,
  ) {}

  get size(): number {
    return this.files.size;
  }

  /** Starts (or restarts) indexing `roots`; resolves when this indexing is complete (or superseded). */
  start(roots: string[], exclude: string[]): Promise<void> {
    this.roots = roots;
    // VS Code's `{a,b}` alternatives, which gitignore syntax does not have.
    this.exclude = exclude.flatMap(expandBraces);
    const generation = ++this.generation;
    this.day = today();
    this.scheduleDay();
    this.running = this.indexAll(generation);
    return this.running;
  }

  /** Checks the day again just after the next UTC midnight. */
  private scheduleDay(): void {
    clearTimeout(this.dayTimer);
    this.dayTimer = setTimeout(() => this.newDay(), (today() + 1) * DAY - Date.now() + 1000);
    this.dayTimer.unref?.();
  }

  /**
   * When the day changed since the files were linted: days left, expiring and expired are worked
   * out again from the kept blocks (no file is read), and the files whose findings changed get a
   * new result id and go to the client.
   */
  private newDay(): void {
    if (today() === this.day) {
      this.scheduleDay();
      return;
    }
    this.day = today();
    const files: InventoryNotification.Params['files'] = [];
    for (const f of this.files.values()) {
      const again = relint(f.uri, f.blocks, f.decoded, this.expiryWarningDays);
      if (JSON.stringify(again) !== JSON.stringify({ entries: f.entries, findings: f.findings })) {
        Object.assign(f, again, { resultId: String(++this.counter) });
        files.push({ uri: f.uri, entries: shown(f) });
      }
    }
    if (files.length) {
      this.notify({ files, ...this.progress });
    }
    this.scheduleDay();
  }

  /** Indexes again with the same folders (the warning window changed). */
  restart(): Promise<void> {
    this.force = true;
    return this.roots.length ? this.start(this.roots, this.exclude) : Promise.resolve();
  }

  private async indexAll(generation: number): Promise<void> {
    const started = performance.now();
    const force = this.force;
    this.force = false;
    const paths = this.roots.flatMap((root) => walk(root, this.exclude, () => undefined));
    if (generation !== this.generation) {
      return;
    }
    const seen = new Set<string>();
    let batch: InventoryNotification.Params['files'] = [];
    let last = performance.now();
    this.progress = { scanned: 0, total: paths.length, done: false, ms: 0 };
    const flush = (done: boolean) => {
      this.progress = { scanned: this.progress.scanned, total: paths.length, done, ms: performance.now() - started };
      this.notify({ files: batch, ...this.progress });
      batch = [];
      last = performance.now();
    };
    for (let start = 0; start < paths.length; start += SLICE) {
      const slice = paths.slice(start, start + SLICE);
      const uris = slice.map((p) => pathToFileURL(p).href);
      // Files known to hold blocks are refreshed (stat, then read if changed or forced). The others,
      // most of them holding none, are read together first, as `scan` reads, and refreshed only if
      // they may hold some.
      const refresh = uris.map((uri) => this.files.has(uri));
      const unknown = uris.flatMap((_, k) => (refresh[k] ? [] : [k]));
      readCandidates(
        unknown.map((k) => slice[k]),
        (j) => (refresh[unknown[j]] = true),
        () => undefined,
      );
      for (const [k, uri] of uris.entries()) {
        seen.add(uri);
        // Every file with blocks goes to the client (a restart starts the client's list afresh); only changed ones are read again.
        if ((refresh[k] && this.refresh(slice[k], uri, force)) || this.files.has(uri)) {
          const f = this.files.get(uri);
          batch.push({ uri, entries: f ? shown(f) : [] });
        }
      }
      this.progress.scanned = start + slice.length;
      if (slice.length === SLICE) {
        if (performance.now() - last > NOTIFY_MS) {
          flush(false);
        }
        await yieldToLoop();
        if (generation !== this.generation) {
          return;
        }
      }
    }
    // What the walk no longer finds (excluded now, or removed while the server was not looking).
    for (const uri of [...this.files.keys()]) {
      if (!seen.has(uri)) {
        this.forget(uri);
        batch.push({ uri, entries: [] });
      }
    }
    flush(true);
    this.syncCas();
  }

  /** Reads `path` again when its size or mtime changed; true when its entries changed. */
  private refresh(path: string, uri: string, force = false): boolean {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      return this.forget(uri);
    }
    const old = this.files.get(uri);
    if (!force && old && old.mtimeMs === stat.mtimeMs && old.size === stat.size) {
      return false;
    }
    let found;
    try {
      found = indexFile(path, uri, this.expiryWarningDays);
    } catch {
      found = undefined;
    }
    if (!found) {
      return this.forget(uri);
    }
    this.gone.delete(uri);
    this.files.set(uri, { uri, mtimeMs: stat.mtimeMs, size: stat.size, resultId: String(++this.counter), ...found });
    return true;
  }

  private forget(uri: string): boolean {
    if (!this.files.delete(uri)) {
      return false;
    }
    this.gone.add(uri);
    return true;
  }

  /** Files (or folders) were created, changed or deleted: index them again and tell the client. */
  changed(changes: { uri: string; deleted: boolean }[]): void {
    const files: InventoryNotification.Params['files'] = [];
    for (const { uri, deleted } of changes) {
      let path: string;
      try {
        path = fileURLToPath(uri);
      } catch {
        continue;
      }
      const key = pathToFileURL(path).href;
      if (deleted) {
        // A deleted folder: everything under it goes.
        for (const known of [...this.files.keys()]) {
          if (known.startsWith(`${key}/`) && this.forget(known)) {
            files.push({ uri: known, entries: [] });
          }
        }
      } else if (isDirectory(path)) {
        // A new or changed folder: the files in it come with events of their own.
        continue;
      }
      const root = this.roots.find((r) => !isExcluded(r, this.exclude, path));
      const changed = root ? this.refresh(path, key, true) : this.forget(key);
      if (changed) {
        const f = this.files.get(key);
        files.push({ uri: key, entries: f ? shown(f) : [] });
      }
    }
    if (files.length) {
      this.notify({ files, ...this.progress });
      this.syncCas();
    }
  }

  /** Every entry known now. */
  entries(): InventoryEntry[] {
    return [...this.files.values()].flatMap(shown);
  }

  /**
   * Works out what the known CAs (as they are now) say of every file with certificates, and tells
   * the client the files whose rows changed. Called when the CAs change and after files are read;
   * a call while it runs makes it go round again (with the CAs of then) when done.
   */
  syncCas(): void {
    if (this.syncing) {
      this.syncAgain = true;
      return;
    }
    this.syncing = true;
    void (async () => {
      try {
        do {
          this.syncAgain = false;
          const cas = this.cas();
          const files: InventoryNotification.Params['files'] = [];
          for (const f of [...this.files.values()]) {
            if (!f.certs.length || f.caRows?.generation === cas.generation) {
              continue;
            }
            const before = JSON.stringify(shown(f));
            f.caRows = { generation: cas.generation, findings: await this.caFindings(f, cas) };
            if (this.files.get(f.uri) === f && JSON.stringify(shown(f)) !== before) {
              files.push({ uri: f.uri, entries: shown(f) });
            }
          }
          if (files.length) {
            this.notify({ files, ...this.progress });
          }
        } while (this.syncAgain);
      } finally {
        this.syncing = false;
      }
    })();
  }

  /** What the known CAs of `cas` say of `f`, worked out once per generation (and kept unless a newer one is kept already). */
  private caFindings(f: FileState, cas: CaView): Promise<CaPlaced[]> {
    if (f.fromCas?.generation === cas.generation) {
      return f.fromCas.findings;
    }
    this.resultIdOf(f, cas);
    const findings = f.touches ? cas.findings(f.uri, f.certs) : Promise.resolve([]);
    if ((f.fromCas?.generation ?? -1) < cas.generation) {
      f.fromCas = { generation: cas.generation, findings };
    }
    return findings;
  }

  /** The result id of `f`: its own, plus the CA generation when a known CA may have issued one of its certificates. */
  private resultIdOf(f: FileState, cas: CaView): string {
    if (!f.certs.length) {
      return f.resultId;
    }
    if (f.caGeneration !== cas.generation) {
      f.touches = cas.touches(f.certs);
      f.caGeneration = cas.generation;
    }
    return f.touches ? `${f.resultId}.${cas.generation}` : f.resultId;
  }

  /** The workspace diagnostic report: a full report for what changed since `previous` (uri → resultId), `unchanged` for the rest; `skip` leaves out documents the editor has open. */
  async report(previous: Map<string, string>, skip: (uri: string) => boolean): Promise<FileReport[]> {
    // A timer may fire late (a sleeping laptop): a pull checks the day too.
    this.newDay();
    let cas: CaView;
    let out: FileReport[];
    // All of one generation of the CAs: when they change during the pull, what it worked out from the
    // old ones is not sent; it goes round again with the new ones (the files no CA issued cost nothing again).
    do {
      cas = this.cas();
      out = [];
      for (const f of [...this.files.values()]) {
        if (skip(f.uri)) {
          continue;
        }
        const resultId = this.resultIdOf(f, cas);
        if (previous.get(f.uri) === resultId) {
          out.push({ uri: f.uri, resultId, findings: 'unchanged' });
        } else {
          out.push({ uri: f.uri, resultId, findings: [...f.findings, ...(await this.caFindings(f, cas))] });
        }
      }
    } while (this.cas().generation !== cas.generation);
    for (const uri of this.gone) {
      out.push({ uri, resultId: String(++this.counter), findings: [] });
    }
    this.gone.clear();
    return out;
  }
}

/** A file's rows: its blocks with their lint findings and what the known CAs said of its certificates. */
function shown(f: FileState): InventoryEntry[] {
  const fromCas = f.caRows?.findings ?? [];
  if (!fromCas.length) {
    return f.entries;
  }
  const byBlock = findingsByBlock(fromCas);
  return f.entries.map((e, i) => {
    const own = byBlock.get(i) ?? [];
    return own.length ? { ...e, findings: [...e.findings, ...own.map((x) => ({ code: x.code, severity: x.severity }))] } : e;
  });
}
