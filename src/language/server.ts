// The PEM language server: its own bundle (dist/server.js), started by the extension over IPC or
// by any editor with `node dist/server.js --stdio`. It only ever speaks where it finds PEM blocks.
import {
  CodeActionKind,
  createConnection,
  DiagnosticSeverity,
  FileChangeType,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentSyncKind,
  type CodeAction,
  type Connection,
  type Diagnostic,
  type InitializeParams,
} from 'vscode-languageserver/node';
import { CA_FINDING_CODES, findingHref } from '../pki/findings';
import type { Finding } from '../pki/types';
import { DEFAULT_SETTINGS, Commands, InventoryNotification, InventoryStartNotification, KnownIssuersNotification, StatsRequest, VerifyChainRequest, type CaDiagnosticData, type InitializationOptions, type ServerSettings, type SeveritySetting } from './protocol';
import { BlockCache, Superseded, type Analysis } from './server/analysis';
import { caFindings, findingsFor, fullChainEdit, KnownCas, productionMatch, type CaFinding } from './server/cas';
import { codeLenses, documentSymbols, foldingRanges, hoverMarkdown, reorderEdit, verifyChain } from './server/features';
import { FramingGuard } from './server/framing';
import { Inventory, type CaView, type PlacedFinding } from './server/inventory';
import { fileURLToPath } from 'node:url';
import { text } from '../pki/messages';
import { speaker, type Say } from './server/l10n';
import { BlockModel } from './server/model';

interface DocState {
  model: BlockModel;
  /** The analysis of `analyzedVersion`; requests wait for the current one. */
  analysis?: Analysis;
  analyzedVersion?: number;
  /** What the known CAs said of `analyzedVersion`. */
  fromCas?: CaFinding[];
  timer?: NodeJS.Timeout;
  /** Resolves when the analysis of the current version is ready. */
  ready?: Promise<Analysis | undefined>;
  /** Resolves `ready` while its pass has not started. */
  settle?: (a: Analysis | undefined) => void;
}

const SEVERITY: Record<Exclude<SeveritySetting, 'off'>, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};
const DEFAULT_SEVERITY: Record<Finding['severity'], SeveritySetting> = { error: 'error', warning: 'warning', info: 'information' };

/** Runs the server on a connection (stdio, IPC or a test stream). */
export function startServer(connection: Connection): void {
  const docs = new Map<string, DocState>();
  const cache = new BlockCache();
  let settings: ServerSettings = DEFAULT_SETTINGS;
  /** What initializationOptions said: the base that pulled or pushed settings refine. */
  let initial: Partial<ServerSettings> = {};
  let debounceMs = 15;
  let pullConfiguration = false;
  let lensRefresh = false;
  let known = new KnownCas([]);
  /** What the known CAs were built from, and a number that changes with it (in closed files' result ids). */
  let knownJson = '[]';
  let caGeneration = 0;
  /** Changes whenever `known` is replaced: a pass that read the CAs of before publishes nothing (the pass the change scheduled does). */
  let knownGeneration = 0;
  /** The workspace folders (paths): production paths are relative to them. */
  let roots: string[] = [];
  let lastPassMs = 0;
  const inventory = new Inventory((p) => void connection.sendNotification(InventoryNotification.method, p), caView);
  /** The core's messages in the client's language (`initialize`'s locale). */
  let say: Say = speaker(undefined);

  connection.onInitialize((params: InitializeParams) => {
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    say = speaker(params.locale);
    roots = (params.workspaceFolders ?? []).flatMap((f) => pathOf(f.uri));
    initial = init.settings ?? {};
    settings = mergeSettings(initial);
    debounceMs = init.debounceMs ?? debounceMs;
    pullConfiguration = params.capabilities.workspace?.configuration === true;
    lensRefresh = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        documentSymbolProvider: { label: say(text('symbol.provider')) },
        foldingRangeProvider: true,
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        // Workspace diagnostics cover the files the editor has not open; open documents get pushed ones (and the same when pulled).
        diagnosticProvider: { identifier: 'ncloud-pki', interFileDependencies: false, workspaceDiagnostics: true },
      },
      serverInfo: { name: 'ncloud-pki-pem' },
    };
  });

  connection.onInitialized(() => {
    void refreshSettings();
  });

  connection.onDidChangeConfiguration((change) => {
    if (pullConfiguration) {
      void refreshSettings();
    } else {
      const section = (change.settings as { ncloudPki?: Partial<ServerSettings> } | undefined)?.ncloudPki;
      if (section) {
        applySettings(mergeSettings({ ...initial, ...section }));
      }
    }
  });

  async function refreshSettings(): Promise<void> {
    if (!pullConfiguration) {
      return;
    }
    try {
      const section = (await connection.workspace.getConfiguration('ncloudPki')) as Partial<ServerSettings> | null;
      // An editor without an `ncloudPki` section answers null: initializationOptions stand.
      applySettings(mergeSettings({ ...initial, ...(section ?? {}) }));
    } catch (err) {
      connection.console.warn(`could not read settings: ${String(err)}`);
    }
  }

  function applySettings(next: ServerSettings): void {
    if (JSON.stringify(next) === JSON.stringify(settings)) {
      return;
    }
    if (JSON.stringify(next.developmentCas) !== JSON.stringify(settings.developmentCas)) {
      known = new KnownCas(known.issuers, next.developmentCas);
      caGeneration++;
      knownGeneration++;
    }
    settings = next;
    cache.invalidateLint();
    inventory.expiryWarningDays = settings.expiryWarningDays;
    void inventory.restart();
    for (const uri of docs.keys()) {
      schedule(uri, 0);
    }
  }

  connection.onDidOpenTextDocument(({ textDocument: t }) => {
    docs.set(t.uri, { model: new BlockModel(t.uri, t.languageId, t.version, t.text) });
    schedule(t.uri, 0);
  });

  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
    const state = docs.get(textDocument.uri);
    if (!state) {
      return;
    }
    state.model.update(contentChanges, textDocument.version);
    schedule(textDocument.uri, debounceMs);
  });

  connection.onDidCloseTextDocument(({ textDocument }) => {
    const state = docs.get(textDocument.uri);
    clearTimeout(state?.timer);
    state?.settle?.(undefined);
    docs.delete(textDocument.uri);
    void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
  });

  /** Lints a document after `delay` ms of quiet; a newer version cancels an older pass. */
  function schedule(uri: string, delay: number): void {
    const state = docs.get(uri);
    if (!state) {
      return;
    }
    clearTimeout(state.timer);
    // Every caller waiting on a pass that has not started yet waits on the one that replaces it.
    let settle = state.settle;
    if (!settle) {
      state.ready = new Promise<Analysis | undefined>((r) => (settle = r));
      state.settle = settle;
    }
    state.timer = setTimeout(() => {
      state.timer = undefined;
      state.settle = undefined;
      void run(uri, state).then(settle, () => settle?.(undefined));
    }, delay);
  }

  async function run(uri: string, state: DocState): Promise<Analysis | undefined> {
    const version = state.model.version;
    const started = performance.now();
    // Superseded by an edit, a close, or new known CAs (their change scheduled another pass).
    const stale = (cas: number) => docs.get(uri) !== state || state.model.version !== version || knownGeneration !== cas;
    try {
      const analysis = await cache.analyze(state.model.spans, { expiryWarningDays: settings.expiryWarningDays }, () => docs.get(uri) === state && state.model.version === version);
      const cas = knownGeneration;
      if (stale(cas)) {
        return undefined;
      }
      const fromCas = known.list.length ? await caFindings(state.model, analysis, known, productionMatch(pathOf(uri), roots, settings.productionPaths)) : [];
      if (stale(cas)) {
        return undefined;
      }
      state.analysis = analysis;
      state.analyzedVersion = version;
      state.fromCas = fromCas;
      await connection.sendDiagnostics({ uri, version, diagnostics: [...toDiagnostics(uri, state.model, analysis), ...caDiagnostics(state.model, fromCas)] });
      lastPassMs = performance.now() - started;
      const open = [...docs.values()];
      cache.sweep(
        open.reduce((n, d) => n + d.model.spans.length, 0),
        () => new Set(open.flatMap((d) => d.model.spans.map((s) => s.key))),
      );
      return analysis;
    } catch (err) {
      if (err instanceof Superseded) {
        return undefined;
      }
      connection.console.error(`lint failed for ${uri}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return undefined;
    }
  }

  /** The analysis of the document as it is now (waiting for a pending pass). */
  async function current(uri: string): Promise<{ state: DocState; analysis: Analysis } | undefined> {
    // A few rounds: each newer edit supersedes the pass being waited on.
    for (let tries = 0; tries < 5; tries++) {
      const state = docs.get(uri);
      if (!state) {
        return undefined;
      }
      if (state.analysis && state.analyzedVersion === state.model.version) {
        return { state, analysis: state.analysis };
      }
      if (state.timer) {
        // Do not wait out the debounce for a request: run now.
        schedule(uri, 0);
      }
      await state.ready;
    }
    return undefined;
  }

  function severityOf(f: { code: string; severity: Finding['severity'] }): SeveritySetting {
    return settings.diagnostics.severity[f.code] ?? DEFAULT_SEVERITY[f.severity];
  }

  function toDiagnostic(f: PlacedFinding): Diagnostic | undefined {
    const level = severityOf(f);
    return level === 'off' ? undefined : { range: f.range, severity: SEVERITY[level], code: f.code, codeDescription: { href: findingHref(f.code) }, source: 'ncloud-pki', message: say(f.text), ...(f.data ? { data: f.data } : {}) };
  }

  connection.onNotification(InventoryStartNotification.method, (params: InventoryStartNotification.Params) => {
    roots = params.roots;
    void inventory.start(params.roots, params.exclude);
  });

  connection.onDidChangeWatchedFiles(({ changes }) => inventory.changed(changes.map((c) => ({ uri: c.uri, deleted: c.type === FileChangeType.Deleted }))));

  // An open document's diagnostics are pushed as it is edited (above), and answered the same when
  // pulled, for editors that only pull. VS Code's client takes the pushed ones and answers its own
  // pulls empty (src/extension/language.ts), so nothing shows twice there.
  connection.languages.diagnostics.on(async ({ textDocument }) => {
    const found = await current(textDocument.uri);
    return { kind: 'full', items: found ? [...toDiagnostics(textDocument.uri, found.state.model, found.analysis), ...caDiagnostics(found.state.model, found.state.fromCas ?? [])] : [] };
  });

  /** The known CAs as they are now, for the inventory: one generation (later changes do not reach into it). */
  function caView(): CaView {
    const cas = known;
    return {
      generation: caGeneration,
      touches: (certs) => certs.some((c) => cas.mayHaveIssued(c.info)),
      findings: async (uri, certs) => {
        const found = await findingsFor(certs, cas, productionMatch(pathOf(uri), roots, settings.productionPaths));
        const rangeOf = new Map(certs.map((c) => [c.block, c.range]));
        return found.map((f) => ({ block: f.block, range: rangeOf.get(f.block)!, code: f.code, severity: f.severity, text: f.text, data: f.data }));
      },
    };
  }

  connection.languages.diagnostics.onWorkspace(async ({ previousResultIds }) => {
    const previous = new Map(previousResultIds.map((p) => [p.uri, p.value]));
    const open = new Set([...docs.keys()].map(pathOf));
    const items = (await inventory.report(previous, (uri) => open.has(pathOf(uri)))).map((r) =>
      r.findings === 'unchanged'
        ? { kind: 'unchanged' as const, uri: r.uri, resultId: r.resultId, version: null }
        : { kind: 'full' as const, uri: r.uri, resultId: r.resultId, version: null, items: r.findings.flatMap((f) => toDiagnostic(f) ?? []) },
    );
    return { items };
  });

  /** The findings from the known CAs, with what their quick fixes need in `data`. */
  function caDiagnostics(model: BlockModel, findings: CaFinding[]): Diagnostic[] {
    return findings.flatMap((f) => {
      const level = severityOf(f);
      const block = model.spans[f.block]?.block;
      return level === 'off' || !block ? [] : [{ range: block.range, severity: SEVERITY[level], code: f.code, codeDescription: { href: findingHref(f.code) }, source: 'ncloud-pki', message: say(f.text), data: f.data }];
    });
  }

  function toDiagnostics(uri: string, model: BlockModel, analysis: Analysis): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const f of analysis.findings) {
      const level = severityOf(f);
      if (level === 'off') {
        continue;
      }
      const block = model.spans[f.block]?.block;
      if (!block) {
        continue;
      }
      out.push({
        range: f.range ?? block.range,
        severity: SEVERITY[level],
        code: f.code,
        codeDescription: { href: findingHref(f.code) },
        source: 'ncloud-pki',
        message: say(f.text),
        ...(f.related?.length
          ? { relatedInformation: f.related.filter((r) => model.spans[r.block]).map((r) => ({ location: { uri, range: model.spans[r.block].block.range }, message: say(r.text) })) }
          : {}),
      });
    }
    return out;
  }

  connection.onHover(async ({ textDocument, position }) => {
    const found = await current(textDocument.uri);
    const span = found?.state.model.blockAt(position);
    if (!found || !span) {
      return null;
    }
    const d = found.analysis.decoded[span.block.index];
    return { contents: { kind: 'markdown', value: await hoverMarkdown(span, d, textDocument.uri, say) }, range: span.block.range };
  });

  connection.onDocumentSymbol(async ({ textDocument }) => {
    const found = await current(textDocument.uri);
    return found ? documentSymbols(found.state.model, found.analysis, say) : [];
  });

  connection.onFoldingRanges(({ textDocument }) => {
    const state = docs.get(textDocument.uri);
    return state ? foldingRanges(state.model) : [];
  });

  connection.onCodeLens(async ({ textDocument }) => {
    const found = await current(textDocument.uri);
    return found ? codeLenses(found.state.model, found.analysis, known.issuers, say) : [];
  });

  connection.onCodeAction(async ({ textDocument, range, context }) => {
    const ours = context.diagnostics.filter((d) => d.source === 'ncloud-pki');
    const chainOrder = ours.filter((d) => d.code === 'chain-order');
    const fromCa = ours.filter((d) => CA_CODES.has(String(d.code)) && d.data);
    const found = known.list.length || chainOrder.length ? await current(textDocument.uri) : undefined;
    if (!found) {
      return [];
    }
    const actions: CodeAction[] = [];
    const edit = chainOrder.length ? await reorderEdit(found.state.model, found.analysis) : undefined;
    if (edit) {
      actions.push({ title: say(text('action.reorder')), kind: CodeActionKind.QuickFix, isPreferred: true, diagnostics: chainOrder, edit: { changes: { [textDocument.uri]: [edit] } } });
    }
    // One "Reissue" per certificate its CA's findings are about (the lens's command and arguments).
    const seen = new Set<string>();
    for (const d of fromCa) {
      const data = d.data as CaDiagnosticData;
      const key = `${d.range.start.line}:${data.profile}:${data.caTag}`;
      if (!seen.has(key)) {
        seen.add(key);
        const about = fromCa.filter((x) => x.range.start.line === d.range.start.line);
        actions.push({ title: say(text('action.reissue', data.alias)), kind: CodeActionKind.QuickFix, isPreferred: about.some((x) => x.code === 'revoked'), diagnostics: about, command: { title: say(text('action.reissue', data.alias)), command: Commands.reissue, arguments: [{ uri: textDocument.uri, range: d.range, ...data }] } });
      }
    }
    const full = known.list.length ? await fullChainEdit(found.state.model, found.analysis, known, range.start) : undefined;
    if (full) {
      actions.push({ title: say(text('action.full-chain', full.ca.issuer.alias)), kind: CodeActionKind.QuickFix, edit: { changes: { [textDocument.uri]: [full.edit] } } });
    }
    return actions;
  });

  connection.onRequest(VerifyChainRequest.method, async (params: VerifyChainRequest.Params): Promise<VerifyChainRequest.Result> => {
    const found = await current(params.uri);
    if (!found) {
      return { links: [], problems: ['the document is not open'], ok: false };
    }
    return verifyChain(found.state.model, found.analysis, say);
  });

  connection.onRequest(StatsRequest.method, (): StatsRequest.Result => {
    const mem = process.memoryUsage();
    return { documents: docs.size, blocks: [...docs.values()].reduce((n, d) => n + d.model.spans.length, 0), cacheEntries: cache.size, heapUsed: mem.heapUsed, rss: mem.rss, lastPassMs, inventoryFiles: inventory.size };
  });

  connection.onNotification(KnownIssuersNotification.method, (params: KnownIssuersNotification.Params) => {
    const json = JSON.stringify(params.issuers);
    if (json !== knownJson) {
      knownJson = json;
      caGeneration++;
    }
    known = new KnownCas(params.issuers, settings.developmentCas);
    knownGeneration++;
    // The Certificates view's rows too.
    inventory.syncCas();
    // What the CAs say (a new CRL, say) changes open documents' diagnostics.
    for (const uri of docs.keys()) {
      schedule(uri, 0);
    }
    if (lensRefresh) {
      void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    }
  });

  connection.listen();
}

function mergeSettings(s: Partial<ServerSettings> | undefined): ServerSettings {
  const days = Number(s?.expiryWarningDays);
  return {
    expiryWarningDays: Number.isFinite(days) && days >= 0 ? days : DEFAULT_SETTINGS.expiryWarningDays,
    diagnostics: { severity: { ...(s?.diagnostics?.severity ?? {}) } },
    productionPaths: Array.isArray(s?.productionPaths) ? s.productionPaths.filter((p): p is string => typeof p === 'string') : DEFAULT_SETTINGS.productionPaths,
    developmentCas: Array.isArray(s?.developmentCas) ? s.developmentCas.filter((p): p is string => typeof p === 'string' && p.trim() !== '').map((p) => p.trim()) : DEFAULT_SETTINGS.developmentCas,
  };
}

const CA_CODES = new Set<string>(CA_FINDING_CODES);

/** A file URI's path (other URIs as they are: an untitled document matches no production path). */
function pathOf(uri: string): string {
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

/**
 * Over stdio the input goes through a framing guard: a header that cannot be framed ends the
 * process with a clear line (the client restarts the server) instead of a silent, lost stream.
 * Over IPC (the extension) messages arrive whole and need no guard.
 */
function connect(): Connection {
  if (!process.argv.includes('--stdio')) {
    return createConnection(ProposedFeatures.all);
  }
  const guarded = process.stdin.pipe(
    new FramingGuard((reason) => {
      process.stderr.write(`ncloud-pki language server: cannot read the message stream (${reason}); exiting so the client can restart it\n`);
      process.exit(1);
    }),
  );
  return createConnection(ProposedFeatures.all, new StreamMessageReader(guarded), new StreamMessageWriter(process.stdout));
}

startServer(connect());
