// What the extension and package.json must agree on, declared once on the code side: tree
// contextValues against the menus' `viewItem` clauses, settings against what is read, the language
// client's id against the trace setting VS Code looks up.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { allContextValues, SETTING_DEFAULTS, WALKTHROUGH_CONTEXT } from '../../../src/extension/keys';
import { DEFAULT_SETTINGS, LANGUAGE_CLIENT_ID } from '../../../src/language/protocol';

const pkg = JSON.parse(readFileSync(join(__dirname, '../../../../package.json'), 'utf8'));
const whens: string[] = Object.values(pkg.contributes.menus as Record<string, { when?: string }[]>).flatMap((items) => items.map((i) => i.when ?? ''));

test('vocabulary: every viewItem in a menu when-clause matches a contextValue a tree item can have', () => {
  const values = allContextValues();
  const checked: string[] = [];
  for (const when of whens) {
    for (const m of when.matchAll(/viewItem\s*==\s*([\w.]+)/g)) {
      assert.ok(values.includes(m[1]), `"${m[1]}" in "${when}" is no contextValue: ${values.join(', ')}`);
      checked.push(m[1]);
    }
    for (const m of when.matchAll(/viewItem\s*=~\s*\/((?:[^/\\]|\\.)+)\//g)) {
      const re = new RegExp(m[1]);
      assert.ok(values.some((v) => re.test(v)), `/${m[1]}/ in "${when}" matches no contextValue`);
      checked.push(m[1]);
    }
  }
  assert.ok(checked.length > 15, `${checked.length} clauses checked`);
});

test('vocabulary: every contributed setting is read, and the language client id names the trace setting', () => {
  const extensionKeys = Object.keys(SETTING_DEFAULTS);
  const read = new Set([...extensionKeys, ...Object.keys(DEFAULT_SETTINGS), 'diagnostics.severity'].map((k) => `ncloudPki.${k}`));
  read.add(`${LANGUAGE_CLIENT_ID}.trace.server`);
  const contributed = Object.keys(pkg.contributes.configuration.properties as Record<string, unknown>);
  assert.deepEqual(contributed.filter((k) => !read.has(k)), [], 'contributed but never read');
  assert.ok(contributed.includes(`${LANGUAGE_CLIENT_ID}.trace.server`), `VS Code reads ${LANGUAGE_CLIENT_ID}.trace.server for the language client`);
  assert.ok(extensionKeys.includes('expiryWarningDays') && extensionKeys.length >= 6, extensionKeys.join());
});

test('vocabulary: the walkthrough completes each step on a context key the extension sets, and its media exist in English and Korean', () => {
  const root = join(__dirname, '../../../..');
  const nls = ['package.nls.json', 'package.nls.ko.json'].map((f) => JSON.parse(readFileSync(join(root, f), 'utf8')) as Record<string, string>);
  const [walkthrough] = pkg.contributes.walkthroughs as { id: string; steps: { id: string; completionEvents: string[]; media: { markdown: string } }[] }[];
  const keys = walkthrough.steps.flatMap((s) => s.completionEvents.map((e) => /^onContext:(.+)$/.exec(e)?.[1] ?? `not a context key: ${e}`));
  assert.deepEqual(keys.sort(), Object.values(WALKTHROUGH_CONTEXT).flatMap((k) => Object.values(k)).sort());
  // Opening the walkthrough starts the extension, which then sets the keys of what already happened.
  assert.ok((pkg.activationEvents as string[]).includes(`onWalkthrough:${walkthrough.id}`));
  for (const step of walkthrough.steps) {
    const key = /^%(.+)%$/.exec(step.media.markdown)?.[1] ?? '';
    for (const n of nls) {
      assert.ok(n[key] && existsSync(join(root, n[key])), `${step.id}: ${n[key]}`);
    }
    assert.notEqual(nls[0][key], nls[1][key], `${step.id} has its own Korean page`);
  }
});
