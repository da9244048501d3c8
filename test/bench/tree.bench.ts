// The Private CA tree on a CA with 10,000 issued certificates: the time to its first page (what
// the user waits for when expanding "Certificates") and the rate over every page, with the code the
// tree runs (tree/certPages.ts), each alternated with the bare list calls for the same pages, and
// paging alternated with its floor, the getCert calls alone. Goal (issue 15): every page at ≥ 5,000
// certificates/s. The emulator runs in its own process (`dist/cli.js emulator`), as NCP is
// elsewhere: in this process it took half the CPU the rows measure. Each paging row also gives the
// CPU time per certificate on both sides.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CREDENTIALS } from '../../src/emulator';
import { loadCertPage, mapLimit } from '../../src/extension/tree/certPages';
import { createClient } from '../../src/ncloud';
import { decodeBlock, generateCsr, scanPem } from '../../src/pki';
import { compareAsync, emulatorProcess } from './bundle';
import { LOAD_GENERATOR, LoadGenerator, processCpuMs, serveLoad } from './load';

const COUNT = 10_000;
/** `--quick` (npm run bench -- --quick): fewer rounds. */
const QUICK = process.argv.includes('--quick');

async function main(): Promise<void> {
  // Seeding 10,000 certificates writes 10,000 journal commits: on tmpfs it takes seconds.
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const dir = mkdtempSync(join(base, 'tree-bench-'));
  const emu = await emulatorProcess(join(dir, 'data'), DEFAULT_CREDENTIALS);
  const c = createClient({ target: { endpoint: emu.url }, credentials: DEFAULT_CREDENTIALS });
  const load = new LoadGenerator(__filename);
  try {
    const ca = await c.pca.createCa({ caType: 'PRIVATE_ROOT', alias: 'tree', keyType: 'EC256', period: '3650', x509Parameters: { commonName: 'Tree Bench' } });
    const tag = ca.caInfo.caTag;
    const { csrPem } = await generateCsr({ keyType: 'EC256', subject: { commonName: 'leaf.bench' }, dnsNames: ['leaf.bench'] });
    const seeded = performance.now();
    await load.post(emu.url, `/api/v1/ca/${tag}/cert`, { keyType: 'EC256', x509Parameters: { commonName: 'leaf.bench', altName: 'leaf.bench' }, period: '30' }, DEFAULT_CREDENTIALS, COUNT * 0.9, 8);
    await load.post(emu.url, `/api/v1/ca/${tag}/cert/sign`, { csrPem, period: '30' }, DEFAULT_CREDENTIALS, COUNT * 0.1, 8);
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
    await compareAsync(`tree: first page (${first.items.length} certificates with details + CRL)`, 'the bare list call for it', firstPage, () => c.pca.listCerts(tag, 1), QUICK ? 3 : 7);

    // CPU per certificate on each side, over A's rounds only.
    let clientUs = 0;
    let serverMs = 0;
    let certs = 0;
    const measured = async (n: number, f: () => Promise<unknown>) => {
      const cpu = process.cpuUsage();
      const server = processCpuMs(emu.pid);
      await f();
      const used = process.cpuUsage(cpu);
      clientUs += used.user + used.system;
      serverMs += processCpuMs(emu.pid) - server;
      certs += n;
    };
    const cpuLine = (what: string) => {
      console.log(`tree: ${what}: CPU per certificate ${(clientUs / 1000 / certs).toFixed(3)} ms in the tree's process, ${(serverMs / certs).toFixed(3)} ms in the emulator's`);
      clientUs = serverMs = certs = 0;
    };

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
    await compareAsync(`tree: every page, ${COUNT} certificates (${first.totalPageNo} pages)`, 'the bare list calls', () => measured(COUNT, everyPage), bareLists, QUICK ? 1 : 3, { per: COUNT, goal: { rate: 5000 }, warm: false });
    cpuLine('every page');
    // Its floor: NCP lists serials only, so the tree makes one getCert per certificate. 40 pages a round.
    const pages = Array.from({ length: 40 }, (_, i) => (i + 1) * 5);
    const serials = (await Promise.all(pages.map((p) => c.pca.listCerts(tag, p)))).flatMap((l) => l.items);
    await compareAsync(
      `tree: ${pages.length} pages (${serials.length} certificates, list + details)`,
      'getCert alone for the same certificates (8 in flight)',
      async () => {
        for (const p of pages) {
          await loadCertPage(c, tag, p);
        }
      },
      () => measured(serials.length, () => mapLimit(serials, 8, (x) => c.pca.getCert(tag, x))),
      QUICK ? 2 : 5,
      { per: serials.length },
    );
    cpuLine('getCert alone');
  } finally {
    load.stop();
    await c.close();
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
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
