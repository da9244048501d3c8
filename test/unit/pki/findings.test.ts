// Every finding explains itself: docs/findings.md has a section per finding code (what, why, the
// rule, how to fix), and the link every diagnostic, badge and CLI finding carries lands on it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { CA_FINDING_CODES, FINDING_CODES, FINDINGS_PAGE, findingHref, SCAN_FINDING_CODES } from '../../../src/pki';

const ROOT = join(__dirname, '../../../..');
const doc = readFileSync(join(ROOT, 'docs/findings.md'), 'utf8');

/** The anchor GitHub gives a heading: lowercase, punctuation other than - and _ dropped, spaces to -. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

function sections(): Map<string, string> {
  const out = new Map<string, string>();
  const parts = doc.split(/^## /m).slice(1);
  for (const p of parts) {
    const nl = p.indexOf('\n');
    out.set(slug(p.slice(0, nl)), p.slice(nl + 1));
  }
  return out;
}

test('findings: docs/findings.md has one section per finding code (lint\'s, the known CAs\', then scan\'s), and none for codes that do not exist', () => {
  const s = sections();
  assert.deepEqual([...s.keys()], [...FINDING_CODES, ...CA_FINDING_CODES, ...SCAN_FINDING_CODES]);
});

test('findings: each section says what, why, the rule it comes from and how to fix it', () => {
  for (const [code, body] of sections()) {
    for (const part of ['**What.**', '**Why it matters.**', '**Rule.**', '**How to fix.**']) {
      assert.ok(body.includes(part), `${code}: missing ${part}`);
    }
    const rule = /\*\*Rule\.\*\*([\s\S]*?)\n\n/.exec(body)![1];
    assert.match(rule, /RFC \d+|Baseline Requirements|Apple|NIST|X\.690|this tool's policy/, `${code}: the rule names its source`);
  }
});

test('findings: every link points at the section of its code, on the page of this repository', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { repository: { url: string } };
  assert.equal(FINDINGS_PAGE, `${pkg.repository.url.replace(/\.git$/, '')}/blob/main/docs/findings.md`);
  const anchors = new Set(sections().keys());
  for (const code of [...FINDING_CODES, ...CA_FINDING_CODES, ...SCAN_FINDING_CODES]) {
    const href = findingHref(code);
    assert.ok(href.startsWith(`${FINDINGS_PAGE}#`));
    assert.ok(anchors.has(href.slice(FINDINGS_PAGE.length + 1)), `${code}: ${href} has no section`);
  }
  // Links inside the page land on a section too.
  for (const m of doc.matchAll(/\]\(#([^)]+)\)/g)) {
    assert.ok(anchors.has(m[1]), `#${m[1]}`);
  }
});

test('findings: every code can be set in ncloudPki.diagnostics.severity', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { properties?: Record<string, unknown> }> } } };
  const props = pkg.contributes.configuration.properties['ncloudPki.diagnostics.severity'].properties!;
  assert.deepEqual(Object.keys(props).sort(), [...FINDING_CODES, ...CA_FINDING_CODES].sort());
});
