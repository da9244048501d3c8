import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CREDENTIALS, startEmulator, type EmulatorOptions, type RunningEmulator } from '../../../src/emulator';
import { createClient, type NcpClient } from '../../../src/ncloud';

export interface Harness {
  emu: RunningEmulator;
  client: NcpClient;
  dir: string;
  close(): Promise<void>;
}

/** An emulator on 127.0.0.1 with its own data folder, and a client for it. */
export async function harness(options: Partial<EmulatorOptions> = {}, clientOptions: Partial<Parameters<typeof createClient>[0]> = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'ncloud-emu-'));
  const emu = await startEmulator({ dataDir: join(dir, 'data'), ...options });
  const client = createClient({ target: { endpoint: emu.url }, credentials: DEFAULT_CREDENTIALS, retry: { baseDelayMs: 10 }, ...clientOptions });
  return {
    emu,
    client,
    dir,
    close: async () => {
      await client.close();
      await emu.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A root CA (EC256) and, under it, an ACTIVE subordinate (RSA2048). */
export async function rootAndSub(client: NcpClient, suffix = '') {
  const root = await client.pca.createCa({ caType: 'PRIVATE_ROOT', alias: `root${suffix}`, keyType: 'EC256', period: '3650', x509Parameters: { commonName: `Test Root ${suffix}`, country: 'KR', organization: 'ncloud-pki test' } });
  const sub = await client.pca.createCa({ caType: 'PRIVATE_SUB', issuerTag: root.caInfo.caTag, alias: `sub${suffix}`, keyType: 'RSA2048', period: '1825', x509Parameters: { commonName: `Test Sub ${suffix}`, country: 'KR' } });
  return { root, sub };
}
