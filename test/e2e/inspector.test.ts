// The certificate inspector through the real workbench in Chromium: a chain renders its summary
// and its chain in light and dark themes, and hostile certificate text renders as text and runs
// nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launch, openFile, openWorkbench, runCommand, screenshot, webviewWith, WORKSPACE } from './workbench';

const FIX = join(__dirname, '../../../test/fixtures/pki');
let browser: Browser;
let page: Page;
let errors: string[];
const dialogs: string[] = [];
/** What the webview's Content Security Policy refused: our own styles, font and script must pass. */
const refused: string[] = [];

before(async () => {
  mkdirSync(join(WORKSPACE, 'inspect'), { recursive: true });
  for (const f of ['chain.pem', 'xss.crt']) {
    copyFileSync(join(FIX, f), join(WORKSPACE, 'inspect', f));
  }
  browser = await launch();
  ({ page, errors } = await openWorkbench(browser));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) {
      refused.push(m.text());
    }
  });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
});

after(async () => {
  await browser?.close();
});

test('Inspect Certificate on a chain shows each summary card and the verified chain, in dark and light themes', async () => {
  await openFile(page, 'chain.pem');
  await page.locator('.tab.active', { hasText: 'chain.pem' }).waitFor();
  await runCommand(page, 'NCP PKI: Inspect Certificate');
  const frame = await webviewWith(page, 'Chain verified');
  const cards = frame.locator('section.card h2');
  assert.deepEqual(await cards.allInnerTexts(), ['Certificate: localhost', 'Certificate: Test Issuing CA', 'Certificate: Test Root CA']);
  assert.deepEqual(await frame.locator('.chain-links .link a').allInnerTexts(), ['localhost', 'Test Issuing CA', 'Test Root CA']);
  assert.match(await frame.locator('section.card').first().innerText(), /days left/);
  assert.equal(await frame.locator('section.card meter').count(), 3);
  await screenshot(page, 'inspector-chain-summary', 'inspector');
  // "All fields" builds its tables when opened, by keyboard as well as by mouse.
  await frame.locator('section.card details.all-fields summary').first().focus();
  await page.keyboard.press('Enter');
  await frame.locator('section.card table.fields caption', { hasText: 'Fingerprints' }).first().waitFor();
  // Whatever theme the workbench starts in, the webview follows it and then its opposite.
  const first = await frame.evaluate(() => (document.body.classList.contains('vscode-dark') ? 'dark' : 'light'));
  const second = first === 'dark' ? 'light' : 'dark';
  assert.ok(existsSync(await screenshot(page, `inspector-chain-${first}`)));
  const background = () => frame.evaluate(() => getComputedStyle(document.querySelector('section.card')!).backgroundColor);
  const before = await background();
  await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
  await frame.waitForFunction((cls) => document.body.classList.contains(cls), `vscode-${second}`);
  assert.notEqual(await background(), before, 'the cards follow the theme');
  assert.ok(existsSync(await screenshot(page, `inspector-chain-${second}`)));
  await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
  assert.deepEqual(errors, []);
  assert.deepEqual(refused, []);
});

test('hostile subject, SAN and extension text renders as text and runs nothing', async () => {
  // .crt files open in the inspector by default.
  await openFile(page, 'xss.crt');
  const frame = await webviewWith(page, 'onerror=alert(1)');
  const root = frame.locator('#root');
  const text = await root.innerText();
  assert.match(text, /Certificate: <img src=x onerror=alert\(1\)>/);
  assert.match(text, /<b>bold<\/b>\.example/);
  assert.match(text, /javascript:alert\(3\)/);
  await frame.locator('details.all-fields summary').first().click();
  await frame.locator('table.fields td', { hasText: '<iframe src=javascript:alert(5)></iframe>' }).waitFor();
  assert.match(await root.innerText(), /<\/script><script>alert\(2\)<\/script>/);
  // Nothing from the certificate became markup: no images, scripts, frames, svg or links to javascript:.
  assert.equal(await root.locator('img, script, iframe, svg, b').count(), 0);
  assert.equal(await frame.locator('a[href^="javascript:"]').count(), 0);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(errors, []);
  assert.deepEqual(refused, []);
  assert.ok(existsSync(await screenshot(page, 'inspector-hostile-text')));
});
