// The PEM language server on a 10,000-certificate document, over stdio as an editor drives it:
// time to first diagnostics against Node's native X509Certificate parsing the same certificates
// (same run), re-diagnosis after a one-character edit, hover latency, and the server's memory.
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { scanPem } from '../../src/pki';
import { LspClient } from '../unit/language/lsp';
import { generatedBundle, median, percentile, ROOT } from './bundle';

const SERVER = join(ROOT, 'dist/server.js');
const COUNT = 10_000;
const URI = 'file:///bench/bundle.pem';

interface Stats {
  documents: number;
  blocks: number;
  cacheEntries: number;
  heapUsed: number;
  rss: number;
  lastPassMs: number;
}

const text = generatedBundle(COUNT);
const lines = text.split('\n');
const ders = scanPem(text).map((b) => Buffer.from(b.der!));

function nativeMs(): number {
  const t = performance.now();
  for (const d of ders) {
    new X509Certificate(d);
  }
  return performance.now() - t;
}
nativeMs();
const native = median(Array.from({ length: 7 }, nativeMs));

/** Opens the bundle in a fresh server: ms to its diagnostics, and the server's own figures. */
async function firstPass(debounceMs: number): Promise<{ lsp: LspClient; ms: number; diagnostics: number; stats: Stats }> {
  const lsp = new LspClient(['--stdio'], SERVER);
  await lsp.initialize({ debounceMs });
  const t = performance.now();
  const published = await lsp.open(URI, text);
  const ms = performance.now() - t;
  return { lsp, ms, diagnostics: published.diagnostics.length, stats: await lsp.request<Stats>('ncloudPki/stats', null) };
}

/** One-character edits inside the base64 of the middle certificate, each undone by the next. */
async function edits(lsp: LspClient, rounds: number): Promise<number[]> {
  const line = Math.floor(lines.length / 2) + 3;
  const character = 10;
  const original = lines[line][character];
  const other = original === 'A' ? 'B' : 'A';
  const out: number[] = [];
  let version = 1;
  for (let i = 0; i < rounds; i++) {
    version++;
    const t = performance.now();
    await lsp.change(URI, version, [{ range: { start: { line, character }, end: { line, character: character + 1 } }, text: i % 2 === 0 ? other : original }]);
    out.push(performance.now() - t);
  }
  return out;
}

async function hovers(lsp: LspClient, rounds: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const line = Math.floor((i * 7919) % (lines.length - 1));
    const t = performance.now();
    const h = await lsp.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: URI }, position: { line, character: 3 } });
    out.push(performance.now() - t);
    if (!h && lines[line].trim() !== '') {
      throw new Error(`no hover at line ${line}`);
    }
  }
  return out;
}

async function main(): Promise<void> {
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  console.log(`document: ${COUNT} certificates, ${(text.length / 1e6).toFixed(1)} MB, ${lines.length} lines`);
  console.log(`  native X509Certificate parse of the same certificates: ${ms(native)} (median of 7)`);

  const runs = [];
  for (let i = 0; i < 3; i++) {
    const r = await firstPass(0);
    runs.push(r);
    if (i < 2) {
      await r.lsp.stop();
    }
  }
  const first = median(runs.map((r) => r.ms));
  const pass = median(runs.map((r) => r.stats.lastPassMs));
  const { lsp, stats, diagnostics } = runs[2];
  console.log(`  first diagnostics after didOpen (stdio, transfer + scan + decode + lint): ${ms(first)}, ratio to native parse = ${(first / native).toFixed(2)}× (median of 3 fresh servers)`);
  console.log(`    of which the server's lint pass: ${ms(pass)}, ratio to native parse = ${(pass / native).toFixed(2)}×; ${diagnostics} diagnostics`);

  const e = await edits(lsp, 40);
  console.log(`  re-diagnose after a one-character edit (debounce 0): median ${ms(median(e))}, p95 ${ms(percentile(e, 0.95))} (40 edits)`);
  const h = await hovers(lsp, 100);
  console.log(`  hover: median ${ms(median(h))}, p95 ${ms(percentile(h, 0.95))} (100 hovers)`);
  const after = await lsp.request<Stats>('ncloudPki/stats', null);
  console.log(`  server memory with the document open: rss ${(stats.rss / 2 ** 20).toFixed(0)} MiB, heap ${(stats.heapUsed / 2 ** 20).toFixed(0)} MiB; after the edits rss ${(after.rss / 2 ** 20).toFixed(0)} MiB, ${after.cacheEntries} cache entries for ${after.blocks} blocks`);
  await lsp.stop();

  // What an editor sees with the default 15 ms debounce: edit → diagnostics.
  const d = await firstPass(15);
  const e15 = await edits(d.lsp, 20);
  console.log(`  re-diagnose with the default 15 ms debounce: median ${ms(median(e15))}, p95 ${ms(percentile(e15, 0.95))} (20 edits)`);
  await d.lsp.stop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
