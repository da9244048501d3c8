// NCP's validation rules and error codes, over raw signed HTTP (no client in between), table-driven.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { DEFAULT_CREDENTIALS } from '../../../src/emulator';
import { signRequest } from '../../../src/ncloud/signer';
import { harness, rootAndSub, type Harness } from '../ncloud/helpers';

let h: Harness;
let rootTag: string;
let subTag: string;
let offTag: string;
let serial: string;
before(async () => {
  h = await harness();
  const { root, sub } = await rootAndSub(h.client, 'V');
  rootTag = root.caInfo.caTag;
  subTag = sub.caInfo.caTag;
  const off = await h.client.pca.createCa({ caType: 'PRIVATE_ROOT', alias: 'offroot', keyType: 'EC256', period: '100', x509Parameters: { commonName: 'Off' } });
  offTag = off.caInfo.caTag;
  await h.client.pca.updateCa(offTag, { status: 'DEACTIVATED' });
  serial = (await h.client.pca.issueCert(subTag, { x509Parameters: { commonName: 'v.test' } })).serialNo;
  await h.client.pca.revokeCert(subTag, serial);
});
after(async () => {
  await h?.close();
});

async function call(method: string, target: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers = { ...signRequest(method, target, DEFAULT_CREDENTIALS.accessKey, DEFAULT_CREDENTIALS.secretKey), 'content-type': 'application/json' };
  const r = await request(`${h.emu.url}${target}`, { method: method as 'GET', headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: r.statusCode, json: (await r.body.json()) as Record<string, unknown> };
}

const ca = (over: Record<string, unknown> = {}, x509: Record<string, unknown> = {}) => ({ alias: 'valid1', keyType: 'EC256', period: '100', ...over, x509Parameters: { commonName: 'Valid', ...x509 } });
const long = (n: number) => 'a'.repeat(n);

const cases: { name: string; method: string; target: () => string; body?: unknown; status: number; code: string }[] = [
  { name: 'caType missing', method: 'POST', target: () => '/api/v1/ca', body: ca(), status: 400, code: 'EMPTY_CA_TYPE' },
  { name: 'caType unknown', method: 'POST', target: () => '/api/v1/ca?caType=PUBLIC', body: ca(), status: 400, code: 'INVALID_REQUEST' },
  { name: 'alias missing', method: 'POST', target: () => '/api/v1/ca?caType=PRIVATE_ROOT', body: ca({ alias: '' }), status: 400, code: 'EMPTY_CA_ALIAS' },
  { name: 'alias too long', method: 'POST', target: () => '/api/v1/ca?caType=PRIVATE_ROOT', body: ca({ alias: 'a23456789012345X' }), status: 400, code: 'EXCEED_CA_ALIAS' },
  { name: 'alias starting with a digit', method: 'POST', target: () => '/api/v1/ca?caType=PRIVATE_ROOT', body: ca({ alias: '9lives' }), status: 400, code: 'INVALID_INPUT' },
  { name: 'alias too short', method: 'POST', target: () => '/api/v1/ca?caType=PRIVATE_ROOT', body: ca({ alias: 'ab' }), status: 400, code: 'INVALID_INPUT' },
  { name: 'alias taken', method: 'POST', target: () => '/api/v1/ca?caType=PRIVATE_ROOT', body: ca({ alias: 'rootV' }), status: 400, code: 'ALREADY_EXIST_ALIAS' },
  { name: 'keyType missing', method: 'POST', target: () => '/api/v1/ca?caType=PRIVATE_ROOT', body: ca({ keyType: undefined }), status: 400, code: 'EMPTY_KEY_TYPE' },
  { name: 'keyType unknown', method: 'POST', target: () => '/api/v1/ca?caType=PRIVATE_ROOT', body: ca({ keyType: 'EC384' }), status: 400, code: 'INVALID_X509_KEY_TYPE' },
  { name: 'period 0', method: 'POST', target: () => '/api/v1/ca?caType=PRIVATE_ROOT', body: ca({ period: '0' }), status: 400, code: 'INVALID_INPUT_PERIOD' },
  { name: 'period 3651', method: 'POST', target: () => '/api/v1/ca?caType=PRIVATE_ROOT', body: ca({ period: '3651' }), status: 400, code: 'INVALID_INPUT_PERIOD' },
  { name: 'period not a number', method: 'POST', target: () => '/api/v1/ca?caType=PRIVATE_ROOT', body: ca({ period: '1y' }), status: 400, code: 'INVALID_INPUT_PERIOD' },
  { name: 'x509Parameters missing', method: 'POST', target: () => '/api/v1/ca?caType=PRIVATE_ROOT', body: { alias: 'valid1', keyType: 'EC256', period: '10' }, status: 400, code: 'EMPTY_X509_PARAMETERS' },
  { name: 'commonName missing', method: 'POST', target: () => '/api/v1/ca?caType=PRIVATE_ROOT', body: ca({}, { commonName: '' }), status: 400, code: 'EMPTY_COMMON_NAME' },
  { name: 'commonName of 65', method: 'POST', target: () => '/api/v1/ca?caType=PRIVATE_ROOT', body: ca({}, { commonName: long(65) }), status: 400, code: 'EXCEED_COMMON_NAME' },
  { name: 'organization of 65', method: 'POST', target: () => '/api/v1/ca?caType=PRIVATE_ROOT', body: ca({}, { organization: long(65) }), status: 400, code: 'INVALID_INPUT' },
  { name: 'organizationUnit of 129 (misspelled key too)', method: 'POST', target: () => '/api/v1/ca?caType=PRIVATE_ROOT', body: ca({}, { organicationUnit: long(129) }), status: 400, code: 'INVALID_INPUT' },
  { name: 'country not ISO', method: 'POST', target: () => '/api/v1/ca?caType=PRIVATE_ROOT', body: ca({}, { contry: 'Korea' }), status: 400, code: 'INVALID_INPUT' },
  { name: 'bad IP SAN', method: 'POST', target: () => `/api/v1/ca/${subTag}/cert`, body: { x509Parameters: { commonName: 'x', ip: '300.1.1.1' } }, status: 400, code: 'INVALID_X509_IP' },
  { name: 'bad DNS SAN', method: 'POST', target: () => `/api/v1/ca/${subTag}/cert`, body: { x509Parameters: { commonName: 'x', altName: 'not a name' } }, status: 400, code: 'INVALID_INPUT' },
  { name: 'sub without an existing issuer', method: 'POST', target: () => '/api/v1/ca?caType=PRIVATE_SUB&issuerTag=00000000-00000000', body: ca(), status: 400, code: 'NOT_EXIST_ISSUER_CA' },
  { name: 'sub under a DEACTIVATED issuer', method: 'POST', target: () => `/api/v1/ca?caType=PRIVATE_SUB&issuerTag=${offTag}`, body: ca(), status: 400, code: 'INVALID_ISSUER_CA' },
  { name: 'sub outliving its issuer', method: 'POST', target: () => `/api/v1/ca?caType=PRIVATE_SUB&issuerTag=${subTag}`, body: ca({ period: '3650' }), status: 400, code: 'EXCEED_EXPIRY_DATE' },
  { name: 'leaf outliving its issuer', method: 'POST', target: () => `/api/v1/ca/${subTag}/cert`, body: { period: '3000', x509Parameters: { commonName: 'x' } }, status: 400, code: 'EXCEED_EXPIRY_DATE' },
  { name: 'issuance from a DEACTIVATED CA', method: 'POST', target: () => `/api/v1/ca/${offTag}/cert`, body: { x509Parameters: { commonName: 'x' } }, status: 400, code: 'INVALID_CA_STATUS' },
  { name: 'delete a CA that is not DESTROYING', method: 'DELETE', target: () => `/api/v1/ca/${rootTag}`, status: 400, code: 'INVALID_CA_STATUS' },
  { name: 'malformed caTag', method: 'GET', target: () => '/api/v1/ca/XYZ', status: 400, code: 'INVALID_REQUEST' },
  { name: 'unknown caTag', method: 'GET', target: () => '/api/v1/ca/0123abcd-0123abcd', status: 404, code: 'NOT_FOUND' },
  { name: 'malformed serial', method: 'GET', target: () => `/api/v1/ca/${subTag}/cert/zz-zz`, status: 400, code: 'INVALID_INPUT_SERIAL_NO' },
  { name: 'unknown serial', method: 'GET', target: () => `/api/v1/ca/${subTag}/cert/01:02`, status: 404, code: 'NOT_FOUND' },
  { name: 'revoke twice', method: 'POST', target: () => `/api/v1/ca/${subTag}/cert/${serial}/revoke`, status: 400, code: 'INVALID_CERT' },
  { name: 'status missing', method: 'PUT', target: () => `/api/v1/ca/${subTag}`, body: {}, status: 400, code: 'EMPTY_STATUS' },
  { name: 'status unknown', method: 'PUT', target: () => `/api/v1/ca/${subTag}`, body: { status: 'PAUSED' }, status: 400, code: 'INVALID_INPUT_STATUS' },
  { name: 'CSR missing', method: 'POST', target: () => `/api/v1/ca/${subTag}/cert/sign`, body: {}, status: 400, code: 'EMPTY_CSR' },
  { name: 'CSR garbage', method: 'POST', target: () => `/api/v1/ca/${subTag}/cert/sign`, body: { csrPem: '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----' }, status: 400, code: 'INVALID_INPUT' },
  { name: 'CRL expiry under 3 days', method: 'PUT', target: () => `/api/v1/ca/${subTag}/crl/config`, body: { expiry: '2' }, status: 400, code: 'INVALID_INPUT' },
  { name: 'CRL expiry beyond the CA', method: 'PUT', target: () => `/api/v1/ca/${subTag}/crl/config`, body: { expiry: '3000' }, status: 400, code: 'INVALID_INPUT' },
  { name: 'OCSP URL not a URL', method: 'PUT', target: () => `/api/v1/ca/${subTag}/urls`, body: { ocsp_servers: 'nope' }, status: 400, code: 'INVALID_INPUT' },
  { name: 'sub CSR of an active CA', method: 'GET', target: () => `/api/v1/ca/${subTag}/sub/csr`, status: 400, code: 'INVALID_CA_STATUS' },
  { name: 'activate an active CA', method: 'POST', target: () => `/api/v1/ca/${subTag}/activate`, body: { certPem: 'x' }, status: 400, code: 'INVALID_CA_STATUS' },
  { name: 'body that is not JSON', method: 'POST', target: () => '/api/v1/ca?caType=PRIVATE_ROOT', body: '{not json', status: 400, code: 'INVALID_REQUEST' },
  { name: 'pageNo not a number', method: 'GET', target: () => '/api/v1/ca?pageNo=x', status: 400, code: 'INVALID_REQUEST' },
];

for (const c of cases) {
  test(`validation: ${c.name} → ${c.status} ${c.code}`, async () => {
    const r = await call(c.method, c.target(), c.body);
    assert.equal(r.status, c.status, JSON.stringify(r.json));
    assert.equal(r.json.code, c.code, JSON.stringify(r.json));
    assert.equal(r.json.data, null);
    assert.equal(typeof r.json.msg, 'string');
  });
}

test('the misspelled create-CA keys of NCP\'s docs are accepted', async () => {
  const r = await call('POST', '/api/v1/ca?caType=PRIVATE_ROOT', ca({ alias: 'typos' }, { contry: 'KR', organicationUnit: 'Ops' }));
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const info = (r.json.data as { caCertInfo: { country: string; organizationUnit: string } }).caCertInfo;
  assert.deepEqual([info.country, info.organizationUnit], ['KR', 'Ops']);
});

test('an unknown path is the gateway\'s 404', async () => {
  const r = await call('GET', '/api/v1/nothing');
  assert.equal(r.status, 404);
  assert.deepEqual((r.json.error as { errorCode: string }).errorCode, '300');
});

test('timestamps outside ±5 minutes are refused; inside are accepted', async () => {
  for (const [offset, status] of [[-4 * 60_000, 200], [4 * 60_000, 200], [-6 * 60_000, 401], [6 * 60_000, 401]] as const) {
    const headers = signRequest('GET', '/api/v1/ca', DEFAULT_CREDENTIALS.accessKey, DEFAULT_CREDENTIALS.secretKey, Date.now() + offset);
    const r = await request(`${h.emu.url}/api/v1/ca`, { headers: { ...headers } });
    await r.body.dump();
    assert.equal(r.statusCode, status, `offset ${offset}`);
  }
});
