// The language server's chunked document text must read like LSP's TextDocument over the same
// string, whatever the edits: text, line count, and offsets ↔ positions (UTF-16, CRLF, lone CR).
import assert from 'node:assert/strict';
import test from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ChunkedText } from '../../../src/language/server/text';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PIECES = ['\n', '\r\n', '\r', 'x', 'ab', '😀', '한글', '-----BEGIN CERTIFICATE-----\n', 'MIIB\r\n', '\uD83D', '\uDE00', ' ', ''];

function randomText(rand: () => number, length: number): string {
  let s = '';
  while (s.length < length) {
    s += rand() < 0.3 ? PIECES[Math.floor(rand() * PIECES.length)] : 'A'.repeat(1 + Math.floor(rand() * 90));
  }
  return s;
}

/** Every offset ↔ position of `text` agrees with TextDocument (sampled when the text is long). */
function assertSameAsTextDocument(t: ChunkedText, text: string, rand: () => number, where: string): void {
  const ref = TextDocument.create('file:///r', 'pem', 0, text);
  assert.equal(t.length, text.length, `${where}: length`);
  assert.equal(t.lineCount, ref.lineCount, `${where}: line count`);
  const samples = text.length < 3000 ? text.length + 2 : 400;
  for (let k = 0; k < samples; k++) {
    const offset = text.length < 3000 ? k - 1 : Math.floor(rand() * (text.length + 2)) - 1;
    assert.deepEqual(t.positionAt(offset), ref.positionAt(offset), `${where}: positionAt(${offset})`);
    assert.equal(t.charCodeAt(offset), text.charCodeAt(offset), `${where}: charCodeAt(${offset})`);
  }
  for (let k = 0; k < 200; k++) {
    const p = { line: Math.floor(rand() * (ref.lineCount + 2)) - 1, character: Math.floor(rand() * 120) - 1 };
    assert.equal(t.offsetAt(p), ref.offsetAt(p), `${where}: offsetAt(${JSON.stringify(p)})`);
  }
  const a = Math.floor(rand() * (text.length + 1));
  const b = a + Math.floor(rand() * 40_000);
  assert.equal(t.slice(a, b), text.slice(a, b), `${where}: slice(${a}, ${b})`);
}

for (const size of [0, 50, 5_000, 200_000]) {
  test(`text: random edits of a ${size}-character text read like the same edits on a string`, () => {
    for (let seed = 1; seed <= (size > 10_000 ? 4 : 20); seed++) {
      const rand = rng(seed * 104_729 + size);
      let text = randomText(rand, size);
      const t = new ChunkedText(text);
      assertSameAsTextDocument(t, text, rand, `seed ${seed} at open`);
      for (let step = 0; step < 60; step++) {
        const s = Math.floor(rand() * (text.length + 1));
        // Mostly keystrokes; now and then a paste or a deletion across chunks.
        const len = rand() < 0.5 ? 0 : rand() < 0.9 ? Math.floor(rand() * 3) : Math.floor(rand() * 40_000);
        const e = Math.min(text.length, s + len);
        const insert = rand() < 0.3 ? '' : rand() < 0.8 ? PIECES[Math.floor(rand() * PIECES.length)] : randomText(rand, Math.floor(rand() * 30_000));
        text = text.slice(0, s) + insert + text.slice(e);
        t.replace(s, e, insert);
        assert.equal(t.getText(), text, `seed ${seed} step ${step}: replace(${s}, ${e}, ${insert.length} chars)`);
        assertSameAsTextDocument(t, text, rand, `seed ${seed} step ${step}`);
      }
    }
  });
}

test('text: a CRLF split by an edit, then joined again, is one line break', () => {
  const t = new ChunkedText('a\r\nb');
  t.replace(2, 2, 'x');
  assert.equal(t.getText(), 'a\rx\nb');
  assert.equal(t.lineCount, 3);
  t.replace(2, 3, '');
  assert.equal(t.lineCount, 2);
  assert.deepEqual(t.positionAt(2), { line: 0, character: 1 });
  assert.deepEqual(t.positionAt(3), { line: 1, character: 0 });
});

test('text: a CRLF at a chunk boundary stays one line break', () => {
  // 16 KiB of text ending in CR, then LF: whatever way the chunks fall, one break.
  const head = `${'A'.repeat(16 * 1024 - 1)}\r`;
  const t = new ChunkedText(`${head}B`);
  t.replace(head.length, head.length, '\n');
  assert.equal(t.lineCount, 2);
  assert.equal(t.offsetAt({ line: 1, character: 0 }), head.length + 1);
  assert.deepEqual(t.positionAt(head.length), { line: 0, character: head.length - 1 });
});

test('text: positions count UTF-16 code units (a surrogate pair is two characters)', () => {
  const t = new ChunkedText('😀x\n😀😀y');
  assert.deepEqual(t.positionAt(2), { line: 0, character: 2 });
  assert.equal(t.offsetAt({ line: 1, character: 4 }), 8);
  t.replace(t.offsetAt({ line: 1, character: 2 }), t.offsetAt({ line: 1, character: 4 }), '');
  assert.equal(t.getText(), '😀x\n😀y');
});
