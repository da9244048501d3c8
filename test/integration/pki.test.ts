// The product end to end inside a real VS Code, against the in-process emulator: profiles and
// SecretStorage, the trees, and every NCP command with its questions answered by a script that
// applies the same validation the user gets.
import * as assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ScriptedPrompter, type Answer } from '../../src/extension/ui';
import { DEFAULT_CREDENTIALS, startEmulator, type RunningEmulator } from '../../src/emulator';
import { createClient, type DoctorReport } from '../../src/ncloud';

const ROOT = path.join(__dirname, '../../..');

interface TreeNode {
  parent?: TreeNode;
  item(): vscode.TreeItem;
}
interface Api {
  testing: {
    tree: vscode.TreeDataProvider<TreeNode>;
    treeView: vscode.TreeView<TreeNode>;
    cmTree: vscode.TreeDataProvider<TreeNode>;
    profiles: { all(): { id: string; name: string }[]; secret(id: string): Thenable<string | undefined> };
    setPrompter(p: ScriptedPrompter | undefined): void;
    emulatorUrl(): Promise<string>;
    emulator(): Promise<RunningEmulator>;
    certificates: {
      start(): Promise<void>;
      entries(): { uri: string }[];
      getChildren(row?: InventoryRow): InventoryRow[];
      getTreeItem(row: InventoryRow): vscode.TreeItem;
    };
    activationMs: number;
  };
}

/** A row of the Certificates view (src/extension/certificates.ts). */
type InventoryRow = { group: string; label: string; entries: { uri: string }[] } | { entry: { uri: string; findings: { code: string }[] } };

let api: Api;
let workspace: string;

/** Runs a command with scripted answers; every answer must be used. */
async function run<T>(command: string, answers: Answer[], ...args: unknown[]): Promise<{ result: T; asked: string[]; notes: string[] }> {
  const p = new ScriptedPrompter(answers);
  api.testing.setPrompter(p);
  try {
    const result = await vscode.commands.executeCommand<T>(command, ...args);
    assert.equal(p.remaining, 0, `${command} left answers unused; it asked: ${p.asked.join(' | ')}`);
    return { result, asked: p.asked, notes: p.notes };
  } finally {
    api.testing.setPrompter(undefined);
  }
}

async function children(tree: vscode.TreeDataProvider<TreeNode>, node?: TreeNode): Promise<TreeNode[]> {
  return (await tree.getChildren(node)) ?? [];
}

const label = (n: TreeNode) => String(n.item().label);
const description = (n: TreeNode) => String(n.item().description ?? '');

async function find(tree: vscode.TreeDataProvider<TreeNode>, parent: TreeNode | undefined, name: string): Promise<TreeNode> {
  const kids = await children(tree, parent);
  const n = kids.find((k) => label(k) === name);
  assert.ok(n, `no "${name}" under ${parent ? label(parent) : 'the root'}: ${kids.map(label).join(', ')}`);
  return n;
}

const byLabel = (l: string) => (i: vscode.QuickPickItem) => i.label === l;
const startsWith = (l: string) => (i: vscode.QuickPickItem) => i.label.startsWith(l);
const mode = (f: string) => statSync(f).mode & 0o777;

describe('NCP PKI end to end against the in-process emulator', function () {
  this.timeout(120_000);

  before(async () => {
    const ext = vscode.extensions.getExtension<Api>('ncloud-pki.ncloud-pki')!;
    api = await ext.activate();
    workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
  });

  it('starts with no profile; "Use Local Emulator" adds one whose tree is empty but ready', async () => {
    assert.deepEqual(await children(api.testing.tree), []);
    await vscode.commands.executeCommand('ncloudPki.useEmulator');
    const [profile] = await children(api.testing.tree);
    assert.equal(label(profile), 'Local emulator');
    assert.deepEqual((await children(api.testing.tree, profile)).map(label), ['No CAs yet: create a root CA']);
  });

  it('checks the alias as NCP does, then creates a root CA and a subordinate nested under it', async () => {
    await assert.rejects(run('ncloudPki.createRootCa', ['1-bad-alias']), /3-15 letters/);
    const { result: root } = await run<{ caInfo: { status: string } }>('ncloudPki.createRootCa', ['it-root', 'EC256', '3650', 'IT Root CA', 'ncloud-pki tests', 'KR']);
    assert.equal(root.caInfo.status, 'ACTIVE');
    // NCP refuses a duplicate alias: the command reports it and ends (the message outlives it).
    const { result: duplicate } = await run('ncloudPki.createRootCa', ['it-root', 'EC256', '3650', 'Again', '', 'KR']);
    assert.equal(duplicate, undefined);
    const [profile] = await children(api.testing.tree);
    assert.equal((await children(api.testing.tree, profile)).filter((n) => label(n) === 'it-root').length, 1);
    const rootNode = await find(api.testing.tree, profile, 'it-root');
    assert.match(description(rootNode), /Active · .* · expires in 36\d\d days/);
    await run('ncloudPki.createSubCa', ['it-sub', 'EC256', '365', 'IT Issuing CA', '', 'KR'], rootNode);
    const [p2] = await children(api.testing.tree);
    const root2 = await find(api.testing.tree, p2, 'it-root');
    const sub = await find(api.testing.tree, root2, 'it-sub');
    assert.equal(sub.item().contextValue, 'ca.ACTIVE.sub');
    assert.deepEqual((await children(api.testing.tree, sub)).map(label), ['Certificates', 'CRL', 'Chain']);
  });

  async function subNode(): Promise<TreeNode> {
    const [profile] = await children(api.testing.tree);
    return find(api.testing.tree, await find(api.testing.tree, profile, 'it-root'), 'it-sub');
  }

  it('issues a certificate: cert, key (0600) and chain land in the workspace; the key goes into .gitignore once', async () => {
    const { result: folder } = await run<vscode.Uri>('ncloudPki.issueCertificate', ['api.it.internal', 'api.it.internal,www.it.internal', '10.0.0.1', 'EC256', '30', true], await subNode());
    const dir = folder.fsPath;
    assert.equal(path.relative(workspace, dir), path.join('certs', 'api.it.internal'));
    const cert = new X509Certificate(readFileSync(path.join(dir, 'cert.pem')));
    assert.match(cert.subject, /CN=api\.it\.internal/);
    assert.match(cert.subjectAltName ?? '', /DNS:www\.it\.internal.*IP Address:10\.0\.0\.1/);
    assert.equal(mode(path.join(dir, 'key.pem')), 0o600);
    assert.ok(cert.checkPrivateKey(createPrivate(path.join(dir, 'key.pem'))));
    const chain = readFileSync(path.join(dir, 'chain.pem'), 'utf8');
    assert.equal(chain.match(/BEGIN CERTIFICATE/g)?.length, 2);
    assert.ok(cert.verify(new X509Certificate(chain).publicKey));
    assert.match(readFileSync(path.join(workspace, '.gitignore'), 'utf8'), /^certs\/api\.it\.internal\/key\.pem$/m);
  });

  it('never overwrites without asking: declining leaves the files and asks NCP for nothing', async () => {
    const dir = path.join(workspace, 'certs', 'api.it.internal');
    const before = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    // 900 days: accepted by NCP's rule, with the lifetime limits it exceeds shown under the input.
    const { result, asked, notes } = await run('ncloudPki.issueCertificate', ['api.it.internal', 'api.it.internal', '', 'EC256', '900', false], await subNode());
    assert.equal(result, undefined);
    assert.equal(notes.length, 1);
    assert.match(notes[0], /825 days.*Baseline Requirements §6\.3\.2, ballot SC-081v3.*397 days/s);
    assert.match(asked[asked.length - 1], /Replace cert\.pem, key\.pem, chain\.pem/);
    assert.equal(readFileSync(path.join(dir, 'cert.pem'), 'utf8'), before);
    const list = await find(api.testing.tree, await subNode(), 'Certificates');
    await vscode.commands.executeCommand('ncloudPki.refresh', list);
    assert.equal((await children(api.testing.tree, list)).length, 1, 'still one certificate');
  });

  it('signs a CSR generated here (the key never leaves) and a CSR from a file', async () => {
    const { result: folder } = await run<vscode.Uri>('ncloudPki.signCsr', [startsWith('Generate'), 'csr.it.internal', 'csr.it.internal', 'EC256', '30'], await subNode());
    const dir = folder.fsPath;
    assert.equal(mode(path.join(dir, 'key.pem')), 0o600);
    const cert = new X509Certificate(readFileSync(path.join(dir, 'cert.pem')));
    assert.ok(cert.checkPrivateKey(createPrivate(path.join(dir, 'key.pem'))));
    assert.ok(existsSync(path.join(dir, 'request.csr')));

    const tmp = mkdtempSync(path.join(tmpdir(), 'csr-'));
    try {
      execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path.join(tmp, 'svc.key'), '-subj', '/CN=svc.it.internal', '-out', path.join(workspace, 'svc.csr')], { stdio: 'ignore' });
      await run('ncloudPki.signCsr', [startsWith('Choose'), vscode.Uri.file(path.join(workspace, 'svc.csr')), '30'], await subNode());
      const svc = new X509Certificate(readFileSync(path.join(workspace, 'svc.crt')));
      assert.match(svc.subject, /CN=svc\.it\.internal/);
      assert.ok(svc.checkPrivateKey(createPrivate(path.join(tmp, 'svc.key'))));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('issues a dev certificate for localhost, 127.0.0.1 and ::1 into certs/', async () => {
    const { result: folder } = await run<vscode.Uri>('ncloudPki.issueDevCertificate', [byLabel('it-sub')]);
    assert.equal(path.relative(workspace, folder.fsPath), 'certs');
    const cert = new X509Certificate(readFileSync(path.join(folder.fsPath, 'cert.pem')));
    assert.equal(cert.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000;
    assert.ok(days >= 29 && days <= 31, `30 days by default, got ${days}`);
    assert.equal(mode(path.join(folder.fsPath, 'key.pem')), 0o600);
    // Again: the files exist, the user declines, nothing changes.
    const before = readFileSync(path.join(folder.fsPath, 'key.pem'), 'utf8');
    await run('ncloudPki.issueDevCertificate', [byLabel('it-sub'), false]);
    assert.equal(readFileSync(path.join(folder.fsPath, 'key.pem'), 'utf8'), before);
  });

  it('refuses a dev certificate when a dangling symlink waits at key.pem, before NCP is asked', async () => {
    const config = vscode.workspace.getConfiguration('ncloudPki');
    await config.update('devCertificate.folder', 'trap', vscode.ConfigurationTarget.Global);
    const trap = path.join(workspace, 'trap');
    const stolen = path.join(tmpdir(), `stolen-${process.pid}.pem`);
    mkdirSync(trap, { recursive: true });
    symlinkSync(stolen, path.join(trap, 'key.pem'));
    const client = createClient({ target: { endpoint: await api.testing.emulatorUrl() }, credentials: DEFAULT_CREDENTIALS });
    const caTag = ((await subNode()) as unknown as { tag: string }).tag;
    const count = async () => (await client.pca.listCerts(caTag, 1)).totalCnt;
    const issuedBefore = await count();
    try {
      const { result } = await run<vscode.Uri | undefined>('ncloudPki.issueDevCertificate', [byLabel('it-sub')]);
      assert.equal(result, undefined);
      assert.equal(existsSync(stolen), false, 'the private key went through the link');
      assert.ok(lstatSync(path.join(trap, 'key.pem')).isSymbolicLink());
      assert.deepEqual(readdirSync(trap), ['key.pem'], 'nothing else written');
      assert.equal(await count(), issuedBefore, 'NCP was asked before the files were checked');
    } finally {
      await config.update('devCertificate.folder', undefined, vscode.ConfigurationTarget.Global);
      rmSync(trap, { recursive: true, force: true });
      rmSync(stolen, { force: true });
      await client.close();
    }
  });

  it('lists issued certificates under the CA, revokes one, and the CRL lists it', async () => {
    const list = await find(api.testing.tree, await subNode(), 'Certificates');
    await vscode.commands.executeCommand('ncloudPki.refresh', list);
    const certs = await children(api.testing.tree, list);
    assert.deepEqual(certs.map(label).sort(), ['api.it.internal', 'csr.it.internal', 'localhost', 'svc.it.internal']);
    assert.ok(certs.every((c) => /^valid · /.test(description(c))));
    const victim = certs.find((c) => label(c) === 'csr.it.internal')!;
    const { result } = await run<boolean>('ncloudPki.revokeCertificate', [true], victim);
    assert.equal(result, true);
    const after = await children(api.testing.tree, list);
    const revoked = after.find((c) => label(c) === 'csr.it.internal')!;
    assert.match(description(revoked), /^revoked/);
    // The tooltip is built on hover (resolveTreeItem), not for every row of every page.
    const item = revoked.item();
    assert.equal(item.tooltip, undefined);
    const tip = (await api.testing.tree.resolveTreeItem!(item, revoked, new vscode.CancellationTokenSource().token))?.tooltip;
    assert.ok(tip instanceof vscode.MarkdownString && tip.value.includes((revoked as unknown as { cert: { serialNo: string } }).cert.serialNo) && tip.value.includes('revoked'), String(tip));
    const crlFile = vscode.Uri.file(path.join(workspace, 'it-sub.crl'));
    await run('ncloudPki.downloadCrl', [crlFile], await subNode());
    const serial = (victim as unknown as { cert: { serialNo: string } }).cert.serialNo.replace(/:/g, '').toUpperCase();
    const crlText = execFileSync('openssl', ['crl', '-in', crlFile.fsPath, '-noout', '-text'], { encoding: 'utf8' });
    assert.ok(crlText.replace(/\s/g, '').includes(serial.replace(/^0+/, '')), `serial ${serial} on the CRL`);
  });

  it('reveals a certificate in the tree (what the inspector\'s "Reveal" button does)', async () => {
    const list = await find(api.testing.tree, await subNode(), 'Certificates');
    const target = (await children(api.testing.tree, list)).find((c) => label(c) === 'svc.it.internal') as unknown as { cert: { serialNo: string } };
    const profile = api.testing.profiles.all()[0].id;
    const caTag = ((await subNode()) as unknown as { tag: string }).tag;
    await vscode.commands.executeCommand('ncloudPki.privateCa.focus');
    // The command resolves once the workbench selected it (the selection arrives before reveal() resolves).
    assert.equal(await vscode.commands.executeCommand('ncloudPki.reveal', { profile, caTag, serialNo: target.cert.serialNo }), true);
    assert.deepEqual(api.testing.treeView.selection.map(label), ['svc.it.internal']);
  });

  it('opens a certificate from the tree in the inspector, and downloads it', async () => {
    const list = await find(api.testing.tree, await subNode(), 'Certificates');
    const node = (await children(api.testing.tree, list)).find((c) => label(c) === 'api.it.internal')!;
    const ext = vscode.extensions.getExtension<{ inspector: { onDidRender: vscode.Event<{ report: { blocks: { title: string }[]; chain?: { ok: boolean } } }> } }>('ncloud-pki.ncloud-pki')!.exports;
    const rendered = new Promise<{ blocks: { title: string }[]; chain?: { ok: boolean } }>((resolve) => {
      const sub = ext.inspector.onDidRender((e) => {
        sub.dispose();
        resolve(e.report);
      });
    });
    await vscode.commands.executeCommand(node.item().command!.command, ...(node.item().command!.arguments ?? []));
    const report = await rendered;
    assert.deepEqual(report.blocks.map((b) => b.title), ['Certificate: api.it.internal', 'Certificate: IT Issuing CA', 'Certificate: IT Root CA']);
    assert.equal(report.chain?.ok, true);
    const file = vscode.Uri.file(path.join(workspace, 'downloaded.crt'));
    await run('ncloudPki.downloadCertificate', [file], node);
    assert.match(new X509Certificate(readFileSync(file.fsPath)).subject, /CN=api\.it\.internal/);
  });

  it('pages certificates: 50 at a time, then "Load more…"', async () => {
    const client = createClient({ target: { endpoint: await api.testing.emulatorUrl() }, credentials: DEFAULT_CREDENTIALS });
    const caTag = ((await subNode()) as unknown as { tag: string }).tag;
    try {
      for (let i = 0; i < 50; i++) {
        await client.pca.issueCert(caTag, { keyType: 'EC256', period: '30', x509Parameters: { commonName: `bulk-${i}.it.internal` } });
      }
    } finally {
      await client.close();
    }
    const list = await find(api.testing.tree, await subNode(), 'Certificates');
    await vscode.commands.executeCommand('ncloudPki.refresh', list);
    // The view and a command asking at once (as when the view is open) load page 1 once.
    const [first, again] = await Promise.all([children(api.testing.tree, list), children(api.testing.tree, list)]);
    assert.equal(first.length, 51, '50 certificates and "Load more…"');
    assert.equal(again.length, 51);
    const more = first[50];
    assert.equal(label(more), 'Load more…');
    await vscode.commands.executeCommand(more.item().command!.command, ...(more.item().command!.arguments ?? []));
    const all = await children(api.testing.tree, list);
    assert.equal(all.length, 54);
    assert.ok(all.every((n) => label(n) !== 'Load more…'));
    assert.equal(description(list), '54');
  });

  it('a certificate issued by a CA of a profile gets a "Reissue from …" code lens that reissues it in place', async () => {
    const file = vscode.Uri.file(path.join(workspace, 'certs', 'api.it.internal', 'cert.pem'));
    const before = new X509Certificate(readFileSync(file.fsPath));
    await vscode.window.showTextDocument(file);
    // The lens appears once the language server has heard which CAs the tree knows.
    let lens: vscode.CodeLens | undefined;
    for (const deadline = Date.now() + 30_000; !lens && Date.now() < deadline; ) {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file);
      lens = lenses.find((l) => l.command?.title === 'Reissue from it-sub…');
      if (!lens) {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    assert.ok(lens?.command, 'Reissue lens');
    const { result } = await run<vscode.Uri>(lens.command.command, ['30', true], ...(lens.command.arguments ?? []));
    assert.equal(result.fsPath, path.dirname(file.fsPath));
    const after = new X509Certificate(readFileSync(file.fsPath));
    assert.notEqual(after.serialNumber, before.serialNumber);
    assert.equal(after.subject, before.subject);
    assert.equal(after.subjectAltName, before.subjectAltName);
    assert.ok(after.checkPrivateKey(createPrivate(path.join(path.dirname(file.fsPath), 'key.pem'))));
    assert.equal(mode(path.join(path.dirname(file.fsPath), 'key.pem')), 0o600);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('revoking a certificate makes its open file say "revoked" (the CA\'s CRL, fetched again); the quick fixes give the full chain and reissue it', async () => {
    const file = vscode.Uri.file(path.join(workspace, 'certs', 'api.it.internal', 'cert.pem'));
    const serial = new X509Certificate(readFileSync(file.fsPath)).serialNumber.toLowerCase().replace(/^0+/, '');
    const doc = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(doc);
    // The code-lens test before reissued this file on disk while it was open; the test host's file
    // watcher is not timely, so the document may still hold the old certificate (which is not revoked).
    if (doc.getText() !== readFileSync(file.fsPath, 'utf8')) {
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    assert.equal(doc.getText(), readFileSync(file.fsPath, 'utf8'), 'the document holds the certificate on disk');
    const list = await find(api.testing.tree, await subNode(), 'Certificates');
    await vscode.commands.executeCommand('ncloudPki.refresh', list);
    const serialOf = (n: TreeNode) => (n as unknown as { cert?: { serialNo: string } }).cert?.serialNo.toLowerCase().replace(/:/g, '').replace(/^0+/, '');
    let rows = await children(api.testing.tree, list);
    // The list is paged: load more until the certificate shows.
    for (let more = rows.find((n) => label(n) === 'Load more…'); !rows.some((n) => serialOf(n) === serial) && more; more = rows.find((n) => label(n) === 'Load more…')) {
      await vscode.commands.executeCommand(more.item().command!.command, ...(more.item().command!.arguments ?? []));
      rows = await children(api.testing.tree, list);
    }
    const node = rows.find((n) => serialOf(n) === serial);
    assert.ok(node, `the certificate ${serial} in the tree`);
    const ours = () => vscode.languages.getDiagnostics(file).filter((d) => d.source === 'ncloud-pki');
    const codeOf = (d: vscode.Diagnostic) => String(typeof d.code === 'object' ? d.code.value : d.code);
    /** Waits (on diagnostics events, with a deadline) until `ready` holds. */
    const until = (ready: (d: vscode.Diagnostic[]) => boolean) =>
      new Promise<vscode.Diagnostic[]>((resolve, reject) => {
        const timer = setTimeout(() => {
          sub.dispose();
          reject(new Error(`diagnostics: ${ours().map(codeOf).join(', ')}`));
        }, 30_000);
        const check = () => {
          if (ready(ours())) {
            clearTimeout(timer);
            sub.dispose();
            resolve(ours());
          }
        };
        const sub = vscode.languages.onDidChangeDiagnostics(check);
        check();
      });
    assert.ok(!ours().some((d) => codeOf(d) === 'revoked'), 'not revoked yet');
    await run('ncloudPki.revokeCertificate', [true], node);
    const [revoked] = (await until((d) => d.some((x) => codeOf(x) === 'revoked'))).filter((d) => codeOf(d) === 'revoked');
    assert.equal(revoked.severity, vscode.DiagnosticSeverity.Error);
    assert.match(revoked.message, /is revoked: the CRL of CA "it-sub" lists serial/);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', file, revoked.range);
    const full = actions.find((a) => a.title === 'Replace with the full chain from it-sub');
    const reissue = actions.find((a) => a.title === 'Reissue from it-sub…');
    assert.ok(full?.edit && reissue?.command, actions.map((a) => a.title).join(' | '));
    assert.ok(await vscode.workspace.applyEdit(full.edit));
    const certs = doc.getText().match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g)!.map((p) => new X509Certificate(p));
    assert.deepEqual(certs.map((c) => /CN=([^\n]+)/.exec(c.subject)?.[1]), ['api.it.internal', 'IT Issuing CA', 'IT Root CA']);
    certs.forEach((c, i) => assert.ok(c.verify((certs[i + 1] ?? c).publicKey), `${c.subject} is signed by the next one`));
    // Back to the file as it is on disk (the fix is checked, not kept).
    const whole = new vscode.WorkspaceEdit();
    whole.replace(file, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), readFileSync(file.fsPath, 'utf8'));
    assert.ok(await vscode.workspace.applyEdit(whole));
    assert.ok(await doc.save());
    // "Reissue from it-sub…" writes a new certificate in place: the file no longer says revoked.
    await run(reissue.command.command, ['30', true], ...(reissue.command.arguments ?? []));
    assert.notEqual(new X509Certificate(readFileSync(file.fsPath)).serialNumber.toLowerCase().replace(/^0+/, ''), serial);
    // The editor reloads the file from disk now (its file watcher is not timely in the test host).
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await until((d) => !d.some((x) => codeOf(x) === 'revoked'));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('a closed file whose certificate is revoked shows "revoked" in Problems (workspace diagnostics), once the CRL says so', async () => {
    const client = createClient({ target: { endpoint: await api.testing.emulatorUrl() }, credentials: DEFAULT_CREDENTIALS });
    const sub = await subNode();
    const caTag = (sub as unknown as { tag: string }).tag;
    const dir = path.join(workspace, 'closed');
    const file = vscode.Uri.file(path.join(dir, 'tls.crt'));
    const codes = () => vscode.languages.getDiagnostics(file).filter((d) => d.source === 'ncloud-pki').map((d) => String(typeof d.code === 'object' ? d.code.value : d.code));
    try {
      const issued = await client.pca.issueCert(caTag, { keyType: 'EC256', x509Parameters: { commonName: 'closed.it.internal', altName: 'closed.it.internal' } });
      mkdirSync(dir, { recursive: true });
      writeFileSync(file.fsPath, issued.certificate);
      // The workspace is indexed again (as a change of files.exclude does), not left to the test host's file watcher, which is not timely.
      await api.testing.certificates.start();
      for (const deadline = Date.now() + 30_000; !api.testing.certificates.entries().some((e) => e.uri === file.toString()) && Date.now() < deadline; ) {
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(api.testing.certificates.entries().some((e) => e.uri === file.toString()), 'the inventory holds the file');
      await client.pca.revokeCert(caTag, issued.serialNo);
      // Rotating the CRL through the extension fetches it at once; the next workspace pull reports the file again.
      assert.equal((await run<boolean>('ncloudPki.rotateCrl', [], sub)).result, true);
      for (const deadline = Date.now() + 30_000; !codes().includes('revoked') && Date.now() < deadline; ) {
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.fsPath === file.fsPath), 'the file was never opened');
      assert.deepEqual(codes(), ['revoked']);
      const [d] = vscode.languages.getDiagnostics(file).filter((x) => x.source === 'ncloud-pki');
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
      assert.match(d.message, /^Certificate "closed\.it\.internal" is revoked: the CRL of CA "it-sub" lists serial/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await client.close();
    }
  });

  it('the Certificates view shows what the CAs say of a closed file: "development-ca" in a production folder (a warning), then "revoked" (an error) once the CRL says so', async () => {
    const client = createClient({ target: { endpoint: await api.testing.emulatorUrl() }, credentials: DEFAULT_CREDENTIALS });
    const sub = await subNode();
    const caTag = (sub as unknown as { tag: string }).tag;
    const dir = path.join(workspace, 'prod');
    const file = vscode.Uri.file(path.join(dir, 'tls.crt'));
    const view = api.testing.certificates;
    const row = () => view.getChildren().find((r): r is Extract<InventoryRow, { entry: unknown }> => 'entry' in r && r.entry.uri === file.toString());
    const codes = () => row()?.entry.findings.map((f) => f.code) ?? [];
    /** Polls the view's rows (the server's messages come when they come) until the file's row holds `code`. */
    const until = async (code: string) => {
      for (const deadline = Date.now() + 30_000; !codes().includes(code) && Date.now() < deadline; ) {
        await new Promise((r) => setTimeout(r, 200));
      }
      assert.ok(codes().includes(code), `the row says ${code}: ${row() ? codes().join(', ') || 'no findings' : 'no row'}`);
      return view.getTreeItem(row()!);
    };
    const colour = (item: vscode.TreeItem) => ((item.iconPath as vscode.ThemeIcon).color as vscode.ThemeColor | undefined)?.id;
    try {
      // The emulator's CAs are development CAs; prod/ is where production configuration lives (ncloudPki.productionPaths).
      const issued = await client.pca.issueCert(caTag, { keyType: 'EC256', x509Parameters: { commonName: 'prod.it.internal', altName: 'prod.it.internal' } });
      mkdirSync(dir, { recursive: true });
      writeFileSync(file.fsPath, issued.certificate);
      await view.start();
      const dev = await until('development-ca');
      assert.deepEqual(codes(), ['development-ca']);
      assert.match(String(dev.description), /^from a development CA · \d+ days left · by IT Issuing CA · prod\/tls\.crt:1$/);
      assert.equal(colour(dev), 'list.warningForeground');
      await client.pca.revokeCert(caTag, issued.serialNo);
      assert.equal((await run<boolean>('ncloudPki.rotateCrl', [], sub)).result, true);
      const revoked = await until('revoked');
      assert.deepEqual(codes(), ['revoked', 'development-ca']);
      assert.match(String(revoked.description), /^revoked · from a development CA · \d+ days left · /);
      assert.equal(colour(revoked), 'list.errorForeground');
      assert.match((revoked.tooltip as vscode.MarkdownString).value, /error:(&nbsp;| )revoked/);
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.fsPath === file.fsPath), 'the file was never opened');
      // Grouped by finding, the file is under both codes.
      await vscode.commands.executeCommand('ncloudPki.certificates.groupBy', 'finding');
      const under = (code: string) => view.getChildren().some((r) => 'group' in r && r.label === code && r.entries.some((e) => e.uri === file.toString()));
      assert.ok(under('revoked') && under('development-ca'), view.getChildren().map((r) => ('group' in r ? r.label : '')).join(', '));
    } finally {
      await vscode.commands.executeCommand('ncloudPki.certificates.groupBy', 'expiry');
      rmSync(dir, { recursive: true, force: true });
      await client.close();
    }
  });

  it('a kept CRL past its nextUpdate is fetched again when the CAs are listed; while the emulator cannot be reached the kept one stands and the message says so', async () => {
    const emulator = await api.testing.emulator();
    const client = createClient({ target: { endpoint: emulator.url }, credentials: DEFAULT_CREDENTIALS });
    const sub = await subNode();
    const caTag = (sub as unknown as { tag: string }).tag;
    const dir = path.join(workspace, 'stale');
    const file = vscode.Uri.file(path.join(dir, 'tls.crt'));
    const DAY = 86_400_000;
    const revoked = () => vscode.languages.getDiagnostics(file).find((d) => d.source === 'ncloud-pki' && (typeof d.code === 'object' ? d.code.value : d.code) === 'revoked');
    /** Waits (on diagnostics events, with a deadline) until `ready` holds of the "revoked" diagnostic. */
    const until = (what: string, ready: (d: vscode.Diagnostic | undefined) => boolean) =>
      new Promise<vscode.Diagnostic | undefined>((resolve, reject) => {
        const timer = setTimeout(() => {
          listener.dispose();
          reject(new Error(`${what}: ${revoked()?.message ?? 'no revoked diagnostic'}`));
        }, 30_000);
        const check = () => {
          if (ready(revoked())) {
            clearTimeout(timer);
            listener.dispose();
            resolve(revoked());
          }
        };
        const listener = vscode.languages.onDidChangeDiagnostics(check);
        check();
      });
    /** Lists the profile's CAs again, as a refresh of the tree does: the CRLs that are due get fetched. */
    const relist = async () => {
      await vscode.commands.executeCommand('ncloudPki.refresh');
      const [profile] = await children(api.testing.tree);
      await children(api.testing.tree, profile);
    };
    const crlGets = () => emulator.counts.get(`GET /api/v1/ca/${caTag}/crl`) ?? 0;
    const STALE = /The CRL could not be fetched again/;
    try {
      const issued = await client.pca.issueCert(caTag, { keyType: 'EC256', x509Parameters: { commonName: 'stale.it.internal', altName: 'stale.it.internal' } });
      await client.pca.revokeCert(caTag, issued.serialNo);
      mkdirSync(dir, { recursive: true });
      writeFileSync(file.fsPath, issued.certificate);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
      // A CRL the CA issued 4 days ago (the emulator's clock moved back): its nextUpdate, 3 days on, has passed.
      // Rotate CRL fetches it at once; it is what the CA says now, so no "could not be fetched" note.
      emulator.setClockOffset(-4 * DAY);
      try {
        assert.equal((await run<boolean>('ncloudPki.rotateCrl', [], sub)).result, true);
      } finally {
        emulator.setClockOffset(0);
      }
      const kept = await until('revoked from the outdated CRL', (d) => d !== undefined);
      assert.doesNotMatch(kept!.message, STALE);
      // The emulator cannot be reached for the CRL (every connection dropped): listing the CAs tries the due CRL, fails, and keeps it.
      emulator.inject({ match: new RegExp(`^GET /api/v1/ca/${caTag}/crl$`), times: 1000, kind: 'drop' });
      try {
        const tried = crlGets();
        await relist();
        const stale = await until('the kept CRL, marked stale', (d) => d !== undefined && STALE.test(d.message));
        assert.ok(crlGets() > tried, 'the due CRL was asked for');
        assert.match(stale!.message, /^Certificate "stale\.it\.internal" is revoked: the CRL of CA "it-sub" lists serial .* \(The CRL could not be fetched again: this is the one of \d{4}-/);
      } finally {
        emulator.clearFaults();
      }
      // Reachable again: the kept CRL is still past its nextUpdate, so listing the CAs fetches it again, and the note goes.
      const before = crlGets();
      await relist();
      const fresh = await until('a fresh CRL', (d) => d !== undefined && !STALE.test(d.message));
      assert.ok(crlGets() > before, 'fetched again');
      assert.match(fresh!.message, /is revoked: the CRL of CA "it-sub"/);
    } finally {
      emulator.clearFaults();
      emulator.setClockOffset(0);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      rmSync(dir, { recursive: true, force: true });
      await client.close();
    }
  });

  it('a CRL fetched by Rotate CRL reaches the server even when a listing of the CAs overtook that fetch', async () => {
    const emulator = await api.testing.emulator();
    const client = createClient({ target: { endpoint: emulator.url }, credentials: DEFAULT_CREDENTIALS });
    const sub = await subNode();
    const caTag = (sub as unknown as { tag: string }).tag;
    const dir = path.join(workspace, 'overtaken');
    const file = vscode.Uri.file(path.join(dir, 'tls.crt'));
    const revoked = () => vscode.languages.getDiagnostics(file).filter((d) => d.source === 'ncloud-pki' && (typeof d.code === 'object' ? d.code.value : d.code) === 'revoked').length;
    /** Waits (on diagnostics events, with a deadline) until `n` certificates of the file are revoked. */
    const until = (n: number, ms: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          listener.dispose();
          reject(new Error(`${revoked()} revoked, not ${n}: the new CRL never reached the server`));
        }, ms);
        const check = () => {
          if (revoked() === n) {
            clearTimeout(timer);
            listener.dispose();
            resolve();
          }
        };
        const listener = vscode.languages.onDidChangeDiagnostics(check);
        check();
      });
    const crlGets = () => emulator.counts.get(`GET /api/v1/ca/${caTag}/crl`) ?? 0;
    const STALL_MS = 8000;
    try {
      const issue = (cn: string) => client.pca.issueCert(caTag, { keyType: 'EC256', x509Parameters: { commonName: cn, altName: cn } });
      const [first, second] = [await issue('first.overtaken.it.internal'), await issue('second.overtaken.it.internal')];
      mkdirSync(dir, { recursive: true });
      writeFileSync(file.fsPath, `${first.certificate.trim()}\n${second.certificate.trim()}\n`);
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
      // A CRL fetched now (Rotate CRL), kept until its nextUpdate: listings do not fetch it again.
      await client.pca.revokeCert(caTag, first.serialNo);
      assert.equal((await run<boolean>('ncloudPki.rotateCrl', [], sub)).result, true);
      await until(1, 30_000);
      // Rotate CRL's own fetch of the next CRL is held by the emulator; the CAs are listed meanwhile
      // (that listing's refresh finds the kept CRL not due and ends first, telling the server the kept one).
      await client.pca.revokeCert(caTag, second.serialNo);
      emulator.inject({ match: new RegExp(`^GET /api/v1/ca/${caTag}/crl$`), times: 1, kind: { stallMs: STALL_MS } });
      const asked = crlGets();
      assert.equal((await run<boolean>('ncloudPki.rotateCrl', [], sub)).result, true);
      while (crlGets() === asked) {
        await new Promise((r) => setTimeout(r, 50));
      }
      await vscode.commands.executeCommand('ncloudPki.refresh');
      const [profile] = await children(api.testing.tree);
      await children(api.testing.tree, profile);
      assert.equal(revoked(), 1, `the held fetch has not been answered yet (${STALL_MS} ms)`);
      // When the held fetch is answered, its CRL goes to the server without another listing.
      await until(2, STALL_MS + 30_000);
      assert.equal(crlGets(), asked + 1, 'only Rotate CRL fetched the CRL');
    } finally {
      emulator.clearFaults();
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      rmSync(dir, { recursive: true, force: true });
      await client.close();
    }
  });

  it('filters CAs by status', async () => {
    await run('ncloudPki.filterCas', ['DEACTIVATED']);
    const [profile] = await children(api.testing.tree);
    assert.deepEqual((await children(api.testing.tree, profile)).map(label), ['No CA matches the filter']);
    await run('ncloudPki.filterCas', ['All statuses']);
    const [p2] = await children(api.testing.tree);
    assert.ok((await children(api.testing.tree, p2)).some((n) => label(n) === 'it-root'));
  });

  it('rotates the CRL, sets its validity, switches OCSP, downloads the chain', async () => {
    const sub = await subNode();
    assert.equal((await run<boolean>('ncloudPki.rotateCrl', [], sub)).result, true);
    assert.equal((await run<boolean>('ncloudPki.setCrlExpiry', ['7'], sub)).result, true);
    assert.equal((await run<boolean>('ncloudPki.enableOcsp', ['http://127.0.0.1:9/ocsp'], sub)).result, true);
    assert.equal((await run<boolean>('ncloudPki.disableOcsp', [], sub)).result, true);
    const chainFile = vscode.Uri.file(path.join(workspace, 'it-sub.chain.pem'));
    await run('ncloudPki.downloadChain', [chainFile], sub);
    assert.equal(readFileSync(chainFile.fsPath, 'utf8').match(/BEGIN CERTIFICATE/g)?.length, 2);
  });

  it('deactivates and activates a CA; destruction names the subordinates and needs the alias typed; then delete', async () => {
    await run('ncloudPki.deactivateCa', [true], await subNode());
    assert.equal((await subNode()).item().contextValue, 'ca.DEACTIVATED.sub');
    await run('ncloudPki.activateCa', [], await subNode());
    assert.equal((await subNode()).item().contextValue, 'ca.ACTIVE.sub');

    const [profile] = await children(api.testing.tree);
    const root = await find(api.testing.tree, profile, 'it-root');
    await assert.rejects(run('ncloudPki.destroyCa', [true, 'it-roo'], root), /Type the alias exactly/);
    const { asked } = await run('ncloudPki.destroyCa', [true, 'it-root'], await find(api.testing.tree, profile, 'it-root'));
    assert.match(asked[0], /it-sub/);
    const [p2] = await children(api.testing.tree);
    const destroying = await find(api.testing.tree, p2, 'it-root');
    assert.equal(destroying.item().contextValue, 'ca.DESTROYING.root');
    assert.equal((await find(api.testing.tree, destroying, 'it-sub')).item().contextValue, 'ca.DESTROYING.sub');
    assert.equal((await run<boolean>('ncloudPki.deleteCa', [true], destroying)).result, true);
    const [p3] = await children(api.testing.tree);
    assert.ok(!(await children(api.testing.tree, p3)).some((n) => label(n) === 'it-root'));
  });

  it('Certificate Manager: statuses in words, reissue with a local key, ZIP download', async () => {
    const [profile] = await children(api.testing.cmTree);
    const certs = await children(api.testing.cmTree, profile);
    assert.ok(certs.length > 0);
    // Status codes in words, never a bare number.
    assert.ok(certs.every((c) => /^[A-Z][a-z]+/.test(description(c))), certs.map(description).join(' | '));
    const target = certs.find((c) => c.item().contextValue === 'cmCert.ready')!;
    const name = label(target);
    const { result } = await run<boolean>('ncloudPki.cmReissue', [undefined], target);
    assert.equal(result, false, 'cancelled at the first question');
    assert.equal((await run<boolean>('ncloudPki.cmReissue', ['cm.it.example', 'cm.it.example', byLabel('D')], target)).result, true);
    const keyFile = path.join(workspace, 'certs', name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+|_+$/g, ''), 'key.pem');
    assert.equal(mode(keyFile), 0o600);
    const again = await children(api.testing.cmTree, (await children(api.testing.cmTree))[0]);
    assert.match(description(again.find((c) => label(c) === name)!), /^Issuing/);
    const zip = vscode.Uri.file(path.join(workspace, 'cm.zip'));
    const ready = again.find((c) => c.item().contextValue === 'cmCert.ready')!;
    await run('ncloudPki.cmDownload', [zip], ready);
    assert.equal(readFileSync(zip.fsPath).subarray(0, 2).toString(), 'PK');
  });

  describe('an NCP profile with a real key pair (a standalone emulator on loopback)', () => {
    let child: ChildProcess;
    let url: string;
    const ACCESS = 'ITACCESSKEY000000001';
    const SECRET = 'ITSECRETKEY0000000000000000000000000001';
    let dataDir: string;

    before(async () => {
      dataDir = mkdtempSync(path.join(tmpdir(), 'emu-'));
      child = spawn(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'emulator', '--port', '0', '--data', dataDir, '--access-key', ACCESS, '--secret-key', SECRET], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
      url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
          if (m) {
            resolve(m[0]);
          }
        });
        child.on('exit', (code) => reject(new Error(`emulator exited ${code}`)));
      });
    });

    after(() => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
      }
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('adds the profile: the secret key is in SecretStorage and nowhere else, and the credentials are checked', async () => {
      await run('ncloudPki.addProfile', ['IT NCP', byLabel('custom'), url, ACCESS, SECRET]);
      const profile = api.testing.profiles.all().find((p) => p.name === 'IT NCP')!;
      assert.equal(await api.testing.profiles.secret(profile.id), SECRET);
      assert.ok(!JSON.stringify(api.testing.profiles.all()).includes(SECRET), 'not in globalState');
      assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('ncloudPki')).includes(SECRET), 'not in settings');
      const node = await find(api.testing.tree, undefined, 'IT NCP');
      assert.deepEqual((await children(api.testing.tree, node)).map(label), ['No CAs yet: create a root CA']);
      // Several profiles at once; one is active for palette commands.
      assert.match(description(await find(api.testing.tree, undefined, 'Local emulator')), /active/);
      await run('ncloudPki.switchProfile', [], node);
      assert.match(description(await find(api.testing.tree, undefined, 'IT NCP')), /active/);
      assert.doesNotMatch(description(await find(api.testing.tree, undefined, 'Local emulator')), /active/);
    });

    it('a wrong secret shows an error node that says what to do, and retry works once fixed', async () => {
      const profile = api.testing.profiles.all().find((p) => p.name === 'IT NCP')!;
      await run('ncloudPki.editProfile', [byLabel('Secret key'), 'WRONGSECRET00000000000000000000000000000'], { profile: profile.id });
      const [err] = await children(api.testing.tree, await find(api.testing.tree, undefined, 'IT NCP'));
      assert.match(label(err), /^Could not load: /);
      assert.match(String(err.item().tooltip), /access key and secret key/);
      assert.equal(err.item().command?.command, 'ncloudPki.refresh');
      await run('ncloudPki.editProfile', [byLabel('Secret key'), SECRET], { profile: profile.id });
      assert.deepEqual((await children(api.testing.tree, await find(api.testing.tree, undefined, 'IT NCP'))).map(label), ['No CAs yet: create a root CA']);
    });

    it('an endpoint that is down is an error node, never an empty tree', async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      const [err] = await children(api.testing.tree, await find(api.testing.tree, undefined, 'IT NCP'));
      assert.match(label(err), /^Could not load: /);
    });

    it('signing out deletes the secret and the profile', async () => {
      const profile = api.testing.profiles.all().find((p) => p.name === 'IT NCP')!;
      await run('ncloudPki.removeProfile', [true], await find(api.testing.tree, undefined, 'IT NCP'));
      assert.equal(await api.testing.profiles.secret(profile.id), undefined);
      assert.ok(!api.testing.profiles.all().some((p) => p.id === profile.id));
    });
  });
});

describe('NCP PKI: Test Connection, per profile, in every failure mode', function () {
  this.timeout(120_000);
  const GOOD = { accessKey: 'TCACCESSKEY000000001', secretKey: 'TCSECRETKEY0000000000000000000000000001' };
  const NONE = { accessKey: 'TCNOPERMISSION000001', secretKey: 'TCNOPERMISSIONSECRET00000000000000000001', permission: 'none' as const };
  let straight: RunningEmulator;
  let skewed: RunningEmulator;
  const dirs: string[] = [];

  async function emulator(gatewaySkewMs = 0): Promise<RunningEmulator> {
    const dir = mkdtempSync(path.join(tmpdir(), 'it-tc-'));
    dirs.push(dir);
    return startEmulator({ dataDir: dir, credentials: [GOOD, NONE], gatewaySkewMs, seed: false });
  }

  async function testConnection(name: string, url: string, key: { accessKey: string; secretKey: string }): Promise<DoctorReport> {
    await run('ncloudPki.addProfile', [name, byLabel('custom'), url, key.accessKey, key.secretKey]);
    const profile = api.testing.profiles.all().find((p) => p.name === name)!;
    const { result } = await run<DoctorReport>('ncloudPki.testConnection', [], { profile: profile.id });
    return result;
  }

  before(async () => {
    api ??= await vscode.extensions.getExtension<Api>('ncloud-pki.ncloud-pki')!.activate();
    straight = await emulator();
    skewed = await emulator(10 * 60_000);
  });

  after(async () => {
    await straight?.stop();
    await skewed?.stop();
    for (const d of dirs) {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('the local emulator profile: both APIs, signature, clock and listing all fine', async () => {
    if (!api.testing.profiles.all().some((p) => p.id === 'emulator')) {
      await vscode.commands.executeCommand('ncloudPki.useEmulator');
    }
    const { result } = await run<DoctorReport>('ncloudPki.testConnection', [], { profile: 'emulator' });
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.deepEqual(result.checks.map((c) => c.id), ['pca', 'cm', 'clock']);
  });

  it('good keys on an NCP profile', async () => {
    const r = await testConnection('TC good', straight.url, GOOD);
    assert.equal(r.ok, true, JSON.stringify(r));
  });

  it('a wrong secret: the signature is refused, and it says to check the keys', async () => {
    const r = await testConnection('TC wrong secret', straight.url, { accessKey: GOOD.accessKey, secretKey: 'TCWRONGSECRET0000000000000000000000000001' });
    assert.equal(r.ok, false);
    assert.match(r.checks[0].detail, /refused the signature/);
    assert.match(r.checks[0].fix!, /access key and secret key/);
  });

  it('a key without permission: reached, but may not list', async () => {
    const r = await testConnection('TC no permission', straight.url, NONE);
    assert.equal(r.ok, false);
    assert.match(r.checks[0].detail, /may not list/);
  });

  it('a skewed clock: measured from the Date header, with the fix', async () => {
    const r = await testConnection('TC skewed', skewed.url, GOOD);
    assert.equal(r.ok, false);
    assert.ok(Math.abs(r.skewMs! + 10 * 60_000) < 60_000, `skew ${r.skewMs}`);
    assert.match(r.checks.find((c) => c.id === 'clock')!.fix!, /Sync the clock/);
  });

  it('the endpoint down: not reachable, both APIs', async () => {
    const r = await testConnection('TC down', 'http://127.0.0.1:9', GOOD);
    assert.equal(r.ok, false);
    assert.match(r.checks[0].detail, /not reachable/);
    assert.match(r.checks[1].detail, /not reachable/);
  });
});

function createPrivate(file: string) {
  return createPrivateKey(readFileSync(file));
}
