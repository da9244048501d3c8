// The first-run race, replayed in a real VS Code: with `localEmulatorByDefault` the emulator profile
// is saved while both views already ask for its client. A profile change must never close a
// client the views are using. The client's creation is held, the profile changes, then it is
// released: both views must list, never show "Could not load".
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

interface TreeNode {
  item(): vscode.TreeItem;
}
interface Profile {
  id: string;
  name: string;
  kind: 'emulator' | 'ncp';
}
interface Api {
  testing: {
    tree: vscode.TreeDataProvider<TreeNode>;
    cmTree: vscode.TreeDataProvider<TreeNode>;
    profiles: { all(): Profile[]; save(p: Profile): Promise<void>; remove(id: string): Promise<void> };
    holdClients(): () => void;
  };
}

const EMULATOR: Profile = { id: 'emulator', name: 'Local emulator', kind: 'emulator' };
const label = (n: TreeNode) => String(n.item().label);

/** Asks `tree` for the profile's rows now; they arrive once the client's creation is released. */
async function ask(tree: vscode.TreeDataProvider<TreeNode>): Promise<{ rows: Promise<string[]> }> {
  const [profile] = (await tree.getChildren()) ?? [];
  assert.ok(profile, 'the emulator profile is shown');
  return { rows: Promise.resolve(tree.getChildren(profile)).then((kids) => (kids ?? []).map(label)) };
}

describe('first run: a profile change while the views get their client', function () {
  this.timeout(60_000);
  let api: Api;

  before(async () => {
    api = await vscode.extensions.getExtension<Api>('ncloud-pki.ncloud-pki')!.activate();
    assert.deepEqual(api.testing.profiles.all(), [], 'starts with no profile');
  });

  afterEach(async () => {
    await api.testing.profiles.remove('other');
    await api.testing.profiles.remove(EMULATOR.id);
  });

  for (const [what, change] of [
    ['the same profile saved again (what activation does)', () => api.testing.profiles.save(EMULATOR)],
    ['another profile added', () => api.testing.profiles.save({ id: 'other', name: 'Other', kind: 'ncp' })],
    ['this profile renamed (its client is replaced once its calls end)', () => api.testing.profiles.save({ ...EMULATOR, name: 'Emulator, renamed' })],
  ] as const) {
    it(`both views load: ${what}`, async () => {
      await api.testing.profiles.save(EMULATOR);
      const release = api.testing.holdClients();
      let pca: { rows: Promise<string[]> };
      let cm: { rows: Promise<string[]> };
      try {
        pca = await ask(api.testing.tree);
        cm = await ask(api.testing.cmTree);
        await change();
      } finally {
        release();
      }
      const [p, c] = await Promise.all([pca.rows, cm.rows]);
      for (const r of [...p, ...c]) {
        assert.doesNotMatch(r, /^Could not load/);
      }
      assert.ok(p.length > 0 && c.length > 0, `${p.join(', ')} | ${c.join(', ')}`);
    });
  }
});
