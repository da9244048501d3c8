// PKI core speed against Node's native X509Certificate (OpenSSL underneath), same certificates,
// same run; and `ncloud-pki inspect` against `openssl` as whole processes.
import { X509Certificate } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeBlock, inspect, lintBlock, scanPem } from '../../src/pki';
import { FIX, generatedBundle, median, ROOT } from './bundle';

/** Median wall time of fn over `rounds` rounds (after one warm-up). */
function time(fn: () => void, rounds = 7): number {
  fn();
  const out: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  return median(out);
}

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
  const blocks = scanPem(text);
  const ders = blocks.map((b) => Buffer.from(b.der!));
  const n = ders.length;
  const tOurs = time(() => ours(text));
  const tParse = time(() => nativeParse(ders));
  const tFields = time(() => nativeFields(ders));
  const us = (ms: number) => `${((ms * 1000) / n).toFixed(1)} µs/cert`;
  console.log(`${name}: ${n} certificates`);
  console.log(`  ours (scan + decode + lint):        ${tOurs.toFixed(1)} ms  ${us(tOurs)}`);
  console.log(`  native X509Certificate parse:       ${tParse.toFixed(1)} ms  ${us(tParse)}   ratio ours/native = ${(tOurs / tParse).toFixed(2)}×`);
  console.log(`  native parse + read the same fields: ${tFields.toFixed(1)} ms  ${us(tFields)}   ratio ours/native = ${(tOurs / tFields).toFixed(2)}×`);
}

function processes(name: string, file: string, opensslArgs: string[], rounds = 7): void {
  const cli = join(ROOT, 'dist/cli.js');
  const run = (cmd: string, args: string[]) => () => {
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) {
      throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
    }
  };
  const tOurs = time(run(process.execPath, [cli, 'inspect', file]), rounds);
  const tOpenssl = time(run('openssl', opensslArgs), rounds);
  console.log(`${name}: inspect ${tOurs.toFixed(0)} ms, openssl ${tOpenssl.toFixed(0)} ms, ratio inspect/openssl = ${(tOurs / tOpenssl).toFixed(2)}× (whole processes, median of ${rounds})`);
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
