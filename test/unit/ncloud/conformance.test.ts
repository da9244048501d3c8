// The emulator's answer to every operation is checked against the client's declarations
// (src/ncloud/contract.ts): the table below is typed by OperationName, so an operation added to
// the contract without a call here does not compile. Each call goes through the client, which
// validates what arrives; the raw shapes of the variant fields are checked in departures.test.ts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { OPERATIONS, type OperationName } from '../../../src/ncloud';
import { generateCsr } from '../../../src/pki';
import { harness, rootAndSub, type Harness } from './helpers';

let h: Harness;
before(async () => {
  h = await harness({ cmIssueDelayMs: 0 });
});
after(async () => {
  await h?.close();
});

test('every operation: the emulator answers what the contract declares', async () => {
  const { root, sub } = await rootAndSub(h.client, 'CF');
  const tag = sub.caInfo.caTag;
  const csr = await generateCsr({ keyType: 'EC256', subject: { commonName: 'conf.test' } });
  const idNo = '6e4c1234-abcd-4ef0-9876-0123456789ab';
  let serial = '';
  let pendingTag = '';
  let signedSub: { certificate: string; caChain: string } | undefined;
  let cmNo = 0;
  let importedNo = 0;
  const c = h.client;
  const calls: Record<OperationName, () => Promise<unknown>> = {
    createCa: async () => (pendingTag = (await c.pca.createCa({ caType: 'PRIVATE_SUB', alias: 'confpend', keyType: 'EC256', period: '100', x509Parameters: { commonName: 'Conf Pending' } })).caInfo.caTag),
    listCas: () => c.pca.listCas(1),
    getCa: () => c.pca.getCa(tag),
    updateCa: () => c.pca.updateCa(tag, { status: 'ACTIVE', memo: 'conformance' }),
    getChain: () => c.pca.getChain(tag),
    issueCert: async () => (serial = (await c.pca.issueCert(tag, { keyType: 'RSA2048', x509Parameters: { commonName: 'conf.test' } })).serialNo),
    listCerts: () => c.pca.listCerts(tag, 1),
    getCert: () => c.pca.getCert(tag, serial),
    signCsr: () => c.pca.signCsr(tag, { csrPem: csr.csrPem }),
    revokeCert: () => c.pca.revokeCert(tag, serial),
    getCrl: () => c.pca.getCrl(tag),
    rotateCrl: () => c.pca.rotateCrl(tag),
    getCrlConfig: () => c.pca.getCrlConfig(tag),
    setCrlConfig: () => c.pca.setCrlConfig(tag, 5),
    enableOcsp: () => c.pca.enableOcsp(tag, 'http://ocsp.conf/'),
    disableOcsp: () => c.pca.disableOcsp(tag),
    getSubCsr: () => c.pca.getSubCsr(pendingTag),
    signSubCsr: async () => (signedSub = await c.pca.signSubCsr(root.caInfo.caTag, { csrPem: await c.pca.getSubCsr(pendingTag), period: '50' })),
    activateSub: () => c.pca.activateSub(pendingTag, { certPem: signedSub!.certificate, caChainPem: signedSub!.caChain }),
    trim: () => c.pca.trim(tag),
    addCaUser: () => c.pca.addUser(tag, idNo),
    listCaUsers: () => c.pca.listUsers(tag),
    deleteCaUser: () => c.pca.removeUser(tag, idNo),
    deleteCa: async () => {
      await c.pca.updateCa(pendingTag, { status: 'DESTROYING' });
      return c.pca.deleteCa(pendingTag);
    },
    cmList: async () => (cmNo = (await c.cm.list()).items[0].certificateNo),
    cmListV1: () => c.cm.listV1({ certificateNo: cmNo }),
    cmReissue: () => c.cm.reissue(cmNo, { csr: csr.csrPem, certificateName: 'www-example', commonName: 'www.example.com', validationMethod: 'D' }),
    cmDownload: () => c.cm.download(cmNo),
    cmImport: async () => {
      const signed = await c.pca.signCsr(tag, { csrPem: csr.csrPem });
      return (importedNo = (await c.cm.importExternal({ certificateName: 'conf-import', privateKey: csr.privateKeyPem, certificatePEM: signed.certificate })).certificateNo!);
    },
    cmDelete: () => c.cm.delete(importedNo),
  };
  assert.deepEqual(Object.keys(calls).sort(), Object.keys(OPERATIONS).sort());
  for (const [name, call] of Object.entries(calls)) {
    await assert.doesNotReject(call(), `${name} (${OPERATIONS[name as OperationName].name})`);
  }
});
