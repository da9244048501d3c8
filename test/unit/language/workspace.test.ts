// The language server's workspace inventory and LSP 3.17 workspace diagnostics, over stdio as any
// editor runs it: what is indexed (with .gitignore and excludes honoured), result ids that make
// unchanged files `unchanged`, and a changed, a deleted and an opened file.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import type { InventoryNotification } from '../../../src/language/protocol';
import { fixture } from '../pki/helpers';
import { LspClient, type Diagnostic } from './lsp';

type Report = { kind: 'full' | 'unchanged'; uri: string; resultId: string; items?: Diagnostic[] };

let lsp: LspClient;
let dir: string;
const url = (rel: string) => pathToFileURL(join(dir, rel)).href;

async function pull(previous: Report[] = []): Promise<Map<string, Report>> {
  const r = await lsp.request<{ items: Report[] }>('workspace/diagnostic', { previousResultIds: previous.map((p) => ({ uri: p.uri, value: p.resultId })) });
  return new Map(r.items.map((i) => [i.uri, i]));
}

function inventoryAfter(since: number, match: (p: InventoryNotification.Params) => boolean): Promise<InventoryNotification.Params> {
  return lsp.waitFor<InventoryNotification.Params>('ncloudPki/inventory', match, since);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lsp-workspace-'));
  for (const d of ['certs', 'secret', 'node_modules/pkg', 'docs']) {
    mkdirSync(join(dir, d), { recursive: true });
  }
  writeFileSync(join(dir, '.gitignore'), 'secret/\n');
  writeFileSync(join(dir, 'certs/expired.crt'), fixture('expired.crt'));
  writeFileSync(join(dir, 'certs/chain.pem'), fixture('chain.pem'));
  writeFileSync(join(dir, 'deploy.yaml'), fixture('k8s.yaml'));
  writeFileSync(join(dir, 'secret/expired.crt'), fixture('expired.crt'));
  writeFileSync(join(dir, 'node_modules/pkg/ca.pem'), fixture('chain.pem'));
  writeFileSync(join(dir, 'docs/README.md'), '# no certificates here\n');
  lsp = new LspClient();
  await lsp.initialize({ debounceMs: 0 });
});

after(async () => {
  assert.equal(await lsp.stop(), 0);
  rmSync(dir, { recursive: true, force: true });
});

let first: Map<string, Report>;

test('workspace: the inventory holds every block of the tree, leaving out .gitignore and excludes', async () => {
  const since = lsp.notifications.length;
  lsp.notify('ncloudPki/inventoryStart', { roots: [dir], exclude: ['node_modules/'] });
  const seen = new Map<string, number>();
  for (let n = since; ; ) {
    const p = await inventoryAfter(n, () => true);
    n = lsp.notifications.findIndex((x, i) => i >= n && x.params === p) + 1;
    for (const f of p.files) {
      seen.set(f.uri, f.entries.length);
    }
    if (p.done) {
      assert.equal(p.scanned, p.total);
      break;
    }
  }
  assert.deepEqual([...seen].sort(), [
    [url('certs/chain.pem'), 3],
    [url('certs/expired.crt'), 1],
    [url('deploy.yaml'), 3],
  ]);
});

test('workspace/diagnostic: full reports first, then unchanged ones by result id', async () => {
  first = await pull();
  assert.deepEqual([...first.keys()].sort(), [url('certs/chain.pem'), url('certs/expired.crt'), url('deploy.yaml')]);
  assert.deepEqual(first.get(url('certs/expired.crt'))!.items!.map((d) => d.code), ['expired']);
  assert.equal(first.get(url('certs/expired.crt'))!.items![0].source, 'ncloud-pki');
  assert.ok([...first.values()].every((r) => r.kind === 'full' && r.resultId));
  const again = await pull([...first.values()]);
  assert.deepEqual([...again.values()].map((r) => r.kind), ['unchanged', 'unchanged', 'unchanged']);
});

test('workspace: a changed file and a deleted file are reported again; the rest stays unchanged', async () => {
  writeFileSync(join(dir, 'certs/expired.crt'), fixture('chain.pem'));
  let since = lsp.notifications.length;
  lsp.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: url('certs/expired.crt'), type: 2 }] });
  const changed = await inventoryAfter(since, (p) => p.files.some((f) => f.uri === url('certs/expired.crt')));
  assert.equal(changed.files[0].entries.length, 3);
  let now = await pull([...first.values()]);
  assert.equal(now.get(url('certs/expired.crt'))!.kind, 'full');
  assert.deepEqual(now.get(url('certs/expired.crt'))!.items, []);
  assert.equal(now.get(url('certs/chain.pem'))!.kind, 'unchanged');

  rmSync(join(dir, 'certs/chain.pem'));
  since = lsp.notifications.length;
  lsp.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: url('certs/chain.pem'), type: 3 }] });
  const deleted = await inventoryAfter(since, (p) => p.files.some((f) => f.uri === url('certs/chain.pem')));
  assert.deepEqual(deleted.files[0].entries, []);
  now = await pull([...now.values()]);
  assert.equal(now.get(url('certs/chain.pem'))!.kind, 'full');
  assert.deepEqual(now.get(url('certs/chain.pem'))!.items, []);
  // Reported empty once; then it is gone from the reports.
  assert.equal((await pull([...now.values()])).has(url('certs/chain.pem')), false);

  // A new folder's event does not drop what is under it (its files come with events of their own).
  since = lsp.notifications.length;
  lsp.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: url('certs'), type: 1 }] });
  await pull(); // answered after the notification was handled
  assert.deepEqual(lsp.notifications.slice(since).filter((n) => n.method === 'ncloudPki/inventory'), []);

  // A file created under an ignored folder stays out.
  writeFileSync(join(dir, 'secret/new.pem'), fixture('chain.pem'));
  lsp.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: url('secret/new.pem'), type: 1 }] });
  assert.equal((await pull()).has(url('secret/new.pem')), false);
});

test('workspace/diagnostic leaves out a document the editor has open (its diagnostics are pushed); textDocument/diagnostic answers it with the pushed ones, for editors that only pull', async () => {
  await lsp.open(url('deploy.yaml'), fixture('k8s.yaml'), 'yaml');
  const r = await pull();
  assert.equal(r.has(url('deploy.yaml')), false);
  assert.equal(r.has(url('certs/expired.crt')), true);
  const uri = url('certs/old.crt');
  const pushed = await lsp.open(uri, fixture('expired.crt'));
  assert.deepEqual(pushed.diagnostics.map((d) => d.code), ['expired']);
  const doc = await lsp.request<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
  assert.deepEqual(doc, { kind: 'full', items: pushed.diagnostics });
  // Edited, a pull answers the new text's diagnostics (it waits for the pass), as the push does.
  const since = lsp.notifications.length;
  lsp.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixture('chain.pem') }] });
  const pulled = await lsp.request<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
  assert.deepEqual(pulled, { kind: 'full', items: (await lsp.diagnostics(uri, 2, since)).diagnostics });
  // Not open: nothing (workspace/diagnostic covers closed files).
  assert.deepEqual(await lsp.request('textDocument/diagnostic', { textDocument: { uri: url('certs/none.crt') } }), { kind: 'full', items: [] });
});
