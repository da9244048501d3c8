// The TLS probe's pure parts: what a user types as an endpoint, chain order as served, and
// verification against your CAs alone (the system store is not consulted).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointTarget, servedInOrder, verifyWith } from '../../../src/tls/probe';
import { makeCert } from '../cli/certs';

const der = (pem: string) => new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));

test('endpointTarget: host, host:port, [v6]:port, https:// and tls://; bad ones throw', () => {
  assert.deepEqual(endpointTarget('example.com'), { host: 'example.com', port: 443 });
  assert.deepEqual(endpointTarget(' 127.0.0.1:8443 '), { host: '127.0.0.1', port: 8443 });
  assert.deepEqual(endpointTarget('[::1]:9000'), { host: '::1', port: 9000 });
  assert.deepEqual(endpointTarget('https://example.com'), { host: 'example.com', port: 443 });
  assert.deepEqual(endpointTarget('tls://example.com:465'), { host: 'example.com', port: 465 });
  for (const bad of ['', 'host:0', 'host:70000', 'a b', 'host:port', 'tls://host']) {
    assert.throws(() => endpointTarget(bad), Error, bad);
  }
});

test('servedInOrder and verifyWith: in order, reversed, missing intermediate, expired, no CA', async () => {
  const root = await makeCert({ cn: 'Root', ca: true, to: 3650 });
  const inter = await makeCert({ cn: 'Inter', ca: true, issuer: root, to: 1800 });
  const leaf = await makeCert({ cn: 'leaf', issuer: inter, to: 30 });
  const old = await makeCert({ cn: 'old', issuer: inter, to: -1, from: -30 });
  assert.equal(servedInOrder([der(leaf.pem), der(inter.pem)]), true);
  assert.equal(servedInOrder([der(leaf.pem), der(root.pem), der(inter.pem)]), false);
  assert.deepEqual(verifyWith([der(leaf.pem), der(inter.pem)], [`junk\n${root.pem}`]), { verified: true, anchor: 'CN=Root', error: null });
  assert.equal(verifyWith([der(leaf.pem), der(root.pem), der(inter.pem)], [root.pem]).verified, true);
  assert.match(verifyWith([der(leaf.pem)], [root.pem]).error!, /no CA of yours issued CN=Inter/);
  assert.match(verifyWith([der(old.pem), der(inter.pem)], [root.pem]).error!, /CN=old is not valid now/);
  // A leaf among the candidates is no anchor.
  assert.equal(verifyWith([der(leaf.pem), der(inter.pem)], [leaf.pem]).verified, false);
  assert.equal(verifyWith([der(leaf.pem), der(inter.pem)], []).error, 'no CA certificate of yours was found');
});
