// VS Code's `{a,b}` glob alternatives expanded into gitignore patterns (files.exclude and
// search.exclude reach the inventory's walk this way).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import ignore from 'ignore';
import { expandBraces } from '../../../src/files/braces';

test('braces: alternatives expand, nested and several groups too; what has none stays as it is', () => {
  assert.deepEqual(expandBraces('**/*.{key,bak}'), ['**/*.key', '**/*.bak']);
  assert.deepEqual(expandBraces('{vendor,third_party}/**'), ['vendor/**', 'third_party/**']);
  assert.deepEqual(expandBraces('a/{b,c{d,e}}/f'), ['a/b/f', 'a/cd/f', 'a/ce/f']);
  assert.deepEqual(expandBraces('{a,b}.{x,y}'), ['a.x', 'a.y', 'b.x', 'b.y']);
  assert.deepEqual(expandBraces('**/node_modules'), ['**/node_modules']);
  // No comma, unmatched, escaped: no alternatives. VS Code has no {1..3} ranges.
  assert.deepEqual(expandBraces('{only}/x'), ['{only}/x']);
  assert.deepEqual(expandBraces('a{b,c'), ['a{b,c']);
  assert.deepEqual(expandBraces('a\\{b,c}'), ['a\\{b,c}']);
  assert.deepEqual(expandBraces('{1..3}'), ['{1..3}']);
  assert.deepEqual(expandBraces('{only}{x,y}'), ['{only}x', '{only}y']);
  assert.deepEqual(expandBraces('{a,}b'), ['ab', 'b']);
});

test('braces: a pattern that would expand past the limit is kept whole instead of growing without bound', () => {
  const p = '{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}';
  assert.deepEqual(expandBraces(p), [p]);
  assert.equal(expandBraces('{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}').length, 256);
});

test('braces: a pattern of many groups is kept whole at once, not after expanding most of it (a hostile files.exclude)', () => {
  // 20 groups stand for 2^20 patterns: it used to expand them group by group (638 ms) and return 4
  // patterns, each still holding groups; 30 took minutes. Kept whole, as the limit says.
  for (const n of [20, 30, 200]) {
    const p = `${'{a,b}'.repeat(n)}.pem`;
    assert.deepEqual(expandBraces(p), [p]);
  }
  // Nested groups count their alternatives too.
  const nested = '{a,{b,{c,{d,{e,{f,{g,{h,{i,j}}}}}}}}}';
  assert.equal(expandBraces(nested).length, 10);
});

test('braces: without expansion gitignore syntax (the ignore package) does not read them; expanded it does', () => {
  const files = ['vendor/x.pem', 'third_party/y.pem', 'src/z.pem', 'keys/a.key', 'keys/a.bak'];
  const pats = ['{vendor,third_party}/', '**/*.{key,bak}'];
  assert.deepEqual(files.filter((f) => ignore().add(pats).ignores(f)), []);
  assert.deepEqual(files.filter((f) => ignore().add(pats.flatMap(expandBraces)).ignores(f)), ['vendor/x.pem', 'third_party/y.pem', 'keys/a.key', 'keys/a.bak']);
});
