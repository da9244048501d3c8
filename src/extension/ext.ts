// What every command works with, built once by activate() and handed to each command factory:
// wiring by constructor, nothing assigned into an object after it was made.
import type * as vscode from 'vscode';
import type { CertificatesView } from './certificates';
import type { Context } from './context';
import type { Inspector } from './inspector';
import type { KnownCaFeed } from './knownCas';
import type { PemFeature } from './pem';
import type { Profiles } from './profiles';
import type { Services } from './services';
import type { CmTree, Node, PkiTree } from './tree';
import type { Walkthrough } from './walkthrough';

export interface Ext {
  /** Disposables, the log, the prompter (every question goes through `ctx.prompter`), VS Code's context. */
  readonly ctx: Context;
  readonly services: Services;
  readonly profiles: Profiles;
  readonly tree: PkiTree;
  readonly treeView: vscode.TreeView<Node>;
  readonly cmTree: CmTree;
  readonly inspector: Inspector;
  readonly pem: PemFeature;
  /** The CAs of the profiles (certificates, chains, CRLs) as the language server is told them. */
  readonly knownCas: KnownCaFeed;
  /** The Certificates view (the workspace inventory) and its status-bar count. */
  readonly certificates: CertificatesView;
  /** Completes the getting-started walkthrough's steps on the real events. */
  readonly walkthrough: Walkthrough;
}
