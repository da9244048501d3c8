// The TextMate grammar of the `pem` language, tokenized by the same engine VS Code uses.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
import { fixture } from '../pki/helpers';

const ROOT = join(__dirname, '../../../..');

async function grammar(): Promise<textmate.IGrammar> {
  const wasm = readFileSync(join(ROOT, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope) => (scope === 'source.pem' ? textmate.parseRawGrammar(readFileSync(join(ROOT, 'media/pem.tmLanguage.json'), 'utf8'), 'pem.tmLanguage.json') : null),
  });
  const g = await registry.loadGrammar('source.pem');
  assert.ok(g);
  return g;
}

/** Each line's tokens as `text: innermost scope`. */
function tokenize(g: textmate.IGrammar, text: string): string[][] {
  let state = textmate.INITIAL;
  return text.split('\n').map((line) => {
    const r = g.tokenizeLine(line, state);
    state = r.ruleStack;
    return r.tokens.map((t) => `${line.slice(t.startIndex, t.endIndex)}: ${t.scopes[t.scopes.length - 1]}`);
  });
}

test('grammar: armor lines, label, base64 body, headers, comments, garbage', async () => {
  const g = await grammar();
  const lines = tokenize(g, ['# issued by the emulator', '-----BEGIN EC PRIVATE KEY-----', 'Proc-Type: 4,ENCRYPTED', 'MHcCAQEEIB+/abc=', 'not base64!', '-----END EC PRIVATE KEY-----', 'after'].join('\n'));
  assert.deepEqual(lines[0], ['#: punctuation.definition.comment.pem', ' issued by the emulator: comment.line.number-sign.pem']);
  assert.deepEqual(lines[1], ['-----: punctuation.definition.tag.begin.pem', 'BEGIN: keyword.control.begin.pem', ' : meta.block.pem', 'EC PRIVATE KEY: entity.name.type.label.pem', '-----: punctuation.definition.tag.end.pem']);
  assert.deepEqual(lines[2], ['Proc-Type: variable.other.header.pem', ':: punctuation.separator.key-value.pem', ' : meta.block.pem', '4,ENCRYPTED: string.unquoted.header.pem']);
  assert.deepEqual(lines[3], ['MHcCAQEEIB+/abc=: string.unquoted.base64.pem']);
  assert.ok(lines[4].some((t) => t.endsWith('invalid.illegal.base64.pem')), lines[4].join(' | '));
  assert.equal(lines[5][1], 'END: keyword.control.end.pem');
  assert.deepEqual(lines[6], ['after: source.pem']);
});

test('grammar: every line of a real chain is armor or base64', async () => {
  const g = await grammar();
  for (const line of tokenize(g, fixture('chain.pem').trimEnd())) {
    assert.ok(line.every((t) => !t.includes('invalid')), line.join(' | '));
    assert.ok(line.some((t) => /base64|tag\.begin/.test(t)), line.join(' | '));
  }
});
