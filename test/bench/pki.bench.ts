// PKI core speed against Node's native X509Certificate (OpenSSL underneath), same certificates,
// and `ncloud-pki inspect` against `openssl` as whole processes: A and B alternated in one run.
import { X509Certificate } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { readCandidate } from '../../src/files/walk';
import { decodeBlock, inspect, lintBlock, scanPem } from '../../src/pki';
import { readTlv } from '../../src/pki/der';
import { compare, FIX, generatedBundle, ROOT, spread } from './bundle';
import { makeTree } from './tree';

function nativeParse(ders: Buffer[]): void {
  for (const d of ders) {
    new X509Certificate(d);
  }
}

function nativeFields(ders: Buffer[]): void {
  for (const d of ders) {
    const c = new X509Certificate(d);
    void [c.subject, c.issuer, c.serialNumber, c.validFrom, c.validTo, c.subjectAltName, c.ca, c.publicKey.asymmetricKeyDetails];
  }
}

function ours(text: string): number {
  const blocks = scanPem(text);
  let n = 0;
  for (const b of blocks) {
    n += lintBlock(decodeBlock(b), b.index).length;
  }
  return n;
}

function report(name: string, text: string): void {
  const ders = scanPem(text).map((b) => Buffer.from(b.der!));
  const n = ders.length;
  compare(`${name} (${n} certificates), in process: ours (scan + decode + lint)`, 'native X509Certificate parse', () => ours(text), () => nativeParse(ders), 7);
  compare(`${name} (${n} certificates), in process: ours (scan + decode + lint)`, 'native parse + read the same fields', () => ours(text), () => nativeFields(ders), 7);
}

function processes(name: string, file: string, opensslArgs: string[], rounds = 7): void {
  const cli = join(ROOT, 'dist/cli.js');
  // Both sides get the same small environment, as in cli.bench.ts: with this machine's
  // NODE_EXTRA_CA_CERTS (a 220 KB bundle) every Node process read it at start-up and openssl did not.
  const env = { PATH: process.env.PATH ?? '', HOME: tmpdir() };
  const run = (cmd: string, args: string[]) => () => {
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    if (r.status !== 0) {
      throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
    }
  };
  compare(`${name}: \`ncloud-pki inspect\` (whole process)`, `openssl ${opensslArgs[0]}`, run(process.execPath, [cli, 'inspect', file]), run('openssl', opensslArgs), rounds);
}

if (process.argv[2] === '--cold') {
  coldChild(process.argv[3], process.argv[4]);
  process.exit(0);
}

const debian = '/etc/ssl/certs/ca-certificates.crt';
if (existsSync(debian)) {
  report('Debian CA bundle', readFileSync(debian, 'utf8'));
}
const big = generatedBundle(10_000);
report('generated bundle', big);

const t0 = performance.now();
const r = inspect(big);
console.log(`inspect() of the 10,000-certificate text in one call: ${(performance.now() - t0).toFixed(0)} ms, ${r.findings.length} findings`);

const tmp = mkdtempSync(join(tmpdir(), 'pki-bench-'));
try {
  processes('one certificate (leaf.crt)', join(FIX, 'leaf.crt'), ['x509', '-in', join(FIX, 'leaf.crt'), '-noout', '-text']);
  if (existsSync(debian)) {
    processes('Debian CA bundle', debian, ['storeutl', '-noout', '-text', '-certs', debian], 5);
  }
  writeFileSync(join(tmp, 'big.pem'), big);
  processes('10,000-certificate bundle', join(tmp, 'big.pem'), ['storeutl', '-noout', '-text', '-certs', join(tmp, 'big.pem')], 3);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

cold(process.env.NCLOUD_PKI_BENCH_QUICK ? 5 : 11);

// The cold first pass, as `ncloud-pki scan` runs the decoder: one short process that decodes and
// lints every block once, V8's optimizing compiler held back as scan.ts holds it. The scan bench's
// tree (1,000 files holding 1,500 blocks: PEM, YAML, JSON, .env, Kubernetes base64, keys) against
// node:crypto's X509Certificate (OpenSSL) reading the same certificates' fields, each side a fresh
// process that reports the time of its pass (not the process's start), alternated.
function coldChild(side: string, list: string): void {
  setFlagsFromString('--interrupt-budget=1000000');
  if (side === 'ours') {
    const inputs = readFileSync(list, 'utf8').split('\n').map((p) => readCandidate(p)!);
    const now = Date.now();
    const t = performance.now();
    for (const input of inputs) {
      inspect(input, { now, expiryWarningDays: 30 });
    }
    console.log(performance.now() - t);
    return;
  }
  const all = readFileSync(list);
  const ders: Buffer[] = [];
  for (let p = 0; p < all.length; ) {
    const t = readTlv(all, p);
    ders.push(all.subarray(p, t.end));
    p = t.end;
  }
  const t = performance.now();
  nativeFields(ders);
  console.log(performance.now() - t);
}

function cold(rounds: number): void {
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'pki-cold-'));
  try {
    makeTree(join(dir, 'tree'), 5_000, 1_000);
    const candidates = readdirSync(join(dir, 'tree'), { recursive: true, encoding: 'utf8' })
      .map((p) => join(dir, 'tree', p))
      .filter((p) => statSync(p).isFile() && readCandidate(p) !== undefined);
    writeFileSync(join(dir, 'ours'), candidates.join('\n'));
    const blocks = candidates.flatMap((p) => inspect(readCandidate(p)!).blocks);
    const certs = blocks.filter((b) => b.kind === 'certificate' && b.der).map((b) => b.der!);
    writeFileSync(join(dir, 'native'), Buffer.concat(certs));
    const self = process.argv[1];
    const pass = (side: string) => Number(execFileSync(process.execPath, [self, '--cold', side, join(dir, side)], { encoding: 'utf8' }));
    const times = { ours: [] as number[], native: [] as number[] };
    for (let i = 0; i < rounds; i++) {
      for (const side of i % 2 ? (['native', 'ours'] as const) : (['ours', 'native'] as const)) {
        times[side].push(pass(side));
      }
    }
    const [a, b] = [spread(times.ours), spread(times.native)];
    const fmt = (x: typeof a) => `${x.median.toFixed(1)} ms (${x.min.toFixed(1)}–${x.max.toFixed(1)})`;
    console.log(`cold first pass, fresh process: inspect() of ${candidates.length} files (${blocks.length} blocks): ${fmt(a)} vs native X509Certificate parse + the same fields of their ${certs.length} certificates: ${fmt(b)}, ratio ${(a.median / b.median).toFixed(2)}×  [median (min–max) of ${rounds}, alternated]`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
