// The base of every tree node: a node renders itself (item()) and loads its own children. A failed
// load never throws into VS Code: guarded() turns it into an error node with the reason and a retry.
import * as vscode from 'vscode';
import { asNcpError, errorText, hint } from '../errors';
import { CONTEXT_VALUE } from '../keys';

export abstract class Node {
  parent: Node | undefined;
  abstract item(): vscode.TreeItem;
  /** A tooltip built only when the user hovers (resolveTreeItem), not for every row of every page. */
  tooltip?(): vscode.MarkdownString;
  children(): Promise<Node[]> {
    return Promise.resolve([]);
  }
}

function ncpHint(err: unknown): string | undefined {
  const ncp = asNcpError(err);
  return ncp && hint(ncp);
}

export class ErrorNode extends Node {
  constructor(
    readonly message: string,
    readonly retry: Node | undefined,
    readonly hint?: string,
  ) {
    super();
  }
  item(): vscode.TreeItem {
    const t = new vscode.TreeItem(vscode.l10n.t('Could not load: {0}', this.message));
    t.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    t.tooltip = this.hint ? `${this.message}\n\n${this.hint}` : this.message;
    t.contextValue = CONTEXT_VALUE.error;
    t.command = { command: 'ncloudPki.refresh', title: vscode.l10n.t('Retry'), arguments: [this.retry] };
    return t;
  }
}

export class InfoNode extends Node {
  constructor(
    readonly label: string,
    readonly icon = 'info',
  ) {
    super();
  }
  item(): vscode.TreeItem {
    const t = new vscode.TreeItem(this.label);
    t.iconPath = new vscode.ThemeIcon(this.icon);
    return t;
  }
}

/** Runs `load`, turning a failure into an error node that retries `owner`. */
export async function guarded(owner: Node, load: () => Promise<Node[]>): Promise<Node[]> {
  try {
    const nodes = await load();
    for (const n of nodes) {
      n.parent = owner;
    }
    return nodes;
  } catch (err) {
    const e = new ErrorNode(errorText(err), owner, ncpHint(err));
    e.parent = owner;
    return [e];
  }
}


/** What both views share: nodes render and load themselves, so a provider only fires changes. */
export abstract class TreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  protected readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  /** The top-level nodes. */
  protected abstract roots(): Node[];

  /** Refreshes one node (and what is under it), or everything. */
  refresh(node?: Node): void {
    this.changed.fire(node);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return node.item();
  }

  resolveTreeItem(item: vscode.TreeItem, node: Node): vscode.TreeItem {
    if (node.tooltip && item.tooltip === undefined) {
      item.tooltip = node.tooltip();
    }
    return item;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    return node ? node.children() : this.roots();
  }

  getParent(node: Node): Node | undefined {
    return node.parent;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
