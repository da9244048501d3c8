// Emulator issuance (issue 15, item 3). The emulator runs as users run it: `dist/cli.js emulator`
// (production bundle) in its own process, on a fresh data folder. The load comes from a light
// generator in a third process (load.ts: one request signed in advance, raw HTTP over 8 keep-alive
// connections), so the rows measure the emulator, not a client. Baselines measured in the same
// run, alternated:
// - the certificate encoder: @peculiar/x509's schema encoder (the former one) vs the direct DER writer;
// - issuance vs Node's async key generation of the same key type (the floor of Issue End Cert);
// - with NCLOUD_PKI_BASELINE_CLI=<an older dist/cli.js>: issuance by this build vs that build.
// Each issuance row also gives the emulator's own CPU time per certificate (from /proc).
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
import { LOAD_GENERATOR, LoadGenerator, processCpuMs, serveLoad } from './load';

const IN_FLIGHT = 8;
/** `--quick` (npm run bench -- --quick): fewer rounds. */
const QUICK = process.argv.includes('--quick');

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

/** A fresh root CA on an emulator; `issue(keyType, n)` issues n certificates of `keyType` from the load generator, 8 in flight. */
async function issuer(e: Emu, load: LoadGenerator) {
  const c = createClient({ target: { endpoint: e.url }, credentials: DEFAULT_CREDENTIALS });
  const tag = (await c.pca.createCa({ caType: 'PRIVATE_ROOT', alias: 'bench', keyType: 'EC256', period: '3650', x509Parameters: { commonName: 'Bench' } })).caInfo.caTag;
  await c.close();
  let cpuMs = 0;
  let issued = 0;
  return {
    issue: async (keyType: 'EC256' | 'RSA2048', n: number) => {
      const before = processCpuMs(e.child.pid!);
      await load.post(e.url, `/api/v1/ca/${tag}/cert`, { keyType, x509Parameters: { commonName: 'b.test', altName: 'b.test' } }, DEFAULT_CREDENTIALS, n, IN_FLIGHT);
      cpuMs += processCpuMs(e.child.pid!) - before;
      issued += n;
    },
    /** The emulator's CPU time per certificate issued so far, and resets the count. */
    cpuPerCert: () => {
      const r = cpuMs / issued;
      cpuMs = 0;
      issued = 0;
      return r;
    },
  };
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
  const load = new LoadGenerator(__filename);
  const gen = {
    EC256: () => webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']),
    RSA2048: () => webcrypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign']),
  };
  const emu = await issuer(e, load);
  try {
    // Issuance time over key-generation time: RSA2048 issuance must keep ≥ 0.9× the key generation rate.
    for (const [keyType, n, rounds, goal] of [['EC256', 1000, QUICK ? 3 : 7, { rate: 1000 }], ['RSA2048', 64, QUICK ? 2 : 5, { max: 1.11 }]] as const) {
      await compareAsync(
        `emulator: issue ${keyType}, ${IN_FLIGHT} in flight (signed HTTP from a separate light load generator)`,
        `${keyType} key generation alone (WebCrypto, async, ${IN_FLIGHT} in flight)`,
        () => emu.issue(keyType, n),
        () => inFlight(n, gen[keyType]),
        rounds,
        { per: n, goal },
      );
      const cpu = emu.cpuPerCert();
      console.log(`emulator: ${keyType} CPU time in the emulator process per certificate: ${cpu.toFixed(2)} ms (${(1000 / cpu).toFixed(0)}/s per core busy; warm-up included)`);
    }
    const base = process.env.NCLOUD_PKI_BASELINE_CLI;
    if (base) {
      const b = await startEmulator(base);
      const old = await issuer(b, load);
      try {
        await compareAsync(`emulator: issue EC256, this build`, `baseline build (${base})`, () => emu.issue('EC256', 400), () => old.issue('EC256', 400), 5, { per: 400 });
        console.log(`emulator: EC256 CPU per certificate: this build ${emu.cpuPerCert().toFixed(2)} ms, baseline ${old.cpuPerCert().toFixed(2)} ms`);
      } finally {
        await stop(b);
      }
    }
  } finally {
    load.stop();
    await stop(e);
  }
}

if (process.argv[2] === LOAD_GENERATOR) {
  serveLoad();
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
