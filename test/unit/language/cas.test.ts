// What your CAs say, over stdio: the server told the CAs of a profile (as the extension tells it,
// with the CRL fetched from the emulator) reports revoked certificates, issuers that expire first
// and development CAs in production paths, and its quick fixes give a complete, ordered chain.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import type { KnownIssuer } from '../../../src/language/protocol';
import { decodeBlock, scanPem } from '../../../src/pki';
import { makeCert } from '../cli/certs';
import { harness, rootAndSub, type Harness } from '../ncloud/helpers';
import { LspClient, type Diagnostic } from './lsp';

interface Action {
  title: string;
  isPreferred?: boolean;
  command?: { command: string; arguments: unknown[] };
  edit?: { changes: Record<string, { range: Diagnostic['range']; newText: string }[]> };
}

const codes = (ds: Diagnostic[]) => ds.map((d) => d.code).sort();

/** A KnownIssuer as the extension builds it (src/extension/knownCas.ts) from NCP's answers. */
async function known(h: Harness, caTag: string, extra: Partial<KnownIssuer> = {}): Promise<KnownIssuer> {
  const ca = await h.client.pca.getCa(caTag);
  const cert = decodeBlock(scanPem(ca.caCertInfo!.certPem)[0]);
  assert.equal(cert.kind, 'certificate');
  const crl = decodeBlock(scanPem(await h.client.pca.getCrl(caTag))[0]);
  assert.equal(crl.kind, 'crl');
  return {
    subject: cert.subject,
    ...(cert.subjectKeyId ? { keyId: cert.subjectKeyId } : {}),
    profile: 'emulator',
    profileName: 'Local emulator',
    caTag,
    alias: ca.caInfo.alias,
    certPem: ca.caCertInfo!.certPem,
    chainPem: ca.caCertInfo!.chainPem,
    crl: { revoked: crl.entries.map((e) => ({ serial: e.serialNumber, date: e.revocationDate })), thisUpdate: crl.thisUpdate, ...(crl.nextUpdate ? { nextUpdate: crl.nextUpdate } : {}) },
    ...extra,
  };
}

/** Applies LSP text edits (non-overlapping) to `text`. */
function apply(text: string, edits: { range: Diagnostic['range']; newText: string }[]): string {
  const offset = (p: { line: number; character: number }) => {
    const lines = text.split('\n');
    return lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  };
  return [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start)).reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

/** The CNs of the certificates of `text`, in order, each checked to be signed by the next (the last self-signed). */
function chainOf(text: string): string[] {
  const certs = scanPem(text)
    .filter((b) => b.label === 'CERTIFICATE')
    .map((b) => new X509Certificate(Buffer.from(b.der!)));
  certs.forEach((c, i) => assert.ok(c.verify((certs[i + 1] ?? c).publicKey), `${c.subject} is signed by the next certificate`));
  return certs.map((c) => /CN=([^\n]+)/.exec(c.subject)![1]);
}

let h: Harness;
let lsp: LspClient;
let sub: string;
let leafPem: string;
let rootPem: string;
let subCa: KnownIssuer;

before(async () => {
  h = await harness();
  const cas = await rootAndSub(h.client, 'K');
  sub = cas.sub.caInfo.caTag;
  rootPem = (await h.client.pca.getCa(cas.root.caInfo.caTag)).caCertInfo!.certPem;
  const issued = await h.client.pca.issueCert(sub, { keyType: 'EC256', x509Parameters: { commonName: 'revoked.test', altName: 'revoked.test' } });
  leafPem = issued.certificate;
  // Revoked through the API, as "Revoke" does; the CRL fetched after it lists the serial.
  await h.client.pca.revokeCert(sub, issued.serialNo);
  subCa = await known(h, sub);
  assert.equal(subCa.crl!.revoked.length, 1);
  lsp = new LspClient();
  await lsp.initialize({ debounceMs: 0 });
});

after(async () => {
  assert.equal(await lsp.stop(), 0);
  await h.close();
});

test('known CAs: a certificate its CA\'s CRL lists is reported revoked once the server knows the CA; unknown before', async () => {
  const uri = 'file:///work/app/tls/revoked.pem';
  const before = await lsp.open(uri, leafPem);
  assert.deepEqual(codes(before.diagnostics), []);
  const since = lsp.notifications.length;
  lsp.notify('ncloudPki/knownIssuers', { issuers: [subCa] });
  const { diagnostics } = await lsp.diagnostics(uri, undefined, since);
  assert.deepEqual(codes(diagnostics), ['revoked']);
  const [d] = diagnostics;
  assert.equal(d.severity, 1);
  assert.match(d.message, /^Certificate "revoked\.test" is revoked: the CRL of CA "subK" lists serial [0-9a-f]+, revoked on \d{4}-/);
  assert.equal(d.codeDescription?.href.endsWith('#revoked'), true);
  // A CRL the extension could not fetch again (offline) still counts, and the message says so.
  const stale = lsp.notifications.length;
  lsp.notify('ncloudPki/knownIssuers', { issuers: [{ ...subCa, crl: { ...subCa.crl!, stale: true } }] });
  const again = await lsp.diagnostics(uri, undefined, stale);
  assert.match(again.diagnostics[0].message, /The CRL could not be fetched again: this is the one of /);
  lsp.notify('ncloudPki/knownIssuers', { issuers: [subCa] });
});

test('known CAs: the quick fixes of a revoked certificate: Reissue (the lens\'s command) and Replace with the full chain, which gives leaf → sub → root', async () => {
  const uri = 'file:///work/app/tls/fix.pem';
  const { diagnostics } = await lsp.open(uri, leafPem);
  assert.deepEqual(codes(diagnostics), ['revoked']);
  const actions = await lsp.request<Action[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics } });
  assert.deepEqual(
    actions.map((a) => a.title),
    ['Reissue from subK…', 'Replace with the full chain from subK'],
  );
  const reissue = actions[0];
  assert.equal(reissue.isPreferred, true);
  assert.equal(reissue.command?.command, 'ncloudPki.reissue');
  assert.deepEqual(reissue.command?.arguments, [{ uri, range: diagnostics[0].range, profile: 'emulator', caTag: sub, alias: 'subK' }]);
  const fixed = apply(leafPem, actions[1].edit!.changes[uri]);
  assert.deepEqual(chainOf(fixed), ['revoked.test', 'Test Sub K', 'Test Root K']);
  const after = await lsp.change(uri, 2, [{ text: fixed }]);
  assert.deepEqual(codes(after.diagnostics), ['revoked'], 'the chain lints clean; the leaf is still revoked');
  const none = await lsp.request<Action[]>('textDocument/codeAction', { textDocument: { uri }, range: after.diagnostics[0].range, context: { diagnostics: [] } });
  assert.deepEqual(
    none.map((a) => a.title),
    [],
    'nothing is missing any more',
  );
});

test('known CAs: a chain out of order and missing its intermediate is replaced by the full chain in order; with a key in the file the missing issuers go after the leaf', async () => {
  const uri = 'file:///work/app/tls/partial.pem';
  const text = `${rootPem.trim()}\n\n${leafPem.trim()}\n`;
  await lsp.open(uri, text);
  const leafLine = text.split('\n').findIndex((l, i) => i > 0 && l.startsWith('-----BEGIN CERTIFICATE-----'));
  const actions = await lsp.request<Action[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: leafLine + 1, character: 0 }, end: { line: leafLine + 1, character: 0 } }, context: { diagnostics: [] } });
  const full = actions.find((a) => a.title === 'Replace with the full chain from subK');
  assert.ok(full, actions.map((a) => a.title).join());
  const fixed = apply(text, full.edit!.changes[uri]);
  assert.deepEqual(chainOf(fixed), ['revoked.test', 'Test Sub K', 'Test Root K']);
  assert.ok(fixed.includes('\n\n'), 'keeps the separator the file used');

  const key = (await makeCert({ cn: 'other', to: 10 })).key.pkcs8.trim();
  const withKey = `${leafPem.trim()}\n${key}\n`;
  const keyUri = 'file:///work/app/tls/with-key.pem';
  await lsp.open(keyUri, withKey);
  const [insert] = (await lsp.request<Action[]>('textDocument/codeAction', { textDocument: { uri: keyUri }, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, context: { diagnostics: [] } })).filter((a) => a.edit);
  const inserted = apply(withKey, insert.edit!.changes[keyUri]);
  assert.deepEqual(chainOf(inserted), ['revoked.test', 'Test Sub K', 'Test Root K']);
  assert.ok(inserted.trimEnd().endsWith(key), 'the key stays, after the chain');
});

test('known CAs: an issuer that expires before the certificate is reported, naming it and its date', async () => {
  const ca = await makeCert({ cn: 'Short CA', ca: true, to: 10 });
  const leaf = await makeCert({ cn: 'outlives.test', dns: ['outlives.test'], issuer: ca, to: 60 });
  const fine = await makeCert({ cn: 'within.test', dns: ['within.test'], issuer: ca, to: 5 });
  const d = decodeBlock(scanPem(ca.pem)[0]);
  assert.equal(d.kind, 'certificate');
  const short: KnownIssuer = { subject: d.subject, ...(d.subjectKeyId ? { keyId: d.subjectKeyId } : {}), profile: 'p1', profileName: 'Team', caTag: 'short', alias: 'short-ca', certPem: ca.pem };
  const since = lsp.notifications.length;
  lsp.notify('ncloudPki/knownIssuers', { issuers: [subCa, short] });
  await lsp.diagnostics('file:///work/app/tls/fix.pem', undefined, since);
  const { diagnostics } = await lsp.open('file:///work/app/outlives.pem', leaf.pem);
  assert.deepEqual(codes(diagnostics), ['issuer-expires-first']);
  assert.equal(diagnostics[0].severity, 2);
  assert.match(diagnostics[0].message, /^Certificate "outlives\.test" is valid until \d{4}-.*, but its issuer "Short CA" expires on \d{4}-/);
  assert.deepEqual(codes((await lsp.open('file:///work/app/within.pem', fine.pem)).diagnostics), []);
  // A CA of the same name with another key did not issue it: nothing is said.
  const other = await makeCert({ cn: 'Short CA', ca: true, to: 10 });
  const od = decodeBlock(scanPem(other.pem)[0]);
  assert.equal(od.kind, 'certificate');
  const since2 = lsp.notifications.length;
  lsp.notify('ncloudPki/knownIssuers', { issuers: [subCa, { ...short, certPem: other.pem, ...(od.subjectKeyId ? { keyId: od.subjectKeyId } : {}) }] });
  assert.deepEqual(codes((await lsp.diagnostics('file:///work/app/outlives.pem', undefined, since2)).diagnostics), []);
  lsp.notify('ncloudPki/knownIssuers', { issuers: [subCa] });
});

test('known CAs: a development CA\'s certificate is reported where production configuration lives (ncloudPki.productionPaths), not elsewhere', async () => {
  const ca = await makeCert({ cn: 'Dev Root', ca: true, to: 3650 });
  const leaf = await makeCert({ cn: 'dev.test', dns: ['dev.test'], issuer: ca, to: 30 });
  const d = decodeBlock(scanPem(ca.pem)[0]);
  assert.equal(d.kind, 'certificate');
  const dev: KnownIssuer = { subject: d.subject, ...(d.subjectKeyId ? { keyId: d.subjectKeyId } : {}), profile: 'emulator', profileName: 'Local emulator', caTag: 'dev', alias: 'dev-root', certPem: ca.pem, development: true };
  lsp.notify('ncloudPki/knownIssuers', { issuers: [subCa, dev] });
  const prod = await lsp.open('file:///work/app/deploy/prod/tls.crt', leaf.pem);
  assert.deepEqual(codes(prod.diagnostics), ['development-ca']);
  assert.match(prod.diagnostics[0].message, /^Certificate "dev\.test" was issued by "dev-root", a development CA \(Local emulator\), but this file is where production configuration lives \(it matches "prod\/"\)\.$/);
  assert.deepEqual(codes((await lsp.open('file:///work/app/values.prod.yaml', leaf.pem, 'yaml')).diagnostics), ['development-ca']);
  assert.deepEqual(codes((await lsp.open('file:///work/app/deploy/staging/tls.crt', leaf.pem)).diagnostics), []);
  // The setting decides: staging/ becomes production, prod/ no longer is.
  const since = lsp.notifications.length;
  lsp.notify('workspace/didChangeConfiguration', { settings: { ncloudPki: { productionPaths: ['staging/'] } } });
  assert.deepEqual(codes((await lsp.diagnostics('file:///work/app/deploy/staging/tls.crt', undefined, since)).diagnostics), ['development-ca']);
  assert.deepEqual(codes((await lsp.diagnostics('file:///work/app/deploy/prod/tls.crt', undefined, since)).diagnostics), []);
  // The severity setting applies to these codes like any other.
  const off = lsp.notifications.length;
  lsp.notify('workspace/didChangeConfiguration', { settings: { ncloudPki: { productionPaths: ['staging/'], diagnostics: { severity: { 'development-ca': 'off' } } } } });
  assert.deepEqual(codes((await lsp.diagnostics('file:///work/app/deploy/staging/tls.crt', undefined, off)).diagnostics), []);
});

type Report = { kind: 'full' | 'unchanged'; uri: string; resultId: string; items?: Diagnostic[] };

test('known CAs in closed files: workspace/diagnostic reports "revoked" from the inventory, and a new CRL changes the result id of the files its CA issued only', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lsp-cas-'));
  try {
    const other = await h.client.pca.issueCert(sub, { keyType: 'EC256', x509Parameters: { commonName: 'later.test', altName: 'later.test' } });
    const unrelated = await makeCert({ cn: 'unrelated.test', dns: ['unrelated.test'], to: 300 });
    writeFileSync(join(dir, 'revoked.pem'), leafPem);
    writeFileSync(join(dir, 'later.pem'), other.certificate);
    writeFileSync(join(dir, 'unrelated.pem'), unrelated.pem);
    const url = (name: string) => pathToFileURL(join(dir, name)).href;
    lsp.notify('ncloudPki/knownIssuers', { issuers: [subCa] });
    const since = lsp.notifications.length;
    lsp.notify('ncloudPki/inventoryStart', { roots: [dir], exclude: [] });
    await lsp.waitFor<{ done: boolean }>('ncloudPki/inventory', (p) => p.done, since);
    const pull = async (previous: Report[] = []) =>
      new Map((await lsp.request<{ items: Report[] }>('workspace/diagnostic', { previousResultIds: previous.map((p) => ({ uri: p.uri, value: p.resultId })) })).items.map((i) => [i.uri, i]));
    const first = await pull();
    assert.deepEqual(codes(first.get(url('revoked.pem'))!.items!), ['revoked']);
    assert.match(first.get(url('revoked.pem'))!.items![0].message, /^Certificate "revoked\.test" is revoked: the CRL of CA "subK"/);
    assert.deepEqual(codes(first.get(url('later.pem'))!.items!), []);
    // Nothing changed: every file is unchanged (the CA findings are not worked out again).
    const same = await pull([...first.values()]);
    assert.deepEqual([...same.values()].map((r) => r.kind), ['unchanged', 'unchanged', 'unchanged']);
    // The same CAs told again (the extension refreshes them) change nothing either.
    lsp.notify('ncloudPki/knownIssuers', { issuers: [subCa] });
    assert.deepEqual([...(await pull([...first.values()])).values()].map((r) => r.kind), ['unchanged', 'unchanged', 'unchanged']);
    // Revoke the second certificate; the extension sends the new CRL.
    await h.client.pca.revokeCert(sub, other.serialNo);
    const newer = await known(h, sub);
    assert.equal(newer.crl!.revoked.length, 2);
    lsp.notify('ncloudPki/knownIssuers', { issuers: [newer] });
    const next = await pull([...first.values()]);
    assert.equal(next.get(url('later.pem'))!.kind, 'full');
    assert.notEqual(next.get(url('later.pem'))!.resultId, first.get(url('later.pem'))!.resultId);
    assert.deepEqual(codes(next.get(url('later.pem'))!.items!), ['revoked']);
    assert.match(next.get(url('later.pem'))!.items![0].message, /^Certificate "later\.test" is revoked/);
    assert.deepEqual(codes(next.get(url('revoked.pem'))!.items!), ['revoked']);
    assert.equal(next.get(url('unrelated.pem'))!.kind, 'unchanged', 'a file no known CA issued keeps its result id');
    subCa = newer;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('ncloudPki.developmentCas: a CA named there (by name or by id) is a development CA too; its certificates in production paths are reported, open or closed', async () => {
  const uri = 'file:///work/app/prod/sub.pem';
  const config = (ncloudPki: Record<string, unknown>) => {
    const since = lsp.notifications.length;
    lsp.notify('workspace/didChangeConfiguration', { settings: { ncloudPki: { productionPaths: ['prod/'], ...ncloudPki } } });
    return lsp.diagnostics(uri, undefined, since);
  };
  lsp.notify('ncloudPki/knownIssuers', { issuers: [subCa] });
  await lsp.open(uri, leafPem);
  assert.deepEqual(codes((await config({})).diagnostics), ['revoked'], 'subK is not a development CA by itself');
  const byName = await config({ developmentCas: ['subK'] });
  assert.deepEqual(codes(byName.diagnostics), ['development-ca', 'revoked']);
  assert.match(byName.diagnostics.find((d) => d.code === 'development-ca')!.message, /^Certificate "revoked\.test" was issued by "subK", a development CA \(Local emulator\), but this file is where production configuration lives \(it matches "prod\/"\)\.$/);
  assert.deepEqual(codes((await config({ developmentCas: [sub] })).diagnostics), ['development-ca', 'revoked'], 'by its id (caTag)');
  assert.deepEqual(codes((await config({ developmentCas: ['other-ca'] })).diagnostics), ['revoked']);
  // A closed file in a production folder, from the inventory.
  const dir = mkdtempSync(join(tmpdir(), 'lsp-devcas-'));
  try {
    mkdirSync(join(dir, 'prod'));
    writeFileSync(join(dir, 'prod/tls.crt'), leafPem);
    await config({ developmentCas: ['subK'] });
    const since = lsp.notifications.length;
    lsp.notify('ncloudPki/inventoryStart', { roots: [dir], exclude: [] });
    await lsp.waitFor<{ done: boolean }>('ncloudPki/inventory', (p) => p.done, since);
    const r = await lsp.request<{ items: Report[] }>('workspace/diagnostic', { previousResultIds: [] });
    assert.deepEqual(codes(r.items.find((i) => i.uri === pathToFileURL(join(dir, 'prod/tls.crt')).href)!.items!), ['development-ca', 'revoked']);
  } finally {
    await config({});
    rmSync(dir, { recursive: true, force: true });
  }
});

test('known CAs in the Certificates view: the rows of closed files carry revoked, issuer-expires-first and development-ca, and a new CRL sends again only the rows it changes', { timeout: 30_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lsp-rows-'));
  try {
    const shortCa = await makeCert({ cn: 'Rows Short CA', ca: true, to: 10 });
    const devCa = await makeCert({ cn: 'Rows Dev Root', ca: true, to: 3650 });
    const issuerOf = (pem: string, extra: Partial<KnownIssuer>): KnownIssuer => {
      const d = decodeBlock(scanPem(pem)[0]);
      assert.equal(d.kind, 'certificate');
      return { subject: d.subject, ...(d.subjectKeyId ? { keyId: d.subjectKeyId } : {}), profile: 'p1', caTag: String(extra.alias), alias: '', certPem: pem, ...extra };
    };
    const short = issuerOf(shortCa.pem, { alias: 'rows-short' });
    const dev = issuerOf(devCa.pem, { alias: 'rows-dev', development: true });
    const fresh = await h.client.pca.issueCert(sub, { keyType: 'EC256', x509Parameters: { commonName: 'fresh.test', altName: 'fresh.test' } });
    mkdirSync(join(dir, 'prod'));
    writeFileSync(join(dir, 'revoked.pem'), leafPem);
    writeFileSync(join(dir, 'outlives.pem'), (await makeCert({ cn: 'outlives.test', dns: ['outlives.test'], issuer: shortCa, to: 60 })).pem);
    writeFileSync(join(dir, 'prod/dev.pem'), (await makeCert({ cn: 'dev.test', dns: ['dev.test'], issuer: devCa, to: 30 })).pem);
    writeFileSync(join(dir, 'fresh.pem'), fresh.certificate);
    writeFileSync(join(dir, 'unrelated.pem'), (await makeCert({ cn: 'unrelated.test', dns: ['unrelated.test'], to: 300 })).pem);
    const name = (uri: string) => uri.slice(pathToFileURL(dir).href.length + 1);
    /** The rows as the client keeps them (each message replaces its files' rows): file → its findings, "code/severity". */
    const rows = (since: number) => {
      const out = new Map<string, string[]>();
      for (const n of lsp.notifications.slice(since).filter((x) => x.method === 'ncloudPki/inventory')) {
        for (const f of (n.params as { files: { uri: string; entries: { findings: { code: string; severity: string }[] }[] }[] }).files.filter((x) => x.uri.startsWith(`${pathToFileURL(dir).href}/`))) {
          out.set(name(f.uri), f.entries.flatMap((e) => e.findings.map((x) => `${x.code}/${x.severity}`)));
        }
      }
      return out;
    };
    const until = async (since: number, ready: (r: Map<string, string[]>) => boolean) => {
      await lsp.waitFor('ncloudPki/inventory', () => ready(rows(since)), since);
      return rows(since);
    };
    lsp.notify('ncloudPki/knownIssuers', { issuers: [subCa, short, dev] });
    const since = lsp.notifications.length;
    lsp.notify('ncloudPki/inventoryStart', { roots: [dir], exclude: [] });
    const first = await until(since, (r) => r.get('revoked.pem')?.includes('revoked/error') === true && r.get('outlives.pem')?.length === 1 && r.get('prod/dev.pem')?.length === 1);
    assert.deepEqual(Object.fromEntries([...first].sort()), {
      'fresh.pem': [],
      'outlives.pem': ['issuer-expires-first/warning'],
      'prod/dev.pem': ['development-ca/warning'],
      'revoked.pem': ['revoked/error'],
      'unrelated.pem': [],
    });
    // The CA revokes fresh.test; the extension sends the new CRL: that row changes, and only it is sent.
    await h.client.pca.revokeCert(sub, fresh.serialNo);
    const newer = await known(h, sub);
    const next = lsp.notifications.length;
    lsp.notify('ncloudPki/knownIssuers', { issuers: [newer, short, dev] });
    const after = await until(next, (r) => r.has('fresh.pem'));
    assert.deepEqual(Object.fromEntries(after), { 'fresh.pem': ['revoked/error'] });
    subCa = newer;
  } finally {
    lsp.notify('ncloudPki/knownIssuers', { issuers: [subCa] });
    rmSync(dir, { recursive: true, force: true });
  }
});
