// "Export Certificate…" in a real VS Code: a certificate with key.pem and chain.pem beside it,
// exported as PKCS#12 (read back by openssl with the password) and as a Kubernetes Secret; an
// existing file is replaced only after asking.
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ScriptedPrompter, type Answer } from '../../src/extension/ui';

const FIXTURES = path.join(__dirname, '../../../test/fixtures/pki');

interface Api {
  testing: { setPrompter(p: ScriptedPrompter | undefined): void };
}

describe('Export Certificate…', function () {
  this.timeout(60_000);
  let api: Api;
  let dir: string;

  async function run(answers: Answer[], ...args: unknown[]): Promise<vscode.Uri | undefined> {
    const p = new ScriptedPrompter(answers);
    api.testing.setPrompter(p);
    try {
      const r = await vscode.commands.executeCommand<vscode.Uri | undefined>('ncloudPki.exportCertificate', ...args);
      assert.equal(p.remaining, 0, `answers left unused; asked: ${p.asked.join(' | ')}`);
      return r;
    } finally {
      api.testing.setPrompter(undefined);
    }
  }

  before(async () => {
    api = await vscode.extensions.getExtension<Api>('ncloud-pki.ncloud-pki')!.activate();
    dir = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'export-test');
    mkdirSync(dir, { recursive: true });
    copyFileSync(path.join(FIXTURES, 'leaf.crt'), path.join(dir, 'cert.pem'));
    copyFileSync(path.join(FIXTURES, 'leaf.key'), path.join(dir, 'key.pem'));
    writeFileSync(path.join(dir, 'chain.pem'), readFileSync(path.join(FIXTURES, 'inter.crt'), 'utf8') + readFileSync(path.join(FIXTURES, 'root.crt'), 'utf8'));
  });

  it('writes a PKCS#12 file (0600) that openssl opens with the password, and asks before replacing it', async () => {
    const cert = vscode.Uri.file(path.join(dir, 'cert.pem'));
    const out = await run([(i) => i.label === 'PKCS#12 (.p12)', 'export-pass-1'], cert);
    assert.equal(out?.fsPath, path.join(dir, 'cert.p12'));
    assert.equal(statSync(out.fsPath).mode & 0o777, 0o600);
    const info = spawnSync('openssl', ['pkcs12', '-info', '-noout', '-in', out.fsPath, '-passin', 'pass:export-pass-1'], { encoding: 'utf8' });
    assert.equal(info.status, 0, info.stderr);
    assert.match(info.stderr + info.stdout, /PBES2, PBKDF2, AES-256-CBC/);
    const certs = execFileSync('openssl', ['pkcs12', '-in', out.fsPath, '-passin', 'pass:export-pass-1', '-nokeys'], { encoding: 'utf8' }).match(/BEGIN CERTIFICATE/g) ?? [];
    assert.equal(certs.length, 3, 'leaf, intermediate and root');

    const before = readFileSync(out.fsPath);
    assert.equal(await run([(i) => i.label === 'PKCS#12 (.p12)', 'export-pass-2', false], cert), undefined, 'declining the replace question stops it');
    assert.deepEqual(readFileSync(out.fsPath), before);
  });

  it('writes a Kubernetes TLS Secret whose tls.key matches tls.crt', async () => {
    const out = await run([(i) => i.label.startsWith('Kubernetes TLS Secret')], vscode.Uri.file(path.join(dir, 'cert.pem')));
    assert.ok(out);
    assert.equal(statSync(out.fsPath).mode & 0o777, 0o600);
    const yaml = readFileSync(out.fsPath, 'utf8');
    assert.match(yaml, /^type: kubernetes\.io\/tls$/m);
    const field = (k: string) => Buffer.from(new RegExp(`^  ${k.replace('.', '\\.')}: (\\S+)$`, 'm').exec(yaml)![1], 'base64').toString('utf8');
    const { X509Certificate, createPrivateKey, createPublicKey } = await import('node:crypto');
    const spki = (k: import('node:crypto').KeyObject) => k.export({ type: 'spki', format: 'der' }).toString('base64');
    assert.equal(spki(createPublicKey(createPrivateKey(field('tls.key')))), spki(new X509Certificate(field('tls.crt')).publicKey));
  });
});
