// The TLS probe's pure parts: what a user types as an endpoint, chain order as served, and
// verification against your CAs alone (the system store is not consulted).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { render, type Text } from '../../../src/pki/messages';
import { caCertificates, endpointTarget, probeTls, servedInOrder, TlsStepError, verifyText, verifyWith } from '../../../src/tls/probe';
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
  assert.deepEqual(verifyWith([der(leaf.pem), der(inter.pem)], caCertificates(`junk\n${root.pem}`)), { verified: true, anchor: 'CN=Root', error: null, why: null });
  assert.equal(verifyWith([der(leaf.pem), der(root.pem), der(inter.pem)], caCertificates(root.pem)).verified, true);
  assert.match(verifyWith([der(leaf.pem)], caCertificates(root.pem)).error!, /no CA of yours issued CN=Inter/);
  assert.match(verifyWith([der(old.pem), der(inter.pem)], caCertificates(root.pem)).error!, /CN=old is not valid now/);
  // A leaf among the candidates is no anchor; junk and what does not parse are left out.
  assert.deepEqual(caCertificates(`junk\n${leaf.pem}${root.pem}-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`).map((c) => c.subject), ['CN=Root']);
  assert.equal(verifyWith([der(leaf.pem), der(inter.pem)], caCertificates(leaf.pem)).verified, false);
  assert.equal(verifyWith([der(leaf.pem), der(inter.pem)], []).error, 'no CA certificate of yours was found');
});

test('probe in Korean: a refused connection, an unknown host, the verification codes and "not verified by your CAs" all read Korean with the extension\'s bundle', async () => {
  const ko = JSON.parse(readFileSync(join(__dirname, '../../../../l10n/bundle.l10n.ko.json'), 'utf8')) as Record<string, string>;
  const say = (t: Text) => render(t, (english) => ko[english]);
  // A port that was just free: nothing listens there.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  const refused = await probeTls({ host: '127.0.0.1', port }, { timeoutMs: 5000 }).then(
    () => assert.fail('connected'),
    (err: unknown) => err,
  );
  assert.ok(refused instanceof TlsStepError);
  assert.equal(refused.step, 'connect');
  assert.match(refused.message, /^cannot connect to 127\.0\.0\.1:\d+: connection refused/);
  assert.equal(say(refused.text), `127.0.0.1:${port}에 연결할 수 없습니다: 연결이 거부되었습니다(그 포트에서 기다리는 서버가 없음)`);
  const unknown = await probeTls({ host: 'host.invalid', port: 443 }, { timeoutMs: 5000 }).then(
    () => assert.fail('resolved'),
    (err: unknown) => err,
  );
  assert.ok(unknown instanceof TlsStepError);
  assert.match(say(unknown.text), /^host\.invalid의 주소를 찾을 수 없습니다: /);
  for (const code of ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'CERT_NOT_YET_VALID', 'SOMETHING_ELSE']) {
    const words = say(verifyText(code));
    assert.match(words, /[가-힣]/, words);
    assert.ok(words.includes(code), words);
    assert.doesNotMatch(words.replace(code, '').replace('OpenSSL', ''), /[a-z]{2,}/, words);
  }
  // A port that speaks plain HTTP, and one that hangs up: the handshake step says which, in Korean.
  for (const [answer, want] of [
    [(c: Socket) => c.end('HTTP/1.1 400 Bad Request\r\n\r\n'), '서버가 이 포트에서 TLS를 사용하지 않습니다'],
    [(c: Socket) => c.destroy(), '핸드셰이크 중에 서버가 연결을 끊었습니다'],
  ] as const) {
    const open = new Set<Socket>();
    const plain = createServer((c) => {
      open.add(c);
      answer(c);
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const at = (plain.address() as AddressInfo).port;
    try {
      const err = await probeTls({ host: '127.0.0.1', port: at }, { timeoutMs: 5000 }).then(
        () => assert.fail('handshake'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof TlsStepError && err.step === 'handshake', String(err));
      assert.equal(say(err.text), `127.0.0.1:${at}과(와)의 TLS 핸드셰이크가 실패했습니다: ${want}`);
    } finally {
      open.forEach((c) => c.destroy());
      plain.close();
    }
  }
  const root = await makeCert({ cn: 'Root', ca: true, to: 3650 });
  const inter = await makeCert({ cn: 'Inter', ca: true, issuer: root, to: 1800 });
  const leaf = await makeCert({ cn: 'leaf', issuer: inter, to: 30 });
  assert.equal(say(verifyWith([der(leaf.pem)], caCertificates(root.pem)).why!), 'CN=Inter을(를) 발급한 CA가 사용자의 CA 중에 없습니다');
  assert.equal(say(verifyWith([der(leaf.pem)], []).why!), '사용자의 CA 인증서를 찾지 못했습니다');
  assert.equal(say(verifyWith([], []).why!), '서버가 인증서를 보내지 않았습니다');
});
