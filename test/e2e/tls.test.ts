// "NCP PKI: Inspect TLS Endpoint…" clicked through the real workbench: `openssl s_server` on loopback
// serves a chain made by the emulator's issuer (leaf + issuing CA; the root is a CA file in the
// workspace), the address is typed into the palette's questions, and the inspector shows the served
// chain with its TLS rows. Under `npm run screenshots` it is media/screenshots/tls-endpoint.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { makeCert } from '../unit/cli/certs';
import { freePort, listening } from '../unit/cli/loopback';
import { launch, openWorkbench, runCommand, screenshot, webviewWith, WORKSPACE } from './workbench';

let browser: Browser;
let page: Page;
let errors: string[];
let dir: string;
let server: ChildProcess | undefined;
let port: number;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'e2e-tls-'));
  const root = await makeCert({ cn: 'Example Dev Root', ca: true, to: 3650 });
  const inter = await makeCert({ cn: 'Example Issuing CA', ca: true, issuer: root, to: 1800 });
  const leaf = await makeCert({ cn: 'localhost', dns: ['localhost'], issuer: inter, to: 90, from: -1 });
  // The root is one of "your CAs": a CA certificate in the workspace.
  mkdirSync(join(WORKSPACE, 'tls-ca'), { recursive: true });
  writeFileSync(join(WORKSPACE, 'tls-ca', 'root.pem'), root.pem);
  writeFileSync(join(dir, 'leaf.crt'), leaf.pem);
  writeFileSync(join(dir, 'leaf.key'), leaf.key.pkcs8, { mode: 0o600 });
  writeFileSync(join(dir, 'chain.pem'), inter.pem);
  port = await freePort();
  server = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', join(dir, 'leaf.crt'), '-key', join(dir, 'leaf.key'), '-cert_chain', join(dir, 'chain.pem'), '-www', '-quiet'], { stdio: 'ignore' });
  await listening(port);
  browser = await launch();
  ({ page, errors } = await openWorkbench(browser));
});

after(async () => {
  await browser?.close();
  if (server?.pid) {
    process.kill(server.pid, 'SIGTERM');
  }
  rmSync(dir, { recursive: true, force: true });
  rmSync(join(WORKSPACE, 'tls-ca'), { recursive: true, force: true });
});

test('Inspect TLS Endpoint from the palette shows the served chain with host name, order and verification rows', async () => {
  // The inspector gets the whole window.
  if (await page.locator('.part.sidebar').first().isVisible()) {
    await page.keyboard.press('Control+B');
  }
  await runCommand(page, 'NCP PKI: Inspect TLS Endpoint…');
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input').first();
  await widget.getByText('Host and port', { exact: false }).waitFor();
  await input.fill(`127.0.0.1:${port}`);
  await input.press('Enter');
  await widget.getByText('Server name to send (SNI)', { exact: false }).waitFor();
  await input.fill('localhost');
  await input.press('Enter');

  const frame = await webviewWith(page, `127.0.0.1:${port} (localhost)`);
  assert.deepEqual(await frame.locator('section.card h2').allInnerTexts(), ['Certificate: localhost', 'Certificate: Example Issuing CA']);
  const facts = Object.fromEntries(
    await frame.locator('section.tls li.fact').evaluateAll((lis) => lis.map((li) => [(li as HTMLElement).dataset.code ?? '', li.className.replace('fact ', '')])),
  );
  // The private root is in no system store; it is a CA file of the workspace.
  assert.deepEqual(facts, { hostname: 'ok', order: 'ok', system: 'error', yours: 'ok', expiry: 'ok', ocsp: 'info', protocol: 'info' });
  const rows = await frame.locator('section.tls li.fact').allInnerTexts();
  assert.ok(rows.some((r) => /Host name[\s\S]*valid for localhost/.test(r)), rows.join(' | '));
  assert.ok(rows.some((r) => /Your CAs[\s\S]*Verified up to .*Example Dev Root/.test(r)), rows.join(' | '));
  // The server rightly leaves its root out: the chain card finds it among the workspace's CAs.
  await frame.locator('section.chain.ok h2', { hasText: 'Chain verified up to' }).waitFor({ timeout: 10_000 });
  assert.ok(existsSync(await screenshot(page, 'tls-endpoint', 'tls-endpoint')));
  assert.deepEqual(errors.filter((e) => /ncloud|ncp/i.test(e)), []);
});
