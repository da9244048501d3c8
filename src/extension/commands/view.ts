// The NCP PKI views: refresh, the status filter, "Load more", reveal, inspect an item; and telling
// the language server which CAs the views know (for "Reissue from {CA}…").
import * as vscode from 'vscode';
import type { Ca, CaStatus } from '../../ncloud';
import { CA_STATUSES } from '../../ncloud/vocabulary';
import type { Ext } from '../ext';
import type { Profile } from '../profiles';
import { CaFileNode, CaNode, CertNode, CmCertNode, CmProfileNode, type LoadMoreNode, type Node } from '../tree';

const t = vscode.l10n.t;

export function refresh(ext: Ext) {
  return (node?: Node): void => {
    if (node instanceof CmProfileNode || node instanceof CmCertNode) {
      ext.cmTree.refresh(node instanceof CmCertNode ? node.profileNode : node);
    } else {
      ext.tree.refresh(node);
      if (!node) {
        ext.cmTree.refresh();
      }
    }
  };
}

export function filterCas(ext: Ext) {
  return async (): Promise<void> => {
    const all = t('All statuses');
    const pick = await ext.ctx.prompter.pick([{ label: all }, ...CA_STATUSES.map((s) => ({ label: s }))], { title: t('Show CAs with status') });
    if (pick) {
      ext.tree.setStatusFilter(pick.label === all ? undefined : [pick.label as CaStatus]);
    }
  };
}

export function loadMore(ext: Ext) {
  return async (node: LoadMoreNode): Promise<void> => {
    const profile = node.list.caNode.profileNode.profile;
    const done = await ext.services.run(t('Loading more certificates'), (signal) => node.list.loadPage(signal), profile);
    if (done !== undefined) {
      // The list keeps its pages: fire a change without resetting it.
      ext.tree.refreshKeep(node.list);
    }
  };
}

/** Shows a CA (or one of its certificates, once its page is loaded) in the Private CA view. */
export function reveal(ext: Ext) {
  return async (where: { profile: string; caTag: string; serialNo?: string }): Promise<boolean> => {
    await ext.tree.getChildren();
    const profileNode = ext.tree.profileNode(where.profile);
    if (!profileNode) {
      return false;
    }
    const found = await ext.services.run(
      t('Finding it in the NCP PKI view'),
      async (signal) => {
        // Load the path from the profile down: every CA, then the certificate's pages.
        await profileNode.children();
        const ca = profileNode.caNode(where.caTag);
        if (!ca || !where.serialNo) {
          return ca;
        }
        await ca.certs.loadAll(signal);
        const kids = await ca.certs.children();
        return kids.find((k) => k instanceof CertNode && k.cert.serialNo === where.serialNo) ?? ca;
      },
      profileNode.profile,
    );
    if (!found) {
      void vscode.window.showInformationMessage(t('It is no longer in the NCP PKI view (refresh it?).'));
      return false;
    }
    // Finding it reloaded the profile's CAs and the CA's pages behind the view's back: the view
    // (and VS Code's cache of what it shows) must take them before the reveal walks the path, or
    // the reveal looks for the certificate among children VS Code cached earlier and finds none.
    // TreeView.reveal() waits for a change fired before it.
    // A hidden view defers its refreshes until it shows, and would run them while the reveal
    // walks the path: show it first, so the refresh below comes after them and the reveal after it.
    if (!ext.treeView.visible) {
      await vscode.commands.executeCommand('ncloudPki.privateCa.focus');
    }
    ext.tree.refreshKeep(profileNode);
    // VS Code only logs a reveal it could not complete (the tree changed while it walked the
    // path) and resolves all the same; the selection it sets arrives before reveal() resolves. So
    // the selection is the answer: what the user sees selected.
    const id = found.item().id;
    for (let attempt = 1; attempt <= 3; attempt++) {
      await ext.treeView.reveal(found, { select: true, focus: true, expand: false });
      if (ext.treeView.selection.some((n) => n.item().id === id)) {
        return true;
      }
      ext.ctx.log.warn(`reveal of ${id}: the view did not select it (attempt ${attempt})`);
    }
    return false;
  };
}

/** Opens a tree item (certificate, CA, CRL, chain) in the inspector. */
export function inspectTreeItem(ext: Ext) {
  return async (node: Node): Promise<void> => {
    let text: string | undefined;
    let label: string;
    let reveal: { profile: string; caTag: string; serialNo?: string };
    if (node instanceof CertNode) {
      text = `${node.cert.certPem}\n${node.cert.caChain}`;
      label = node.cert.commonName;
      reveal = { profile: node.list.caNode.profileNode.profile.id, caTag: node.list.caNode.tag, serialNo: node.cert.serialNo };
    } else if (node instanceof CaNode) {
      text = `${node.ca.caCertInfo?.certPem ?? ''}\n${node.ca.caCertInfo?.chainPem ?? ''}`;
      label = node.ca.caInfo.alias;
      reveal = { profile: node.profileNode.profile.id, caTag: node.tag };
    } else if (node instanceof CaFileNode) {
      const ca = node.caNode;
      const profile = ca.profileNode.profile;
      const client = await ext.services.client(profile);
      label = `${ca.ca.caInfo.alias} ${node.kind === 'crl' ? 'CRL' : t('chain')}`;
      reveal = { profile: profile.id, caTag: ca.tag };
      text = await ext.services.run(t('Downloading {0}', label), (signal) => (node.kind === 'crl' ? client.pca.getCrl(ca.tag, { signal }) : client.pca.getChain(ca.tag, { signal })), profile);
    } else {
      return;
    }
    if (text !== undefined) {
      await ext.inspector.show({ text, source: { kind: 'ncp', label, reveal } });
    }
  };
}

/** Listens to the tree listing CAs and tells the language server what they say (knownCas.ts: certificates, chains, CRLs). */
export function knownIssuers(ext: Ext): (e: { profile: Profile; cas: Ca[] }) => void {
  return ({ profile, cas }) => {
    ext.knownCas.loaded(profile, cas).catch((err: unknown) => ext.ctx.log.warn(`known CAs of ${profile.name}: ${err instanceof Error ? err.message : String(err)}`));
    // The inspector offers the profiles' CAs as issuers of a certificate shown without its chain.
    ext.inspector.setProfileCas(
      profile.id,
      cas.filter((ca) => ca.caCertInfo?.certPem).map((ca) => ({ from: t('CA {0} of profile {1}', ca.caInfo.alias, profile.name), text: ca.caCertInfo!.certPem })),
    );
  };
}
