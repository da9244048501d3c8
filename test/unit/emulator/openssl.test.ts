// What the emulator issues is real PKI: openssl verifies root → sub → leaf, and refuses a revoked
// leaf with the emulator's CRL. The CRL and CA certificate are served as DER where certificates point.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import { inspect, type CertificateInfo } from '../../../src/pki';
import { harness, rootAndSub, type Harness } from '../ncloud/helpers';

let h: Harness;
before(async () => {
  h = await harness();
});
after(async () => {
  await h?.close();
});

function verify(args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('openssl', ['verify', ...args], { encoding: 'utf8' });
  return { ok: r.status === 0, out: r.stdout + r.stderr };
}

for (const keyType of ['EC256', 'RSA2048', 'EC521'] as const) {
  test(`openssl verifies root → sub → leaf (${keyType} leaf) and refuses it once revoked`, async () => {
    const { root, sub } = await rootAndSub(h.client, keyType.slice(0, 5));
    const tag = sub.caInfo.caTag;
    const issued = await h.client.pca.issueCert(tag, { keyType, period: '30', x509Parameters: { commonName: 'leaf.test', altName: 'leaf.test' } });
    const f = (n: string, s: string) => {
      const p = join(h.dir, `${keyType}-${n}`);
      writeFileSync(p, s);
      return p;
    };
    const rootPem = f('root.pem', root.caCertInfo!.certPem);
    const subPem = f('sub.pem', sub.caCertInfo!.certPem);
    const leafPem = f('leaf.pem', issued.certificate);
    const chainPem = f('chain.pem', issued.caChain);
    const good = verify(['-CAfile', rootPem, '-untrusted', subPem, leafPem]);
    assert.ok(good.ok, good.out);
    // caChain as NCP returns it is sub + root: enough as the untrusted chain too.
    assert.ok(verify(['-CAfile', rootPem, '-untrusted', chainPem, leafPem]).ok);
    const purpose = verify(['-CAfile', rootPem, '-untrusted', subPem, '-purpose', 'sslserver', leafPem]);
    assert.ok(purpose.ok, purpose.out);

    // Both CRLs (root's for the sub, sub's for the leaf) are needed by -crl_check_all.
    const crlOk = f('ok.crl', (await h.client.pca.getCrl(root.caInfo.caTag)) + (await h.client.pca.getCrl(tag)));
    assert.ok(verify(['-crl_check_all', '-CAfile', rootPem, '-untrusted', subPem, '-CRLfile', crlOk, leafPem]).ok);
    await h.client.pca.revokeCert(tag, issued.serialNo);
    const crlRevoked = f('revoked.crl', (await h.client.pca.getCrl(root.caInfo.caTag)) + (await h.client.pca.getCrl(tag)));
    const bad = verify(['-crl_check_all', '-CAfile', rootPem, '-untrusted', subPem, '-CRLfile', crlRevoked, leafPem]);
    assert.equal(bad.ok, false);
    assert.match(bad.out, /certificate revoked/);
  });
}

test('the CRL distribution point and AIA URLs in a certificate serve DER', async () => {
  const { sub } = await rootAndSub(h.client, 'X');
  const issued = await h.client.pca.issueCert(sub.caInfo.caTag, { x509Parameters: { commonName: 'aia.test' } });
  const leaf = inspect(issued.certificate).decoded[0] as CertificateInfo;
  const crl = await request(leaf.crlDistributionPoints[0]);
  assert.equal(crl.statusCode, 200);
  assert.equal(crl.headers['content-type'], 'application/pkix-crl');
  const der = new Uint8Array(await crl.body.arrayBuffer());
  assert.equal(inspect(der).decoded[0].kind, 'crl');
  const out = execFileSync('openssl', ['crl', '-inform', 'DER', '-noout', '-issuer', '-nameopt', 'RFC2253'], { input: der, encoding: 'utf8' });
  assert.match(out, /CN=Test Sub X/);
  const ca = await request(leaf.caIssuers[0]);
  assert.equal(ca.statusCode, 200);
  const caDer = new Uint8Array(await ca.body.arrayBuffer());
  assert.equal((inspect(caDer).decoded[0] as CertificateInfo).subject, leaf.issuer);
});
