// `ncloud-pki trust` against a sandbox of real stores: Debian's own update-ca-certificates run on
// sandbox folders, a throwaway NSS database (certutil), a throwaway Java keystore (keytool). Real
// clients prove the effect on `openssl s_server` (127.0.0.1) serving a dev certificate from the
// emulator: curl with the sandbox bundle and hashed folder, NSS's tstclnt, Node with the suggested
// NODE_EXTRA_CA_CERTS. This computer's trust stores are never touched.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { harness, rootAndSub, type Harness } from '../ncloud/helpers';

const CLI = join(__dirname, '../../../../dist/cli.js');
const FIXTURES = join(__dirname, '../../../../test/fixtures/pki');
let h: Harness;
let sb: string;
let stores: string;
let rootTag: string;
let chainFile: string;
let leafFile: string;
let port: number;
let server: ChildProcess;

/** Environment for child processes with none of this machine's CA variables. */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: join(sb, 'home'), ...extra };
}

/** The CLI as a child process; async, because the emulator it may call lives in this process. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, 'trust', ...args, '--stores', stores], { env: cleanEnv({ NCP_ACCESS_KEY: 'EMULATOR-ACCESS-KEY', NCP_SECRET_KEY: 'EMULATOR-SECRET-KEY' }), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

function run(cmd: string, args: string[], env: Record<string, string> = cleanEnv()) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, out: r.stdout + r.stderr };
}

const update = () => ['update-ca-certificates', '--certsconf', join(sb, 'ca-certificates.conf'), '--certsdir', join(sb, 'share'), '--localcertsdir', join(sb, 'local'), '--etccertsdir', join(sb, 'etc'), '--hooksdir', join(sb, 'hooks')];

// The clients, each asked to reach https://localhost:PORT/ through the sandbox store only.
const curlBundle = () => run('curl', ['-sS', '-o', '/dev/null', '--noproxy', '*', '--cacert', join(sb, 'etc/ca-certificates.crt'), '--capath', '/nonexistent', `https://localhost:${port}/`]).code === 0;
const curlCapath = () => run('curl', ['-sS', '-o', '/dev/null', '--noproxy', '*', '--capath', join(sb, 'etc'), `https://localhost:${port}/`]).code === 0;
const nss = () => run('tstclnt', ['-h', '127.0.0.1', '-p', String(port), '-a', 'localhost', '-d', `sql:${join(sb, 'nss')}`, '-Q']).code === 0;
const javaAliases = () => run('keytool', ['-list', '-keystore', join(sb, 'cacerts.p12'), '-storepass', 'changeit']).out;
const nssNicknames = () => run('certutil', ['-L', '-d', `sql:${join(sb, 'nss')}`]).out;

function nodeGet(extraCa?: string): boolean {
  const code = `require('https').get('https://localhost:${port}/', (r) => { r.resume(); r.on('end', () => process.exit(0)); }).on('error', (e) => { console.error(e.code); process.exit(1); });`;
  return run(process.execPath, ['-e', code], cleanEnv(extraCa ? { NODE_EXTRA_CA_CERTS: extraCa } : {})).code === 0;
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const p = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return p;
}

before(async () => {
  h = await harness();
  sb = join(h.dir, 'sandbox');
  for (const d of ['local', 'etc', 'share/other', 'hooks', 'nss', 'home', 'state']) {
    mkdirSync(join(sb, d), { recursive: true });
  }
  // A sandbox system store already holding another CA, as a real one holds the public roots.
  copyFileSync(join(FIXTURES, 'root.crt'), join(sb, 'share/other/fixture-root.crt'));
  writeFileSync(join(sb, 'ca-certificates.conf'), 'other/fixture-root.crt\n');
  assert.equal(run(update()[0], update().slice(1)).code, 0);
  assert.equal(run('certutil', ['-N', '-d', `sql:${join(sb, 'nss')}`, '--empty-password']).code, 0);
  assert.equal(run('certutil', ['-A', '-d', `sql:${join(sb, 'nss')}`, '-t', 'C,,', '-n', 'someone else', '-i', join(FIXTURES, 'root.crt')]).code, 0);
  stores = join(sb, 'stores.json');
  writeFileSync(
    stores,
    JSON.stringify({
      os: { kind: 'debian', anchorDir: join(sb, 'local'), update: update(), bundle: join(sb, 'etc/ca-certificates.crt'), elevated: false },
      nss: [join(sb, 'nss')],
      java: { keystore: join(sb, 'cacerts.p12'), storepass: 'changeit', elevated: false },
      stateFile: join(sb, 'state/trust.json'),
    }),
  );

  const { root, sub } = await rootAndSub(h.client, 'T');
  rootTag = root.caInfo.caTag;
  const issued = await h.client.pca.issueCert(sub.caInfo.caTag, { keyType: 'EC256', period: '30', x509Parameters: { commonName: 'localhost', altName: 'localhost', ip: '127.0.0.1' } });
  leafFile = join(h.dir, 'cert.pem');
  chainFile = join(h.dir, 'chain.pem');
  writeFileSync(leafFile, issued.certificate);
  writeFileSync(join(h.dir, 'key.pem'), issued.privateKey!, { mode: 0o600 });
  writeFileSync(chainFile, issued.caChain);
  writeFileSync(join(h.dir, 'sub.pem'), sub.caCertInfo!.certPem);

  port = await freePort();
  server = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', leafFile, '-key', join(h.dir, 'key.pem'), '-cert_chain', join(h.dir, 'sub.pem'), '-www', '-quiet'], { stdio: ['pipe', 'pipe', 'pipe'] });
  // Ready when it accepts a TCP connection.
  for (let i = 0; i < 100; i++) {
    if (run('curl', ['-sk', '-o', '/dev/null', '--noproxy', '*', `https://localhost:${port}/`]).code === 0) {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('openssl s_server did not start');
});

after(async () => {
  if (server && server.exitCode === null) {
    await new Promise((r) => {
      server.once('exit', r);
      server.kill('SIGTERM');
    });
  }
  await h?.close();
});

test('install: shown first and refused without --yes on a non-terminal; a leaf is refused; nothing changes', async () => {
  assert.equal(curlBundle(), false, 'the sandbox store does not trust the dev root yet');
  const r = await cli(['install', '--file', chainFile]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /These commands will run/);
  assert.match(r.stdout, new RegExp(`update-ca-certificates --certsconf ${join(sb, 'ca-certificates.conf')}`));
  assert.match(r.stdout, /certutil -A -d sql:\S+ -t C,, -n 'ncloud-pki Test Root T [0-9a-f]{16}' -i /);
  assert.match(r.stdout, /keytool -importcert -noprompt -trustcacerts -alias ncloud-pki-[0-9a-f]{16} /);
  assert.match(r.stderr, /warning: "Test Root T" is not known to be a development CA/);
  assert.match(r.stderr, /stdin is not a terminal: .* re-run with --yes/);
  assert.deepEqual(readdirSync(join(sb, 'local')), []);
  assert.equal(existsSync(join(sb, 'state/trust.json')), false);

  const leaf = await cli(['install', '--file', leafFile, '--yes']);
  assert.equal(leaf.code, 1);
  assert.match(leaf.stderr, /refusing to trust: "CN=localhost.*" is not a CA certificate .*Trust the CA that issued it instead \("CN=Test Sub T/);
  assert.deepEqual(readdirSync(join(sb, 'local')), []);
});

test('install → curl, NSS and Java trust the dev root; status says so; uninstall removes exactly that and curl refuses again', async () => {
  const before = readFileSync(join(sb, 'etc/ca-certificates.crt'), 'utf8');
  const r = await cli(['install', '--ca', rootTag, '--endpoint', h.emu.url, '--yes']);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /not known to be a development CA/, 'a CA from the local emulator is a dev CA');
  assert.match(r.stdout, /Trusted in 3 store\(s\)/);

  assert.equal(curlBundle(), true, 'curl --cacert <sandbox bundle> accepts the dev certificate');
  assert.equal(curlCapath(), true, 'curl --capath <sandbox hashed folder> accepts it');
  assert.equal(nss(), true, 'NSS (tstclnt) accepts it with the sandbox database');
  assert.match(javaAliases(), /ncloud-pki-[0-9a-f]{16}, .*trustedCertEntry/);
  assert.equal(nodeGet(), false, 'Node does not read the OS store');

  const status = JSON.parse((await cli(['status', '--json'])).stdout) as { subject: string; stores: { store: string; trusted: boolean; recorded: boolean }[]; runtimes: { runtime: string; accepts: boolean; fix?: string }[] }[];
  assert.equal(status.length, 1);
  assert.match(status[0].subject, /CN=Test Root T/);
  assert.deepEqual(
    status[0].stores.map((s) => [s.store.split(':')[0], s.trusted, s.recorded]),
    [
      ['os', true, true],
      ['nss', true, true],
      ['java', true, true],
    ],
  );
  const node = status[0].runtimes.find((x) => x.runtime === 'Node.js')!;
  assert.equal(node.accepts, false);
  const caCopy = /NODE_EXTRA_CA_CERTS=(\S+)/.exec(node.fix!)![1];
  assert.equal(nodeGet(caCopy), true, 'the suggested NODE_EXTRA_CA_CERTS makes Node accept it');
  assert.equal(status[0].runtimes.find((x) => x.runtime === 'curl / OpenSSL')!.accepts, true);

  assert.match((await cli(['install', '--file', chainFile, '--yes'])).stdout, /already trusted: Debian[\s\S]*Nothing to do/);

  const u = await cli(['uninstall', '--yes']);
  assert.equal(u.code, 0, u.stderr);
  assert.match(u.stdout, /Removed from 3 store\(s\)/);
  assert.equal(curlBundle(), false, 'after uninstall curl refuses the dev certificate');
  assert.equal(curlCapath(), false);
  assert.equal(nss(), false, 'and so does NSS');
  assert.doesNotMatch(javaAliases(), /ncloud-pki-/);
  // Exactly what was added, nothing else: the other CA stays in the bundle and in the NSS database.
  assert.equal(readFileSync(join(sb, 'etc/ca-certificates.crt'), 'utf8'), before);
  assert.match(nssNicknames(), /someone else/);
  assert.deepEqual(readdirSync(join(sb, 'local')), []);
  assert.match((await cli(['uninstall', '--yes'])).stdout, /Nothing recorded/);
  const after = JSON.parse((await cli(['status', '--json', '--file', chainFile])).stdout) as { stores: { trusted: boolean }[] }[];
  assert.deepEqual(
    after[0].stores.map((s) => s.trusted),
    [false, false, false],
  );
});
