// The PEM language server over stdio, as any editor would run it: `node dist/server.js --stdio`.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, test } from 'node:test';
import { issue, newKey, newSerial } from '../../../src/emulator/issuer';
import { findingHref } from '../../../src/pki/findings';
import { scanPem } from '../../../src/pki/pem';
import { fixture } from '../pki/helpers';
import { LspClient, type Diagnostic } from './lsp';

const uri = (name: string) => `file:///fixtures/${name}`;
const codes = (ds: Diagnostic[]) => ds.map((d) => d.code).sort();

let lsp: LspClient;
before(async () => {
  lsp = new LspClient();
  const init = await lsp.initialize({ debounceMs: 0 });
  assert.equal((init as { serverInfo?: { name: string } }).serverInfo?.name, 'ncloud-pki-pem');
});
after(async () => {
  assert.equal(await lsp.stop(), 0, 'the server exits 0 after shutdown/exit');
});

test('server: capabilities', async () => {
  const probe = new LspClient();
  try {
    const { capabilities } = await probe.initialize();
    assert.deepEqual(Object.keys(capabilities).sort(), ['codeActionProvider', 'codeLensProvider', 'diagnosticProvider', 'documentSymbolProvider', 'foldingRangeProvider', 'hoverProvider', 'textDocumentSync']);
    assert.deepEqual(capabilities.textDocumentSync, { openClose: true, change: 2 });
  } finally {
    await probe.stop();
  }
});

// Diagnostics per fixture kind: codes as the PKI core's findings name them.
const DIAGNOSTIC_TABLE: { name: string; languageId: string; want: string[] }[] = [
  { name: 'chain.pem', languageId: 'pem', want: [] },
  { name: 'expired.crt', languageId: 'pem', want: ['expired'] },
  { name: 'weak-sha1.crt', languageId: 'pem', want: ['leaf-without-san', 'weak-rsa', 'weak-signature'] },
  { name: 'chain-reversed.pem', languageId: 'pem', want: ['chain-order', 'chain-order'] },
  { name: 'leaf-with-wrong-key.pem', languageId: 'pem', want: ['key-mismatch'] },
  { name: 'broken-base64.pem', languageId: 'pem', want: ['malformed'] },
  { name: 'bad-der.pem', languageId: 'pem', want: ['malformed'] },
  { name: 'truncated.pem', languageId: 'pem', want: ['malformed'] },
  { name: 'leaf.csr', languageId: 'pem', want: [] },
  { name: 'root.crl', languageId: 'pem', want: [] },
  { name: 'k8s.yaml', languageId: 'yaml', want: [] },
  { name: 'config.json', languageId: 'json', want: [] },
  { name: 'app.env', languageId: 'dotenv', want: [] },
];

for (const { name, languageId, want } of DIAGNOSTIC_TABLE) {
  test(`server: diagnostics for ${name}`, async () => {
    const text = fixture(name);
    const published = await lsp.open(uri(name), text, languageId);
    assert.deepEqual(codes(published.diagnostics), want);
    const blocks = scanPem(text);
    for (const d of published.diagnostics) {
      assert.equal(d.source, 'ncloud-pki');
      // Each diagnostic links to the section of docs/findings.md about its code.
      assert.equal(d.codeDescription?.href, findingHref(d.code));
      // Each diagnostic lies within a block of the document.
      assert.ok(
        blocks.some((b) => d.range.start.line >= b.range.start.line && d.range.end.line <= b.range.end.line),
        `${d.code} at ${JSON.stringify(d.range)} is inside a block`,
      );
    }
    const symbols = await lsp.request<{ name: string }[]>('textDocument/documentSymbol', { textDocument: { uri: uri(name) } });
    assert.equal(symbols.length, blocks.length, 'one symbol per block');
  });
}

test('server: malformed base64 is reported at the bad line, not the whole block', async () => {
  const published = await lsp.diagnostics(uri('broken-base64.pem'));
  const [d] = published.diagnostics;
  assert.equal(d.range.start.line, d.range.end.line);
  assert.ok(d.range.start.line > 0 && d.range.start.line < 22);
  assert.match(d.message, new RegExp(`line ${d.range.start.line + 1}, column`));
  assert.equal(d.severity, 1);
});

test('server: a chain out of order links to the other certificate and offers a safe reorder', async () => {
  const name = uri('chain-reversed.pem');
  const { diagnostics } = await lsp.diagnostics(name);
  const first = diagnostics.find((d) => d.code === 'chain-order')!;
  assert.equal(first.relatedInformation?.length, 1);
  assert.equal(first.relatedInformation![0].location.uri, name);
  const actions = await lsp.request<{ title: string; edit: { changes: Record<string, { range: Diagnostic['range']; newText: string }[]> } }[]>('textDocument/codeAction', {
    textDocument: { uri: name },
    range: first.range,
    context: { diagnostics },
  });
  assert.equal(actions.length, 1);
  assert.equal(actions[0].title, 'Reorder the chain leaf → root');
  const [edit] = actions[0].edit.changes[name];
  // Apply the edit as an editor would and check the result lints clean and is leaf → root.
  const text = fixture('chain-reversed.pem');
  const lines = text.split('\n');
  const startOffset = lines.slice(0, edit.range.start.line).join('\n').length + (edit.range.start.line ? 1 : 0) + edit.range.start.character;
  const endOffset = lines.slice(0, edit.range.end.line).join('\n').length + 1 + edit.range.end.character;
  const fixed = text.slice(0, startOffset) + edit.newText + text.slice(endOffset);
  const published = await lsp.change(name, 2, [{ text: fixed }]);
  assert.deepEqual(codes(published.diagnostics), []);
  assert.deepEqual(
    scanPem(fixed).map((b) => new X509Certificate(Buffer.from(b.der!)).subject.split('\n').find((l) => l.startsWith('CN='))),
    scanPem(fixture('chain.pem')).map((b) => new X509Certificate(Buffer.from(b.der!)).subject.split('\n').find((l) => l.startsWith('CN='))),
  );
  // No fix is offered once the chain is in order.
  const none = await lsp.request<unknown[]>('textDocument/codeAction', { textDocument: { uri: name }, range: first.range, context: { diagnostics } });
  assert.deepEqual(none, []);
});

test('server: hover shows subject, names, days left, key and the SHA-256 fingerprint', async () => {
  const text = fixture('chain.pem');
  await lsp.open(uri('hover.pem'), text);
  const der = scanPem(text)[0].der!;
  const x = new X509Certificate(Buffer.from(der));
  const hover = await lsp.request<{ contents: { kind: string; value: string }; range: Diagnostic['range'] }>('textDocument/hover', { textDocument: { uri: uri('hover.pem') }, position: { line: 5, character: 3 } });
  assert.equal(hover.contents.kind, 'markdown');
  const v = hover.contents.value;
  assert.match(v, /Certificate: /);
  assert.match(v, /days left/);
  assert.ok(v.includes(x.fingerprint256), 'fingerprint as node:crypto computes it');
  assert.match(v, /\*\*Key:\*\* EC P-256|\*\*Key:\*\* RSA/);
  assert.match(v, /command:ncloudPki\.inspect\?/);
  assert.deepEqual(hover.range.start, { line: 0, character: 0 });
  const none = await lsp.request('textDocument/hover', { textDocument: { uri: uri('hover.pem') }, position: { line: 9999, character: 0 } });
  assert.equal(none, null);
});

test('server: symbols, folding ranges and code lenses', async () => {
  const name = uri('hover.pem');
  const symbols = await lsp.request<{ name: string; kind: number; detail: string }[]>('textDocument/documentSymbol', { textDocument: { uri: name } });
  assert.equal(symbols.length, 3);
  assert.ok(symbols.every((s) => s.name.startsWith('Certificate: ') && s.kind === 5 && /expires \d{4}-\d\d-\d\d/.test(s.detail)));
  const folds = await lsp.request<{ startLine: number; endLine: number }[]>('textDocument/foldingRange', { textDocument: { uri: name } });
  assert.deepEqual(
    folds,
    scanPem(fixture('chain.pem')).map((b) => ({ startLine: b.range.start.line, endLine: b.range.end.line })),
  );
  const lenses = await lsp.request<{ command: { title: string; command: string } }[]>('textDocument/codeLens', { textDocument: { uri: name } });
  assert.deepEqual(lenses.map((l) => l.command.title), ['Inspect', 'Verify chain', 'Inspect', 'Inspect']);
  assert.deepEqual([...new Set(lenses.map((l) => l.command.command))].sort(), ['ncloudPki.inspect', 'ncloudPki.verifyChain']);
});

test('server: certificates from a known NCP CA get a Reissue lens', async () => {
  const name = uri('hover.pem');
  const leaf = new X509Certificate(Buffer.from(scanPem(fixture('chain.pem'))[0].der!));
  // RFC 4514 order is the reverse of node's line order.
  const issuer = leaf.issuer.split('\n').reverse().join(',');
  lsp.notify('ncloudPki/knownIssuers', { issuers: [{ subject: issuer, profile: 'local', caTag: 'tag-1', alias: 'issuing' }] });
  const lenses = await lsp.request<{ command: { title: string; arguments: { caTag: string }[] } }[]>('textDocument/codeLens', { textDocument: { uri: name } });
  const reissue = lenses.filter((l) => l.command.title.startsWith('Reissue'));
  assert.equal(reissue.length, 1);
  assert.equal(reissue[0].command.title, 'Reissue from issuing…');
  assert.equal(reissue[0].command.arguments[0].caTag, 'tag-1');
  lsp.notify('ncloudPki/knownIssuers', { issuers: [] });
});

test('server: verify chain', async () => {
  const good = await lsp.request<{ ok: boolean; root?: string; links: { signature: string }[] }>('ncloudPki/verifyChain', { uri: uri('hover.pem') });
  assert.equal(good.ok, true);
  assert.equal(good.links.length, 3);
  assert.ok(good.links.every((l) => l.signature === 'valid'));
  assert.match(good.root!, /CN=/);
  await lsp.open(uri('no-root.pem'), fixture('chain-no-root.pem'));
  const partial = await lsp.request<{ ok: boolean; problems: string[] }>('ncloudPki/verifyChain', { uri: uri('no-root.pem') });
  assert.equal(partial.ok, false);
  assert.ok(partial.problems.some((p) => /is not in the bundle/.test(p)));
});

test('server: an edit re-lints only what changed, with the new version', async () => {
  const name = uri('edit.pem');
  const text = fixture('chain.pem');
  assert.deepEqual((await lsp.open(name, text)).diagnostics, []);
  // Break one base64 character in the second certificate, then put it back.
  const line = scanPem(text)[1].range.start.line + 4;
  const original = text.split('\n')[line][10];
  const broken = await lsp.change(name, 2, [{ range: { start: { line, character: 10 }, end: { line, character: 11 } }, text: '!' }]);
  assert.deepEqual(codes(broken.diagnostics), ['malformed']);
  assert.equal(broken.diagnostics[0].range.start.line, line);
  const fixed = await lsp.change(name, 3, [{ range: { start: { line, character: 10 }, end: { line, character: 11 } }, text: original }]);
  assert.deepEqual(fixed.diagnostics, []);
  // Lines inserted above move the diagnostics with them.
  const again = await lsp.change(name, 4, [{ range: { start: { line, character: 10 }, end: { line, character: 11 } }, text: '!' }]);
  assert.equal(again.diagnostics[0].range.start.line, line);
  const moved = await lsp.change(name, 5, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# two\n# lines\n' }]);
  assert.equal(moved.diagnostics[0].range.start.line, line + 2);
  assert.match(moved.diagnostics[0].message, new RegExp(`line ${line + 3},`));
});

test('server: after random edits (multi-line, CRLF, surrogate pairs) a document gets what a fresh open of its text gets', async () => {
  // Larger than a text chunk (16 KiB), so edits land on chunk boundaries too; CRLF line breaks.
  const pieces = ['chain.pem', 'expired.crt', 'chain-reversed.pem', 'leaf-with-wrong-key.pem', 'broken-base64.pem', 'weak-sha1.crt'].map(fixture);
  let text = Array.from({ length: 24 }, (_, i) => pieces[i % pieces.length]).join('# 한글 😀\r\n').replace(/\r?\n/g, '\r\n');
  const name = uri('random-edits.pem');
  await lsp.open(name, text);
  const positionAt = (offset: number) => {
    const before = text.slice(0, offset).split(/\r\n|\r|\n/);
    return { line: before.length - 1, character: before[before.length - 1].length };
  };
  let s = 1;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const inserts = ['', '!', '\r\n', '😀', '-----END CERTIFICATE-----\r\n', fixture('leaf.crt').replace(/\n/g, '\r\n'), 'A\r\nB\r\nC'];
  for (let version = 2; version < 42; version++) {
    let start = Math.floor(rand() * text.length);
    let end = Math.min(text.length, start + (rand() < 0.6 ? 1 : Math.floor(rand() * 3000)));
    // Editors keep a CRLF and a surrogate pair whole.
    const inside = (o: number) => (text[o - 1] === '\r' && text[o] === '\n') || /[\uD800-\uDBFF]/.test(text[o - 1] ?? '');
    while (inside(start)) {
      start--;
    }
    while (inside(end)) {
      end++;
    }
    const insert = inserts[Math.floor(rand() * inserts.length)];
    const published = await lsp.change(name, version, [{ range: { start: positionAt(start), end: positionAt(end) }, text: insert }]);
    text = text.slice(0, start) + insert + text.slice(end);
    const reference = uri(`random-edits-${version}.pem`);
    const fresh = await lsp.open(reference, text);
    lsp.notify('textDocument/didClose', { textDocument: { uri: reference } });
    const strip = (ds: Diagnostic[]) => ds.map((d) => ({ ...d, relatedInformation: d.relatedInformation?.map((r) => ({ ...r, location: { ...r.location, uri: '' } })) }));
    assert.deepEqual(strip(published.diagnostics), strip(fresh.diagnostics), `edit ${version}: [${start}, ${end}) → ${JSON.stringify(insert.slice(0, 30))}`);
  }
});

test('server: settings from initializationOptions: severities and the expiry window', async () => {
  const other = new LspClient();
  try {
    await other.initialize({ debounceMs: 0, settings: { expiryWarningDays: 100000, diagnostics: { severity: { expired: 'off', 'weak-signature': 'hint' } } } });
    assert.deepEqual((await other.open(uri('expired.crt'), fixture('expired.crt'))).diagnostics, []);
    const weak = await other.open(uri('weak-sha1.crt'), fixture('weak-sha1.crt'));
    assert.equal(weak.diagnostics.find((d) => d.code === 'weak-signature')?.severity, 4);
    // 60 of 360 days left: outside the default 30-day window, inside the 100000-day setting
    // (capped at a third of the lifetime, 120 days).
    const soon = await other.open(uri('aging.crt'), await devCertificate(-300, 60));
    assert.deepEqual(codes(soon.diagnostics), ['expiring-soon']);
    assert.equal(soon.diagnostics[0].severity, 2);
    assert.deepEqual(codes((await lsp.open(uri('aging.crt'), await devCertificate(-300, 60))).diagnostics), []);
  } finally {
    await other.stop();
  }
});

test('server: a client in Korean (initialize locale "ko-KR") gets the findings, their related notes and chain problems in Korean', async () => {
  const ko = new LspClient();
  try {
    await ko.initialize({ debounceMs: 0 }, {}, 'ko-KR');
    const { diagnostics } = await ko.open(uri('chain-reversed.pem'), fixture('chain-reversed.pem'));
    const order = diagnostics.find((d) => d.code === 'chain-order')!;
    assert.match(order.message, /^체인 순서가 틀렸습니다\. ".+"이\(가\) 발급자 ".+" 뒤에 있습니다/);
    assert.match(order.relatedInformation![0].message, /^".+"의 발급자$/);
    const expired = await ko.open(uri('expired.crt'), fixture('expired.crt'));
    assert.match(expired.diagnostics.find((d) => d.code === 'expired')!.message, /^인증서 ".+"이\(가\) \d+일 전에 만료되었습니다/);
    await ko.open(uri('no-root.pem'), fixture('chain-no-root.pem'));
    const partial = await ko.request<{ problems: string[] }>('ncloudPki/verifyChain', { uri: uri('no-root.pem') });
    assert.ok(partial.problems.some((p) => /발급자 ".+"이\(가\) 번들에 없습니다/.test(p)), partial.problems.join(' | '));
    // The English client of the other tests still reads English.
    assert.match((await lsp.open(uri('chain-reversed-en.pem'), fixture('chain-reversed.pem'))).diagnostics.find((d) => d.code === 'chain-order')!.message, /^Chain out of order/);
  } finally {
    await ko.stop();
  }
});

test('server: settings pulled with workspace/configuration, and re-pulled on change', async () => {
  const other = new LspClient();
  let severity: Record<string, string> = {};
  other.onServerRequest = (method, params) => {
    if (method === 'workspace/configuration') {
      return (params as { items: unknown[] }).items.map(() => ({ expiryWarningDays: 30, diagnostics: { severity } }));
    }
    return null;
  };
  try {
    await other.initialize({ debounceMs: 0 }, { workspace: { configuration: true } });
    const first = await other.open(uri('expired.crt'), fixture('expired.crt'));
    assert.deepEqual(codes(first.diagnostics), ['expired']);
    severity = { expired: 'warning' };
    const since = other.notifications.length;
    other.notify('workspace/didChangeConfiguration', { settings: null });
    const after = await other.diagnostics(uri('expired.crt'), undefined, since);
    assert.equal(after.diagnostics[0].severity, 2);
  } finally {
    await other.stop();
  }
});

test('server: an editor with no ncloudPki section (answers null) keeps the initializationOptions settings', async () => {
  const other = new LspClient();
  let asked!: () => void;
  const pulled = new Promise<void>((r) => (asked = r));
  other.onServerRequest = (method, params) => {
    if (method === 'workspace/configuration') {
      setImmediate(asked);
      return (params as { items: unknown[] }).items.map(() => null);
    }
    return null;
  };
  try {
    await other.initialize({ debounceMs: 0, settings: { diagnostics: { severity: { expired: 'off' } } } }, { workspace: { configuration: true } });
    await pulled;
    assert.deepEqual((await other.open(uri('expired.crt'), fixture('expired.crt'))).diagnostics, []);
  } finally {
    await other.stop();
  }
});

test('server: closing a document clears its diagnostics; text without PEM gets none', async () => {
  const plain = await lsp.open(uri('notes.txt'), 'just some text\nwith -----BEGIN but no block\n', 'plaintext');
  assert.deepEqual(plain.diagnostics, []);
  assert.deepEqual(await lsp.request('textDocument/documentSymbol', { textDocument: { uri: uri('notes.txt') } }), []);
  const since = lsp.notifications.length;
  lsp.notify('textDocument/didClose', { textDocument: { uri: uri('expired.crt') } });
  const cleared = await lsp.diagnostics(uri('expired.crt'), undefined, since);
  assert.deepEqual(cleared.diagnostics, []);
  assert.equal(await lsp.request('textDocument/hover', { textDocument: { uri: uri('expired.crt') }, position: { line: 1, character: 1 } }), null);
});

/** A dev certificate for localhost as the emulator issues it, valid from `fromDays` to `toDays` around now. */
async function devCertificate(fromDays: number, toDays: number): Promise<string> {
  const key = await newKey('EC256');
  const now = Date.now();
  return issue({
    serial: newSerial(),
    subject: { commonName: 'localhost', altName: 'localhost', ip: '127.0.0.1' },
    publicKey: key.spki,
    notBefore: new Date(now + fromDays * 86_400_000),
    notAfter: new Date(now + toDays * 86_400_000),
    ca: false,
    selfKey: { keyType: 'EC256', signingKey: key.privateKey },
  });
}

test('server: a fresh 30-day dev certificate is not "expiring soon"; one in its last third is', async () => {
  assert.deepEqual(codes((await lsp.open(uri('fresh-dev.crt'), await devCertificate(0, 30))).diagnostics), []);
  assert.deepEqual(codes((await lsp.open(uri('old-dev.crt'), await devCertificate(-25, 5))).diagnostics), ['expiring-soon']);
});
