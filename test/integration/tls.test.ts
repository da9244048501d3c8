// "NCP PKI: Inspect TLS Endpoint…" in a real VS Code, against `openssl s_server` on loopback serving
// chains made by the emulator's issuer: the served chain shows in the inspector with its TLS facts
// (host name, order, system store, your CAs from the workspace, expiry, OCSP, protocol), and a
// failing step is named.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ScriptedPrompter } from '../../src/extension/ui';
import { makeCert, type Made } from '../unit/cli/certs';
import { freePort, listening } from '../unit/cli/loopback';

interface Rendered {
  blocks: { kind: string; title: string; badges: string[] }[];
  tls?: { code: string; state: string }[];
  chain?: { from: (string | null)[]; where: string[]; ok: boolean };
}
interface Api {
  testing: { setPrompter(p: ScriptedPrompter | undefined): void };
}

let api: Api;
let dir: string;
let caDir: string;
const servers: ChildProcess[] = [];
const ports: Record<string, number> = {};

async function serve(name: string, leaf: Made, chain: Made[]): Promise<number> {
  const port = await freePort();
  writeFileSync(path.join(dir, `${name}.crt`), leaf.pem);
  writeFileSync(path.join(dir, `${name}.key`), leaf.key.pkcs8, { mode: 0o600 });
  const args = ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', path.join(dir, `${name}.crt`), '-key', path.join(dir, `${name}.key`), '-www', '-quiet'];
  if (chain.length) {
    writeFileSync(path.join(dir, `${name}-chain.pem`), chain.map((c) => c.pem).join(''));
    args.push('-cert_chain', path.join(dir, `${name}-chain.pem`));
  }
  const p = spawn('openssl', args, { stdio: 'ignore' });
  servers.push(p);
  await listening(port);
  return port;
}

const facts = (r: Rendered | { error: string } | undefined) => Object.fromEntries(((r as Rendered | undefined)?.tls ?? []).map((f) => [f.code, f.state]));

async function inspect(address: string, servername = 'localhost'): Promise<Rendered | { error: string } | undefined> {
  return vscode.commands.executeCommand('ncloudPki.inspectTlsEndpoint', address, servername);
}

describe('Inspect TLS Endpoint in a real VS Code', function () {
  this.timeout(120_000);

  before(async () => {
    api = await vscode.extensions.getExtension<Api>('ncloud-pki.ncloud-pki')!.activate();
    dir = mkdtempSync(path.join(tmpdir(), 'vscode-tls-'));
    const root = await makeCert({ cn: 'TLS Test Root', ca: true, to: 3650 });
    const inter = await makeCert({ cn: 'TLS Test Issuing CA', ca: true, issuer: root, to: 1800 });
    // The root is one of "your CAs": a CA certificate in the workspace.
    caDir = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, 'tls-ca');
    mkdirSync(caDir, { recursive: true });
    writeFileSync(path.join(caDir, 'root.pem'), root.pem);
    const [leaf, expired, other] = await Promise.all([
      makeCert({ cn: 'localhost', dns: ['localhost'], issuer: inter, to: 300, from: -10 }),
      makeCert({ cn: 'localhost', dns: ['localhost'], issuer: inter, to: -1, from: -90 }),
      makeCert({ cn: 'other.example', dns: ['other.example'], issuer: inter, to: 300, from: -10 }),
    ]);
    ports.good = await serve('good', leaf, [inter]);
    ports.reversed = await serve('reversed', leaf, [root, inter]);
    ports.missing = await serve('missing', leaf, []);
    ports.expired = await serve('expired', expired, [inter]);
    ports.wrongHost = await serve('wrong-host', other, [inter]);
  });

  after(async () => {
    for (const p of servers) {
      process.kill(p.pid!, 'SIGTERM');
    }
    rmSync(dir, { recursive: true, force: true });
    rmSync(caDir, { recursive: true, force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('asks for host:port and server name, then shows a good chain with every fact', async () => {
    const p = new ScriptedPrompter([`127.0.0.1:${ports.good}`, 'localhost']);
    api.testing.setPrompter(p);
    let r: Rendered;
    try {
      r = (await vscode.commands.executeCommand('ncloudPki.inspectTlsEndpoint')) as Rendered;
    } finally {
      api.testing.setPrompter(undefined);
    }
    assert.equal(p.remaining, 0);
    assert.deepEqual(r.blocks.map((b) => b.title), ['Certificate: localhost', 'Certificate: TLS Test Issuing CA']);
    // The private root is not in the system store; it is one of the workspace's CAs.
    assert.deepEqual(facts(r), { hostname: 'ok', order: 'ok', system: 'error', yours: 'ok', expiry: 'ok', ocsp: 'info', protocol: 'info' });
    // The server rightly leaves its root out: the chain card finds it among your CAs, and says where.
    assert.equal(r.chain?.ok, true, JSON.stringify(r.chain));
    assert.deepEqual(r.chain?.from, [null, null, 'tls-ca/root.pem in the workspace']);
    // What the card says of each: the served ones are in no file.
    const served = `served by 127.0.0.1:${ports.good}`;
    assert.deepEqual(r.chain?.where, [served, served, 'from tls-ca/root.pem in the workspace']);
  });

  it('refuses a malformed address as it is typed', async () => {
    api.testing.setPrompter(new ScriptedPrompter(['127.0.0.1:99999']));
    try {
      await assert.rejects(Promise.resolve(vscode.commands.executeCommand('ncloudPki.inspectTlsEndpoint')), /invalid answer "127\.0\.0\.1:99999"/);
    } finally {
      api.testing.setPrompter(undefined);
    }
  });

  it('a chain out of order', async () => {
    const r = await inspect(`127.0.0.1:${ports.reversed}`);
    assert.equal(facts(r).order, 'warning');
    assert.equal(facts(r).yours, 'ok');
  });

  it('a missing intermediate does not verify against your CAs', async () => {
    const r = await inspect(`127.0.0.1:${ports.missing}`);
    assert.equal((r as Rendered).blocks.length, 1);
    assert.equal(facts(r).yours, 'warning');
    assert.notEqual((r as Rendered).chain?.ok, true);
  });

  it('an expired leaf', async () => {
    const r = (await inspect(`127.0.0.1:${ports.expired}`)) as Rendered;
    assert.equal(facts(r).expiry, 'error');
    assert.equal(facts(r).yours, 'warning');
    assert.ok(r.blocks[0].badges.includes('expired'), r.blocks[0].badges.join(', '));
  });

  it('a wrong host name', async () => {
    const r = await inspect(`127.0.0.1:${ports.wrongHost}`);
    assert.equal(facts(r).hostname, 'error');
    assert.equal(facts(r).yours, 'ok');
  });

  it('names the step that failed', async () => {
    const closed = await freePort();
    const r = (await inspect(`127.0.0.1:${closed}`)) as { error: string };
    assert.match(r.error, /Connecting failed: cannot connect to 127\.0\.0\.1:\d+: connection refused/);
    const unknown = (await inspect('host.invalid:443', '')) as { error: string };
    assert.match(unknown.error, /Resolving the host name failed: cannot resolve host\.invalid/);
  });
});
