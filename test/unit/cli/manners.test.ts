// `ncloud-pki` as a command-line tool, each case a process: help and version exit 0 on every
// command, unknown options and commands are refused (exit 2) with the nearest valid one, a command
// loads only its own bundle, and the completion scripts work in bash and load in zsh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { CLI as SPEC, type CommandSpec } from '../../../src/cli/spec';

const ROOT = join(__dirname, '../../../..');
const CLI = join(ROOT, 'dist/cli.js');

function cli(args: string[], opts: { node?: string[]; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [...(opts.node ?? []), CLI, ...args], { encoding: 'utf8', timeout: 20_000, env: { PATH: process.env.PATH, HOME: tmpdir(), ...opts.env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, signal: r.signal };
}

/** Every command path in the table: ['inspect'], ['ca'], ['ca', 'list'], … */
function paths(node: CommandSpec, prefix: string[] = []): string[][] {
  return Object.entries(node.subcommands ?? {}).flatMap(([k, c]) => [[...prefix, k], ...paths(c, [...prefix, k])]);
}

test('--help, -h, help and --version exit 0 on stdout; no arguments is a usage error', () => {
  for (const args of [['--help'], ['-h'], ['help']]) {
    const r = cli(args);
    assert.equal(r.code, 0, args.join(' '));
    assert.match(r.stdout, /^usage: ncloud-pki <command> \[options\]/);
    assert.match(r.stdout, /exit codes:\n {2}0 .*\n {2}1 .*\n {2}2 +usage error/);
    assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colour codes');
    assert.equal(r.stderr, '');
  }
  const v = cli(['--version']);
  assert.equal(v.code, 0);
  assert.equal(v.stdout, `${(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`);
  const none = cli([]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^usage: ncloud-pki/);
});

test('--help on every command and subcommand (and `help CMD`) prints its usage and exits 0 without running it', () => {
  const all = paths(SPEC);
  assert.ok(all.length >= 20, `${all.length} commands`);
  for (const p of all) {
    for (const args of [[...p, '--help'], [...p, '-h'], ['help', ...p]]) {
      const r = cli(args);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.ok(r.stdout.startsWith(`usage: ncloud-pki ${p.join(' ')} `), `${args.join(' ')}: ${r.stdout}`);
      assert.match(r.stdout, /-h, --help/);
    }
  }
  // --help wins over everything else on the line, even an unknown option.
  const r = cli(['cert', 'issue', 'TAG', '--bogus', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--cn NAME +common name \(required\)/);
  // It used to start an emulator on port 8787 and never exit.
  const e = cli(['emulator', '--help']);
  assert.equal(e.signal, null);
  assert.equal(e.code, 0);
  assert.doesNotMatch(e.stdout, /listening/);
  assert.match(e.stdout, /--port PORT/);
});

test('unknown options and commands are refused with exit 2 and the nearest valid one', () => {
  const cases: [string[], RegExp][] = [
    [['cert', 'issue', 'TAG', '--cn', 'a', '--sna', 'b', '--out', 'x'], /unknown option '--sna'; did you mean '--san'\?/],
    [['inspect', '/etc/hostname', '--jsn'], /unknown option '--jsn'; did you mean '--json'\?/],
    [['inspect', '/etc/hostname', '--expiry-day=3'], /unknown option '--expiry-day'; did you mean '--expiry-days'\?/],
    [['emulator', '--prot', '0'], /unknown option '--prot'; did you mean '--port'\?/],
    [['ca', 'lsit'], /unknown command 'ca lsit'; did you mean 'list'\?/],
    [['inpsect', 'x.pem'], /unknown command 'inpsect'; did you mean 'inspect'\?/],
    [['cert', '--json'], /unknown option '--json'/],
    [['ca', 'get'], /missing TAG/],
    [['ca', 'get', 'A', 'B'], /unexpected argument 'B'/],
    [['inspect', 'x.pem', '--expiry-days'], /'--expiry-days <value>' argument missing/],
    [['inspect', 'x.pem', '--json=yes'], /--json/],
    [['completion', 'fish'], /bash or zsh/],
  ];
  for (const [args, re] of cases) {
    const r = cli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
    assert.match(r.stderr, /run 'ncloud-pki [a-z ]*--help' for usage\n$/);
    assert.equal(r.stdout, '');
  }
  // A group without its command prints the group's help on stderr.
  const g = cli(['cert']);
  assert.equal(g.code, 2);
  assert.match(g.stderr, /^usage: ncloud-pki cert <command>/);
});

test('each command loads only its own bundle: help and inspect never load the HTTP stack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-load-'));
  try {
    const hook = join(dir, 'hook.js');
    writeFileSync(hook, "process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify(Object.keys(require.cache)) + '\\n'));\n");
    const loaded = (args: string[]) => {
      const r = cli(args, { node: ['--require', hook] });
      // The hook is left out by its whole path (it sits in a temp folder of any length); bundles
      // under dist/ are named relative to it, anything else keeps its full path and fails the test.
      const dist = join(ROOT, 'dist') + sep;
      return (JSON.parse(/LOADED (.*)\n$/.exec(r.stderr)![1]) as string[]).filter((f) => f !== hook).map((f) => (f.startsWith(dist) ? f.slice(dist.length) : f));
    };
    assert.deepEqual(loaded(['--help']), ['cli.js']);
    assert.deepEqual(loaded(['cert', 'issue', '--help']), ['cli.js']);
    assert.deepEqual(loaded(['inspect', join(ROOT, 'test/fixtures/pki/leaf.crt')]), ['cli.js', 'cli-inspect.js']);
    assert.deepEqual(loaded(['ca', 'list', '--endpoint', 'http://127.0.0.1:9']), ['cli.js', 'cli-api.js']);
    // The API commands speak node:http: neither Node's internal undici (loaded when anything touches
    // fetch, Headers or File) nor node:http2 (which undici loaded at start), nor node:tls for http.
    const internal = join(dir, 'internal.js');
    writeFileSync(internal, "process.on('exit', () => { const l = process.moduleLoadList; process.stderr.write('\\nINTERNAL ' + l.includes('NativeModule internal/deps/undici/undici') + ' HTTP2 ' + l.includes('NativeModule http2') + ' TLS ' + l.includes('NativeModule tls') + '\\n'); });\n");
    const r = cli(['ca', 'list', '--endpoint', 'http://127.0.0.1:9'], { node: ['--require', internal], env: { NCP_ACCESS_KEY: 'AK', NCP_SECRET_KEY: 'SK' } });
    assert.match(r.stderr, /could not|failed|ECONNREFUSED/i, 'the request was made');
    assert.match(r.stderr, /INTERNAL false HTTP2 false TLS false\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('help and inspect of one certificate load no Node module beyond bare Node but parseArgs: no crypto, TLS or stream stack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-mods-'));
  try {
    // The list is read before anything is written (process.stderr itself loads the stream stack).
    const hook = join(dir, 'hook.js');
    writeFileSync(hook, "process.on('exit', () => { const l = JSON.stringify(process.moduleLoadList); require('fs').writeSync(2, '\\nMODULES ' + l + '\\n'); });\n");
    const modules = (args: string[]) => {
      const r = cli(args, { node: ['--require', hook] });
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(/MODULES (.*)\n$/.exec(r.stderr)![1]) as string[];
    };
    const empty = join(dir, 'empty.js');
    writeFileSync(empty, '');
    const r = spawnSync(process.execPath, ['--require', hook, empty], { encoding: 'utf8' });
    const bare = new Set(JSON.parse(/MODULES (.*)\n$/.exec(r.stderr)![1]) as string[]);
    const extra = (args: string[]) => modules(args).filter((m) => !bare.has(m) && !m.includes('parse_args'));
    assert.deepEqual(extra(['--help']), []);
    assert.deepEqual(extra(['inspect', join(ROOT, 'test/fixtures/pki/leaf.crt')]), []);
    assert.deepEqual(extra(['inspect', '--json', join(ROOT, 'test/fixtures/pki/leaf.crt')]), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('output survives a reader that leaves early and a non-blocking stdout', async () => {
  // `ncloud-pki scan --json | head -c 5`: the rest is dropped quietly (EPIPE), exit 0 or 1 as without the pipe.
  const early = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI}" scan --json "${join(ROOT, 'test/fixtures')}" | head -c 5; echo " status=\${PIPESTATUS[0]}"`], { encoding: 'utf8', timeout: 20_000 });
  assert.match(early.stdout, /^\[\n {2}\{ status=[01]\n$/);
  assert.equal(early.stderr, '');
  // A parent that made the pipe non-blocking (here: process.stdout touched first, as Node does)
  // and reads slowly: writes hit EAGAIN and must still arrive whole and in order.
  const dir = mkdtempSync(join(tmpdir(), 'cli-nb-'));
  try {
    const hook = join(dir, 'nonblocking.js');
    writeFileSync(hook, 'void process.stdout;\n');
    // About 1 MB of JSON: more than the pipe and the parent's buffers hold while it does not read.
    const many = join(dir, 'many.pem');
    writeFileSync(many, readFileSync(join(ROOT, 'test/fixtures/pki/leaf.crt'), 'utf8').repeat(300));
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['--require', hook, CLI, 'inspect', '--json', many], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    const closed = new Promise<number | null>((r) => child.on('close', r));
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.pause();
    await new Promise((r) => setTimeout(r, 500));
    child.stdout.resume();
    const code = await closed;
    const text = Buffer.concat(chunks).toString('utf8');
    assert.ok(text.length > 500_000, `a large output (${text.length} bytes)`);
    assert.equal((JSON.parse(text) as unknown[]).length, 300, 'whole, parseable JSON');
    assert.doesNotMatch(stderr, /EAGAIN/);
    assert.equal(code, 0, stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bash completion completes commands, subcommands, options and option values', () => {
  const script = cli(['completion', 'bash']);
  assert.equal(script.code, 0);
  const dir = mkdtempSync(join(tmpdir(), 'cli-comp-'));
  try {
    writeFileSync(join(dir, 'completion.bash'), script.stdout);
    writeFileSync(join(dir, 'site.pem'), '');
    const complete = (line: string): string[] => {
      const words = line.split(' ');
      const bash = `source ./completion.bash; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _ncloud_pki; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const r = spawnSync('bash', ['-c', bash], { cwd: dir, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.split('\n').filter(Boolean).sort();
    };
    assert.deepEqual(complete('ncloud-pki c'), ['ca', 'cert', 'cm', 'completion', 'crl']);
    assert.deepEqual(complete('ncloud-pki cert i'), ['issue']);
    assert.deepEqual(complete('ncloud-pki cert issue TAG --s'), ['--san', '--site']);
    assert.deepEqual(complete('ncloud-pki cert issue TAG --key-type RSA'), ['RSA2048', 'RSA4096']);
    assert.deepEqual(complete('ncloud-pki --site pub'), []);
    assert.deepEqual(complete('ncloud-pki ca list --site g'), ['gov']);
    assert.deepEqual(complete('ncloud-pki inspect si'), ['site.pem']);
    assert.deepEqual(complete('ncloud-pki completion '), ['bash', 'zsh']);
    assert.deepEqual(complete('ncloud-pki --v'), ['--version']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('zsh completion script parses and registers itself with compinit', () => {
  const script = cli(['completion', 'zsh']);
  assert.equal(script.code, 0);
  assert.match(script.stdout, /^#compdef ncloud-pki\n/);
  const dir = mkdtempSync(join(tmpdir(), 'cli-zsh-'));
  try {
    writeFileSync(join(dir, 'completion.zsh'), script.stdout);
    assert.equal(spawnSync('zsh', ['-n', join(dir, 'completion.zsh')], { encoding: 'utf8' }).status, 0);
    const r = spawnSync('zsh', ['-f', '-c', `autoload -U compinit; compinit -u -d ${dir}/zcompdump; source ${dir}/completion.zsh; print -r -- $_comps[ncloud-pki]`], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir } });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), '_ncloud_pki');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
