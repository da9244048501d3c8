// The Certificates view through the real workbench in Chromium: the NCP PKI container lists the
// workspace's certificates (the language server indexes them), the expired one first, and the
// status bar counts what expires within the warning window; clicking a row opens its file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launch, openWorkbench, screenshot, WORKSPACE } from './workbench';

const FIX = join(__dirname, '../../../test/fixtures/pki');
let browser: Browser;
let page: Page;
let errors: string[];

before(async () => {
  mkdirSync(join(WORKSPACE, 'inventory'), { recursive: true });
  for (const f of ['expired.crt', 'chain.pem', 'k8s.yaml', 'leaf.csr']) {
    copyFileSync(join(FIX, f), join(WORKSPACE, 'inventory', f));
  }
  browser = await launch();
  ({ page, errors } = await openWorkbench(browser));
});

after(async () => {
  await browser?.close();
});

test('the Certificates view lists the workspace, soonest to expire first; the status bar counts; a row opens its file', async () => {
  await page.locator('.activitybar [aria-label^="NCP PKI"]').first().click();
  const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /^Certificates/i }) });
  const header = view.locator('.pane-header');
  if ((await header.getAttribute('aria-expanded')) !== 'true') {
    await header.click();
  }
  const rows = view.locator('.monaco-list-row');
  await rows.filter({ hasText: 'expired.example' }).first().waitFor({ timeout: 60_000 });
  await rows.filter({ hasText: 'Test Root CA' }).first().waitFor({ timeout: 60_000 });
  assert.match(await rows.first().innerText(), /expired\.example[\s\S]*expired \d+ days ago/);
  // The status bar counts the expired certificate (nothing else in the workspace is within 30 days).
  const status = page.locator('.statusbar-item', { has: page.locator('.codicon-shield') });
  await status.first().waitFor();
  assert.match(await status.first().innerText(), /\d+/);
  assert.ok(existsSync(await screenshot(page, 'certificates-view', 'certificates-view')));
  await rows.filter({ hasText: 'expired.example' }).first().click();
  await page.locator('.tab.active', { hasText: 'expired.crt' }).waitFor();
  assert.deepEqual(errors, []);
});
