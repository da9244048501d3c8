// The language server keeps a large document's text without a copy per keystroke: its RSS while
// one-character edits come in stays near its RSS when the document was opened. (Kept as one
// string, a 4 MB document left a 4 MB copy behind per edit: the peak over 60 edits was 1.5–1.7×
// the RSS at open; chunked, it is 1.03–1.09×.)
import assert from 'node:assert/strict';
import test from 'node:test';
import { scanPem, toPem } from '../../../src/pki/pem';
import { fixture } from '../pki/helpers';
import { LspClient } from './lsp';

/** `count` distinct certificates (the leaf fixture, its serial's last bytes rewritten). */
function bundle(count: number): string {
  const leaf = Buffer.from(scanPem(fixture('leaf.crt'))[0].der!);
  const at = leaf.indexOf(Buffer.from('3f0a1b2c3d4e5f60718293a4b5c6d7e8f9000102', 'hex')) + 18;
  let out = '';
  for (let i = 0; i < count; i++) {
    const d = Uint8Array.from(leaf);
    d[at] = i >> 8;
    d[at + 1] = i & 0xff;
    out += toPem(d, 'CERTIFICATE');
  }
  return out;
}

test('server memory: 60 one-character edits of a 3,000-certificate document keep the peak RSS within 1.3× the RSS at open', { timeout: 60_000 }, async () => {
  const text = bundle(3000);
  const lines = text.split('\n');
  const uri = 'file:///memory/bundle.pem';
  const lsp = new LspClient();
  try {
    await lsp.initialize({ debounceMs: 0 });
    assert.deepEqual((await lsp.open(uri, text)).diagnostics, []);
    const rss = async () => (await lsp.request<{ rss: number }>('ncloudPki/stats', null)).rss;
    const atOpen = await rss();
    const line = Math.floor(lines.length / 2) + 3;
    const original = lines[line][10];
    let peak = 0;
    for (let i = 0; i < 60; i++) {
      const published = await lsp.change(uri, i + 2, [{ range: { start: { line, character: 10 }, end: { line, character: 11 } }, text: i % 2 ? original : '!' }]);
      assert.equal(published.diagnostics.length, i % 2 ? 0 : 1, `edit ${i}`);
      peak = Math.max(peak, await rss());
    }
    const mib = (x: number) => `${(x / 2 ** 20).toFixed(0)} MiB`;
    assert.ok(peak <= 1.3 * atOpen, `peak ${mib(peak)} vs ${mib(atOpen)} at open: ${(peak / atOpen).toFixed(2)}×`);
  } finally {
    await lsp.stop();
  }
});
