// Certificate Manager: reissue with a key and CSR generated here (the key is written to the
// workspace, 0600, never sent), download the ZIP.
import * as vscode from 'vscode';
import type { Ext } from '../ext';
import { CmCertNode } from '../tree';
import { checkCommonName, list, safeName } from '../validation';
import { wizard } from '../wizard';
import { checkFree, folderFor, ignoreKey, saveAs, writeInto } from '../workspaceFiles';

const t = vscode.l10n.t;

export function cmReissue(ext: Ext) {
  return async (arg?: unknown): Promise<boolean> => {
    if (!(arg instanceof CmCertNode)) {
      void vscode.window.showInformationMessage(t('Choose the certificate in the Certificate Manager view (right-click → Reissue).'));
      return false;
    }
    const c = arg.cert;
    const profile = arg.profileNode.profile;
    const title = t('Reissue {0}', c.certificateName);
    const a = await wizard(ext.ctx.prompter, title, 3, async (w) => {
      const commonName = await w.input({ prompt: t('Common name (CN)'), value: c.commonName, validateInput: checkCommonName });
      const dns = list(await w.input({ prompt: t('DNS names, comma separated'), value: c.dnsName || commonName }));
      const method = await w.pick(
        [
          { label: 'D' as const, description: t('DNS: add the CNAME record NCP gives you') },
          { label: 'E' as const, description: t('E-mail: approve the mail sent to the domain admin') },
        ],
        { placeHolder: t('Domain validation method') },
      );
      return { commonName, dns, validationMethod: method.label };
    });
    const folder = a && (await folderFor(ext.ctx, 'certificateFolder', safeName(c.certificateName)));
    if (!a || !folder || !(await checkFree(ext.ctx, folder, ['key.pem', 'request.csr']))) {
      return false;
    }
    const generated = await ext.services.run(t('Generating a key and CSR'), () => ext.services.backend().generateCsr({ keyType: 'RSA2048', subject: { commonName: a.commonName }, dnsNames: a.dns }));
    if (!generated || !writeInto(ext.ctx, folder, [{ name: 'key.pem', content: generated.privateKeyPem, secret: true }, { name: 'request.csr', content: generated.csrPem }])) {
      return false;
    }
    await ignoreKey(ext.ctx, vscode.Uri.joinPath(folder, 'key.pem'));
    const request = { csr: generated.csrPem, certificateName: c.certificateName, commonName: a.commonName, dnsName: a.dns, validationMethod: a.validationMethod };
    const done = await ext.services.run(title, async (signal) => (await ext.services.client(profile)).cm.reissue(c.certificateNo, request, { signal }), profile);
    if (!done) {
      return false;
    }
    ext.cmTree.refresh();
    void vscode.window.showInformationMessage(t('Reissue of {0} requested; it shows as Issuing until NCP finishes. The key is in {1}.', c.certificateName, vscode.workspace.asRelativePath(folder)));
    return true;
  };
}

export function cmDownload(ext: Ext) {
  return async (arg?: unknown): Promise<vscode.Uri | undefined> => {
    if (!(arg instanceof CmCertNode)) {
      void vscode.window.showInformationMessage(t('Choose the certificate in the Certificate Manager view (right-click → Download).'));
      return undefined;
    }
    const profile = arg.profileNode.profile;
    const c = arg.cert;
    const zip = await ext.services.run(t('Downloading {0}', c.certificateName), async (signal) => (await ext.services.client(profile)).cm.download(c.certificateNo, { signal }), profile);
    return zip && saveAs(ext.ctx, `${safeName(c.certificateName)}.zip`, zip, { ZIP: ['zip'] });
  };
}
