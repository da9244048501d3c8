// Emulator issuance (issue 15, item 3). The emulator runs as users run it: `dist/cli.js emulator`
// (production bundle) in its own process, on a fresh data folder; this process is the client
// (signed HTTP, 8 requests in flight). Baselines measured in the same run, alternated:
// - the certificate encoder: @peculiar/x509's schema encoder (the former one) vs the direct DER writer;
// - issuance vs Node's async key generation of the same key type (the floor of Issue End Cert);
// - with NCLOUD_PKI_BASELINE_CLI=<an older dist/cli.js>: issuance by this build vs that build.
import { spawn, type ChildProcess } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CREDENTIALS } from '../../src/emulator';
import { issue, newKey, newSerial, type IssueParams } from '../../src/emulator/issuer';
import { createClient } from '../../src/ncloud';
import { peculiarCertificate, webKey } from '../unit/emulator/peculiarIssue';
import { compareAsync, ROOT } from './bundle';

const IN_FLIGHT = 8;

async function inFlight(n: number, fn: () => Promise<unknown>): Promise<void> {
  let left = n;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (left-- > 0) {
        await fn();
      }
    }),
  );
}

interface Emu {
  child: ChildProcess;
  url: string;
  dir: string;
}

function startEmulator(cli: string): Promise<Emu> {
  const dir = mkdtempSync(join(tmpdir(), 'emu-bench-'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'emulator', '--port', '0', '--data', join(dir, 'data'), '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        resolve({ child, url: m[1], dir });
      }
    });
    child.once('exit', (code) => reject(new Error(`emulator exited ${code}: ${out}`)));
  });
}

async function stop(e: Emu): Promise<void> {
  await new Promise<void>((resolve) => {
    e.child.removeAllListeners('exit');
    e.child.once('exit', () => resolve());
    e.child.kill('SIGTERM');
  });
  rmSync(e.dir, { recursive: true, force: true });
}

/** A client and a fresh root CA on an emulator; `issue` issues one certificate of `keyType`. */
async function issuer(e: Emu) {
  const c = createClient({ target: { endpoint: e.url }, credentials: DEFAULT_CREDENTIALS });
  const tag = (await c.pca.createCa({ caType: 'PRIVATE_ROOT', alias: 'bench', keyType: 'EC256', period: '3650', x509Parameters: { commonName: 'Bench' } })).caInfo.caTag;
  return { c, issue: (keyType: 'EC256' | 'RSA2048') => c.pca.issueCert(tag, { keyType, x509Parameters: { commonName: 'b.test', altName: 'b.test' } }) };
}

async function encoderRow(): Promise<void> {
  const caKey = await newKey('EC256');
  const caPem = await issue({ serial: newSerial(), subject: { commonName: 'Bench CA' }, publicKey: caKey.spki, notBefore: new Date(), notAfter: new Date(Date.now() + 864e5), ca: true, selfKey: { keyType: 'EC256', signingKey: caKey.privateKey } });
  const webCaKey = await webKey(caKey.privateKey, 'EC256');
  const leaf = await newKey('EC256');
  const params = (): IssueParams => ({ serial: newSerial(), subject: { commonName: 'b.test', altName: 'b.test' }, publicKey: leaf.spki, notBefore: new Date(), notAfter: new Date(Date.now() + 864e5), ca: false, issuer: { certPem: caPem, keyType: 'EC256', signingKey: caKey.privateKey }, urls: { crl: 'http://127.0.0.1:1/ext/x/crl', ca: 'http://127.0.0.1:1/ext/x/ca' } });
  const N = 200;
  await compareAsync(
    'emulator: one certificate, @peculiar/x509 encode + WebCrypto sign (former)',
    'DER writer + node:crypto sign (async)',
    async () => {
      for (let i = 0; i < N; i++) {
        await peculiarCertificate(params(), webCaKey);
      }
    },
    async () => {
      for (let i = 0; i < N; i++) {
        await issue(params());
      }
    },
    7,
    { per: N },
  );
}

async function main(): Promise<void> {
  await encoderRow();
  const cli = join(ROOT, 'dist/cli.js');
  const e = await startEmulator(cli);
  const gen = {
    EC256: () => webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']),
    RSA2048: () => webcrypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign']),
  };
  const { c, issue: issueOne } = await issuer(e);
  try {
    // Issuance time over key-generation time: RSA2048 issuance must keep ≥ 0.9× the key generation rate.
    for (const [keyType, n, rounds, goal] of [['EC256', 400, 7, { rate: 1000 }], ['RSA2048', 24, 5, { max: 1.11 }]] as const) {
      await compareAsync(
        `emulator: issue ${keyType}, ${IN_FLIGHT} in flight over signed HTTP`,
        `${keyType} key generation alone (WebCrypto, async, ${IN_FLIGHT} in flight)`,
        () => inFlight(n, () => issueOne(keyType)),
        () => inFlight(n, gen[keyType]),
        rounds,
        { per: n, goal },
      );
    }
    const base = process.env.NCLOUD_PKI_BASELINE_CLI;
    if (base) {
      const b = await startEmulator(base);
      const old = await issuer(b);
      try {
        await compareAsync(`emulator: issue EC256, this build`, `baseline build (${base})`, () => inFlight(200, () => issueOne('EC256')), () => inFlight(200, () => old.issue('EC256')), 5, { per: 200 });
      } finally {
        await old.c.close();
        await stop(b);
      }
    }
  } finally {
    await c.close();
    await stop(e);
  }
}

void main();
