// A pass of the language server that started under the known CAs of before must not publish after
// the pass that new CAs scheduled: what the old CRL said would overwrite what the new one says. A
// workspace/diagnostic pull that the CAs changed under answers from the CAs of after.
// The first pass is kept busy by decoys (CAs of the same name and key id whose key does not verify
// the certificate, each checked in turn); the order of events is driven by what the server
// answers, not by sleeping.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { InventoryNotification, KnownIssuer, StatsRequest } from '../../../src/language/protocol';
import { decodeBlock, scanPem } from '../../../src/pki';
import { makeCert } from '../cli/certs';
import { LspClient, type Diagnostic, type PublishDiagnostics } from './lsp';

const DECOYS = 1500;
let lsp: LspClient;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cas-race-'));
  lsp = new LspClient();
  await lsp.initialize({ debounceMs: 0 });
});

after(async () => {
  assert.equal(await lsp.stop(), 0);
  rmSync(dir, { recursive: true, force: true });
});

/** A CA and a certificate it issued, and decoys: CAs of the same name and key id with another key. */
async function race() {
  const ca = await makeCert({ cn: 'Race CA', ca: true, to: 3650 });
  const leaf = await makeCert({ cn: 'race.test', dns: ['race.test'], issuer: ca, to: 300 });
  const c = decodeBlock(scanPem(ca.pem)[0]);
  const l = decodeBlock(scanPem(leaf.pem)[0]);
  assert.ok(c.kind === 'certificate' && c.subjectKeyId && l.kind === 'certificate');
  // A CA of the same name and key id, with another key (a re-created dev root, as the server sees it).
  const decoy = join(dir, 'decoy.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'decoy.key'), '-subj', '/CN=Race CA', '-addext', `subjectKeyIdentifier=${c.subjectKeyId}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-days', '30', '-out', decoy], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const decoyPem = readFileSync(decoy, 'utf8');
  const d = decodeBlock(scanPem(decoyPem)[0]);
  assert.ok(d.kind === 'certificate');
  assert.deepEqual([d.subject, d.subjectKeyId], [c.subject, c.subjectKeyId], 'the decoy has the CA\'s name and key id');
  const real: KnownIssuer = { subject: c.subject, keyId: c.subjectKeyId, profile: 'p1', caTag: 'race', alias: 'race-ca', certPem: ca.pem };
  const decoys = (n: number): KnownIssuer[] => Array.from({ length: n }, (_, i) => ({ ...real, caTag: `decoy-${i}`, alias: `decoy-${i}`, certPem: decoyPem }));
  const now = new Date().toISOString();
  const oldCrl = { revoked: [], thisUpdate: now };
  const newCrl = { revoked: [{ serial: l.serialNumber, date: now }], thisUpdate: now };
  return { leaf, real, decoys, oldCrl, newCrl };
}

test('known CAs: a pass started before a new CRL arrived does not publish after the pass the new CRL scheduled', async () => {
  const { leaf, real, decoys, oldCrl, newCrl } = await race();
  const uri = 'file:///work/app/race.pem';
  const codes = (p: PublishDiagnostics) => p.diagnostics.map((x) => x.code).join(',');
  const published = (since: number) => lsp.notifications.slice(since).filter((n) => n.method === 'textDocument/publishDiagnostics' && (n.params as PublishDiagnostics).uri === uri).map((n) => codes(n.params as PublishDiagnostics));

  // The old CRL (nothing revoked), behind the decoys: the first pass checks every decoy before the CA.
  lsp.notify('ncloudPki/knownIssuers', { issuers: [...decoys(DECOYS), { ...real, crl: oldCrl }] });
  const since = lsp.notifications.length;
  lsp.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'pem', version: 1, text: leaf.pem } });
  // The first pass has decoded the document (it is in the cache): it is now checking decoys.
  while ((await lsp.request<StatsRequest.Result>('ncloudPki/stats', {})).cacheEntries === 0) {
    // another round trip
  }
  assert.deepEqual(published(since), [], 'the first pass is still running when the new CRL arrives (more decoys are needed)');
  // The new CRL revokes the certificate; the pass it schedules has no decoys to check.
  lsp.notify('ncloudPki/knownIssuers', { issuers: [{ ...real, crl: newCrl }] });
  assert.equal(codes(await lsp.waitFor<PublishDiagnostics>('textDocument/publishDiagnostics', (p) => p.uri === uri, since)), 'revoked');
  // A last change with twice the decoys: its pass ends after the first one would have (both check
  // decoys in turn, the first had a head start), so everything published before its own is seen.
  const last = lsp.notifications.length;
  lsp.notify('ncloudPki/knownIssuers', { issuers: [...decoys(2 * DECOYS), { ...real, crl: newCrl }] });
  await lsp.waitFor<PublishDiagnostics>('textDocument/publishDiagnostics', (p) => p.uri === uri, last);
  assert.deepEqual(published(since), ['revoked', 'revoked'], 'what the old CRL said was published after the new CRL');
});

type Report = { kind: 'full' | 'unchanged'; uri: string; resultId: string; items?: Diagnostic[] };

test('workspace/diagnostic: a pull the known CAs changed under answers from the CAs of after; a file no CA issued stays unchanged', async () => {
  const { leaf, real, decoys, oldCrl, newCrl } = await race();
  const root = mkdtempSync(join(dir, 'pull-'));
  writeFileSync(join(root, 'race.pem'), leaf.pem);
  writeFileSync(join(root, 'other.pem'), (await makeCert({ cn: 'other.test', dns: ['other.test'], to: 300 })).pem);
  const url = (name: string) => pathToFileURL(join(root, name)).href;
  const pull = async (previous: Report[]) =>
    new Map((await lsp.request<{ items: Report[] }>('workspace/diagnostic', { previousResultIds: previous.map((p) => ({ uri: p.uri, value: p.resultId })) })).items.map((i) => [i.uri, i]));
  lsp.notify('ncloudPki/knownIssuers', { issuers: [{ ...real, crl: oldCrl }] });
  const since = lsp.notifications.length;
  lsp.notify('ncloudPki/inventoryStart', { roots: [root], exclude: [] });
  await lsp.waitFor<InventoryNotification.Params>('ncloudPki/inventory', (p) => p.done, since);
  const first = await pull([]);
  assert.deepEqual([...first.values()].map((r) => [r.uri, r.kind, r.items?.length]).sort(), [[url('other.pem'), 'full', 0], [url('race.pem'), 'full', 0]]);
  // Other CAs (decoys ahead of the CA, still the old CRL): the pull has to check every decoy for race.pem.
  lsp.notify('ncloudPki/knownIssuers', { issuers: [...decoys(DECOYS), { ...real, crl: oldCrl }] });
  const pulled = pull([...first.values()]);
  // Read after the pull began (messages are handled in order), while it checks decoys: the CRL that revokes race.pem.
  lsp.notify('ncloudPki/knownIssuers', { issuers: [{ ...real, crl: newCrl }] });
  const next = await pulled;
  assert.deepEqual(next.get(url('race.pem'))?.items?.map((d) => d.code), ['revoked'], 'the pull answered from the CAs it began with');
  assert.equal(next.get(url('other.pem'))?.kind, 'unchanged', 'a file no known CA issued costs nothing');
  // The pull was of the CAs as they are now: the next one has nothing new.
  assert.deepEqual([...(await pull([...next.values()])).values()].map((r) => r.kind), ['unchanged', 'unchanged']);
});
