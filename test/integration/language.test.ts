// The PEM language server through the real VS Code: diagnostics reach the Problems model, hovers
// and the code-lens commands work, settings change severities.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

const FIXTURES = path.join(__dirname, '../../../test/fixtures/pki');

/** The ncloud-pki diagnostics of `uri` once `ready` accepts them (waits on onDidChangeDiagnostics, never sleeps). */
function diagnosticsOf(uri: vscode.Uri, ready: (d: vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
  const ours = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'ncloud-pki');
  return new Promise((resolve) => {
    const check = () => {
      const d = ours();
      if (ready(d)) {
        sub.dispose();
        resolve(d);
        return true;
      }
      return false;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) {
        check();
      }
    });
    check();
  });
}

// A finding's code comes with a link to its explanation (docs/findings.md): `{ value, target }`.
const codeOf = (x: vscode.Diagnostic) => String(typeof x.code === 'object' ? x.code.value : x.code);
const codes = (d: vscode.Diagnostic[]) => d.map(codeOf).sort();

async function open(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(FIXTURES, name)));
  await vscode.window.showTextDocument(doc);
  return doc;
}

describe('PEM language server in a real VS Code', () => {
  after(async () => {
    await vscode.workspace.getConfiguration('ncloudPki').update('diagnostics.severity', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('gives .pem files the pem language and reports a reversed chain at each certificate, with related information', async () => {
    const doc = await open('chain-reversed.pem');
    assert.equal(doc.languageId, 'pem');
    const d = await diagnosticsOf(doc.uri, (x) => x.length >= 2);
    assert.deepEqual(codes(d), ['chain-order', 'chain-order']);
    for (const x of d) {
      assert.equal(x.severity, vscode.DiagnosticSeverity.Warning);
      assert.ok(x.relatedInformation?.length, 'links to the other certificate');
      assert.ok(doc.getText(x.range).startsWith('-----BEGIN CERTIFICATE-----'), `range covers a block: ${doc.getText(x.range).slice(0, 40)}`);
    }
  });

  it('offers the reorder quick fix, which puts the chain leaf → root and clears the warnings', async () => {
    const doc = await open('chain-reversed.pem');
    const [first] = await diagnosticsOf(doc.uri, (x) => x.length >= 2);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, first.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title.includes('Reorder'));
    assert.ok(fix?.edit, `quick fix offered: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    await diagnosticsOf(doc.uri, (x) => x.length === 0);
    assert.match(doc.getText().slice(0, 200), /BEGIN CERTIFICATE/);
    // Undo leaves the file as it was on disk: nothing is saved behind the user's back.
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.isDirty, false);
  });

  it('reports an expired certificate as an error and a key that does not match in a .pem bundle', async () => {
    const expired = await open('expired.crt');
    assert.deepEqual(codes(await diagnosticsOf(expired.uri, (x) => x.length > 0)), ['expired']);
    const mismatch = await open('leaf-with-wrong-key.pem');
    const [d] = await diagnosticsOf(mismatch.uri, (x) => x.length > 0);
    assert.equal(codeOf(d), 'key-mismatch');
    // The code links to its section of docs/findings.md (the problems panel shows it as a link).
    assert.ok(typeof d.code === 'object' && d.code.target.toString() === 'https://github.com/ncloud-pki/ncloud-pki/blob/main/docs/findings.md#key-mismatch', JSON.stringify(d.code));
    assert.match(mismatch.getText(d.range), /PRIVATE KEY/);
  });

  it('hovers a certificate with its subject, validity and SHA-256 fingerprint', async () => {
    const doc = await open('expired.crt');
    await diagnosticsOf(doc.uri, (x) => x.length > 0);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(3, 4));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /expired\\?\.example/); // markdown escapes the dot
    assert.match(text, /SHA-256/);
    assert.match(text, /command:ncloudPki\.inspect/);
  });

  it('finds PEM inside YAML and offers Inspect and Verify chain lenses and an outline', async () => {
    const doc = await open('k8s.yaml');
    assert.equal(doc.languageId, 'yaml');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    const titles = lenses.map((l) => l.command?.title);
    assert.ok(titles.includes('Inspect'), titles.join(', '));
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    assert.ok(symbols.some((s) => s.name.includes('localhost')), symbols.map((s) => s.name).join(', '));
  });

  it('verifies a chain from the command and reports the path', async () => {
    const doc = await open('chain.pem');
    const result = await vscode.commands.executeCommand<{ ok: boolean; links: { subject: string; signature: string }[] }>('ncloudPki.verifyChain', { uri: doc.uri.toString() });
    assert.equal(result.ok, true);
    assert.equal(result.links.length, 3);
    assert.ok(result.links.every((l) => l.signature === 'valid'));
  });

  it('follows ncloudPki.diagnostics.severity: "off" hides a finding, "error" raises it', async () => {
    const doc = await open('chain-reversed.pem');
    await diagnosticsOf(doc.uri, (x) => x.length >= 2);
    const config = vscode.workspace.getConfiguration('ncloudPki');
    await config.update('diagnostics.severity', { 'chain-order': 'error' }, vscode.ConfigurationTarget.Global);
    const raised = await diagnosticsOf(doc.uri, (x) => x.length >= 2 && x.every((y) => y.severity === vscode.DiagnosticSeverity.Error));
    assert.equal(raised.length, 2);
    await config.update('diagnostics.severity', { 'chain-order': 'off' }, vscode.ConfigurationTarget.Global);
    await diagnosticsOf(doc.uri, (x) => x.length === 0);
  });
});
