// `ncloud-pki scan` as a process over a generated repository: what it reads (.gitignore, nested
// and above the scanned folder, --exclude, never .git), the table, the JSON contract (inspect's
// objects plus file), SARIF validated against the SARIF 2.1.0 schema, exit codes, and no key
// material in any output.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { help } from '../../../src/cli/main';
import { CLI as COMMANDS } from '../../../src/cli/spec';
import { makeCert } from './certs';

const CLI = join(__dirname, '../../../../dist/cli.js');
const FIXTURES = join(__dirname, '../../../../test/fixtures');
let dir: string;
let repo: string;
let keyBody: string;

function cli(args: string[], cwd = repo) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function put(path: string, content: string | Buffer): void {
  mkdirSync(join(repo, path, '..'), { recursive: true });
  writeFileSync(join(repo, path), content);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cli-scan-'));
  repo = join(dir, 'repo');
  const ca = await makeCert({ cn: 'Scan Test CA', ca: true, to: 3650 });
  const leaf = (cn: string, to: number, from?: number) => makeCert({ cn, dns: [cn], issuer: ca, to, ...(from !== undefined ? { from } : {}) });
  const [soon, later, expired, kept, dropped, ignoredDir, vendored, nestedIgnored, above] = await Promise.all([
    leaf('soon.example', 10, -300),
    leaf('later.example', 200),
    leaf('expired.example', -5, -30),
    leaf('kept.example', 300),
    leaf('dropped.example', 1),
    leaf('ignored-dir.example', 1),
    leaf('vendored.example', 1),
    leaf('nested-ignored.example', 1),
    leaf('above.example', 1),
  ]);
  mkdirSync(join(repo, '.git'), { recursive: true });
  put('.git/config', expired.pem); // never read
  put('.gitignore', 'ignored/\n*.bak\n!keep.bak\n');
  put('soon.pem', `# the API's certificate\n${soon.pem}${ca.pem}`);
  put('later.crt', later.pem);
  put('expired.pem', expired.pem);
  put('keep.bak', kept.pem);
  put('drop.bak', dropped.pem);
  put('ignored/x.pem', ignoredDir.pem);
  put('vendor/lib/v.pem', vendored.pem);
  put('deploy/.gitignore', 'local.pem\n');
  put('deploy/local.pem', nestedIgnored.pem);
  put('deploy/old.bak', above.pem); // ignored by the root's *.bak, also when deploy/ is scanned alone
  copyFileSync(join(FIXTURES, 'pki/k8s.yaml'), join(repo, 'deploy/k8s.yaml'));
  copyFileSync(join(FIXTURES, 'pki/leaf.der'), join(repo, 'deploy/leaf.der'));
  put('keys/server.key', soon.key.pkcs8);
  put('src/main.ts', 'export const x = 1;\n');
  put('src/zero.txt', '0 is not DER\n');
  keyBody = soon.key.pkcs8.split('\n')[1];
});

after(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The LOCATION column of the table, in order. */
function locations(stdout: string): string[] {
  return stdout.trim().split('\n').slice(1, -1).map((l) => /\s(\S+:\d+)(\s|$)/.exec(l)![1]);
}

test('scan: a table sorted by expiry, honouring .gitignore (nested, negated), --exclude, never .git', () => {
  const r = cli(['scan', '--exclude', 'vendor/']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(locations(r.stdout), [
    'expired.pem:1',
    'soon.pem:2',
    'later.crt:1',
    'keep.bak:1',
    'deploy/k8s.yaml:7',
    'deploy/leaf.der:1',
    'deploy/k8s.yaml:16',
    'soon.pem:14',
    'deploy/k8s.yaml:8',
    'keys/server.key:1',
  ]);
  const lines = r.stdout.split('\n');
  assert.match(lines[0], /^EXPIRES\s+DAYS\s+KIND\s+SUBJECT\s+LOCATION\s+FINDINGS$/);
  assert.match(lines[1], /^\d{4}-\d\d-\d\d\s+-[56]\s+certificate\s+expired\.example\s+expired\.pem:1\s+expired$/);
  assert.match(lines[2], /\s(9|10)\s+certificate\s+soon\.example\s+soon\.pem:2\s+expiring-soon$/);
  assert.match(lines[10], /privateKey\s+EC private key\s+keys\/server\.key:1\s+private-key-in-repo$/);
  assert.match(r.stdout, /10 blocks \(8 with certificates, 2 private keys\) in \d+ files scanned\n$/);
  // Without --exclude, vendor/ is read.
  assert.ok(locations(cli(['scan']).stdout).includes('vendor/lib/v.pem:1'));
});

test('scan: --exclude expands {a,b} groups as files.exclude does (gitignore syntax has none)', () => {
  const r = cli(['scan', '--exclude', '{vendor,deploy}/', '--exclude', '**/*.{key,crt}']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(locations(r.stdout), ['expired.pem:1', 'soon.pem:2', 'keep.bak:1', 'soon.pem:14']);
});

test('scan: a subfolder still obeys the .gitignore files above it, up to the repository root', () => {
  const r = cli(['scan', 'deploy']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(locations(r.stdout).sort(), ['deploy/k8s.yaml:16', 'deploy/k8s.yaml:7', 'deploy/k8s.yaml:8', 'deploy/leaf.der:1']);
  // A file named on the command line is read even when ignored.
  assert.deepEqual(locations(cli(['scan', 'drop.bak']).stdout), ['drop.bak:1']);
});

test('scan: finds what inspect finds behind JSON \\u escapes and in bare base64 of a small key (the fast prefilter loses nothing)', () => {
  const forms = join(dir, 'forms');
  mkdirSync(forms, { recursive: true });
  const pem = readFileSync(join(FIXTURES, 'pki/leaf.crt'), 'utf8');
  writeFileSync(join(forms, 'dashes.json'), `${JSON.stringify({ cert: pem }).replace(/-/g, '\\u002d')}\n`);
  writeFileSync(join(forms, 'letters.json'), `${JSON.stringify({ cert: pem }).replace('BEGIN', '\\u0042\\u0045GIN')}\n`);
  // An Ed25519 SubjectPublicKeyInfo (RFC 8410's example) is 44 bytes: its base64 starts "MCow", not "MII".
  writeFileSync(join(forms, 'ed25519.pub.b64'), 'MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n');
  const r = cli(['scan', '--json', forms], dir);
  assert.equal(r.code, 0, r.stderr);
  const found = (JSON.parse(r.stdout) as { file: string; kind: string }[]).map((b) => `${b.file.slice(forms.length + 1)} ${b.kind}`).sort();
  const inspected = ['dashes.json', 'ed25519.pub.b64', 'letters.json'].flatMap((f) => (JSON.parse(cli(['inspect', '--json', join(forms, f)], dir).stdout) as { kind: string }[]).map((b) => `${f} ${b.kind}`));
  assert.deepEqual(found, inspected);
  assert.deepEqual(found.map((x) => x.split(' ')[0]), ['dashes.json', 'ed25519.pub.b64', 'letters.json']);
});

test('scan --json: the inspect --json object of every block, with file, and the private-key-in-repo finding', () => {
  const r = cli(['scan', '--json', '--exclude', 'vendor/']);
  assert.equal(r.code, 0, r.stderr);
  const scanned = JSON.parse(r.stdout) as { file: string; range: unknown; findings: { code: string }[] }[];
  assert.equal(scanned.length, 10);
  for (const file of new Set(scanned.map((b) => b.file))) {
    const inspected = JSON.parse(cli(['inspect', '--json', file]).stdout) as { file: string; range: unknown; findings: { code: string }[] }[];
    const mine = scanned.filter((b) => b.file === file);
    assert.equal(mine.length, inspected.length, file);
    for (const b of mine) {
      const same = inspected.find((x) => JSON.stringify(x.range) === JSON.stringify(b.range))!;
      const extra = b.findings.filter((f) => !same.findings.some((g) => g.code === f.code)).map((f) => f.code);
      assert.deepEqual({ ...b, findings: [] }, { ...same, findings: [] }, `${file} ${JSON.stringify(b.range)}`);
      assert.deepEqual(b.findings.filter((f) => f.code !== 'private-key-in-repo'), same.findings, file);
      assert.deepEqual(extra, (same as unknown as { kind: string }).kind === 'privateKey' ? ['private-key-in-repo'] : [], file);
    }
  }
});

test('scan --sarif: valid SARIF 2.1.0, one rule per finding code with help, results with regions', () => {
  const r = cli(['scan', '--sarif', '--exclude', 'vendor/']);
  assert.equal(r.code, 0, r.stderr);
  const log = JSON.parse(r.stdout);
  const schema = JSON.parse(readFileSync(join(FIXTURES, 'sarif/sarif-2.1.0-rtm.5.json'), 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false }); // the schema's language pattern is not a valid unicode-mode regex
  addFormats(ajv);
  const compiled = ajv.compile(schema);
  const validate = (data: unknown): boolean => compiled(data);
  assert.ok(validate(log), ajv.errorsText(compiled.errors));
  assert.equal(validate({ ...log, version: '2.0.0' }), false, 'the validator rejects what the schema forbids');
  const run = log.runs[0];
  const rules = run.tool.driver.rules as { id: string; help: { text: string } }[];
  assert.equal(new Set(rules.map((x) => x.id)).size, rules.length);
  for (const code of ['expired', 'expiring-soon', 'chain-order', 'malformed', 'private-key-in-repo']) {
    const rule = rules.find((x) => x.id === code);
    assert.ok(rule && rule.help.text.length > 40, code);
  }
  const results = run.results as { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region?: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }[] }[];
  const where = results.map((x) => `${x.ruleId} ${x.level} ${x.locations[0].physicalLocation.artifactLocation.uri}:${x.locations[0].physicalLocation.region?.startLine ?? '-'}`).sort();
  assert.deepEqual(where, [
    'expired error expired.pem:1',
    'expiring-soon warning soon.pem:2',
    'private-key-in-repo error deploy/k8s.yaml:8',
    'private-key-in-repo error keys/server.key:1',
  ]);
  for (const x of results) {
    assert.equal(rules[x.ruleIndex].id, x.ruleId);
    assert.equal(x.locations[0].physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
  }
  const soon = results.find((x) => x.ruleId === 'expiring-soon')!.locations[0].physicalLocation.region;
  assert.deepEqual({ ...soon, endLine: undefined }, { startLine: 2, startColumn: 1, endColumn: 26, endLine: undefined });
  assert.equal(soon!.endLine, readFileSync(join(repo, 'soon.pem'), 'utf8').split('\n').indexOf('-----END CERTIFICATE-----') + 1);
  assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri.endsWith('/repo/'), true);
});

test('scan: no output shows key material', () => {
  for (const format of [[], ['--json'], ['--sarif']]) {
    const out = cli(['scan', ...format]).stdout;
    assert.doesNotMatch(out, /PRIVATE KEY-----/);
    assert.ok(!out.includes(keyBody), `key body in ${format.join('') || 'table'}`);
    assert.ok(!out.includes('LS0tLS1CRUdJTiBQUklWQVRF'), 'base64 key of the Kubernetes secret');
  }
});

const exits: { name: string; args: string[]; code: number; stderr?: RegExp }[] = [
  { name: '--fail-on a code that is found', args: ['--fail-on', 'weak-rsa,expired'], code: 1 },
  { name: '--fail-on private-key-in-repo', args: ['--fail-on', 'private-key-in-repo'], code: 1 },
  { name: '--fail-on a code that is not found', args: ['--fail-on', 'weak-rsa,chain-order'], code: 0 },
  { name: '--expiring-within, something expires', args: ['--expiring-within', '30', 'later.crt', 'soon.pem'], code: 1 },
  { name: '--expiring-within, nothing expires', args: ['--expiring-within', '100', 'later.crt'], code: 0 },
  { name: 'an unknown code', args: ['--fail-on', 'expird'], code: 2, stderr: /unknown finding code 'expird'/ },
  { name: 'days that are not a number', args: ['--expiring-within', 'soon'], code: 2, stderr: /whole number of days/ },
  { name: 'an unknown option', args: ['--colour'], code: 2, stderr: /--colour/ },
  { name: 'a path that does not exist', args: ['nowhere'], code: 2, stderr: /no such file or directory: nowhere/ },
  { name: '--json with --sarif', args: ['--json', '--sarif'], code: 2, stderr: /cannot be combined/ },
];
for (const c of exits) {
  test(`scan exit code: ${c.name}`, () => {
    const r = cli(['scan', ...c.args]);
    assert.equal(r.code, c.code, r.stderr);
    if (c.stderr) {
      assert.match(r.stderr, c.stderr);
    }
  });
}

test('scan has one usage text, the table\'s: --help and -h print it; its own usage errors point to it like every command', () => {
  const text = help(['scan'], COMMANDS.subcommands!.scan);
  for (const args of [['--help'], ['-h'], ['later.crt', '--json', '--help']]) {
    const r = cli(['scan', ...args]);
    assert.equal(r.code, 0, args.join(' '));
    assert.equal(r.stdout, text, args.join(' '));
    assert.equal(r.stderr, '');
  }
  // Found by main.ts (option syntax) and by scan itself (values): the same two lines, no second usage text.
  const errors: [string[], string][] = [
    [['--colour'], "unknown option '--colour'"],
    [['--json', '--sarif'], '--json and --sarif cannot be combined'],
    [['--expiring-within', 'soon'], "--expiring-within needs a whole number of days, not 'soon'"],
    [['nowhere'], 'no such file or directory: nowhere'],
  ];
  for (const [args, message] of errors) {
    const r = cli(['scan', ...args]);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stderr, `ncloud-pki: ${message}\nrun 'ncloud-pki scan --help' for usage\n`);
    assert.equal(r.stdout, '');
  }
  // What the old second text added, the list of codes, is where it is needed.
  const r = cli(['scan', '--fail-on', 'expird']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown finding code 'expird' \(codes: expired, .*private-key-in-repo\)\n/);
});

test('scan: a file over 64 MiB is reported and skipped, and the files after it are still scanned (a 3 GiB dump, sparse)', () => {
  const tree = join(dir, 'dump');
  mkdirSync(tree);
  copyFileSync(join(FIXTURES, 'pki/leaf.crt'), join(tree, 'b.crt'));
  writeFileSync(join(tree, 'a.bin'), '');
  truncateSync(join(tree, 'a.bin'), 3 * 1024 ** 3);
  const r = cli(['scan', '.'], tree);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, 'ncloud-pki scan: cannot read a.bin: EFBIG (larger than 64 MiB: not read)\n');
  assert.match(r.stdout, /1 blocks? .* in 2 files scanned/);
  assert.deepEqual(locations(r.stdout), ['b.crt:1']);
});

test('scan: what a hostile tree names (file names, a certificate\'s subject) cannot move the cursor, clear the terminal or forge a row', () => {
  const tree = join(dir, 'hostile');
  mkdirSync(tree);
  // Escape, bell, a right-to-left override and a newline: in the file's name and in the certificate's CN.
  const evil = 'x\u001b[2Jy\u202e\nz';
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(tree, '..', 'hostile.key'), '-out', join(tree, `${evil}.pem`), '-days', '10', '-utf8', '-subj', `/CN=${evil}\u0007`], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  const unsafe = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
  const r = cli(['scan', '.'], tree);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, unsafe);
  const rows = r.stdout.trim().split('\n');
  assert.equal(rows.length, 3, 'a header, one row, the summary: no forged row');
  assert.ok(rows[1].includes('x\\x1b[2Jy\\u202e\\nz.pem:1'), rows[1]);
  assert.ok(rows[1].includes('x\\x1b[2Jy\\u202e\\nz\\x07'), rows[1]);
  const missing = cli(['scan', `${evil}-missing`], tree);
  assert.equal(missing.code, 2);
  assert.doesNotMatch(missing.stderr, unsafe);
  assert.match(missing.stderr, /no such file or directory: x\\x1b\[2Jy\\u202e\\nz-missing/);
});

test('scan and inspect read a file of 150,000 blocks (more than a call takes arguments: both died of "Maximum call stack size exceeded")', () => {
  const tree = join(dir, 'many');
  mkdirSync(tree);
  writeFileSync(join(tree, 'many.pem'), '-----BEGIN X-----\n'.repeat(150_000));
  const r = spawnSync(process.execPath, [CLI, 'scan', '.'], { encoding: 'utf8', cwd: tree, maxBuffer: 1 << 30 });
  assert.equal(r.status, 0, r.stderr.slice(0, 500));
  assert.match(r.stdout, /^150000 blocks \(0 with certificates, 0 private keys\) in 1 file scanned$/m);
  const json = spawnSync(process.execPath, [CLI, 'inspect', '--json', 'many.pem'], { encoding: 'utf8', cwd: tree, maxBuffer: 1 << 30 });
  assert.equal(json.stderr, '');
  assert.equal((JSON.parse(json.stdout) as unknown[]).length, 150_000);
});

test('scan finds a certificate saved as UTF-16 (LE and BE, with their byte order mark), as rg does', () => {
  const tree = join(dir, 'utf16');
  mkdirSync(tree);
  const pem = readFileSync(join(FIXTURES, 'pki/leaf.crt'), 'utf8');
  const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(pem, 'utf16le')]);
  writeFileSync(join(tree, 'le.pem'), le);
  writeFileSync(join(tree, 'be.pem'), Buffer.from(le).swap16());
  const r = cli(['scan', '.'], tree);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(locations(r.stdout).sort(), ['be.pem:1', 'le.pem:1']);
  const i = cli(['inspect', '--json', 'le.pem', 'be.pem'], tree);
  assert.equal(i.code, 0, i.stderr);
  assert.deepEqual((JSON.parse(i.stdout) as { kind: string }[]).map((b) => b.kind), ['certificate', 'certificate']);
});
