import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signature, signRequest, stringToSign } from '../../../src/ncloud/signer';

const cases = [
  {
    name: 'NCP documented vector (GET with query)',
    input: { method: 'GET', path: '/vserver/v2/getServerInstanceList?responseFormatType=json', ts: '1234567890123', ak: 'TestAccessKey', sk: 'TestSecretKey' },
    want: 'FPsYYX8fuMAgi+cue3eACOW0dNtIwu1LYWfg/megA2M=',
  },
];

for (const c of cases) {
  test(`signature: ${c.name}`, () => {
    assert.equal(signature(c.input.method, c.input.path, c.input.ts, c.input.ak, c.input.sk), c.want);
  });
}

test('stringToSign uppercases the method and joins with newlines', () => {
  assert.equal(stringToSign('post', '/api/v1/ca?caType=PRIVATE_ROOT', '1', 'AK'), 'POST /api/v1/ca?caType=PRIVATE_ROOT\n1\nAK');
});

test('signRequest puts the same timestamp in the header and the signature', () => {
  const h = signRequest('GET', '/api/v1/ca?pageNo=1', 'AK', 'SK', 1700000000000);
  assert.equal(h['x-ncp-apigw-timestamp'], '1700000000000');
  assert.equal(h['x-ncp-iam-access-key'], 'AK');
  assert.equal(h['x-ncp-apigw-signature-v2'], signature('GET', '/api/v1/ca?pageNo=1', '1700000000000', 'AK', 'SK'));
  // A different query must change the signature: the query is signed.
  assert.notEqual(h['x-ncp-apigw-signature-v2'], signRequest('GET', '/api/v1/ca?pageNo=2', 'AK', 'SK', 1700000000000)['x-ncp-apigw-signature-v2']);
});
