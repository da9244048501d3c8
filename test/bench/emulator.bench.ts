// Emulator issuance rate (EC256, RSA2048) over signed HTTP, with the bare cost of generating the
// same key type measured in the same run as the baseline.
import { webcrypto } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CREDENTIALS, startEmulator } from '../../src/emulator';
import { createClient } from '../../src/ncloud';

async function rate(n: number, concurrency: number, fn: () => Promise<unknown>): Promise<number> {
  let left = n;
  const t = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (left-- > 0) {
      await fn();
    }
  }));
  return (n / (performance.now() - t)) * 1000;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'emu-bench-'));
  const emu = await startEmulator({ dataDir: dir, seed: false });
  const c = createClient({ target: { endpoint: emu.url }, credentials: DEFAULT_CREDENTIALS });
  try {
    const ca = await c.pca.createCa({ caType: 'PRIVATE_ROOT', alias: 'bench', keyType: 'EC256', period: '3650', x509Parameters: { commonName: 'Bench' } });
    const tag = ca.caInfo.caTag;
    const gen = {
      EC256: () => webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']),
      RSA2048: () => webcrypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign']),
    };
    for (const [keyType, n] of [['EC256', 300], ['RSA2048', 40]] as const) {
      await c.pca.issueCert(tag, { keyType, x509Parameters: { commonName: 'warm' } });
      const issue = await rate(n, 4, () => c.pca.issueCert(tag, { keyType, x509Parameters: { commonName: 'b.test', altName: 'b.test' } }));
      const keygen = await rate(n, 4, gen[keyType]);
      console.log(`issue ${keyType}: ${issue.toFixed(1)} certs/s over signed HTTP (4 in flight); key generation alone ${keygen.toFixed(1)}/s; issuance costs ${(keygen / issue).toFixed(2)}× a bare key generation`);
    }
    const csrSign = await rate(200, 4, () => c.pca.getCa(tag));
    console.log(`get CA (read path, for scale): ${csrSign.toFixed(0)} req/s`);
  } finally {
    await c.close();
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
