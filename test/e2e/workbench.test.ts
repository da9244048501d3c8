import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { answer, launch, openWorkbench, runCommand, screenshot, WORKSPACE } from './workbench';

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

// A new user, no profile, no account: the local emulator, a root CA, a dev certificate in the workspace.
test('a new user chooses the local emulator, creates a root CA and issues a dev certificate into the workspace', async () => {
  const view = page.locator('.pane', { has: page.locator('.pane-header[aria-label^="Private CA"]') });
  const useEmulator = view.locator('.welcome-view-content a.monaco-button', { hasText: 'Use Local Emulator' });
  // The container is open from the first test; clicking its icon again would close it.
  if (!(await useEmulator.isVisible())) {
    await page.locator('.activitybar [aria-label^="NCP PKI"]').first().click();
  }
  await useEmulator.click();
  const tree = view.locator('.monaco-list-row');
  await tree.filter({ hasText: 'Local emulator' }).waitFor();
  await tree.filter({ hasText: 'No CAs yet' }).waitFor();

  await runCommand(page, 'NCP PKI: Create Root CA…');
  await answer(page, '(1/6)', 'ui-root');
  await answer(page, '(2/6)');
  await answer(page, '(3/6)');
  await answer(page, '(4/6)', 'UI Test Root');
  await answer(page, '(5/6)', 'ncloud-pki UI');
  await answer(page, '(6/6)');
  await tree.filter({ hasText: 'ui-root' }).waitFor({ timeout: 60_000 });
  assert.match(await tree.filter({ hasText: 'ui-root' }).innerText(), /Active/);
  assert.ok(existsSync(await screenshot(page, 'tree-with-root-ca')));

  await runCommand(page, 'NCP PKI: Issue Dev Certificate');
  // Asked once per workspace: keep the key out of git.
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: 60_000 });
  assert.match(await dialog.innerText(), /certs\/key\.pem/);
  await dialog.locator('a.monaco-button, button', { hasText: 'Add to .gitignore' }).click();
  // The files land (toasts may queue behind others, so the disk is the signal).
  const deadline = Date.now() + 60_000;
  while (!['cert.pem', 'key.pem', 'chain.pem'].every((f) => existsSync(join(WORKSPACE, 'certs', f))) && Date.now() < deadline) {
    await page.waitForTimeout(200);
  }
  for (const f of ['cert.pem', 'key.pem', 'chain.pem']) {
    assert.ok(existsSync(join(WORKSPACE, 'certs', f)), f);
  }
  await screenshot(page, 'dev-certificate-written');
  assert.equal(statSync(join(WORKSPACE, 'certs', 'key.pem')).mode & 0o777, 0o600);
  assert.match(readFileSync(join(WORKSPACE, '.gitignore'), 'utf8'), /^certs\/key\.pem$/m);
  // The files show in the explorer.
  await page.locator('.activitybar [aria-label^="Explorer"]').first().click();
  const explorer = page.locator('.explorer-folders-view .monaco-list-row');
  await explorer.filter({ hasText: /^certs$/ }).click();
  await explorer.filter({ hasText: 'key.pem' }).waitFor();
  assert.ok(existsSync(await screenshot(page, 'dev-certificate-in-workspace')));
  // Back in the tree, the dev certificate is listed under the CA that signed it.
  await page.locator('.activitybar [aria-label^="NCP PKI"]').first().click();
  await tree.filter({ hasText: 'ui-root' }).click();
  await tree.filter({ hasText: /^Certificates$/ }).click();
  await tree.filter({ hasText: 'localhost' }).first().waitFor({ timeout: 60_000 });
  assert.ok(existsSync(await screenshot(page, 'tree-with-dev-certificate', 'ca-tree')));
  assert.deepEqual(errors.filter((e) => /ncloud|ncp/i.test(e)), []);
});
