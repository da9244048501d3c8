// The PEM language server on a 10,000-certificate document, over stdio as an editor drives it:
// time to first diagnostics alternated with Node's native X509Certificate parsing the same
// certificates; then, in the last server, 100 one-character edits with the server's RSS after
// each. Goals (issue 15): edit → diagnostics p95 ≤ 25 ms; peak RSS ≤ 1.5× the RSS at open.
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { scanPem } from '../../src/pki';
import { LspClient } from '../unit/language/lsp';
import { compareAsync, generatedBundle, goalRow, limitRow, median, percentile, ROOT } from './bundle';

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
async function edits(lsp: LspClient, rounds: number, from = 0): Promise<number[]> {
  const line = Math.floor(lines.length / 2) + 3;
  const character = 10;
  const original = lines[line][character];
  const other = original === 'A' ? 'B' : 'A';
  const out: number[] = [];
  for (let i = from; i < from + rounds; i++) {
    const version = i + 2;
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

/** One-character edits, with the server's RSS after each: the peak over the run and the last. */
async function editsWithMemory(lsp: LspClient, rounds: number): Promise<{ times: number[]; peakRss: number; lastRss: number }> {
  let peakRss = 0;
  let lastRss = 0;
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    times.push(...(await edits(lsp, 1, i)));
    lastRss = (await lsp.request<Stats>('ncloudPki/stats', null)).rss;
    peakRss = Math.max(peakRss, lastRss);
  }
  return { times, peakRss, lastRss };
}

async function main(): Promise<void> {
  const mib = (x: number) => `${(x / 2 ** 20).toFixed(0)} MiB`;
  console.log(`document: ${COUNT} certificates, ${(text.length / 1e6).toFixed(1)} MB, ${lines.length} lines`);

  // First diagnostics in a fresh server, alternated with Node's native parse of the same certificates.
  // Each fresh server is kept until the next call (a server holds the whole document), then stopped untimed.
  const servers: Awaited<ReturnType<typeof firstPass>>[] = [];
  await compareAsync(
    'language server: first diagnostics after didOpen (stdio, transfer + scan + decode + lint)',
    'native X509Certificate parse of the same certificates',
    async () => servers.push(await firstPass(0)),
    async () => nativeMs(),
    3,
    { warm: false, untimed: async () => Promise.all(servers.splice(0, servers.length - 1).map((s) => s.lsp.stop())) },
  );
  const { lsp, stats } = servers[servers.length - 1];

  const e = await editsWithMemory(lsp, 100);
  limitRow('language server: edit → diagnostics p95 (debounce 0, 100 one-character edits)', percentile(e.times, 0.95), 'ms', 25, `median ${median(e.times).toFixed(1)} ms`);
  goalRow('language server: peak RSS over 100 one-character edits', `${mib(e.peakRss)} vs ${mib(stats.rss)} at open (${mib(e.lastRss)} after)`, e.peakRss / stats.rss, { max: 1.5 });
  const h = await hovers(lsp, 100);
  console.log(`language server: hover median ${median(h).toFixed(1)} ms, p95 ${percentile(h, 0.95).toFixed(1)} ms (100 hovers, for scale)`);
  await lsp.stop();

  // What an editor sees with the default 15 ms debounce: edit → diagnostics.
  const d = await firstPass(15);
  const e15 = await edits(d.lsp, 20);
  console.log(`language server: edit → diagnostics with the default 15 ms debounce: median ${median(e15).toFixed(1)} ms, p95 ${percentile(e15, 0.95).toFixed(1)} ms (20 edits, for scale)`);
  await d.lsp.stop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
