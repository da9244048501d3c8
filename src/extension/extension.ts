import * as vscode from 'vscode';
import { CertificatesView } from './certificates';
import { COMMANDS } from './commands';
import { knownIssuers } from './commands/view';
import { setting } from './config';
import { Context } from './context';
import type { RunningEmulator } from '../emulator';
import type { Ext } from './ext';
import { TRUSTED_COMMANDS } from './keys';
import { CertificateEditor, Inspector } from './inspector';
import { KnownCaFeed } from './knownCas';
import { PemFeature } from './pem';
import { EMULATOR_PROFILE, Profiles } from './profiles';
import { Services } from './services';
import { CmTree, PkiTree } from './tree';
import { windowPrompter, type Prompter } from './ui';
import { Walkthrough } from './walkthrough';

/** What activate() returns to other extensions and to the integration tests. */
export interface Api {
  /** Fires with what the inspector webview rendered, each time it renders. */
  readonly inspector: Pick<Inspector, 'onDidRender'>;
  /** For tests: the trees and a way to answer the extension's questions. */
  readonly testing: {
    tree: PkiTree;
    treeView: vscode.TreeView<unknown>;
    cmTree: CmTree;
    certificates: CertificatesView;
    profiles: Profiles;
    setPrompter(p: Prompter | undefined): void;
    /** The in-process emulator's origin (started if needed). */
    emulatorUrl(): Promise<string>;
    /** The in-process emulator (its clock and injected faults, for tests). */
    emulator(): Promise<RunningEmulator>;
    /** Holds every client being created until the returned function is called. */
    holdClients(): () => void;
    /** Fires as the walkthrough's steps are completed by the real events. */
    walkthrough: Pick<Walkthrough, 'onDidMark'>;
    activationMs: number;
    /** Where the extension keeps its global state (the trust record). */
    globalStorage: string;
  };
}

/**
 * Activation only wires: it builds the context, registers the command table and views.
 * Heavy modules (the NCP client, @peculiar/x509, the language client) load on first use.
 */
export async function activate(extensionContext: vscode.ExtensionContext): Promise<Api> {
  const started = performance.now();
  const ctx = new Context(extensionContext);
  try {
    // The inspector's "Reveal" goes through the command, so it needs nothing wired in later.
    const inspector = new Inspector(ctx, (where) => vscode.commands.executeCommand('ncloudPki.reveal', where));
    const pem = ctx.register(new PemFeature(ctx, inspector));
    const editor = new CertificateEditor(inspector);
    for (const viewType of CertificateEditor.viewTypes) {
      ctx.register(vscode.window.registerCustomEditorProvider(viewType, editor, { supportsMultipleEditorsPerDocument: true }));
    }
    const profiles = ctx.register(new Profiles(extensionContext));
    // `npm start` (and anyone who sets it) lands on the local emulator; it starts when first used.
    if (profiles.all().length === 0 && setting('localEmulatorByDefault')) {
      void profiles.save(EMULATOR_PROFILE);
    }
    const services = ctx.register(new Services(ctx, profiles));
    const tree = ctx.register(new PkiTree(services, profiles));
    const cmTree = ctx.register(new CmTree(services, profiles));
    const treeView = ctx.register(vscode.window.createTreeView('ncloudPki.privateCa', { treeDataProvider: tree, showCollapseAll: true }));
    ctx.register(vscode.window.createTreeView('ncloudPki.certificateManager', { treeDataProvider: cmTree }));
    const certificates = ctx.register(new CertificatesView(ctx, pem));
    const walkthrough = ctx.register(new Walkthrough());
    const knownCas = ctx.register(new KnownCaFeed(ctx, services, pem));
    const ext: Ext = { ctx, services, profiles, tree, treeView, cmTree, inspector, pem, knownCas, certificates, walkthrough };
    ctx.register(tree.onDidLoadCas(knownIssuers(ext)));
    // `when` clauses see the active profile's kind (emulator-only commands are shown for it alone).
    const profileKind = () => void vscode.commands.executeCommand('setContext', 'ncloudPki.activeProfileKind', profiles.active()?.kind ?? '');
    ctx.register(profiles.onDidChange(profileKind));
    profileKind();
    watchWalkthrough(ext);
    // Trust granted later: what Restricted Mode refused (the emulator's CAs) loads without a reload;
    // the commands check trust when run, and VS Code applies the restricted settings itself.
    ctx.register(vscode.workspace.onDidGrantWorkspaceTrust(() => {
      tree.refresh();
      cmTree.refresh();
    }));
    for (const [id, factory] of Object.entries(COMMANDS)) {
      const handler = factory(ext) as (...args: unknown[]) => unknown;
      ctx.register(vscode.commands.registerCommand(id, TRUSTED_COMMANDS.includes(id) ? whenTrusted(handler) : handler));
    }
    const activationMs = performance.now() - started;
    // The inventory starts the language server: after activation, so activating never waits for it.
    setTimeout(() => certificates.start().catch((err: unknown) => ctx.log.error(`certificates: ${err instanceof Error ? err.message : String(err)}`)), 0);
    ctx.log.info(`activated in ${activationMs.toFixed(1)} ms`);
    return { inspector, testing: { tree, treeView, cmTree, certificates, profiles, setPrompter: (p) => (ctx.prompter = p ?? windowPrompter), emulatorUrl: async () => (await services.startEmulator()).url, emulator: () => services.startEmulator(), holdClients: () => holdClients(services), walkthrough, activationMs, globalStorage: extensionContext.globalStorageUri.fsPath } };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    void vscode.window.showErrorMessage(vscode.l10n.t('NCP PKI failed to start: {0}', message));
    ctx.dispose();
    throw err;
  }
}

/** The walkthrough's steps that follow from state (a profile exists, a profile lists a CA) or from the inspector rendering. */
function watchWalkthrough({ ctx, profiles, tree, inspector, walkthrough }: Ext): void {
  const profileSeen = () => profiles.all().length > 0 && walkthrough.found('profile');
  profileSeen();
  ctx.register(profiles.onDidChange(profileSeen));
  ctx.register(tree.onDidLoadCas(({ cas }) => cas.length > 0 && walkthrough.found('ca')));
  ctx.register(inspector.onDidRender(() => walkthrough.mark('inspect')));
}

/** Restricted Mode: a command that writes files or starts the emulator says why it does not run. */
function whenTrusted(handler: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  return async (...args) => {
    if (vscode.workspace.isTrusted) {
      return handler(...args);
    }
    const manage = vscode.l10n.t('Manage Workspace Trust');
    const pick = await vscode.window.showWarningMessage(vscode.l10n.t('This writes files or starts the local emulator, which Restricted Mode does not allow. Trust this workspace to use it.'), manage);
    if (pick === manage) {
      await vscode.commands.executeCommand('workbench.trust.manage');
    }
    return undefined;
  };
}

function holdClients(services: Services): () => void {
  let release = (): void => undefined;
  services.hold = new Promise<void>((r) => (release = r));
  return () => {
    services.hold = undefined;
    release();
  };
}

export function deactivate(): void {
  // Everything is owned by the Context, which VS Code disposes through context.subscriptions.
}
