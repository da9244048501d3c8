import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CREDENTIALS, startEmulator, type EmulatorOptions, type RunningEmulator } from '../../../src/emulator';
import { createClient, type NcpClient, type OperationName } from '../../../src/ncloud';
import { generateCsr } from '../../../src/pki';

export interface Harness {
  emu: RunningEmulator;
  client: NcpClient;
  dir: string;
  close(): Promise<void>;
}

/** An emulator on 127.0.0.1 with its own data folder, and a client for it. */
export async function harness(options: Partial<EmulatorOptions> = {}, clientOptions: Partial<Parameters<typeof createClient>[0]> = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'ncloud-emu-'));
  const emu = await startEmulator({ dataDir: join(dir, 'data'), ...options });
  const client = createClient({ target: { endpoint: emu.url }, credentials: DEFAULT_CREDENTIALS, retry: { baseDelayMs: 10 }, ...clientOptions });
  return {
    emu,
    client,
    dir,
    close: async () => {
      await client.close();
      await emu.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A root CA (EC256) and, under it, an ACTIVE subordinate (RSA2048). */
export async function rootAndSub(client: NcpClient, suffix = '') {
  const root = await client.pca.createCa({ caType: 'PRIVATE_ROOT', alias: `root${suffix}`, keyType: 'EC256', period: '3650', x509Parameters: { commonName: `Test Root ${suffix}`, country: 'KR', organization: 'ncloud-pki test' } });
  const sub = await client.pca.createCa({ caType: 'PRIVATE_SUB', issuerTag: root.caInfo.caTag, alias: `sub${suffix}`, keyType: 'RSA2048', period: '1825', x509Parameters: { commonName: `Test Sub ${suffix}`, country: 'KR' } });
  return { root, sub };
}

/**
 * One call of every client operation against a fresh emulator, in an order where each finds what
 * it needs (typed by OperationName: an operation added to the contract without a call does not
 * compile). Used by the conformance test and to record the emulator's traffic.
 */
export async function everyOperation(c: NcpClient): Promise<Record<OperationName, () => Promise<unknown>>> {
  const { root, sub } = await rootAndSub(c, 'CF');
  const tag = sub.caInfo.caTag;
  const csr = await generateCsr({ keyType: 'EC256', subject: { commonName: 'conf.test' } });
  const idNo = '6e4c1234-abcd-4ef0-9876-0123456789ab';
  let serial = '';
  let pendingTag = '';
  let signedSub: { certificate: string; caChain: string } | undefined;
  let cmNo = 0;
  let importedNo = 0;
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
      return (importedNo = (await c.cm.importExternal({ certificateName: 'conf-import', privateKey: csr.privateKeyPem, publicKeyCertificate: signed.certificate, certificateChain: signed.caChain })).certificateNo!);
    },
    cmDelete: () => c.cm.delete(importedNo, 'conf-import'),
  };
  return calls;
}
