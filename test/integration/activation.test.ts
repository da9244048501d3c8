import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SETTING_DEFAULTS } from '../../src/extension/keys';

const EXTENSION_ID = 'ncloud-pki.ncloud-pki';

describe('extension in a real VS Code', () => {
  it('is present and activates', async () => {
    const ext = vscode.extensions.getExtension<{ testing: { activationMs: number } }>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    const wasActive = ext.isActive;
    const t = performance.now();
    const api = await ext.activate();
    const total = performance.now() - t;
    assert.equal(ext.isActive, true);
    console.log(`[activation] activate() ${api.testing.activationMs.toFixed(1)} ms${wasActive ? '' : `; load + activate as seen by the host ${total.toFixed(1)} ms`} in VS Code ${vscode.version}`);
  });

  it('registers its commands', async () => {
    const all = await vscode.commands.getCommands(true);
    const contributed: { command: string }[] = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.commands;
    for (const { command } of contributed) {
      assert.ok(all.includes(command), `${command} is contributed but not registered`);
    }
  });

  it('contributes the NCP PKI container and its Private CA view, which can be opened', async () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    assert.equal(pkg.contributes.viewsContainers.activitybar[0].id, 'ncloudPki');
    assert.ok(pkg.contributes.views.ncloudPki.some((v: { id: string }) => v.id === 'ncloudPki.privateCa'));
    // The workbench creates `<viewId>.focus` for every registered view; running it opens the view.
    await vscode.commands.executeCommand('ncloudPki.privateCa.focus');
  });

  it('reads each setting with the default package.json declares', () => {
    const config = vscode.workspace.getConfiguration('ncloudPki');
    for (const [key, value] of Object.entries(SETTING_DEFAULTS)) {
      assert.deepEqual(config.inspect(key)?.defaultValue, value, `ncloudPki.${key}`);
    }
  });

  it('shows its log when asked', async () => {
    await vscode.commands.executeCommand('ncloudPki.showLog');
  });
});
