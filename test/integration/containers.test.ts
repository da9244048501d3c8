// PKCS#12 and JWK Sets in the inspector of a real VS Code: the password is asked in the host (again
// when wrong), only the certificates reach the webview, and the label names each key's type.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ScriptedPrompter, type Answer } from '../../src/extension/ui';

const FIXTURES = path.join(__dirname, '../../../test/fixtures/pki');

interface Rendered {
  blocks: { kind: string; title: string }[];
}
interface Api {
  inspector: { onDidRender: vscode.Event<{ source: { uri?: string; label: string }; report: Rendered }> };
  testing: { setPrompter(p: ScriptedPrompter | undefined): void };
}

describe('PKCS#12 and JWK in the inspector', function () {
  this.timeout(60_000);
  let api: Api;
  let dir: string;

  async function inspect(uri: vscode.Uri, answers: Answer[]): Promise<{ report: Rendered | undefined; label: string | undefined; asked: string[] }> {
    const p = new ScriptedPrompter(answers);
    api.testing.setPrompter(p);
    let label: string | undefined;
    const sub = api.inspector.onDidRender((e) => {
      if (e.source.uri === uri.toString()) {
        label = e.source.label;
      }
    });
    try {
      const report = await vscode.commands.executeCommand<Rendered | undefined>('ncloudPki.inspect', uri);
      assert.equal(p.remaining, 0, `answers left; asked: ${p.asked.join(' | ')}`);
      return { report, label, asked: p.asked };
    } finally {
      sub.dispose();
      api.testing.setPrompter(undefined);
    }
  }

  before(async () => {
    api = await vscode.extensions.getExtension<Api>('ncloud-pki.ncloud-pki')!.activate();
    dir = mkdtempSync(path.join(tmpdir(), 'ncloud-pki-containers-it-'));
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(dir, { recursive: true, force: true });
  });

  it('asks the password of a PKCS#12 again when wrong, then shows its certificates and the key type', async () => {
    const file = path.join(dir, 'server.p12');
    execFileSync('openssl', ['pkcs12', '-export', '-in', path.join(FIXTURES, 'leaf.crt'), '-inkey', path.join(FIXTURES, 'leaf.key'), '-certfile', path.join(FIXTURES, 'inter.crt'), '-name', 'web', '-passout', 'pass:s3cret', '-out', file]);
    const { report, label, asked } = await inspect(vscode.Uri.file(file), ['wrong', 's3cret']);
    assert.deepEqual(report?.blocks.map((b) => b.kind), ['certificate', 'certificate']);
    assert.match(asked[1], /Wrong password/);
    assert.match(label ?? '', /PKCS#12; private key "web": EC P-256/);
  });

  it('cancelling the password shows nothing', async () => {
    const { report } = await inspect(vscode.Uri.file(path.join(dir, 'server.p12')), [undefined]);
    assert.equal(report, undefined);
  });

  it('finds a PKCS#12 by its bytes when its name says nothing', async () => {
    const file = path.join(dir, 'server-keystore');
    execFileSync('openssl', ['pkcs12', '-export', '-in', path.join(FIXTURES, 'leaf.crt'), '-inkey', path.join(FIXTURES, 'leaf.key'), '-certfile', path.join(FIXTURES, 'inter.crt'), '-name', 'web', '-passout', 'pass:s3cret', '-out', file]);
    const { report, label } = await inspect(vscode.Uri.file(file), ['s3cret']);
    assert.deepEqual(report?.blocks.map((b) => b.kind), ['certificate', 'certificate']);
    assert.match(label ?? '', /PKCS#12; private key "web": EC P-256/);
  });

  it('shows the x5c certificates of a JWK Set and its key types, without a password', async () => {
    const leaf = new X509Certificate(readFileSync(path.join(FIXTURES, 'leaf.crt')));
    const jwk = createPrivateKey(readFileSync(path.join(FIXTURES, 'leaf.key'))).export({ format: 'jwk' });
    const file = path.join(dir, 'keys.jwks');
    writeFileSync(file, JSON.stringify({ keys: [{ ...jwk, kid: 'sig-1', x5c: [leaf.raw.toString('base64')] }] }));
    const { report, label, asked } = await inspect(vscode.Uri.file(file), []);
    assert.deepEqual(asked, []);
    assert.deepEqual(report?.blocks.map((b) => b.title), ['Certificate: localhost']);
    assert.match(label ?? '', /JWK; private key "sig-1": EC P-256/);
  });
});
