import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCsr, generateKeyPair, inspect, KEY_TYPES, type CsrInfo, type KeyInfo } from '../../../src/pki';
import { openssl } from './helpers';

const want: Record<string, { algorithm: string; size: number; curve?: string }> = {
  RSA2048: { algorithm: 'RSA', size: 2048 },
  RSA4096: { algorithm: 'RSA', size: 4096 },
  EC256: { algorithm: 'EC', size: 256, curve: 'P-256' },
  EC384: { algorithm: 'EC', size: 384, curve: 'P-384' },
  EC521: { algorithm: 'EC', size: 521, curve: 'P-521' },
};

for (const keyType of KEY_TYPES) {
  test(`generate ${keyType}: a CSR openssl verifies, with subject and SANs, and its key`, async () => {
    const r = await generateCsr({ keyType, subject: { commonName: 'svc.example', organization: 'ncloud-pki test', country: 'KR' }, dnsNames: ['svc.example', 'www.svc.example'], ipAddresses: ['10.0.0.1'] });
    const dir = mkdtempSync(join(tmpdir(), 'pki-gen-'));
    try {
      writeFileSync(join(dir, 'r.csr'), r.csrPem);
      const out = openssl(['req', '-in', join(dir, 'r.csr'), '-noout', '-verify', '-nameopt', 'RFC2253', '-subject']);
      assert.match(out, /subject=CN=svc.example,O=ncloud-pki test,C=KR/);
      writeFileSync(join(dir, 'k.pem'), r.privateKeyPem, { mode: 0o600 });
      assert.match(openssl(['pkey', '-in', join(dir, 'k.pem'), '-noout', '-check']).toString() || 'ok', /ok|valid/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const csr = inspect(r.csrPem).decoded[0] as CsrInfo;
    assert.equal(csr.kind, 'csr');
    assert.deepEqual({ algorithm: csr.publicKey.algorithm, size: csr.publicKey.size, ...(csr.publicKey.curve ? { curve: csr.publicKey.curve } : {}) }, want[keyType]);
    assert.deepEqual(csr.sans, [{ type: 'dns', value: 'svc.example' }, { type: 'dns', value: 'www.svc.example' }, { type: 'ip', value: '10.0.0.1' }]);
    const key = inspect(r.privateKeyPem).decoded[0] as KeyInfo;
    assert.equal(key.publicKey.id, csr.publicKey.id, 'the key belongs to the CSR');
  });
}

test('generateKeyPair: PEM halves of one key', async () => {
  const k = await generateKeyPair('EC256');
  const [priv, pub] = [inspect(k.privateKeyPem).decoded[0] as KeyInfo, inspect(k.publicKeyPem).decoded[0] as KeyInfo];
  assert.equal(priv.kind, 'privateKey');
  assert.equal(pub.kind, 'publicKey');
  assert.equal(priv.publicKey.id, pub.publicKey.id);
});
