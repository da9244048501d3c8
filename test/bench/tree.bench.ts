// The Private CA tree on a CA with 10,000 issued certificates in the emulator: the time to its
// first page (what the user waits for when expanding "Certificates") and to load every page, with
// the code the tree runs (tree/certPages.ts). Baseline, same run: the bare list call for one page.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CREDENTIALS, startEmulator } from '../../src/emulator';
import { loadCertPage, mapLimit } from '../../src/extension/tree/certPages';
import { createClient } from '../../src/ncloud';
import { decodeBlock, generateCsr, scanPem } from '../../src/pki';
import { median } from './bundle';

const COUNT = 10_000;

async function main(): Promise<void> {
  // The journal fsyncs every issuance; on tmpfs seeding 10,000 certificates takes seconds, not minutes.
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(base, 'tree-bench-'));
  const emu = await startEmulator({ dataDir: dir, seed: false });
  const c = createClient({ target: { endpoint: emu.url }, credentials: DEFAULT_CREDENTIALS });
  try {
    const ca = await c.pca.createCa({ caType: 'PRIVATE_ROOT', alias: 'tree', keyType: 'EC256', period: '3650', x509Parameters: { commonName: 'Tree Bench' } });
    const tag = ca.caInfo.caTag;
    const { csrPem } = await generateCsr({ keyType: 'EC256', subject: { commonName: 'leaf.bench' }, dnsNames: ['leaf.bench'] });
    const seeded = performance.now();
    await mapLimit(Array.from({ length: COUNT }), 8, () => c.pca.signCsr(tag, { csrPem, period: '30' }));
    console.log(`seeded ${COUNT} certificates under one CA in ${((performance.now() - seeded) / 1000).toFixed(1)} s (signCsr, 8 in flight, data on ${base})`);
    // A few revoked, so the CRL the tree reads has entries.
    const first = await c.pca.listCerts(tag, 1);
    for (const serial of first.items.slice(0, 10)) {
      await c.pca.revokeCert(tag, serial);
    }

    const rounds = 5;
    const list: number[] = [];
    const firstPage: number[] = [];
    for (let i = 0; i < rounds; i++) {
      let t = performance.now();
      await c.pca.listCerts(tag, 1);
      list.push(performance.now() - t);
      t = performance.now();
      const [page, crl] = await Promise.all([loadCertPage(c, tag, 1), c.pca.getCrl(tag)]);
      const d = decodeBlock(scanPem(crl)[0]);
      if (page.certs.length !== first.items.length || d.kind !== 'crl' || d.entries.length !== 10) {
        throw new Error('unexpected first page');
      }
      firstPage.push(performance.now() - t);
    }
    const tList = median(list);
    const tFirst = median(firstPage);
    console.log(`first page (${first.items.length} certificates with details + CRL): median ${tFirst.toFixed(0)} ms; bare list call ${tList.toFixed(1)} ms; ratio ${(tFirst / tList).toFixed(1)}× (median of ${rounds})`);

    const t = performance.now();
    let loaded = 0;
    for (let p = 1; p <= first.totalPageNo; p++) {
      loaded += (await loadCertPage(c, tag, p)).certs.length;
    }
    const tAll = performance.now() - t;
    if (loaded !== COUNT) {
      throw new Error(`loaded ${loaded} of ${COUNT}`);
    }
    console.log(`every page (${first.totalPageNo} pages, ${loaded} certificates): ${(tAll / 1000).toFixed(1)} s, ${((tAll * 1000) / loaded).toFixed(0)} µs per certificate; ${(tAll / (tFirst * first.totalPageNo)).toFixed(2)}× the first page's cost per page`);
  } finally {
    await c.close();
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
