// Garbage in, answers out: the server never crashes and never stops answering.
import assert from 'node:assert/strict';
import test from 'node:test';
import { fixture } from '../pki/helpers';
import { LspClient } from './lsp';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1103515245 + 12345) >>> 0;
    return s / 2 ** 32;
  };
}

const FIXTURES = ['chain.pem', 'k8s.yaml', 'config.json', 'leaf-with-wrong-key.pem', 'root.crl', 'leaf.csr', 'chain.p7b.pem', 'broken-base64.pem'];

test('server fuzz: random documents, edits and requests', { timeout: 120_000 }, async () => {
  const lsp = new LspClient();
  await lsp.initialize({ debounceMs: 0 });
  const rand = rng(20261123);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  try {
    for (let doc = 0; doc < 30; doc++) {
      const uri = `file:///fuzz/${doc}.pem`;
      let text = pick(FIXTURES.map(fixture));
      // Mutate: flip characters, splice in pieces of other fixtures, raw binary.
      const chars = [...text];
      for (let k = 0; k < 20; k++) {
        chars[Math.floor(rand() * chars.length)] = String.fromCharCode(Math.floor(rand() * 0x3000));
      }
      text = chars.join('');
      if (rand() < 0.3) {
        text = Array.from({ length: 2000 }, () => String.fromCharCode(Math.floor(rand() * 256))).join('');
      }
      let version = 1;
      await lsp.open(uri, text, pick(['pem', 'yaml', 'json', 'plaintext']));
      for (let step = 0; step < 15; step++) {
        const line = Math.floor(rand() * 40);
        const character = Math.floor(rand() * 80);
        const insert = pick(['', '-----BEGIN CERTIFICATE-----\n', '-----END CERTIFICATE-----', '\n', 'MII', '\u0000', '=', fixture('leaf.crt')]);
        version++;
        // Ranges may point past the end: editors should not send them, a server must survive them.
        const published = lsp.change(uri, version, [{ range: { start: { line, character }, end: { line: line + Math.floor(rand() * 3), character: Math.floor(rand() * 80) } }, text: insert }]);
        const position = { line: Math.floor(rand() * 60), character: Math.floor(rand() * 70) };
        const answers = await Promise.all([
          lsp.request('textDocument/hover', { textDocument: { uri }, position }),
          lsp.request('textDocument/documentSymbol', { textDocument: { uri } }),
          lsp.request('textDocument/codeLens', { textDocument: { uri } }),
          lsp.request('textDocument/foldingRange', { textDocument: { uri } }),
          lsp.request('ncloudPki/verifyChain', { uri }),
          lsp.request('textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [{ range: { start: position, end: position }, message: 'x', code: 'chain-order', source: 'ncloud-pki' }] } }),
        ]);
        assert.equal(answers.length, 6);
        const p = await published;
        assert.ok(Array.isArray(p.diagnostics));
      }
      lsp.notify('textDocument/didClose', { textDocument: { uri } });
    }
    // Requests for documents that were never opened, and unknown methods.
    assert.equal(await lsp.request('textDocument/hover', { textDocument: { uri: 'file:///nope' }, position: { line: 0, character: 0 } }), null);
    await assert.rejects(lsp.request('ncloudPki/noSuchMethod', {}), /Unhandled method/);
    const stats = await lsp.request<{ documents: number; rss: number }>('ncloudPki/stats', null);
    assert.equal(stats.documents, 0);
    assert.ok(stats.rss > 0);
    assert.doesNotMatch(lsp.stderr, /lint failed|Error/);
    assert.equal(lsp.exited, undefined, 'still running');
  } finally {
    assert.equal(await lsp.stop(), 0);
  }
});
