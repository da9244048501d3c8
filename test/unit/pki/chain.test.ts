import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildChain, inspect, type CertificateInfo } from '../../../src/pki';
import { fixture } from './helpers';

function certs(text: string) {
  const r = inspect(text);
  return r.blocks.map((b, i) => ({ der: b.der!, info: r.decoded[i] as CertificateInfo }));
}

function cn(list: ReturnType<typeof certs>, i: number): string {
  return list[i].info.subjectAttributes.find((a) => a.type === 'CN')!.value;
}

const cases: { name: string; input: string; want: { order: string[]; inOrder: boolean; complete: boolean; root?: string; problems?: RegExp[] } }[] = [
  { name: 'leaf → root, every signature verifies (RSA and ECDSA P-384)', input: fixture('chain.pem'), want: { order: ['localhost', 'Test Issuing CA', 'Test Root CA'], inOrder: true, complete: true, root: 'Test Root CA' } },
  { name: 'reversed bundle is reordered and reported', input: fixture('chain-reversed.pem'), want: { order: ['localhost', 'Test Issuing CA', 'Test Root CA'], inOrder: false, complete: true, root: 'Test Root CA', problems: [/leaf → root order/] } },
  { name: 'a gap: the root is missing', input: fixture('chain-no-root.pem'), want: { order: ['localhost', 'Test Issuing CA'], inOrder: true, complete: false, problems: [/^"Test Issuing CA": issuer "CN=Test Root CA,O=ncloud-pki test,C=KR" is not in the bundle$/] } },
  { name: 'expiry anywhere in the chain', input: fixture('expired.crt') + fixture('root.crt'), want: { order: ['expired.example', 'Test Root CA'], inOrder: true, complete: true, root: 'Test Root CA', problems: [/expired on 2021/] } },
  { name: 'unrelated certificates are reported', input: fixture('chain.pem') + fixture('ed25519.crt'), want: { order: ['localhost', 'Test Issuing CA', 'Test Root CA'], inOrder: true, complete: false, root: 'Test Root CA', problems: [/not part of the chain/] } },
  { name: 'Ed25519 self-signature verifies', input: fixture('ed25519.crt'), want: { order: ['Ed25519 Test'], inOrder: true, complete: true, root: 'Ed25519 Test' } },
];

for (const c of cases) {
  test(`chain: ${c.name}`, async () => {
    const list = certs(c.input);
    const r = await buildChain(list);
    assert.deepEqual(r.order.map((i) => cn(list, i)), c.want.order);
    assert.equal(r.inOrder, c.want.inOrder);
    assert.equal(r.complete, c.want.complete, r.problems.join('; '));
    assert.equal(r.root === undefined ? undefined : cn(list, r.root), c.want.root);
    for (const p of c.want.problems ?? []) {
      assert.ok(r.problems.some((x) => p.test(x)), `${p} not in ${JSON.stringify(r.problems)}`);
    }
    if (!c.want.problems) {
      assert.deepEqual(r.problems, []);
    }
  });
}

test('chain: a missing issuer is said once (a served chain rightly leaving out its root read as two problems)', async () => {
  const r = await buildChain(certs(fixture('chain-no-root.pem')));
  assert.deepEqual(r.problems, ['"Test Issuing CA": issuer "CN=Test Root CA,O=ncloud-pki test,C=KR" is not in the bundle']);
});

test('chain: a tampered signature is the link that fails', async () => {
  const list = certs(fixture('chain.pem'));
  const leaf = list[0];
  const der = leaf.der.slice();
  der[leaf.info.offsets.signature[1] - 5] ^= 0xff;
  list[0] = { der, info: leaf.info };
  const r = await buildChain(list);
  assert.equal(r.complete, false);
  assert.equal(r.links[0].signatureValid, false);
  assert.match(r.links[0].problem!, /signature does not verify with the key of "Test Issuing CA"/);
  assert.equal(r.links[1].signatureValid, true);
});
