// NCP's contract from inside a real VS Code: the setting `ncloudPki.recordTraffic` records what the
// extension sends and receives, with no key in it. Leaves no profile and no setting behind.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ScriptedPrompter } from '../../src/extension/ui';
import type { DoctorReport } from '../../src/ncloud';

interface Api {
  testing: {
    profiles: { all(): { id: string }[]; remove(id: string): Promise<void> };
    setPrompter(p: ScriptedPrompter | undefined): void;
  };
}

describe('NCP contract in VS Code: recording traffic', function () {
  this.timeout(120_000);
  let api: Api;
  let dir: string;
  const config = () => vscode.workspace.getConfiguration('ncloudPki');

  before(async () => {
    api = await vscode.extensions.getExtension<Api>('ncloud-pki.ncloud-pki')!.activate();
    dir = mkdtempSync(path.join(tmpdir(), 'it-record-'));
  });

  after(async () => {
    await config().update('recordTraffic', undefined, vscode.ConfigurationTarget.Global);
    await api.testing.profiles.remove('emulator');
    rmSync(dir, { recursive: true, force: true });
  });

  it('ncloudPki.recordTraffic: Test Connection\'s requests land in the folder as JSON, from the emulator, without keys', async () => {
    const rec = path.join(dir, 'rec');
    await config().update('recordTraffic', rec, vscode.ConfigurationTarget.Global);
    if (!api.testing.profiles.all().some((p) => p.id === 'emulator')) {
      await vscode.commands.executeCommand('ncloudPki.useEmulator');
    }
    api.testing.setPrompter(new ScriptedPrompter([]));
    let report: DoctorReport | undefined;
    try {
      report = await vscode.commands.executeCommand<DoctorReport>('ncloudPki.testConnection', { profile: 'emulator' });
    } finally {
      api.testing.setPrompter(undefined);
    }
    assert.equal(report?.ok, true, JSON.stringify(report));
    const files = readdirSync(rec).sort();
    assert.deepEqual(files.map((f) => f.replace(/^.*-\d{3}-/, '')), ['listCas.json', 'cmList.json']);
    for (const f of files) {
      const text = readFileSync(path.join(rec, f), 'utf8');
      const x = JSON.parse(text) as { from: string; response: { status: number } };
      assert.equal(x.from, 'emulator');
      assert.equal(x.response.status, 200);
      assert.doesNotMatch(text, /EMULATOR-ACCESS-KEY|EMULATOR-SECRET-KEY|signature-v2|PRIVATE KEY-----/);
      assert.equal(statSync(path.join(rec, f)).mode & 0o777, 0o600);
    }
    // Off again: nothing more is written.
    await config().update('recordTraffic', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('ncloudPki.testConnection', { profile: 'emulator' });
    assert.equal(readdirSync(rec).length, 2);
  });
});
