// "Export Certificate…": a certificate file with its key.pem and chain.pem beside it, as PKCS#12
// (modern or legacy), fullchain.pem, a Kubernetes TLS Secret or DER, written beside it through the
// one safe writer (0600 when a key is inside; an existing file replaced only after asking).
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import * as vscode from 'vscode';
import type { ExportFormat } from '../../export';
import type { Ext } from '../ext';
import { checkFree, writeInto } from '../workspaceFiles';

const t = vscode.l10n.t;

export function exportCertificate(ext: Ext) {
  return async (arg?: vscode.Uri): Promise<vscode.Uri | undefined> => {
    const ctx = ext.ctx;
    const source = arg instanceof vscode.Uri ? arg : (vscode.window.activeTextEditor?.document.uri ?? (await ctx.prompter.openFile({ title: t('Which certificate file?'), filters: { [t('Certificates')]: ['pem', 'crt', 'cer'] } })));
    if (!source || source.scheme !== 'file') {
      return undefined;
    }
    const formats: { label: string; detail: string; format: ExportFormat; legacy?: boolean }[] = [
      { label: t('PKCS#12 (.p12)'), detail: t('Key and chain, password-protected with AES-256 and PBKDF2'), format: 'p12' },
      { label: t('PKCS#12, legacy (.p12)'), detail: t('3DES and SHA-1, for Windows before 10 1709 and Java before 8u301'), format: 'p12', legacy: true },
      { label: t('Full chain (.fullchain.pem)'), detail: t('The certificate, then its intermediates (no root)'), format: 'fullchain' },
      { label: t('Kubernetes TLS Secret (.secret.yaml)'), detail: t('kubernetes.io/tls with tls.crt, tls.key and ca.crt'), format: 'k8s-secret' },
      { label: t('DER (.der)'), detail: t('The certificate alone, binary'), format: 'der' },
    ];
    const pick = await ctx.prompter.pick(formats, { title: t('Export {0} as', basename(source.fsPath)) });
    if (!pick) {
      return undefined;
    }
    let password: string | undefined;
    if (pick.format === 'p12') {
      password = await ctx.prompter.input({ title: t('PKCS#12 password'), prompt: t('The password that protects the file'), password: true, validateInput: (v) => (v.length < 4 ? t('At least 4 characters') : undefined) });
      if (password === undefined) {
        return undefined;
      }
    }
    const b = ext.services.backend();
    const dir = dirname(source.fsPath);
    const name = `${basename(source.fsPath, extname(source.fsPath))}${b.defaultExtension(pick.format)}`;
    const folder = vscode.Uri.file(dir);
    if (!(await checkFree(ctx, folder, [name]))) {
      return undefined;
    }
    const keyFile = join(dir, 'key.pem');
    const chainFile = join(dir, 'chain.pem');
    let result;
    try {
      result = await b.buildExport(
        {
          cert: new Uint8Array(readFileSync(source.fsPath)),
          key: b.needsKey(pick.format) && existsSync(keyFile) ? readFileSync(keyFile, 'latin1') : undefined,
          chain: existsSync(chainFile) && chainFile !== source.fsPath ? new Uint8Array(readFileSync(chainFile)) : undefined,
        },
        { format: pick.format, password, legacy: pick.legacy },
      );
    } catch (err) {
      // The message names files and subjects, never key material.
      void vscode.window.showErrorMessage(t('Cannot export {0}: {1}', vscode.workspace.asRelativePath(source), (err as Error).message));
      return undefined;
    }
    if (!writeInto(ctx, folder, [{ name, content: result.content, secret: result.secret }])) {
      return undefined;
    }
    const target = vscode.Uri.file(join(dir, name));
    void vscode.window.showInformationMessage(t('Wrote {0} ({1} certificates{2}).', vscode.workspace.asRelativePath(target), result.certificates, result.secret ? t(', private key inside, mode 0600') : ''));
    return target;
  };
}
