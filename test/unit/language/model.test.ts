// The incremental block model must always equal a full scan of the new text, whatever the edit.
import assert from 'node:assert/strict';
import test from 'node:test';
import { scanPem } from '../../../src/pki/pem';
import type { PemBlock, Position } from '../../../src/pki/types';
import { BlockModel, type ContentChange } from '../../../src/language/server/model';
import { fixture } from '../pki/helpers';
import { TextDocument } from 'vscode-languageserver-textdocument';

/** A comparable view of a block (DER as hex). */
function view(b: PemBlock): unknown {
  return { index: b.index, label: b.label, kind: b.kind, encoding: b.encoding, range: b.range, text: b.text, headers: b.headers, error: b.error, der: b.der ? Buffer.from(b.der).toString('hex') : undefined };
}

/** Positions as an editor counts them (CRLF is one line break). */
function positionAt(text: string, offset: number): Position {
  return TextDocument.create('file:///p', 'pem', 0, text).positionAt(offset);
}

/** A small deterministic PRNG so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SNIPPETS = ['\n', 'x', '-----', '-----BEGIN CERTIFICATE-----\n', '-----END CERTIFICATE-----', '-----BEGIN PRIVATE KEY-----', 'AAAA', '==', '\r\n', '  ', 'LS0tLS1CRUdJTiBDRVJU', '\\n', '"', '#'];

const BASES = ['chain.pem', 'leaf-with-key.pem', 'k8s.yaml', 'config.json', 'app.env', 'broken-base64.pem', 'truncated.pem'].map((f) => [f, fixture(f)] as const);

for (const [name, base] of BASES) {
  test(`model: random edits of ${name} match a full scan`, () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rand = rng(seed * 7919 + name.length);
      const model = new BlockModel('file:///t', 'pem', 1, base);
      let text = base;
      for (let step = 0; step < 25; step++) {
        const s = Math.floor(rand() * (text.length + 1));
        const len = rand() < 0.5 ? 0 : Math.floor(rand() * Math.min(80, text.length - s + 1));
        const e = s + len;
        const insert = rand() < 0.3 ? '' : rand() < 0.5 ? SNIPPETS[Math.floor(rand() * SNIPPETS.length)] : text.slice(Math.floor(rand() * text.length)).slice(0, Math.floor(rand() * 120));
        const next = text.slice(0, s) + insert + text.slice(e);
        // Editors keep line breaks whole: no lone CR, no edit inside a CRLF.
        if (/\r(?!\n)/.test(next) || (text[s - 1] === '\r' && text[s] === '\n') || (text[e - 1] === '\r' && text[e] === '\n')) {
          continue;
        }
        const change: ContentChange = { range: { start: positionAt(text, s), end: positionAt(text, e) }, text: insert };
        text = next;
        model.update([change], step + 2);
        assert.equal(model.text.getText(), text);
        assert.deepEqual(model.blocks.map(view), scanPem(text).map(view), `${name} seed ${seed} step ${step}: edit [${s}, ${e}) → ${JSON.stringify(insert)}`);
      }
    }
  });
}

test('model: several changes in one notification, then a full replacement', () => {
  const base = fixture('chain.pem');
  const model = new BlockModel('file:///t', 'pem', 1, base);
  // Two edits as VS Code sends them: each relative to the text after the previous one.
  model.update(
    [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# bundle\n' },
      { range: { start: { line: 2, character: 0 }, end: { line: 2, character: 1 } }, text: '!' },
    ],
    2,
  );
  const text = `# bundle\n${base.split('\n')[0]}\n!${base.split('\n').slice(1).join('\n').slice(1)}`;
  assert.equal(model.text.getText(), text);
  assert.deepEqual(model.blocks.map(view), scanPem(text).map(view));
  assert.ok(model.blocks[0].error, 'the edited block is now malformed');
  model.update([{ text: 'nothing here' }], 3);
  assert.deepEqual(model.blocks, []);
  assert.equal(model.version, 3);
});

test('model: an edit in one block of many leaves the other block objects untouched', () => {
  const one = fixture('leaf.crt');
  const base = one.repeat(200);
  const model = new BlockModel('file:///t', 'pem', 1, base);
  const before = model.blocks;
  const line = before[100].range.start.line + 3;
  model.update([{ range: { start: { line, character: 5 }, end: { line, character: 6 } }, text: '' }], 2);
  const after = model.blocks;
  assert.equal(after.length, 200);
  after.forEach((b, i) => {
    if (i !== 100) {
      assert.equal(b, before[i], `block ${i} was rescanned`);
    }
  });
  assert.notEqual(after[100], before[100]);
});

test('model: a paste of 150,000 blocks (more than a call takes arguments) is scanned in', () => {
  const model = new BlockModel('file:///t', 'pem', 1, fixture('leaf.crt'));
  const pasted = '-----BEGIN X-----\n'.repeat(150_000);
  model.update([{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: pasted }], 2);
  assert.equal(model.blocks.length, 150_001);
  assert.equal(model.blocks[150_000].kind, 'certificate');
  assert.equal(model.blocks[150_000].index, 150_000);
});

test('model: blockAt finds the block under a position', () => {
  const model = new BlockModel('file:///t', 'pem', 1, `intro\n${fixture('chain.pem')}`);
  const [b0, b1] = model.blocks;
  assert.equal(model.blockAt({ line: 0, character: 2 }), undefined);
  assert.equal(model.blockAt(b0.range.start)?.block, b0);
  assert.equal(model.blockAt({ line: b1.range.start.line + 2, character: 3 })?.block, b1);
  assert.equal(model.blockAt(b1.range.end)?.block, b1);
});
