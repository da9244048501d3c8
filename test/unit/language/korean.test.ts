// A client in Korean reads Korean everywhere the server words something: hovers, outline symbols,
// code lenses, quick fixes, and the DER parser's own detail in a malformed block's diagnostic. Checked
// over stdio against the fixtures by looking for English: any word of the core's English templates
// (technical terms such as CRL, SAN, OCSP, DER, ASN.1 names aside) left in what the server said.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { decodeBlock } from '../../../src/pki/decode';
import { TEXTS } from '../../../src/pki/messages';
import { scanPem } from '../../../src/pki/pem';
import { fixture } from '../pki/helpers';
import { LspClient, type Diagnostic } from './lsp';

/** Words that are the same in every language: acronyms, ASN.1 and OpenSSL names. */
const TERMS = new Set(['ca', 'crl', 'san', 'ocsp', 'der', 'pem', 'pkcs', 'base', 'sha', 'rfc', 'tls', 'utctime', 'generalizedtime', 'yymmddhhmmssz', 'yyyymmddhhmmssz', 'integer', 'sequence', 'object', 'identifier', 'bit', 'string', 'octet', 'signeddata', 'basicconstraints', 'pathlenconstraint', 'subjectaltname', 'revocationdate', 'openssl']);
/** The English of every template, word by word (what a string that bypassed translation would use). */
const ENGLISH = new Set(
  Object.values(TEXTS)
    .flatMap((t) => t.toLowerCase().match(/[a-z]{2,}/g) ?? [])
    .filter((w) => !TERMS.has(w)),
);

/** The English words left in `s` once its data is taken out (DNs, code spans, links' targets, escapes). */
export function englishIn(s: string, data: string[] = []): string[] {
  let rest = s.replace(/\]\(command:[^)]*\)/g, ']').replace(/`[^`]*`/g, '').replace(/\\(.)/g, '$1');
  for (const d of data) {
    rest = rest.split(d).join(' ');
  }
  // Distinguished names, SAN values and signature algorithm names (ecdsa-with-SHA256, sha256WithRSAEncryption) are data.
  rest = rest.replace(/"[^"]*"|-----[A-Z0-9 ]+-----/g, ' ').replace(/\b[A-Z]{1,3}=[^,\n]*/g, ' ').replace(/\b(?:dns|ip|email|uri):\S+/g, ' ').replace(/\b\w+-with-[\w-]+|\b\w+With\w+Encryption/g, ' ');
  return (rest.toLowerCase().match(/[a-z]{2,}/g) ?? []).filter((w) => ENGLISH.has(w));
}

/** The names in a file's certificates, CSRs and CRLs (data: "Test Root CA" is no untranslated English). */
function namesIn(text: string): string[] {
  return scanPem(text).flatMap((b) => {
    const d = decodeBlock(b);
    const all = d.kind === 'pkcs7' ? d.certificates : [d];
    return all.flatMap((x) => ['subjectAttributes', 'issuerAttributes'].flatMap((k) => ((x as unknown as Record<string, { value: string }[] | undefined>)[k] ?? []).map((a) => a.value)));
  });
}

const uri = (name: string) => `file:///ko/${name}`;
let ko: LspClient;
before(async () => {
  ko = new LspClient();
  await ko.initialize({ debounceMs: 0 }, {}, 'ko');
});
after(async () => {
  await ko.stop();
});

type Hover = { contents: { value: string } } | null;
const hover = (name: string, line: number) => ko.request<Hover>('textDocument/hover', { textDocument: { uri: uri(name) }, position: { line, character: 1 } });

test('korean: the detector finds English that was not translated (so the checks below can fail)', () => {
  assert.deepEqual(englishIn('### Certificate: localhost  \n**Valid:** 2026-11-22 → 2027-12-24 (393 days left)'), ['certificate', 'valid', 'days', 'left']);
  assert.deepEqual(englishIn('올바른 인증서이(가) 아닙니다: expected tbsCertificate SEQUENCE (바이트 4)'), ['expected']);
  assert.deepEqual(englishIn('**주체:** CN=localhost,O=ncloud\\-pki test  \n**이름:** dns:localhost'), []);
});

test('korean: hover, symbols and code lenses of certificates, a CSR, a CRL, keys and a PKCS#7 bundle', async () => {
  const files = ['chain.pem', 'expired.crt', 'leaf.csr', 'root.crl', 'leaf.key', 'leaf-encrypted.key', 'root-public.pem', 'chain.p7b.pem', 'ed25519.crt'];
  for (const f of files) {
    await ko.open(uri(f), fixture(f));
    const names = namesIn(fixture(f));
    const symbols = await ko.request<{ name: string; detail: string; range: Diagnostic['range'] }[]>('textDocument/documentSymbol', { textDocument: { uri: uri(f) } });
    assert.ok(symbols.length > 0, f);
    for (const s of symbols) {
      assert.deepEqual(englishIn(`${s.name} ${s.detail}`, names), [], `${f} symbol: ${s.name} / ${s.detail}`);
      const h = await hover(f, s.range.start.line);
      assert.ok(h, `${f}: a hover at line ${s.range.start.line}`);
      assert.match(h.contents.value, /[가-힣]/, f);
      assert.deepEqual(englishIn(h.contents.value, names), [], `${f} hover:\n${h.contents.value}`);
    }
  }
  const lenses = await ko.request<{ command: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri: uri('chain.pem') } });
  assert.deepEqual(lenses.map((l) => l.command.title), ['검사', '체인 검증', '검사', '검사']);
});

test('korean: a malformed DER block says what the parser found in Korean, in the diagnostic, the hover and the outline', async () => {
  const { diagnostics } = await ko.open(uri('bad-der.pem'), fixture('bad-der.pem'));
  const bad = diagnostics.find((d) => d.code === 'malformed');
  assert.ok(bad, JSON.stringify(diagnostics));
  // "올바른 인증서이(가) 아닙니다: <the parser's detail> (바이트 N)", the detail Korean too.
  assert.match(bad.message, /^올바른 인증서이\(가\) 아닙니다: .*[가-힣].* \(바이트 \d+\)$/);
  assert.deepEqual(englishIn(bad.message), [], bad.message);
  const h = await hover('bad-der.pem', bad.range.start.line);
  assert.ok(h);
  assert.match(h.contents.value, /^### 잘못된 인증서/);
  assert.deepEqual(englishIn(h.contents.value), [], h.contents.value);
  const [symbol] = await ko.request<{ name: string; detail: string }[]>('textDocument/documentSymbol', { textDocument: { uri: uri('bad-der.pem') } });
  assert.deepEqual(englishIn(`${symbol.name} ${symbol.detail}`), [], `${symbol.name} / ${symbol.detail}`);
});

test('korean: the reorder quick fix and every diagnostic of the fixtures read Korean', async () => {
  const { diagnostics } = await ko.open(uri('chain-reversed.pem'), fixture('chain-reversed.pem'));
  const actions = await ko.request<{ title: string }[]>('textDocument/codeAction', { textDocument: { uri: uri('chain-reversed.pem') }, range: diagnostics[0].range, context: { diagnostics } });
  assert.ok(actions.length > 0);
  for (const a of actions) {
    assert.deepEqual(englishIn(a.title), [], a.title);
  }
  for (const f of ['broken-base64.pem', 'truncated.pem', 'weak-sha1.crt', 'leaf-with-wrong-key.pem', 'chain-no-root.pem']) {
    for (const d of (await ko.open(uri(f), fixture(f))).diagnostics) {
      assert.deepEqual(englishIn(d.message, namesIn(fixture(f))), [], `${f}: ${d.message}`);
    }
  }
});
