// Lifetimes clients enforce: the CA/Browser Forum schedule (SC-081v3) by issuance date, Apple's
// 825 days, Android WebView's 397, WebTransport's 14 when asked; and the lint finding, which
// reports only the limits that reject a certificate under any root.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect, lifetimeLimits, lintBlock, publicTlsMaxDays } from '../../../src/pki';
import { fixture } from './helpers';

const DAY = 86_400_000;
const at = (d: string) => Date.parse(`${d}T00:00:00Z`);
const rules = (days: number, issued: string, webTransport = false) => lifetimeLimits(days, at(issued), { webTransport }).map((l) => `${l.rule}:${l.days}`);

test('lifetime: the public limit follows SC-081v3 by issuance date', () => {
  assert.equal(publicTlsMaxDays(at('2020-08-31')), undefined);
  assert.equal(publicTlsMaxDays(at('2020-09-01')), 398);
  assert.equal(publicTlsMaxDays(at('2026-03-14')), 398);
  assert.equal(publicTlsMaxDays(at('2026-03-15')), 200);
  assert.equal(publicTlsMaxDays(at('2027-03-14')), 200);
  assert.equal(publicTlsMaxDays(at('2027-03-15')), 100);
  assert.equal(publicTlsMaxDays(at('2029-03-15')), 47);
});

test('lifetime: each limit is reported only above it, with its rule', () => {
  assert.deepEqual(rules(30, '2026-11-26'), []);
  assert.deepEqual(rules(30, '2026-11-26', true), ['webtransport-hashes:14']);
  assert.deepEqual(rules(14, '2026-11-26', true), []);
  assert.deepEqual(rules(200, '2026-11-26'), []);
  assert.deepEqual(rules(201, '2026-11-26'), ['public-tls:200']);
  assert.deepEqual(rules(397, '2026-01-10'), []);
  assert.deepEqual(rules(398, '2026-01-10'), ['android-webview:397']);
  assert.deepEqual(rules(398, '2026-11-26'), ['public-tls:200', 'android-webview:397']);
  assert.deepEqual(rules(826, '2026-11-26'), ['apple-825:825', 'public-tls:200', 'android-webview:397']);
  assert.deepEqual(rules(101, '2027-06-01'), ['public-tls:100']);
  assert.deepEqual(rules(48, '2029-03-15'), ['public-tls:47']);
  // Apple's 825 days applies to certificates issued after 2019-07-01 only.
  assert.deepEqual(rules(900, '2019-06-30'), ['android-webview:397']);
  const apple = lifetimeLimits(900, at('2026-11-26')).find((l) => l.rule === 'apple-825')!;
  assert.match(apple.text, /825 days/);
  assert.equal(apple.anyRoot, true);
  assert.match(lifetimeLimits(300, at('2026-11-26'))[0].text, /Baseline Requirements §6\.3\.2, ballot SC-081v3/);
});

test('lint: lifetime-too-long on a TLS leaf above 397 days (any root), not on CAs, not at 397', () => {
  const leaf = inspect(fixture('leaf.crt')).decoded[0];
  const root = inspect(fixture('root.crt')).decoded[0];
  assert.equal(leaf.kind, 'certificate');
  assert.equal(root.kind, 'certificate');
  if (leaf.kind !== 'certificate' || root.kind !== 'certificate') {
    return;
  }
  const issued = at('2026-11-26');
  const cert = (days: number) => ({ ...leaf, notBefore: new Date(issued).toISOString(), notAfter: new Date(issued + days * DAY).toISOString() });
  const found = (days: number) => lintBlock(cert(days), 0, { now: issued + DAY }).filter((f) => f.code === 'lifetime-too-long');
  assert.deepEqual(found(397), [], 'the fixture leaf is 397 days: inside every any-root limit');
  assert.deepEqual(found(300), [], 'above the public 200 days only: not a finding (a private CA is not bound by it)');
  const f = found(400);
  assert.equal(f.length, 1);
  assert.equal(f[0].severity, 'warning');
  assert.match(f[0].message, /valid for 400 days, longer than 397 days: Android WebView/);
  assert.match(found(900)[0].message, /825 days: Apple/);
  // A CA (the 10-year fixture root) is not a TLS server certificate.
  assert.deepEqual(lintBlock(root, 0, { now: issued }).filter((x) => x.code === 'lifetime-too-long'), []);
  // A leaf limited to client authentication is not either.
  assert.deepEqual(lintBlock({ ...cert(900), extKeyUsage: ['clientAuth'] }, 0, { now: issued + DAY }).filter((x) => x.code === 'lifetime-too-long'), []);
});
