import type { Uri } from 'vscode';
import type { BlockRef } from '../language/protocol';
import type { Actions } from './actions';
import type { Context } from './context';
import type { PemFeature } from './pem';
import type { LoadMoreNode, Node, ProfileNode } from './tree';

/** Command id → handler. activate() registers exactly these (package.json contributes them). */
export function commandTable(ctx: Context, pem: PemFeature, a: Actions): Record<string, (...args: never[]) => unknown> {
  return {
    'ncloudPki.showLog': () => ctx.log.show(true),
    'ncloudPki.inspect': (arg?: BlockRef | Uri) => pem.inspect(arg),
    'ncloudPki.inspectClipboard': () => pem.inspectClipboard(),
    'ncloudPki.verifyChain': (arg?: { uri: string }) => pem.verifyChain(arg),
    'ncloudPki.inspectTreeItem': (node: Node) => a.inspectTreeItem(node),
    'ncloudPki.useEmulator': () => a.useEmulator(),
    'ncloudPki.addProfile': () => a.addProfile(),
    'ncloudPki.editProfile': (node?: ProfileNode | { profile: string }) => a.editProfile(node),
    'ncloudPki.removeProfile': (node?: ProfileNode) => a.removeProfile(node),
    'ncloudPki.switchProfile': (node?: ProfileNode) => a.switchProfile(node),
    'ncloudPki.refresh': (node?: Node) => a.refresh(node),
    'ncloudPki.filterCas': () => a.filterCas(),
    'ncloudPki.loadMore': (node: LoadMoreNode) => a.loadMore(node),
    'ncloudPki.reveal': (where: { profile: string; caTag: string; serialNo?: string }) => a.reveal(where),
    'ncloudPki.createRootCa': (node?: Node) => a.createCa('root', node),
    'ncloudPki.createSubCa': (node?: Node) => a.createCa('sub', node),
    'ncloudPki.activateCa': (node?: Node) => a.setCaStatus('ACTIVE', node),
    'ncloudPki.deactivateCa': (node?: Node) => a.setCaStatus('DEACTIVATED', node),
    'ncloudPki.destroyCa': (node?: Node) => a.destroyCa(node),
    'ncloudPki.deleteCa': (node?: Node) => a.deleteCa(node),
    'ncloudPki.issueCertificate': (node?: Node) => a.issueCertificate(node),
    'ncloudPki.signCsr': (node?: Node) => a.signCsr(node),
    'ncloudPki.issueDevCertificate': () => a.issueDevCertificate(),
    'ncloudPki.revokeCertificate': (node?: Node) => a.revokeCertificate(node),
    'ncloudPki.rotateCrl': (node?: Node) => a.rotateCrl(node),
    'ncloudPki.setCrlExpiry': (node?: Node) => a.setCrlExpiry(node),
    'ncloudPki.enableOcsp': (node?: Node) => a.setOcsp(true, node),
    'ncloudPki.disableOcsp': (node?: Node) => a.setOcsp(false, node),
    'ncloudPki.downloadCertificate': (node?: Node) => a.download('certificate', node),
    'ncloudPki.downloadChain': (node?: Node) => a.download('chain', node),
    'ncloudPki.downloadCrl': (node?: Node) => a.download('crl', node),
    'ncloudPki.reissue': (ref: BlockRef & { profile: string; caTag: string }) => a.reissue(ref),
    'ncloudPki.cmReissue': (node?: Node) => a.cmReissue(node),
    'ncloudPki.cmDownload': (node?: Node) => a.cmDownload(node),
  };
}
