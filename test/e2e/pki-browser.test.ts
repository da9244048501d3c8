// The PKI core bundled for the browser (platform: browser, so any node:* import fails the build)
// and run in Debian's Chromium: it must decode, lint, verify chains and hash exactly as in Node.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { buildChain, fingerprints, inspect, type CertificateInfo } from '../../src/pki';
import { launch } from './workbench';

const ROOT = join(__dirname, '../../..');
const FIX = join(ROOT, 'test/fixtures/pki');
let server: Server;
let browser: Browser;
let page: Page;

before(async () => {
  const built = await esbuild.build({ entryPoints: [join(ROOT, 'test/e2e/pki-browser.entry.ts')], bundle: true, platform: 'browser', format: 'iife', write: false, logLevel: 'silent' });
  const js = built.outputFiles[0].text;
  server = createServer((req, res) => {
    if (req.url === '/pki.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><meta charset="utf-8"><script src="/pki.js"></script><body>pki</body>');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  browser = await launch();
  page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await page.waitForFunction(() => 'pki' in globalThis);
  assert.deepEqual(errors, []);
});

after(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

/** Decoded data without the DER bytes, for comparing across the page boundary. */
function plain(text: string) {
  const r = inspect(text, { now: 1_800_000_000_000 });
  return { blocks: r.blocks.map(({ der: _der, ...b }) => b), decoded: r.decoded, findings: r.findings };
}

for (const file of ['chain.pem', 'k8s.yaml', 'config.json', 'leaf-with-wrong-key.pem', 'root.crl', 'leaf.csr', 'broken-base64.pem', 'weak-sha1.crt', 'ed25519.crt']) {
  test(`Chromium decodes ${file} exactly as Node does`, async () => {
    const text = readFileSync(join(FIX, file), 'utf8');
    const inPage = await page.evaluate((t) => {
      const p = (globalThis as unknown as { pki: typeof import('../../src/pki') }).pki;
      const r = p.inspect(t, { now: 1_800_000_000_000 });
      return { blocks: r.blocks.map(({ der: _der, ...b }) => b), decoded: r.decoded, findings: r.findings };
    }, text);
    assert.deepEqual(inPage, JSON.parse(JSON.stringify(plain(text))));
  });
}

test('Chromium verifies the chain and hashes with WebCrypto like Node', async () => {
  const text = readFileSync(join(FIX, 'chain-reversed.pem'), 'utf8');
  const r = inspect(text);
  const certs = r.blocks.map((b, i) => ({ der: b.der!, info: r.decoded[i] as CertificateInfo }));
  const want = { chain: await buildChain(certs), fp: await fingerprints(certs[0].der) };
  const got = await page.evaluate(async (t) => {
    const p = (globalThis as unknown as { pki: typeof import('../../src/pki') }).pki;
    const x = p.inspect(t);
    const list = x.blocks.map((b, i) => ({ der: b.der!, info: x.decoded[i] as import('../../src/pki').CertificateInfo }));
    return { chain: await p.buildChain(list), fp: await p.fingerprints(list[0].der) };
  }, text);
  assert.deepEqual(got, want);
  assert.equal(got.chain.complete, true);
});
