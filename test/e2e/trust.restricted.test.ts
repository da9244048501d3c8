// Restricted Mode in the real workbench: test/run.mjs opens the fixture folder untrusted (workspace
// trust on, no start-up prompt) with the local emulator profile, and the folder's .vscode/settings.json
// sets two restricted settings. What package.json's `untrustedWorkspaces` description promises is
// checked as a user sees it, then the folder is trusted and what was refused works without a reload.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launch, openFile, openWorkbench, runCommand, screenshot, webviewWith, WORKSPACE } from './workbench';

const FIX = join(__dirname, '../../../test/fixtures/pki');
const TITLE = 'Get Started with NCP Private CA';
/** Where the folder's settings put dev certificates and the emulator (both restricted settings). */
const DEV_FOLDER = 'from-workspace-settings';
let port: number;
let browser: Browser;
let page: Page;
let errors: string[];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** Whether something accepts connections on 127.0.0.1:`p`. */
function listening(p: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect({ host: '127.0.0.1', port: p }, () => {
      c.destroy();
      resolve(true);
    });
    c.on('error', () => resolve(false));
  });
}

before(async () => {
  port = await freePort();
  mkdirSync(join(WORKSPACE, '.vscode'), { recursive: true });
  writeFileSync(join(WORKSPACE, '.vscode', 'settings.json'), JSON.stringify({ 'ncloudPki.devCertificate.folder': DEV_FOLDER, 'ncloudPki.emulator.port': port }, null, 2));
  mkdirSync(join(WORKSPACE, 'inspect'), { recursive: true });
  copyFileSync(join(FIX, 'chain.pem'), join(WORKSPACE, 'inspect', 'chain.pem'));
  browser = await launch();
  ({ page, errors } = await openWorkbench(browser));
});

after(async () => {
  await browser?.close();
});

/** The rows of the Private CA view (the NCP PKI container opened if it is not). */
async function privateCaRows(): Promise<Locator> {
  const header = page.locator('.pane-header[aria-label^="Private CA"]');
  if (!(await header.first().isVisible())) {
    await page.locator('.activitybar [aria-label^="NCP PKI"]').first().click();
  }
  await header.first().waitFor();
  return page.locator('.pane', { has: header }).locator('.monaco-list-row');
}

function step(title: string): Locator {
  return page.locator('.getting-started-step', { has: page.locator('.step-title', { hasText: title }) }).first();
}

async function clickDevCertificateStep(): Promise<void> {
  await runCommand(page, 'Welcome: Open Walkthrough...');
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: TITLE }).first();
  await row.waitFor({ timeout: 30_000 });
  await row.click();
  await page.locator('.gettingStartedContainer', { hasText: TITLE }).first().waitFor({ timeout: 30_000 });
  const s = step('Issue a dev certificate');
  await s.click();
  await s.getByText('Issue Dev Certificate', { exact: true }).click();
}

/** A notification toast showing `text`. */
function toast(text: string | RegExp): Locator {
  return page.locator('.notification-toast', { hasText: text }).first();
}

test('Restricted Mode: a PEM still inspects; writing commands are hidden or refused; the emulator and restricted workspace settings are not used', async () => {
  await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 });

  // Inspecting works (read-only): the chain renders and verifies.
  await openFile(page, 'chain.pem');
  await page.locator('.tab.active', { hasText: 'chain.pem' }).waitFor();
  await runCommand(page, 'NCP PKI: Inspect Certificate');
  await webviewWith(page, 'Chain verified');

  // A command that writes into the workspace is not in the palette: typing its title finds only
  // similar ones (Verify: never run before, so not one of the palette's recently used). Shown, it
  // would be the only row.
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.fill('>NCP PKI: Issue Dev Certificate');
  const palette = page.locator('.quick-input-list .monaco-list-row');
  await palette.filter({ hasText: /NCP PKI: (Verify Certificate Chain|Issue Dev Certificate)/ }).first().waitFor();
  assert.equal(await palette.filter({ hasText: 'Issue Dev Certificate' }).count(), 0, (await palette.allInnerTexts()).join(' | '));
  await page.keyboard.press('Escape');

  // …and run anyway (the walkthrough's button) it says why, and writes nothing.
  await clickDevCertificateStep();
  await toast('Restricted Mode does not allow').waitFor({ timeout: 30_000 });
  assert.ok(!existsSync(join(WORKSPACE, DEV_FOLDER)), 'nothing written into the workspace');

  // The emulator profile's CAs are not loaded: the tree says why; nothing listens on the folder's port.
  const rows = await privateCaRows();
  await rows.filter({ hasText: /^Local emulator/ }).waitFor({ timeout: 60_000 });
  await rows.filter({ hasText: 'Restricted Mode does not start the local emulator' }).waitFor({ timeout: 60_000 });
  assert.equal(await listening(port), false, `nothing listens on the workspace's emulator port ${port}`);

  // The folder's values of the restricted settings are marked as not applied.
  await runCommand(page, 'Preferences: Open Workspace Settings');
  await page.locator('.settings-editor .search-container').first().click();
  await page.keyboard.type('ncloudPki.emulator.port');
  const item = page.locator('.settings-editor .setting-item-contents', { hasText: 'Emulator' }).first();
  await item.waitFor();
  await item.locator('.setting-item-workspace-trust', { hasText: 'Requires workspace trust' }).waitFor({ timeout: 30_000 });
  await screenshot(page, 'restricted-mode-settings');
  // Settings open in a modal editor, which keeps F1 from the palette: close it.
  await page.locator('[aria-label^="Close Modal Editor"]').first().click();
  await page.locator('.settings-editor').first().waitFor({ state: 'hidden' });
  assert.deepEqual(errors.filter((e) => /ncloud|ncp/i.test(e)), []);
});

test('trusting the folder brings back the emulator, the writing commands and the folder\'s settings without a reload', async () => {
  // The refusal's button leads to the trust editor; trusting there is all it takes.
  await clickDevCertificateStep();
  await toast('Restricted Mode does not allow').locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).click();
  const trustEditor = page.locator('.workspace-trust-editor');
  await trustEditor.waitFor({ timeout: 30_000 });
  await screenshot(page, 'restricted-mode-trust-editor');
  await trustEditor.locator('.monaco-button', { hasText: /^Trust$/ }).first().click();
  await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ state: 'hidden', timeout: 30_000 });

  // The tree loads the emulator, started on the folder's port.
  const rows = await privateCaRows();
  await rows.filter({ hasText: 'No CAs yet' }).waitFor({ timeout: 60_000 });
  assert.equal(await listening(port), true, `the emulator listens on the workspace's port ${port}`);

  // The dev certificate goes where the folder's settings say.
  await clickDevCertificateStep();
  await toast('has no active CA').locator('.monaco-button', { hasText: 'Create a Dev Root CA' }).click();
  await page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Add to .gitignore' }).click({ timeout: 60_000 });
  const deadline = Date.now() + 60_000;
  // The key's .gitignore line is written after the files.
  while (!existsSync(join(WORKSPACE, '.gitignore')) && Date.now() < deadline) {
    await page.waitForTimeout(200);
  }
  for (const f of ['cert.pem', 'key.pem', 'chain.pem']) {
    assert.ok(existsSync(join(WORKSPACE, DEV_FOLDER, f)), f);
  }
  assert.match(readFileSync(join(WORKSPACE, '.gitignore'), 'utf8'), new RegExp(`^${DEV_FOLDER}/key\\.pem$`, 'm'));
  assert.deepEqual(errors.filter((e) => /ncloud|ncp/i.test(e)), []);
});
