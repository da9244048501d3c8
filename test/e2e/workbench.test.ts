import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launch, openWorkbench, runCommand, screenshot } from './workbench';

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

test('the NCP PKI container opens and shows the Private CA welcome view', async () => {
  await page.locator('.activitybar [aria-label^="NCP PKI"]').first().click();
  // With a single view in the container, the workbench hides its header but keeps the title.
  await page.locator('.pane-header[aria-label^="Private CA"]').first().waitFor({ state: 'attached' });
  const welcome = page.locator('.welcome-view-content', { hasText: 'No NCP profile yet' });
  await welcome.waitFor();
  assert.match(await welcome.innerText(), /local emulator/);
  assert.ok(existsSync(await screenshot(page, 'welcome-view')));
});

test('"NCP PKI: Show Log" runs from the palette and opens the NCP PKI log', async () => {
  await runCommand(page, 'NCP PKI: Show Log');
  // The output panel shows our channel selected.
  // The Output panel opens with our channel selected in its channel picker.
  const picker = page.locator('.part.panel select.monaco-select-box');
  await picker.first().waitFor();
  await page.waitForFunction(() => [...document.querySelectorAll('.part.panel select.monaco-select-box')]
    .some((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent?.includes('NCP PKI')));
  assert.ok(existsSync(await screenshot(page, 'show-log')));
  assert.deepEqual(errors.filter((e) => /ncloud|ncp/i.test(e)), []);
});
