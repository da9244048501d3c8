// "Trust CA on This Computer…" and "Remove Trust…" in a real VS Code, against a sandbox of real
// stores (NCLOUD_PKI_TRUST_CONFIG, honoured outside production only): Debian's own
// update-ca-certificates run on sandbox folders, as an elevated store, so its commands go through
// the visible terminal; a throwaway NSS database (certutil), run directly. openssl verify with the
// sandbox bundle proves the effect; the record lives in the extension's global storage. A guard
// answers "no" to any confirmation that names a path outside the sandbox: this machine's trust
// stores never change.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ScriptedPrompter, type Answer } from '../../src/extension/ui';

const FIXTURES = path.join(__dirname, '../../../test/fixtures/pki');

interface Api {
  testing: { setPrompter(p: ScriptedPrompter | undefined): void; globalStorage: string; walkthrough: { onDidMark: vscode.Event<string> } };
}

/** Confirms only what stays inside the sandbox. */
class SandboxPrompter extends ScriptedPrompter {
  readonly details: string[] = [];
  constructor(
    answers: Answer[],
    private readonly sandbox: string,
  ) {
    super(answers);
  }
  override async confirm(message: string, detail: string): Promise<boolean> {
    this.details.push(detail);
    const yes = await super.confirm(message, detail);
    const outside = detail.split('\n').some((l) => /^\s+\S/.test(l) && /\s\/(usr|etc|var|Library)\//.test(l));
    return yes && detail.includes(this.sandbox) && !outside;
  }
}

const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });
const der = (pem: string) => Buffer.from(/-----BEGIN CERTIFICATE-----([^-]+)-----END/.exec(pem)![1].replace(/\s+/g, ''), 'base64');

describe('Trust CA on This Computer…', function () {
  this.timeout(120_000);
  let api: Api;
  let sb: string;
  let bundle: string;
  let record: string;
  const rootSha = createHash('sha256').update(der(readFileSync(path.join(FIXTURES, 'root.crt'), 'utf8'))).digest('hex');
  const update = () => ['update-ca-certificates', '--certsconf', path.join(sb, 'ca-certificates.conf'), '--certsdir', path.join(sb, 'share'), '--localcertsdir', path.join(sb, 'local'), '--etccertsdir', path.join(sb, 'etc'), '--hooksdir', path.join(sb, 'hooks')];
  const fingerprints = () => new Set([...readFileSync(bundle, 'latin1').matchAll(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g)].map((m) => createHash('sha256').update(der(m[0])).digest('hex')));
  const nss = () => run('certutil', ['-L', '-d', `sql:${path.join(sb, 'nss')}`]).stdout;
  // A real client: openssl verifies the fixture leaf through the intermediate with the sandbox bundle only.
  const verifies = () => run('openssl', ['verify', '-CAfile', bundle, '-no-CApath', '-no-CAstore', '-untrusted', path.join(FIXTURES, 'inter.crt'), path.join(FIXTURES, 'leaf.crt')]).status === 0;

  async function command<T>(id: string, answers: Answer[], ...args: unknown[]): Promise<{ result: T | undefined; p: SandboxPrompter }> {
    const p = new SandboxPrompter(answers, sb);
    api.testing.setPrompter(p);
    try {
      const result = await vscode.commands.executeCommand<T | undefined>(id, ...args);
      assert.equal(p.remaining, 0, `answers left unused; asked: ${p.asked.join(' | ')}`);
      return { result, p };
    } finally {
      api.testing.setPrompter(undefined);
    }
  }

  before(async () => {
    api = await vscode.extensions.getExtension<Api>('ncloud-pki.ncloud-pki')!.activate();
    sb = mkdtempSync(path.join(tmpdir(), 'ncloud-pki-trust-it-'));
    for (const d of ['local', 'etc', 'share/other', 'hooks', 'nss']) {
      mkdirSync(path.join(sb, d), { recursive: true });
    }
    // The sandbox system store already holds another CA, as a real one holds the public roots.
    copyFileSync(path.join(FIXTURES, 'ed25519.crt'), path.join(sb, 'share/other/someone-else.crt'));
    writeFileSync(path.join(sb, 'ca-certificates.conf'), 'other/someone-else.crt\n');
    assert.equal(run(update()[0], update().slice(1)).status, 0);
    assert.equal(run('certutil', ['-N', '-d', `sql:${path.join(sb, 'nss')}`, '--empty-password']).status, 0);
    bundle = path.join(sb, 'etc/ca-certificates.crt');
    writeFileSync(
      path.join(sb, 'stores.json'),
      JSON.stringify({
        os: { kind: 'debian', anchorDir: path.join(sb, 'local'), update: update(), bundle, elevated: true },
        nss: [path.join(sb, 'nss')],
        java: null,
        sudo: false,
      }),
    );
    process.env.NCLOUD_PKI_TRUST_CONFIG = path.join(sb, 'stores.json');
    record = path.join(api.testing.globalStorage, 'trust.json');
  });

  after(() => {
    delete process.env.NCLOUD_PKI_TRUST_CONFIG;
    vscode.window.terminals.filter((t) => t.name === 'NCP PKI: Trust').forEach((t) => t.dispose());
    rmSync(sb, { recursive: true, force: true });
  });

  it('refuses a leaf certificate without asking or changing anything', async () => {
    const before = readFileSync(bundle);
    const { result, p } = await command('ncloudPki.trustCa', [], vscode.Uri.file(path.join(FIXTURES, 'leaf.crt')));
    assert.equal(result, undefined);
    assert.deepEqual(p.asked, []);
    assert.deepEqual(readFileSync(bundle), before);
  });

  it('trusts the root of a chain file in the sandbox stores (elevated ones in a terminal), records it, and Remove Trust undoes exactly that', async () => {
    const before = readFileSync(bundle);
    assert.equal(fingerprints().has(rootSha), false);
    assert.equal(verifies(), false, 'the leaf does not verify before');

    const marked: string[] = [];
    const sub = api.testing.walkthrough.onDidMark((s) => marked.push(s));
    const { result, p } = await command<{ sha256: string; stores: string[]; runtimes: { runtime: string; accepts: boolean; reason: { id: string }; fix?: string }[] }>('ncloudPki.trustCa', [true], vscode.Uri.file(path.join(FIXTURES, 'chain.pem')));
    sub.dispose();
    assert.deepEqual(marked, ['trust'], 'the walkthrough\'s trust step is ticked');
    assert.equal(result?.sha256, rootSha, 'the root of the chain, not the leaf or the intermediate');
    assert.equal(result.stores.length, 2);
    // The report goes beyond the stores: the runtimes, read from this extension host's environment
    // (the host may set NODE_EXTRA_CA_CERTS to the system bundle, which lacks the sandbox CA), with
    // the exact line that fixes each one that rejects.
    const node = result.runtimes.find((r) => r.runtime === 'Node.js');
    assert.deepEqual([node?.accepts, node?.reason.id], [false, process.env.NODE_EXTRA_CA_CERTS ? 'env-lacks' : 'node-default']);
    assert.match(node?.fix ?? '', /^export NODE_EXTRA_CA_CERTS=\S*cas\/[0-9a-f]{16}\.pem/);
    const curl = result.runtimes.find((r) => r.runtime === 'curl / OpenSSL');
    const sslEnv = Boolean(process.env.SSL_CERT_FILE || process.env.SSL_CERT_DIR);
    assert.deepEqual([curl?.accepts, curl?.reason.id], sslEnv ? [false, 'env-lacks'] : [true, 'os-trusts'], 'curl reads SSL_CERT_FILE/DIR when set, else the (sandbox) OS store, which now trusts the CA');
    const host = result.runtimes.find((r) => r.runtime === 'VS Code extension host');
    assert.deepEqual([host?.accepts, host?.reason.id], [true, 'vscode-os'], 'VS Code reads the (sandbox) OS store');
    const detail = p.details[0];
    assert.match(detail, /update-ca-certificates/);
    assert.match(detail, /certutil -A -d/);
    assert.match(detail, /Test Root CA/);
    assert.ok(vscode.window.terminals.some((t) => t.name === 'NCP PKI: Trust'), 'the elevated store ran in a visible terminal');
    assert.equal(fingerprints().has(rootSha), true);
    assert.equal(verifies(), true, 'openssl accepts the leaf with the sandbox bundle');
    assert.match(nss(), /ncloud-pki Test Root CA/);
    const rec = JSON.parse(readFileSync(record, 'utf8')) as { trusted: { sha256: string; stores: unknown[] }[] };
    assert.equal(rec.trusted.find((r) => r.sha256 === rootSha)?.stores.length, 2);

    const removed = await command<string[]>('ncloudPki.untrustCa', [(i: vscode.QuickPickItem) => i.label.includes('Test Root CA'), true]);
    assert.equal(removed.result?.length, 2);
    assert.match(removed.p.details[0], /rm -f \S*\/local\/ncloud-pki-/);
    assert.equal(fingerprints().has(rootSha), false);
    assert.equal(verifies(), false, 'openssl refuses it again');
    assert.doesNotMatch(nss(), /ncloud-pki/);
    assert.deepEqual(readFileSync(bundle), before, 'the bundle is as it was');
    const after = existsSync(record) ? (JSON.parse(readFileSync(record, 'utf8')) as { trusted: { sha256: string }[] }).trusted : [];
    assert.equal(after.some((r) => r.sha256 === rootSha), false, 'the record is gone');
  });
});
