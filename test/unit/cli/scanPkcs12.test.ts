// A PKCS#12 keystore in a scanned tree, by its name (.p12) and by its content (no extension), made
// by openssl: `scan` reports one block of kind pkcs12 (no decode of its encrypted content, no
// password asked) with private-key-in-repo as a warning, not a malformed "PRIVATE KEY", in the
// table, --json and --sarif.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(__dirname, '../../../../dist/cli.js');
const FIXTURES = join(__dirname, '../../../../test/fixtures/pki');
let dir: string;

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: dir, input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-scan-p12-'));
  for (const out of ['keystore.p12', 'keystore']) {
    const r = spawnSync('openssl', ['pkcs12', '-export', '-in', join(FIXTURES, 'leaf.crt'), '-inkey', join(FIXTURES, 'leaf.key'), '-name', 'web', '-passout', 'pass:s3cret', '-out', join(dir, out)], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
});

after(() => rmSync(dir, { recursive: true, force: true }));

const ENCRYPTED = 'An encrypted private key is stored in the tree: keep keys in a secret store.';

test('scan: a PKCS#12 (.p12, and one without extension) is a pkcs12 block with private-key-in-repo as a warning, not a malformed private key', () => {
  const r = cli(['scan', '.']);
  assert.equal(r.code, 0, r.stderr);
  const rows = r.stdout.split('\n').filter((l) => /keystore/.test(l));
  assert.equal(rows.length, 2, r.stdout);
  for (const row of rows) {
    assert.match(row, /pkcs12\s+PKCS#12 keystore\s+keystore(\.p12)?:1\s+private-key-in-repo$/);
  }
  assert.match(r.stdout, /2 blocks \(0 with certificates, 2 private keys\) in 2 files scanned/);
});

test('scan --json and --sarif: the same, and no malformed finding', () => {
  const json = cli(['scan', '--json', '.']);
  assert.equal(json.code, 0, json.stderr);
  const blocks = JSON.parse(json.stdout) as { file: string; kind: string; label: string; findings: { code: string; severity: string; message: string }[] }[];
  assert.deepEqual(
    blocks.map((b) => [b.file, b.kind, b.label, b.findings.map((f) => `${f.code} ${f.severity} ${f.message}`)]).sort(),
    ['keystore', 'keystore.p12'].map((f) => [f, 'pkcs12', 'PKCS#12', [`private-key-in-repo warning ${ENCRYPTED}`]]),
  );
  const sarif = cli(['scan', '--sarif', '.']);
  assert.equal(sarif.code, 0, sarif.stderr);
  const results = JSON.parse(sarif.stdout).runs[0].results as { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
  assert.deepEqual(results.map((x) => `${x.ruleId} ${x.level} ${x.locations[0].physicalLocation.artifactLocation.uri}`).sort(), ['private-key-in-repo warning keystore', 'private-key-in-repo warning keystore.p12']);
});
