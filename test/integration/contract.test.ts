// NCP's contract from inside a real VS Code: the setting `ncloudPki.recordTraffic` records what the
// extension sends and receives, with no key in it; "Set Local Emulator Clock…" moves the emulator's
// PKI clock. Leaves no profile, CA, clock offset or setting behind.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DEFAULT_CREDENTIALS } from '../../src/emulator';
import { ScriptedPrompter, type Answer } from '../../src/extension/ui';
import { createClient, type DoctorReport } from '../../src/ncloud';

interface TreeNode {
  item(): vscode.TreeItem;
}

interface Api {
  testing: {
    tree: vscode.TreeDataProvider<TreeNode>;
    cmTree: vscode.TreeDataProvider<TreeNode>;
    profiles: { all(): { id: string }[]; remove(id: string): Promise<void> };
    setPrompter(p: ScriptedPrompter | undefined): void;
    emulatorUrl(): Promise<string>;
  };
}

const DAY = 86_400_000;

describe('NCP contract in VS Code: recording traffic, the local emulator clock', function () {
  this.timeout(120_000);
  let api: Api;
  let dir: string;
  const config = () => vscode.workspace.getConfiguration('ncloudPki');

  before(async () => {
    api = await vscode.extensions.getExtension<Api>('ncloud-pki.ncloud-pki')!.activate();
    dir = mkdtempSync(path.join(tmpdir(), 'it-record-'));
  });

  /** Runs a command with scripted answers; every answer must be used. */
  async function run<T>(command: string, answers: Answer[]): Promise<T> {
    const p = new ScriptedPrompter(answers);
    api.testing.setPrompter(p);
    try {
      const result = await vscode.commands.executeCommand<T>(command);
      assert.equal(p.remaining, 0, `${command} left answers unused; it asked: ${p.asked.join(' | ')}`);
      return result;
    } finally {
      api.testing.setPrompter(undefined);
    }
  }

  /** Sets ncloudPki.recordTraffic and waits until the extension host sees the new value. */
  async function setRecording(value: string | undefined): Promise<void> {
    await config().update('recordTraffic', value, vscode.ConfigurationTarget.Global);
    while (config().get<string>('recordTraffic') !== (value ?? '')) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async function useEmulator(): Promise<void> {
    if (!api.testing.profiles.all().some((p) => p.id === 'emulator')) {
      await vscode.commands.executeCommand('ncloudPki.useEmulator');
    }
  }

  after(async () => {
    await setRecording(undefined);
    await api.testing.profiles.remove('emulator');
    rmSync(dir, { recursive: true, force: true });
  });

  it('ncloudPki.recordTraffic: Test Connection\'s requests land in the folder as JSON, from the emulator, without keys', async () => {
    const rec = path.join(dir, 'rec');
    await useEmulator();
    // Both views load first, so the only requests while recording are Test Connection's.
    for (const tree of [api.testing.tree, api.testing.cmTree]) {
      const [profile] = (await tree.getChildren()) ?? [];
      await tree.getChildren(profile);
    }
    await setRecording(rec);
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
    await setRecording(undefined);
    await vscode.commands.executeCommand('ncloudPki.testConnection', { profile: 'emulator' });
    assert.equal(readdirSync(rec).length, 2);
  });

  it('Set Local Emulator Clock…: a root CA made 3645 days in the past expires in 5 days in the tree; back on real time, 10 years', async () => {
    await useEmulator();
    const url = await api.testing.emulatorUrl();
    const client = createClient({ target: { endpoint: url }, credentials: DEFAULT_CREDENTIALS });
    const made: string[] = [];
    try {
      // A malformed duration is refused by the input box's validation, as the user sees it.
      await assert.rejects(run('ncloudPki.setEmulatorClock', ['ten years ago']), /A duration such as -400d/);
      assert.equal(await run<number>('ncloudPki.setEmulatorClock', ['-3645d']), -3645 * DAY);
      const clock = (await (await fetch(`${url}/_emulator/clock`)).json()) as { offsetMs: number };
      assert.equal(clock.offsetMs, -3645 * DAY, 'the emulator answers with the moved clock');
      for (const [alias, offset] of [['clockpast', '-3645d'], ['clocknow', '0']] as const) {
        await run('ncloudPki.setEmulatorClock', [offset]);
        const ca = await run<{ caInfo: { caTag: string } }>('ncloudPki.createRootCa', [alias, 'EC256', '3650', `Clock ${alias}`, '', 'KR']);
        made.push(ca.caInfo.caTag);
      }
      const [profile] = (await api.testing.tree.getChildren()) ?? [];
      const kids = (await api.testing.tree.getChildren(profile)) ?? [];
      const description = (alias: string) => String(kids.find((k) => String(k.item().label) === alias)?.item().description ?? '');
      assert.match(description('clockpast'), /expires in [4-5] days/);
      assert.match(description('clocknow'), /expires in 36\d\d days/);
    } finally {
      await run('ncloudPki.setEmulatorClock', ['0']);
      for (const tag of made) {
        await client.pca.updateCa(tag, { status: 'DESTROYING' });
        await client.pca.deleteCa(tag);
      }
      await client.close();
    }
  });
});
