// The inspector's view model in plain Node: what each card says, checked against openssl and
// node:crypto on the committed fixtures.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import test from 'node:test';
import { decodeBlock, findingHref, inspect, lintBlock, scanPem } from '../../../src/pki';
import type { IssuerSource } from '../../../src/webview/issuers';
import { buildView, validity, type BlockView } from '../../../src/webview/model';
import { fixture, fixtureBytes, openssl, scalingRatio } from '../pki/helpers';

const NOW = Date.parse('2026-11-24T00:00:00Z');

test('model: a chain in order: three certificate cards, a verified chain leaf → root, fingerprints as node:crypto computes them', async () => {
  const text = fixture('chain.pem');
  const v = await buildView(text, { now: NOW });
  assert.deepEqual(v.blocks.map((b) => b.kind), ['certificate', 'certificate', 'certificate']);
  assert.deepEqual(v.blocks.map((b) => b.subtitle), ['Certificate', 'CA certificate', 'Root CA certificate']);
  assert.ok(v.chain?.ok, v.chain?.problems.join('; '));
  assert.deepEqual(v.chain.links.map((l) => l.title), ['localhost', 'Test Issuing CA', 'Test Root CA']);
  assert.ok(v.chain.links.every((l) => l.signature === 'valid'));
  assert.equal(v.chain.root, 'Test Root CA');
  const ders = scanPem(text).map((b) => Buffer.from(b.der!));
  v.blocks.forEach((b, i) => {
    const x = new X509Certificate(ders[i]);
    const fp = b.sections.find((s) => s.title === 'Fingerprints')!.rows;
    assert.equal(fp.find((r) => r.label === 'SHA-256')!.value, x.fingerprint256);
    assert.equal(fp.find((r) => r.label === 'SHA-1')!.value, x.fingerprint);
    assert.ok(fp.every((r) => r.copy));
    assert.equal(b.pem, x.toString().replace(/\r?\n$/, '') + '\n');
    assert.equal(Buffer.from(b.der!, 'base64').toString('hex'), ders[i].toString('hex'));
    assert.deepEqual(b.badges.map((x) => x.code), ['valid']);
    assert.equal(b.badges[0].href, undefined);
    assert.equal(b.line, scanPem(text)[i].range.start.line);
  });
  const leaf = v.blocks[0];
  assert.equal(leaf.summary.find((r) => r.label === 'Names')!.value, 'localhost, xn--bcher-kva.example, 127.0.0.1, ::1, admin@example.com, https://example.com/path');
  const serial = openssl(['x509', '-noout', '-serial'], scanPem(text)[0].text).trim().split('=')[1].toLowerCase();
  assert.equal(leaf.sections.find((s) => s.title === 'Certificate')!.rows[1].value.replace(/:/g, '').toLowerCase(), serial);
});

test('model: a reversed chain says so on the cards and in the chain, still ordered leaf → root', async () => {
  const v = await buildView(fixture('chain-reversed.pem'), { now: NOW });
  assert.deepEqual(v.blocks.map((b) => b.badges.map((x) => x.code)), [['valid'], ['chain-order'], ['chain-order']]);
  assert.equal(v.chain?.ok, false);
  assert.deepEqual(v.chain!.links.map((l) => l.title), ['localhost', 'Test Issuing CA', 'Test Root CA']);
  assert.deepEqual(v.chain!.links.map((l) => l.view), [2, 1, 0]);
  assert.ok(v.chain!.problems.some((p) => /leaf → root/.test(p)));
});

test('model: validity: expired, expiring, valid, not yet valid, with the lifetime used', () => {
  const from = '2026-01-01T00:00:00Z';
  const to = '2027-01-01T00:00:00Z';
  const at = (iso: string) => Date.parse(iso);
  assert.deepEqual(validity(from, to, at('2027-01-11T00:00:00Z'), 30), { notBefore: from, notAfter: to, elapsed: 1, state: 'expired', text: 'expired 10 days ago' });
  const soon = validity(from, to, at('2026-12-22T00:00:00Z'), 30);
  assert.equal(soon.state, 'expiring');
  assert.equal(soon.text, '10 days left');
  assert.equal(validity(from, to, at('2026-12-22T00:00:00Z'), 5).state, 'valid');
  const half = validity(from, to, at(from) + (at(to) - at(from)) / 2, 30);
  assert.equal(half.elapsed, 0.5);
  // A 30-day certificate is not "expiring" when issued: the last third of its lifetime is the window.
  const devTo = '2026-01-31T00:00:00Z';
  assert.equal(validity(from, devTo, at('2026-01-02T00:00:00Z'), 30).state, 'valid');
  assert.equal(validity(from, devTo, at('2026-01-22T00:00:00Z'), 30).state, 'expiring');
  const early = validity(from, to, at('2025-06-01T00:00:00Z'), 30);
  assert.deepEqual([early.state, early.elapsed, early.text], ['not-yet-valid', 0, 'not valid until 2026-01-01']);
});

test('model: an expired certificate, a CSR, a CRL (PEM and DER) and a PKCS#7 bundle (DER)', async () => {
  const expired = (await buildView(fixture('expired.crt'), { now: NOW })).blocks[0];
  assert.equal(expired.validity?.state, 'expired');
  assert.deepEqual(expired.badges.map((b) => b.code), ['expired']);
  // A finding's badge links to its explanation; the "valid" badge has nothing to explain.
  assert.equal(expired.badges[0].href, findingHref('expired'));

  const csr = (await buildView(fixture('leaf.csr'), { now: NOW })).blocks[0];
  assert.equal(csr.kind, 'csr');
  assert.equal(csr.summary.find((r) => r.label === 'Subject')!.value, 'CN=localhost,O=ncloud-pki test,L=Seongnam,C=KR');
  assert.ok(csr.sections.some((s) => s.title === 'Requested names' && s.rows.length === 6));

  const revoked = openssl(['crl', '-noout', '-text'], fixture('root.crl')).match(/Serial Number:/g)!.length;
  for (const crl of [(await buildView(fixture('root.crl'), { now: NOW })).blocks[0], (await buildView(fixtureBytes('root-crl.der'), { now: NOW })).blocks[0]]) {
    assert.equal(crl.kind, 'crl');
    assert.equal(crl.sections.find((s) => s.title === 'Revoked certificates')!.rows.length, revoked);
    assert.match(crl.sections.find((s) => s.title === 'Revoked certificates')!.rows[0].value, /keyCompromise/i);
  }

  const p7 = await buildView(fixtureBytes('chain.p7b'), { now: NOW });
  assert.equal(p7.blocks.length, 3);
  assert.ok(p7.blocks.every((b) => b.kind === 'certificate' && b.subtitle.endsWith('(in a PKCS#7 bundle)')));
  assert.ok(p7.chain?.ok, p7.chain?.problems.join('; '));
});

test('model: a private key shows its type and size, never its material, and cannot be copied or saved', async () => {
  for (const f of ['leaf.key', 'root-pkcs1.key', 'leaf-sec1.key', 'leaf-encrypted.key', 'ed25519.key']) {
    const text = fixture(f);
    const v = await buildView(text, { now: NOW });
    assert.equal(v.blocks[0].kind, 'privateKey', f);
    assert.equal(v.blocks[0].pem, undefined);
    assert.equal(v.blocks[0].der, undefined);
    const json = JSON.stringify(v);
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('-----'))) {
      assert.ok(!json.includes(line.slice(0, 40)), `${f}: key material in the view`);
    }
  }
  const rsa = (await buildView(fixture('root-pkcs1.key'), { now: NOW })).blocks[0];
  assert.equal(rsa.summary[0].value, 'RSA 2048');
});

test('model: malformed blocks say what is wrong; hostile text stays plain data', async () => {
  const broken = (await buildView(fixture('broken-base64.pem'), { now: NOW })).blocks[0];
  assert.equal(broken.kind, 'malformed');
  assert.match(broken.summary[0].value, /line 5/);
  const xss = (await buildView(fixture('xss.crt'), { now: NOW })).blocks[0];
  assert.equal(xss.title, 'Certificate: <img src=x onerror=alert(1)>');
  assert.match(xss.summary.find((r) => r.label === 'Names')!.value, /<b>bold<\/b>\.example, javascript:alert\(3\)/);
  assert.ok(xss.sections.find((s) => s.title === 'Extensions')!.rows.some((r) => r.value === '<iframe src=javascript:alert(5)></iframe>'));
  assert.deepEqual((await buildView('no pem here', { now: NOW })).blocks, []);
});

test('model: the system CA bundle (Debian: 144 certificates) builds in one pass', async () => {
  const debian = '/etc/ssl/certs/ca-certificates.crt';
  const text = (await import('node:fs')).readFileSync(debian, 'utf8');
  const v = await buildView(text, { now: NOW });
  assert.equal(v.blocks.length, scanPem(text).length);
  assert.ok(v.blocks.every((b) => b.kind === 'certificate'));
  assert.ok(v.blocks.every((b) => b.validity && b.validity.elapsed >= 0 && b.validity.elapsed <= 1));
});

test('model: the inspector badge and the linter agree on "expiring soon" over a certificate\'s whole life', async () => {
  const c = inspect(fixture('leaf.crt')).decoded[0];
  assert.equal(c.kind, 'certificate');
  if (c.kind !== 'certificate') {
    return;
  }
  const from = Date.parse(c.notBefore);
  const to = Date.parse(c.notAfter);
  const step = (to - from) / 40;
  for (let at = from + step / 2; at < to; at += step) {
    const v = await buildView(fixture('leaf.crt'), { now: at, expiryWarningDays: 30 });
    const lint = lintBlock(c, 0, { now: at, expiryWarningDays: 30 }).some((f) => f.code === 'expiring-soon');
    assert.equal(v.blocks[0].validity?.state === 'expiring', lint, new Date(at).toISOString());
    assert.equal(v.blocks[0].badges.some((b) => b.code === 'expiring-soon'), lint);
  }
});

test('model: a certificate alone finds its issuers among the candidates the host sends, and says where each came from', async () => {
  const alone = await buildView(fixture('leaf.crt'), { now: NOW });
  assert.equal(alone.chain, undefined);
  const candidates = [
    { from: 'unrelated.pem beside it', text: fixture('expired.crt') },
    { from: 'inter.crt beside it', text: fixture('inter.crt') },
    { from: 'CA Test Root of profile Local', text: fixture('root.crt') },
  ];
  const v = await buildView(fixture('leaf.crt'), { now: NOW, issuers: candidates });
  assert.deepEqual(v.blocks.length, 1, 'issuers found elsewhere get no card');
  assert.deepEqual(v.chain!.links.map((l) => [l.title, l.from, l.view, l.signature]), [
    ['localhost', undefined, 0, 'valid'],
    ['Test Issuing CA', 'inter.crt beside it', -1, 'valid'],
    ['Test Root CA', 'CA Test Root of profile Local', -1, 'valid'],
  ]);
  assert.equal(v.chain!.ok, true, v.chain!.problems.join('; '));
  // A chain that is complete in the text needs nothing from elsewhere.
  const whole = await buildView(fixture('chain.pem'), { now: NOW, issuers: candidates });
  assert.deepEqual(whole.chain!.links.map((l) => l.from), [undefined, undefined, undefined]);
});

test('model: many malformed blocks build in linear time (1x vs 8x blocks; 20k took 29 s when findings were filtered per block)', async () => {
  const make = (n: number) => '-----BEGIN CERTIFICATE-----\nMIIB!\n-----END CERTIFICATE-----\n'.repeat(n);
  const v = await buildView(make(10), { now: NOW });
  assert.deepEqual(v.blocks.map((b) => b.badges.map((x) => x.code)), Array(10).fill(['malformed']));
  const ratio = await scalingRatio((n) => buildView(make(n), { now: NOW }), 1000, 3);
  assert.ok(ratio < 20, `8x blocks took ${ratio.toFixed(1)}x the time (linear: 8)`);
});

test('model: a bundle hands over its first card before any other block is decoded; the whole model is the same, every block in order, each decoded once', async () => {
  // chain-reversed.pem: a finding that only the whole document tells (chain order) lands on the cards.
  for (const name of ['chain-reversed.pem', 'leaf-with-key.pem', 'chain.p7b.pem']) {
    const text = fixture(name) + fixture('expired.crt');
    let decodes = 0;
    let decodedAtFirst: number | undefined;
    let first: BlockView | undefined;
    const v = await buildView(text, {
      now: NOW,
      decode: (b) => (decodes++, decodeBlock(b)),
      first: async (view) => {
        decodedAtFirst = decodes;
        first = view;
        await Promise.resolve();
      },
    });
    assert.equal(decodedAtFirst, 1, `${name}: the first card before the second block is decoded`);
    assert.equal(decodes, scanPem(text).length, `${name}: each block decoded once`);
    const plain = await buildView(text, { now: NOW });
    assert.deepEqual(v, plain, `${name}: the same model as in one go`);
    assert.deepEqual(v.blocks.map((b) => b.index), v.blocks.map((_, i) => i));
    assert.deepEqual({ ...first!, badges: [] }, { ...v.blocks[0], badges: [] }, `${name}: the first card is the final first card but for document-wide badges`);
  }
  // One block: nothing to hand over early (its card is the whole panel).
  let called = false;
  await buildView(fixture('leaf.crt'), { now: NOW, first: async () => void (called = true) });
  assert.equal(called, false);
});

test('model: the Debian bundle (144 roots) never waits for the issuers search; a certificate alone does', async () => {
  const awaited = (): PromiseLike<IssuerSource[]> & { asked: boolean } => {
    const p = {
      asked: false,
      then<A, B>(ok?: ((v: IssuerSource[]) => A | PromiseLike<A>) | null, no?: ((e: unknown) => B | PromiseLike<B>) | null) {
        p.asked = true;
        return Promise.resolve<IssuerSource[]>([]).then(ok, no);
      },
    };
    return p;
  };
  const roots = awaited();
  const text = (await import('node:fs')).readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8');
  await buildView(text, { now: NOW, issuers: roots as unknown as Promise<IssuerSource[]> });
  assert.equal(roots.asked, false, 'every certificate is self-signed: the issuers are not waited for');
  const chain = awaited();
  await buildView(fixture('chain.pem'), { now: NOW, issuers: chain as unknown as Promise<IssuerSource[]> });
  assert.equal(chain.asked, false, 'a chain complete in the text');
  const leaf = awaited();
  await buildView(fixture('leaf.crt'), { now: NOW, issuers: leaf as unknown as Promise<IssuerSource[]> });
  assert.equal(leaf.asked, true, 'a leaf alone waits for its issuers');
});
