// Every documented answer under test/fixtures/ncp/ goes through the client's declarations; an
// operation of the client without a fixture fails the suite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPERATIONS, parseAnswer, type OperationName } from '../../../src/ncloud';
import { inspect } from '../../../src/pki';

const DIR = join(__dirname, '../../../../test/fixtures/ncp');

interface Fixture {
  operation: OperationName;
  source: string;
  how: string;
  body?: { code?: string; data?: unknown; returnCode?: string };
  bodyBase64?: string;
}

function load(name: string): Fixture {
  return JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as Fixture;
}

/** What the transport hands the declarations: Private CA's data, Certificate Manager's body, or bytes. */
function answerOf(f: Fixture): unknown {
  const op = OPERATIONS[f.operation];
  if (op.api === 'cm-bytes') {
    return new Uint8Array(Buffer.from(f.bodyBase64!, 'base64'));
  }
  if (op.api === 'pca') {
    assert.equal(f.body!.code, 'SUCCESS');
    return f.body!.data;
  }
  assert.equal(f.body!.returnCode, '0');
  return f.body;
}

test('every operation of the client has a fixture, and every fixture names an operation', () => {
  const ops = Object.keys(OPERATIONS).sort();
  const missing = ops.filter((o) => !existsSync(join(DIR, `${o}.json`)));
  assert.deepEqual(missing, [], 'operations without a documented answer under test/fixtures/ncp/');
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
  assert.deepEqual(files, ops);
});

for (const name of Object.keys(OPERATIONS) as OperationName[]) {
  test(`fixture ${name}: the client parses NCP's documented answer`, () => {
    const f = load(name);
    assert.equal(f.operation, name);
    assert.match(f.source, /^https:\/\/(api(-gov)?\.ncloud-docs\.com|github\.com\/NaverCloudPlatform)/);
    assert.doesNotThrow(() => parseAnswer(name, answerOf(f)));
  });
}

test('fixtures: what the client makes of the documented shapes', () => {
  const signed = parseAnswer('signCsr', answerOf(load('signCsr')));
  assert.equal(inspect(signed.caChain).blocks.length, 1, 'the array becomes one PEM per block');
  const issued = parseAnswer('issueCert', answerOf(load('issueCert')));
  assert.match(issued.privateKey!, /^-----BEGIN RSA PRIVATE KEY-----/);
  assert.equal(inspect(issued.caChain).blocks.length, 1);
  const updated = parseAnswer('updateCa', answerOf(load('updateCa')));
  assert.equal(updated.status, 'DESTROYING', 'the flat data of the Update CA example');
  const created = parseAnswer('createCa', answerOf(load('createCa')));
  assert.equal(created.caCertInfo!.country, 'KOR');
  assert.equal(created.caInfo.caId, 17001);
  const list = parseAnswer('cmList', answerOf(load('cmList')));
  assert.equal(list.sslCertificateList?.[0].statusCode, 1, 'statusCode "1" becomes 1');
  assert.deepEqual(parseAnswer('setCrlConfig', answerOf(load('setCrlConfig'))), { expiry: '5' });
  assert.equal(parseAnswer('getSubCsr', answerOf(load('getSubCsr'))).startsWith('-----BEGIN CERTIFICATE REQUEST-----'), true);
  assert.deepEqual(parseAnswer('listCaUsers', answerOf(load('listCaUsers'))), [{ loginId: 'USER', mbrNo: '2760001', idNo: '6e4c1234-abcd-4ef0-9876-0123456a9baa' }], 'the example\'s mdrNo is read as mbrNo');
  assert.equal(parseAnswer('listCerts', answerOf(load('listCerts'))).items.length, 2);
});
