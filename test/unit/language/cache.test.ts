// The language server's decode cache is bounded by bytes as well as by entries: a few huge blocks
// edited over and over are few entries but many megabytes.
import assert from 'node:assert/strict';
import test from 'node:test';
import { BlockCache } from '../../../src/language/server/analysis';
import { BlockModel } from '../../../src/language/server/model';

/** A document of one 1 MB block (a certificate-shaped PEM whose body is not DER), different each time. */
function hugeBlock(i: number): BlockModel {
  const body = `${String(i).padStart(8, '0')}${'A'.repeat(1024 * 1024)}`.replace(/(.{64})/g, '$1\n');
  return new BlockModel('file:///huge.pem', 'pem', i, `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`);
}

test('the decode cache stays within a byte budget when few, huge blocks change on every edit', async () => {
  const cache = new BlockCache();
  let most = 0;
  for (let i = 0; i < 120; i++) {
    const model = hugeBlock(i);
    await cache.analyze(model.spans, { expiryWarningDays: 30 }, () => true);
    cache.sweep(model.spans.length, () => new Set(model.spans.map((s) => s.key)));
    most = Math.max(most, cache.bytes);
  }
  // 120 edits of a 1 MB block: counting entries only (under 1,024) it kept all 120 MB.
  assert.ok(most < 48 * 1024 * 1024, `the cache held ${(most / 1048576).toFixed(0)} MiB`);
  assert.ok(cache.size < 60, `${cache.size} entries kept`);
});
