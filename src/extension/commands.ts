// Command id → factory. activate() builds each handler from the Ext once and registers exactly
// these (package.json contributes them). The handlers live in commands/, one file per subject.
import type { Uri } from 'vscode';
import type { BlockRef } from '../language/protocol';
import type { Ext } from './ext';
import * as cas from './commands/cas';
import * as certs from './commands/certificates';
import * as cm from './commands/certificateManager';
import * as crl from './commands/crl';
import { setEmulatorClock } from './commands/emulatorClock';
import { exportCertificate } from './commands/export';
import * as profiles from './commands/profiles';
import { inspectTlsEndpoint } from './commands/tls';
import { trustCa, untrustCa } from './commands/trust';
import * as view from './commands/view';
import * as inventory from './commands/inventory';

type Handler = (...args: never[]) => unknown;

export const COMMANDS: Record<string, (ext: Ext) => Handler> = {
  'ncloudPki.showLog': (ext) => () => ext.ctx.log.show(true),
  'ncloudPki.inspect': (ext) => (arg?: BlockRef | Uri) => ext.pem.inspect(arg),
  'ncloudPki.inspectClipboard': (ext) => () => ext.pem.inspectClipboard(),
  'ncloudPki.inspectTlsEndpoint': inspectTlsEndpoint,
  'ncloudPki.certificates.groupBy': inventory.groupBy,
  'ncloudPki.certificates.reindex': inventory.reindex,
  'ncloudPki.certificates.inspect': inventory.inspectEntry,
  'ncloudPki.verifyChain': (ext) => (arg?: { uri: string }) => ext.pem.verifyChain(arg),
  'ncloudPki.inspectTreeItem': view.inspectTreeItem,
  'ncloudPki.useEmulator': profiles.useEmulator,
  'ncloudPki.addProfile': profiles.addProfile,
  'ncloudPki.editProfile': profiles.editProfile,
  'ncloudPki.testConnection': profiles.testConnection,
  'ncloudPki.setEmulatorClock': setEmulatorClock,
  'ncloudPki.removeProfile': profiles.removeProfile,
  'ncloudPki.switchProfile': profiles.switchProfile,
  'ncloudPki.refresh': view.refresh,
  'ncloudPki.filterCas': view.filterCas,
  'ncloudPki.loadMore': view.loadMore,
  'ncloudPki.reveal': view.reveal,
  'ncloudPki.createRootCa': (ext) => cas.createCa(ext, 'root'),
  'ncloudPki.createSubCa': (ext) => cas.createCa(ext, 'sub'),
  'ncloudPki.activateCa': (ext) => cas.setCaStatus(ext, 'ACTIVE'),
  'ncloudPki.deactivateCa': (ext) => cas.setCaStatus(ext, 'DEACTIVATED'),
  'ncloudPki.destroyCa': cas.destroyCa,
  'ncloudPki.deleteCa': cas.deleteCa,
  'ncloudPki.enableOcsp': (ext) => cas.setOcsp(ext, true),
  'ncloudPki.disableOcsp': (ext) => cas.setOcsp(ext, false),
  'ncloudPki.issueCertificate': certs.issueCertificate,
  'ncloudPki.signCsr': certs.signCsr,
  'ncloudPki.issueDevCertificate': certs.issueDevCertificate,
  'ncloudPki.reissue': certs.reissue,
  'ncloudPki.revokeCertificate': certs.revokeCertificate,
  'ncloudPki.downloadCertificate': certs.downloadCertificate,
  'ncloudPki.downloadChain': (ext) => crl.downloadFromCa(ext, 'chain'),
  'ncloudPki.downloadCrl': (ext) => crl.downloadFromCa(ext, 'crl'),
  'ncloudPki.rotateCrl': crl.rotateCrl,
  'ncloudPki.setCrlExpiry': crl.setCrlExpiry,
  'ncloudPki.cmReissue': cm.cmReissue,
  'ncloudPki.cmDownload': cm.cmDownload,
  'ncloudPki.exportCertificate': exportCertificate,
  'ncloudPki.trustCa': trustCa,
  'ncloudPki.untrustCa': untrustCa,
};
