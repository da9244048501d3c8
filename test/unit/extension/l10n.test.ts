// Every user-facing string has its Korean translation: vscode.l10n.t() strings in the extension,
// and every %key% that package.json uses.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'node:test';
import { TEXTS } from '../../../src/pki/messages';
import { usageGuide } from '../../../src/extension/usage';
import { setBundle } from '../../../src/webview/l10n';
import { buildView } from '../../../src/webview/model';

const ROOT = join(__dirname, '../../../..');
const json = (f: string) => JSON.parse(readFileSync(join(ROOT, f), 'utf8')) as Record<string, unknown>;
const holes = (x: string) => (x.match(/\{\d\}/g) ?? []).sort().join();

test('l10n: every vscode.l10n.t() string of src/extension has a Korean translation', () => {
  const ko = json('l10n/bundle.l10n.ko.json');
  const dir = join(ROOT, 'src/extension');
  const used = new Set<string>();
  for (const f of (readdirSync(dir, { recursive: true }) as string[]).filter((x) => x.endsWith('.ts'))) {
    const src = readFileSync(join(dir, f), 'utf8');
    for (const m of src.matchAll(/(?:vscode\.l10n\.t|\bt)\(\s*'((?:[^'\\]|\\.)*)'/g)) {
      used.add(m[1].replace(/\\'/g, "'"));
    }
  }
  assert.ok(used.size > 150, `found ${used.size} strings`);
  const missing = [...used].filter((s) => typeof ko[s] !== 'string' || !ko[s]);
  assert.deepEqual(missing, []);
  for (const s of used) {
    assert.equal(holes(ko[s] as string), holes(s), `placeholders of "${s}"`);
  }
});

test('l10n: every %key% in package.json is in package.nls.json and package.nls.ko.json', () => {
  const pkg = readFileSync(join(ROOT, 'package.json'), 'utf8');
  const keys = new Set([...pkg.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]));
  const en = json('package.nls.json');
  const ko = json('package.nls.ko.json');
  assert.ok(keys.size > 40);
  assert.deepEqual([...keys].filter((k) => !en[k]), []);
  assert.deepEqual([...keys].filter((k) => !ko[k]), []);
});

test('l10n: every t() string of the webview (src/webview) and every badge word has a Korean translation', () => {
  const ko = json('l10n/bundle.l10n.ko.json');
  const dir = join(ROOT, 'src/webview');
  const used = new Set<string>();
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts'))) {
    const src = readFileSync(join(dir, f), 'utf8');
    for (const m of src.matchAll(/\bt\(\s*(?:'((?:[^'\\]|\\.)*)'|"([^"]*)")/g)) {
      used.add((m[1] ?? m[2]).replace(/\\'/g, "'"));
    }
    // The badge words are looked up by finding code and translated where shown.
    const badges = /const BADGE_TEXT[^{]*\{([^}]*)\}/.exec(src)?.[1];
    for (const m of badges?.matchAll(/:\s*'([^']+)'/g) ?? []) {
      used.add(m[1]);
    }
  }
  assert.ok(used.size > 90, `found ${used.size} strings`);
  assert.deepEqual([...used].filter((s) => typeof ko[s] !== 'string' || !ko[s]), []);
});

test('l10n: everything the inspector shows passes through the bundle (a string missing from it would stay English)', async () => {
  // A bundle that marks every string it translates: any label, title, subtitle, badge or
  // validity text without the mark was not looked up, so no Korean could ever reach it.
  setBundle(new Proxy({}, { get: (_t, key) => (typeof key === 'string' ? `⟦${key}⟧` : undefined), has: () => true }) as Record<string, string>);
  try {
    const fixtures = join(ROOT, 'test/fixtures/pki');
    const marked = (s: string, what: string) => assert.ok(s.includes('⟦'), `${what}: "${s}" is not translated`);
    const data = new Set(['DNS', 'IP', 'URI', 'SHA-256', 'SHA-1', 'CA', 'CRL']);
    for (const f of readdirSync(fixtures).filter((x) => !x.endsWith('.sh') && x !== 'hostile')) {
      const v = await buildView(new Uint8Array(readFileSync(join(fixtures, f))), { now: Date.parse('2026-11-24T00:00:00Z') });
      for (const b of v.blocks) {
        marked(b.title, `${f} title`);
        marked(b.subtitle, `${f} subtitle`);
        b.badges.forEach((x) => marked(x.text, `${f} badge`));
        b.badges.forEach((x) => marked(x.message, `${f} badge message`));
        if (b.validity) {
          marked(b.validity.text, `${f} validity`);
        }
        for (const r of [...b.summary, ...b.sections.flatMap((s) => s.rows)]) {
          if (!data.has(r.label) && !/^[0-9a-f:]+$/i.test(r.label) && !/^[A-Z]{1,6}$/.test(r.label) && !b.sections.some((s) => ['Subject', 'Issuer', 'Extensions', 'Attributes', 'Requested extensions'].some((k) => s.title.includes(k)) && s.rows.includes(r))) {
            marked(r.label, `${f} row`);
          }
        }
        b.sections.filter((s) => !data.has(s.title)).forEach((s) => marked(s.title, `${f} section`));
      }
      v.chain?.problems.forEach((p) => marked(p, `${f} chain problem`));
      v.chain?.links.forEach((l) => l.problem !== undefined && marked(l.problem, `${f} chain link`));
    }
  } finally {
    setBundle(undefined);
  }
});

test('l10n: every message of the PKI core (findings, chain problems, PEM and DER errors) has a Korean translation with the same holes', () => {
  const ko = json('l10n/bundle.l10n.ko.json');
  const missing = Object.entries(TEXTS).filter(([, en]) => typeof ko[en] !== 'string' || !ko[en]);
  assert.deepEqual(missing, []);
  for (const [id, en] of Object.entries(TEXTS)) {
    assert.equal(holes(ko[en] as string), holes(en), `placeholders of ${id}`);
  }
});

test('l10n: the dev certificate usage guide has a Korean version, chosen for ko and ko-KR; other languages get the English', () => {
  assert.equal(usageGuide(ROOT, 'ko'), 'media/dev-certificate-usage.ko.md');
  assert.equal(usageGuide(ROOT, 'ko-KR'), 'media/dev-certificate-usage.ko.md');
  assert.equal(usageGuide(ROOT, 'en'), 'media/dev-certificate-usage.md');
  assert.equal(usageGuide(ROOT, 'fr'), 'media/dev-certificate-usage.md');
  // The same placeholders, so the guide names the same folder in both languages.
  const count = (f: string) => readFileSync(join(ROOT, f), 'utf8').split('{rel}').length;
  assert.equal(count('media/dev-certificate-usage.ko.md'), count('media/dev-certificate-usage.md'));
});

test('l10n: the decoder, the TLS probe, the container reader and the server\'s hovers, outline and lenses word nothing in English themselves (every message is an id of src/pki/messages.ts)', () => {
  const files = ['src/pki/der.ts', 'src/pki/decode.ts', 'src/pki/describe.ts', 'src/tls/probe.ts', 'src/export/containers.ts', 'src/language/server/features.ts'];
  const english: string[] = [];
  for (const f of files) {
    const src = readFileSync(join(ROOT, f), 'utf8')
      .split('\n')
      .filter((l) => !/^\s*(\/\/|\*|\/\*\*)/.test(l))
      .join('\n');
    // An error thrown with words in it, or a label, title or markdown heading written in English.
    for (const m of src.matchAll(/(?:new \w*Error\(\s*(?:'[a-z]+',\s*)?|error:\s*)(['"`][^'"`]*[a-z]{2,} [a-z]{2,}[^'"`]*['"`])|(?:title|label|name|detail):\s*(['"`][A-Z][a-z]+[^'"`]*['"`])|(['"`][^'"`]*\*\*[A-Z][a-z ]+:\*\*[^'"`]*['"`])|return\s+(['"`][A-Za-z][a-z]+(?: [a-z]+)+['"`]);/g)) {
      english.push(`${f}: ${m.slice(1).find((x) => x !== undefined)}`);
    }
  }
  assert.deepEqual(english, []);
});

test('l10n: the inspector in Korean names a malformed block, its problem (the DER parser\'s own words too) and an encrypted key in Korean', async () => {
  setBundle(json('l10n/bundle.l10n.ko.json') as Record<string, string>);
  try {
    const fixtures = join(ROOT, 'test/fixtures/pki');
    const bad = (await buildView(new Uint8Array(readFileSync(join(fixtures, 'bad-der.pem'))), {})).blocks[0];
    assert.equal(bad.title, '잘못된 인증서');
    assert.equal(bad.subtitle, '잘못된 인증서');
    const problem = bad.summary.find((r) => r.label === '문제')?.value ?? '';
    assert.match(problem, /^올바른 인증서이\(가\) 아닙니다: 961바이트 요소가 상위 요소의 끝을 넘어갑니다 \(바이트 0\)$/, problem);
    const key = (await buildView(new Uint8Array(readFileSync(join(fixtures, 'leaf-encrypted.key'))), {})).blocks[0];
    assert.equal(key.summary.find((r) => r.label === '유형')?.value, '암호화됨');
  } finally {
    setBundle(undefined);
  }
});
