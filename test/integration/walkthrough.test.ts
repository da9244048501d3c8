// The getting-started walkthrough in a real VS Code: it is contributed, it opens, and the real
// flows (a profile, a CA, a dev certificate, the inspector) set the context keys its steps
// complete on.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Prompter } from '../../src/extension/ui';
import { WALKTHROUGH_CONTEXT } from '../../src/extension/keys';

type Step = keyof typeof WALKTHROUGH_CONTEXT;
interface Api {
  testing: {
    setPrompter(p: Prompter | undefined): void;
    walkthrough: { onDidMark: vscode.Event<Step> };
  };
}

const ID = 'ncloud-pki.ncloud-pki';

/** Answers the flows' questions: the wizard's inputs in order, the CA `ca` when asked which, yes to confirmations, no to offers. */
function prompter(inputs: string[], ca: string): Prompter {
  return {
    input: async (o) => {
      const a = inputs.shift();
      assert.ok(a !== undefined, `unexpected question "${o.prompt}"`);
      assert.equal(await o.validateInput?.(a), undefined, `answer "${a}" to "${o.prompt}"`);
      return a;
    },
    pick: async (items) => items.find((i) => i.label === ca) ?? items[0],
    confirm: async () => true,
    choose: async () => undefined,
    openFile: async () => undefined,
    saveFile: async () => undefined,
  };
}

describe('getting-started walkthrough in a real VS Code', function () {
  this.timeout(120_000);
  let api: Api;

  before(async () => {
    api = await vscode.extensions.getExtension<Api>(ID)!.activate();
  });

  it('is contributed with its five steps and opens', async () => {
    const pkg = vscode.extensions.getExtension(ID)!.packageJSON as { contributes: { walkthroughs: { id: string; title: string; steps: { id: string }[] }[] } };
    const [w] = pkg.contributes.walkthroughs;
    assert.equal(w.title, 'Get Started with NCP Private CA');
    assert.equal(w.id, 'gettingStarted');
    assert.deepEqual(w.steps.map((s) => s.id), ['profile', 'ca', 'devCertificate', 'inspect', 'trust']);
    // The walkthrough opens in the Welcome editor (the UI tier checks what it shows: walkthrough.fresh.test.ts).
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${ID}#gettingStarted`, false);
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
    for (let i = 0; i < 50 && !tabs().includes('Welcome'); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(tabs(), ['Welcome']);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the real flows set the keys its steps complete on: profile, CA, dev certificate, inspector', async () => {
    const seen: Step[] = [];
    const sub = api.testing.walkthrough.onDidMark((s) => seen.push(s));
    const config = vscode.workspace.getConfiguration('ncloudPki');
    await config.update('devCertificate.folder', 'certs-walkthrough', vscode.ConfigurationTarget.Workspace);
    try {
      await vscode.commands.executeCommand('ncloudPki.useEmulator');
      assert.ok(seen.includes('profile'), seen.join());
      seen.length = 0;
      api.testing.setPrompter(prompter(['wt-root', '3650', 'Walkthrough Root', '', 'KR'], 'wt-root'));
      // The key type is a pick: the prompter takes the first (EC256).
      await vscode.commands.executeCommand('ncloudPki.createRootCa');
      assert.ok(seen.includes('ca'), seen.join());
      seen.length = 0;
      const folder = await vscode.commands.executeCommand<vscode.Uri>('ncloudPki.issueDevCertificate');
      assert.ok(folder && seen.includes('devCertificate'), seen.join());
      assert.ok(!seen.includes('inspect'));
      const cert = vscode.Uri.file(path.join(folder.fsPath, 'cert.pem'));
      assert.match(readFileSync(cert.fsPath, 'utf8'), /BEGIN CERTIFICATE/);
      const rendered = new Promise<void>((resolve) => {
        const s = api.testing.walkthrough.onDidMark((step) => step === 'inspect' && (s.dispose(), resolve()));
      });
      await vscode.commands.executeCommand('ncloudPki.inspect', cert);
      await rendered;
      assert.ok(seen.includes('inspect'), seen.join());
    } finally {
      sub.dispose();
      api.testing.setPrompter(undefined);
      await config.update('devCertificate.folder', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});
