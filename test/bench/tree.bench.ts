// The Private CA tree on a CA with 10,000 issued certificates in the emulator: the time to its
// first page (what the user waits for when expanding "Certificates") and the rate over every page,
// with the code the tree runs (tree/certPages.ts), each alternated with the bare list calls for the
// same pages, and paging alternated with its floor, the getCert calls alone. Goal (issue 15): every
// page at ≥ 5,000 certificates/s.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CREDENTIALS, startEmulator } from '../../src/emulator';
import { loadCertPage, mapLimit } from '../../src/extension/tree/certPages';
import { createClient } from '../../src/ncloud';
import { decodeBlock, generateCsr, scanPem } from '../../src/pki';
import { compareAsync } from './bundle';

const COUNT = 10_000;

async function main(): Promise<void> {
  // Seeding 10,000 certificates writes 10,000 journal commits: on tmpfs it takes seconds.
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(base, 'tree-bench-'));
  const emu = await startEmulator({ dataDir: dir, seed: false });
  const c = createClient({ target: { endpoint: emu.url }, credentials: DEFAULT_CREDENTIALS });
  try {
    const ca = await c.pca.createCa({ caType: 'PRIVATE_ROOT', alias: 'tree', keyType: 'EC256', period: '3650', x509Parameters: { commonName: 'Tree Bench' } });
    const tag = ca.caInfo.caTag;
    const { csrPem } = await generateCsr({ keyType: 'EC256', subject: { commonName: 'leaf.bench' }, dnsNames: ['leaf.bench'] });
    const seeded = performance.now();
    await mapLimit(Array.from({ length: COUNT }, (_, i) => i), 8, (i) => (i % 10 ? c.pca.issueCert(tag, { keyType: 'EC256', x509Parameters: { commonName: 'leaf.bench', altName: 'leaf.bench' }, period: '30' }) : c.pca.signCsr(tag, { csrPem, period: '30' })));
    console.log(`seeded ${COUNT} certificates under one CA in ${((performance.now() - seeded) / 1000).toFixed(1)} s (issueCert, 1 in 10 signCsr, 8 in flight, data on ${base})`);
    // A few revoked, so the CRL the tree reads has entries.
    const first = await c.pca.listCerts(tag, 1);
    for (const serial of first.items.slice(0, 10)) {
      await c.pca.revokeCert(tag, serial);
    }

    const firstPage = async () => {
      const [page, crl] = await Promise.all([loadCertPage(c, tag, 1), c.pca.getCrl(tag)]);
      const d = decodeBlock(scanPem(crl)[0]);
      if (page.certs.length !== first.items.length || d.kind !== 'crl' || d.entries.length !== 10) {
        throw new Error('unexpected first page');
      }
    };
    await compareAsync(`tree: first page (${first.items.length} certificates with details + CRL)`, 'the bare list call for it', firstPage, () => c.pca.listCerts(tag, 1), 7);
    const everyPage = async () => {
      let loaded = 0;
      for (let p = 1; p <= first.totalPageNo; p++) {
        loaded += (await loadCertPage(c, tag, p)).certs.length;
      }
      if (loaded !== COUNT) {
        throw new Error(`loaded ${loaded} of ${COUNT}`);
      }
    };
    const bareLists = async () => {
      for (let p = 1; p <= first.totalPageNo; p++) {
        await c.pca.listCerts(tag, p);
      }
    };
    await compareAsync(`tree: every page, ${COUNT} certificates (${first.totalPageNo} pages)`, 'the bare list calls', everyPage, bareLists, 3, { per: COUNT, goal: { rate: 5000 }, warm: false });
    // Its floor: NCP lists serials only, so the tree makes one getCert per certificate. 40 pages a round.
    const pages = Array.from({ length: 40 }, (_, i) => (i + 1) * 5);
    const serials = (await Promise.all(pages.map((p) => c.pca.listCerts(tag, p)))).flatMap((l) => l.items);
    await compareAsync(`tree: ${pages.length} pages (${serials.length} certificates, list + details)`, 'getCert alone for the same certificates (8 in flight)', async () => {
      for (const p of pages) {
        await loadCertPage(c, tag, p);
      }
    }, () => mapLimit(serials, 8, (x) => c.pca.getCert(tag, x)), 5, { per: serials.length });
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
