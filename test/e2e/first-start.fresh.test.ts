// A new user's first screen, as `npm start` shows it: a fresh profile with
// ncloudPki.localEmulatorByDefault. The emulator profile is saved while both views already load:
// neither view may show an error row ("The client is closed", "Could not load").
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launch, openWorkbench, screenshot } from './workbench';

let browser: Browser;
let page: Page;
let errors: string[];

before(async () => {
  browser = await launch();
  ({ page, errors } = await openWorkbench(browser));
});

after(async () => {
  await browser?.close();
});

/** The rows of the sidebar view whose header reads `title` (expanded first if it was collapsed). */
async function viewRows(title: string) {
  const header = page.locator(`.pane-header[aria-label^="${title}"]`);
  await header.first().waitFor();
  if ((await header.first().getAttribute('aria-expanded')) === 'false') {
    await header.first().click();
  }
  return page.locator('.pane', { has: header }).locator('.monaco-list-row');
}

test('first start on the local emulator: both views list, neither shows an error row', async () => {
  // A fresh profile opens on the Explorer: open the NCP PKI container.
  await page.locator('.activitybar [aria-label^="NCP PKI"]').first().click();
  const pca = await viewRows('Private CA');
  const cm = await viewRows('Certificate Manager');
  // Each view has loaded once it shows a row under the profile (an error row would be that row).
  await pca.filter({ hasText: 'Local emulator' }).waitFor({ timeout: 60_000 });
  await pca.nth(1).waitFor({ timeout: 60_000 });
  await cm.filter({ hasText: 'Local emulator' }).waitFor({ timeout: 60_000 });
  await cm.nth(1).waitFor({ timeout: 60_000 });
  const shown = [...(await pca.allInnerTexts()), ...(await cm.allInnerTexts())];
  assert.deepEqual(shown.filter((r) => /Could not load|UND_ERR|client is closed/.test(r)), [], shown.join(' | '));
  assert.ok(shown.some((r) => /No CAs yet/.test(r)), shown.join(' | '));
  assert.ok(existsSync(await screenshot(page, 'first-start-local-emulator')));
  assert.deepEqual(errors.filter((e) => /ncloud|ncp/i.test(e)), []);
});
