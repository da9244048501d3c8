// Paging a CA with many certificates: the emulator keeps each CA's certificate list in issue order
// until the store changes, instead of filtering and sorting every record for every page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Service } from '../../../src/emulator/service';
import type { CertRecord } from '../../../src/emulator/records';

async function pagingMs(count: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'emu-paging-'));
  const s = new Service({ dataDir: dir, now: Date.now, publicOrigin: () => 'http://127.0.0.1:1', caPageSize: 20, certPageSize: 50, cmIssueDelayMs: 0 });
  try {
    const tag = (await s.pca.createCa('PRIVATE_ROOT', null, { alias: 'paging', keyType: 'EC256', period: '10', x509Parameters: { commonName: 'Paging' } })).caInfo.caTag;
    const now = Date.now();
    await s.store.commit(
      Array.from({ length: count }, (_, i) => {
        const serialNo = `01:${i.toString(16).padStart(8, '0').replace(/(..)(?!$)/g, '$1:')}`;
        const v: CertRecord = { type: 'cert', caTag: tag, serialNo, commonName: 'p.test', certPem: '', notBefore: now, notAfter: now + 1, publicKeyAlgorithm: 'EC', signatureAlgorithm: 'SHA256withECDSA', issuedAt: now + (i % 7) };
        return { k: `cert:${tag}:${serialNo}`, v };
      }),
    );
    const pages = Math.ceil(count / 50);
    s.pca.listCerts(tag, '1'); // the first listing after a change reads every record once
    const t = performance.now();
    for (let i = 0; i < 2000; i++) {
      assert.equal(s.pca.listCerts(tag, String((i % pages) + 1)).totalCnt, count);
    }
    return performance.now() - t;
  } finally {
    s.store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('listing a page costs the same with 16,000 certificates as with 1,000 (the list is kept between pages)', async () => {
  await pagingMs(1000); // warm-up
  const small = Math.min(await pagingMs(1000), await pagingMs(1000));
  const large = Math.min(await pagingMs(16_000), await pagingMs(16_000));
  // Filtering and sorting every record for every page made this 16× and more (65× measured); kept, it is near 1×.
  assert.ok(large / small < 8, `16× the certificates made paging ${(large / small).toFixed(1)}× slower`);
});
