// The Certificates view in a real VS Code: the inventory the language server indexes of a fixture
// tree copied into the workspace, row by row, with .gitignore and files.exclude honoured; grouping;
// a row's inspect; workspace diagnostics of a closed file in the Problems data. (Edits and deletes
// on disk are held over stdio in test/unit/language/workspace.test.ts.)
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const FIXTURES = path.join(__dirname, '../../../test/fixtures/pki');

interface Entry {
  uri: string;
  range: { start: { line: number } };
  kind: string;
  name: string;
  notAfter?: string;
}
type Row = { group: string; label: string; entries: Entry[] } | { entry: Entry };
interface Update {
  files: { uri: string; entries: Entry[] }[];
  done: boolean;
}
interface View {
  entries(): Entry[];
  getChildren(row?: Row): Row[];
  getTreeItem(row: Row): vscode.TreeItem;
  onDidUpdate: vscode.Event<Update>;
  progressState: { done: boolean };
  indexings: number;
}
interface Api {
  testing: { certificates: View };
}

let view: View;
let root: string;
let dir: string;

/** Resolves on the first view update that satisfies `match` (after the call). */
function update(match: (u: Update) => boolean): Promise<Update> {
  return new Promise((resolve) => {
    const sub = view.onDidUpdate((u) => {
      if (match(u)) {
        sub.dispose();
        resolve(u);
      }
    });
  });
}

/** The view's rows under inventory/, as "file:line name (kind)", in the view's order. */
function rows(): string[] {
  return view
    .getChildren()
    .flatMap((r) => ('entry' in r ? [r.entry] : []))
    .filter((e) => e.uri.includes('/inventory/'))
    .map((e) => `${path.relative(dir, vscode.Uri.parse(e.uri).fsPath)}:${e.range.start.line + 1} ${e.name} (${e.kind})`);
}

describe('Certificates view in a real VS Code', function () {
  this.timeout(120_000);

  before(async () => {
    view = (await vscode.extensions.getExtension<Api>('ncloud-pki.ncloud-pki')!.activate()).testing.certificates;
    root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    dir = path.join(root, 'inventory');
    for (const d of ['certs', 'deploy', 'secret', 'vendor']) {
      mkdirSync(path.join(dir, d), { recursive: true });
    }
    copyFileSync(path.join(FIXTURES, 'chain.pem'), path.join(dir, 'certs/chain.pem'));
    copyFileSync(path.join(FIXTURES, 'expired.crt'), path.join(dir, 'certs/expired.crt'));
    copyFileSync(path.join(FIXTURES, 'leaf.csr'), path.join(dir, 'certs/leaf.csr'));
    copyFileSync(path.join(FIXTURES, 'root-crl.der'), path.join(dir, 'certs/root-crl.der'));
    copyFileSync(path.join(FIXTURES, 'k8s.yaml'), path.join(dir, 'deploy/k8s.yaml'));
    // Never opened: its diagnostics come from workspace/diagnostic.
    copyFileSync(path.join(FIXTURES, 'expired.crt'), path.join(dir, 'deploy/old.crt'));
    copyFileSync(path.join(FIXTURES, 'expired.crt'), path.join(dir, 'secret/ignored.crt'));
    copyFileSync(path.join(FIXTURES, 'chain.pem'), path.join(dir, 'vendor/excluded.pem'));
    writeFileSync(path.join(dir, '.gitignore'), 'secret/\n');
    writeFileSync(path.join(dir, 'notes.md'), 'no certificates here\n');
    // files.exclude is a workspace setting; changing it indexes afresh. The view keeps its rows until
    // that index is done, so waiting for it (not for the copies' file events, which may come before
    // or after) gives the tree as indexed with the exclude in force.
    const has = (file: string) => view.entries().some((e) => e.uri.includes(`/inventory/${file}`));
    const all = () => ['certs/chain.pem', 'certs/expired.crt', 'certs/leaf.csr', 'certs/root-crl.der', 'deploy/k8s.yaml', 'deploy/old.crt'].every(has);
    const before = view.indexings;
    const indexed = update((u) => u.done && view.indexings > before && all() && !has('vendor/'));
    await vscode.workspace.getConfiguration('files').update('exclude', { '**/vendor': true }, vscode.ConfigurationTarget.Workspace);
    await indexed;
  });

  after(async () => {
    await vscode.workspace.getConfiguration('files').update('exclude', undefined, vscode.ConfigurationTarget.Workspace);
    rmSync(dir, { recursive: true, force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('lists exactly the blocks of the fixture tree, soonest to expire first, leaving out .gitignore and files.exclude', () => {
    // The same nine blocks `ncloud-pki scan` lists for this tree.
    assert.deepEqual(rows(), [
      'certs/expired.crt:1 expired.example (certificate)',
      'deploy/old.crt:1 expired.example (certificate)',
      'certs/chain.pem:1 localhost (certificate)',
      'deploy/k8s.yaml:7 localhost (certificate)',
      'certs/chain.pem:24 Test Issuing CA (certificate)',
      'certs/chain.pem:41 Test Root CA (certificate)',
      'deploy/k8s.yaml:16 Test Root CA (certificate)',
      'certs/root-crl.der:1 CN=Test Root CA,O=ncloud-pki test,C=KR (crl)',
      'deploy/k8s.yaml:8 EC private key (privateKey)',
      'certs/leaf.csr:1 localhost (csr)',
    ]);
  });

  it('rows show days left coloured like diagnostics, and open their location', () => {
    const expired = view.getChildren().find((r) => 'entry' in r && r.entry.uri.endsWith('/inventory/certs/expired.crt'))!;
    const item = view.getTreeItem(expired);
    assert.match(String(item.description), /^expired \d+ days ago · by .+ · inventory\/certs\/expired\.crt:1$/);
    assert.equal(((item.iconPath as vscode.ThemeIcon).color as vscode.ThemeColor).id, 'list.errorForeground');
    assert.equal(item.command?.command, 'vscode.open');
    assert.equal(item.contextValue, 'inventoryEntry');
  });

  it('groups by file, issuer and finding', async () => {
    await vscode.commands.executeCommand('ncloudPki.certificates.groupBy', 'file');
    const groups = view.getChildren().filter((r): r is Extract<Row, { group: string }> => 'group' in r && r.label.startsWith('inventory/'));
    assert.deepEqual(groups.map((g) => `${g.label} ${g.entries.length}`).sort(), ['inventory/certs/chain.pem 3', 'inventory/certs/expired.crt 1', 'inventory/certs/leaf.csr 1', 'inventory/certs/root-crl.der 1', 'inventory/deploy/k8s.yaml 3', 'inventory/deploy/old.crt 1']);
    await vscode.commands.executeCommand('ncloudPki.certificates.groupBy', 'finding');
    const expired = view.getChildren().find((r): r is Extract<Row, { group: string }> => 'group' in r && r.label === 'expired');
    assert.deepEqual(expired?.entries.filter((e) => e.uri.includes('/inventory/')).map((e) => path.relative(dir, vscode.Uri.parse(e.uri).fsPath)), ['certs/expired.crt', 'deploy/old.crt']);
    await vscode.commands.executeCommand('ncloudPki.certificates.groupBy', 'expiry');
  });

  it("inspects a row from its context menu", async () => {
    const csr = view.getChildren().find((r) => 'entry' in r && r.entry.uri.endsWith('/inventory/certs/leaf.csr'))!;
    const r = await vscode.commands.executeCommand<{ blocks: { kind: string }[] }>('ncloudPki.certificates.inspect', csr);
    assert.deepEqual(r.blocks.map((b) => b.kind), ['csr']);
  });

  it('workspace diagnostics: a closed file with an expired certificate shows in Problems', async () => {
    const uri = vscode.Uri.file(path.join(dir, 'deploy/old.crt'));
    const codes = () => vscode.languages.getDiagnostics(uri).map((d) => (typeof d.code === 'object' ? d.code.value : d.code));
    for (let i = 0; i < 150 && !codes().includes('expired'); i++) {
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.fsPath === uri.fsPath), 'the file was never opened');
    assert.deepEqual(codes(), ['expired']);
  });
});
