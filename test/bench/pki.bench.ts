// PKI core speed against Node's native X509Certificate (OpenSSL underneath), same certificates,
// and `ncloud-pki inspect` against `openssl` as whole processes: A and B alternated in one run.
import { X509Certificate } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBlock, inspect, lintBlock, scanPem } from '../../src/pki';
import { compare, FIX, generatedBundle, ROOT } from './bundle';

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
  const run = (cmd: string, args: string[]) => () => {
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) {
      throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
    }
  };
  compare(`${name}: \`ncloud-pki inspect\` (whole process)`, `openssl ${opensslArgs[0]}`, run(process.execPath, [cli, 'inspect', file]), run('openssl', opensslArgs), rounds);
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
