// Files the extension writes into the workspace: which folder, the question about replacing (asked
// before NCP is asked for anything), writing through the one safe writer shared with the CLI
// (src/files/safeWrite.ts: no symlinks followed, keys 0600, atomic), and keeping keys out of git.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as vscode from 'vscode';
import { checkTargets, WriteRefused, writeAtomic, writeFiles, type OutFile } from '../files/safeWrite';
import { setting as config } from './config';
import type { Context } from './context';
import { WORKSPACE_STATE } from './keys';

const t = vscode.l10n.t;

export type { OutFile };

/**
 * The folder certificates go to: `<workspace folder>/<setting>/<name>`. Keys are written by the
 * local safe writer, so only `file:` folders count; a virtual workspace asks where, as no folder does.
 */
export async function folderFor(ctx: Context, setting: 'certificateFolder' | 'devCertificate.folder', name?: string): Promise<vscode.Uri | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  let root: vscode.Uri | undefined = folders[0]?.uri;
  if (folders.length > 1) {
    const pick = await ctx.prompter.pick(
      folders.map((f) => ({ label: f.name, folder: f })),
      { title: t('Which workspace folder?') },
    );
    if (!pick) {
      return undefined;
    }
    root = pick.folder.uri;
  }
  if (!root) {
    return ctx.prompter.openFile({ canSelectFiles: false, canSelectFolders: true, title: t('Where should the files go?') });
  }
  const sub = config(setting);
  return vscode.Uri.joinPath(root, sub, ...(name ? [name] : []));
}

/** A refusal from the safe writer, told as a sentence. */
function refusal(err: WriteRefused): string {
  const where = err.paths.map((p) => vscode.workspace.asRelativePath(p)).join(', ');
  return err.kind === 'symlink'
    ? t('{0} is a symbolic link: NCP PKI does not write through links. Remove the link or choose another folder.', where)
    : err.kind === 'not-a-file'
      ? t('{0} is not a file: NCP PKI will not replace it.', where)
      : t('{0} already exists.', where);
}

/**
 * Before asking NCP for anything: may `names` be written into `folder`? A symlink (or a folder)
 * where a file goes is refused with a message; existing files are replaced only if the user says so.
 */
export async function checkFree(ctx: Context, folder: vscode.Uri, names: string[]): Promise<boolean> {
  let existing: string[];
  try {
    existing = checkTargets(folder.fsPath, names);
  } catch (err) {
    if (err instanceof WriteRefused) {
      ctx.log.warn(err.message);
      void vscode.window.showErrorMessage(refusal(err));
      return false;
    }
    throw err;
  }
  return existing.length === 0 || ctx.prompter.confirm(t('Replace {0} in {1}?', existing.join(', '), vscode.workspace.asRelativePath(folder)), t('The files there now are overwritten.'), t('Replace'));
}

/** Writes files the user agreed to (checkFree came first), keys 0600. False, with a message, if refused. */
export function writeInto(ctx: Context, folder: vscode.Uri, files: OutFile[]): boolean {
  try {
    writeFiles(folder.fsPath, files, true);
  } catch (err) {
    ctx.log.error(`writing ${files.map((f) => f.name).join(', ')} to ${folder.fsPath}: ${err instanceof Error ? err.message : String(err)}`);
    void vscode.window.showErrorMessage(err instanceof WriteRefused ? refusal(err) : t('Could not write to {0}: {1}', vscode.workspace.asRelativePath(folder), err instanceof Error ? err.message : String(err)));
    return false;
  }
  ctx.log.info(`wrote ${files.map((f) => f.name).join(', ')} to ${folder.fsPath}`);
  return true;
}

/** Saves to where a save dialog pointed (it asked about replacing): local files through the safe writer. */
export async function saveTo(ctx: Context, target: vscode.Uri, content: string | Uint8Array): Promise<boolean> {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  try {
    if (target.scheme === 'file') {
      writeAtomic(target.fsPath, bytes, 0o644);
    } else {
      await vscode.workspace.fs.writeFile(target, bytes);
    }
    return true;
  } catch (err) {
    ctx.log.error(`saving ${target.fsPath}: ${err instanceof Error ? err.message : String(err)}`);
    void vscode.window.showErrorMessage(err instanceof WriteRefused ? refusal(err) : t('Could not save {0}: {1}', target.fsPath, err instanceof Error ? err.message : String(err)));
    return false;
  }
}

/** Asks where to save `name` (the dialog asks before replacing), then saves it; the Uri saved to. */
export async function saveAs(ctx: Context, name: string, content: string | Uint8Array, filters?: Record<string, string[]>): Promise<vscode.Uri | undefined> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await ctx.prompter.saveFile({ title: t('Save {0}', name), ...(filters ? { filters } : {}), ...(root ? { defaultUri: vscode.Uri.joinPath(root, name) } : {}) });
  return target && (await saveTo(ctx, target, content)) ? target : undefined;
}

/** Offers, once per workspace, to keep private keys out of git. */
export async function ignoreKey(ctx: Context, keyFile: vscode.Uri): Promise<void> {
  const folder = vscode.workspace.getWorkspaceFolder(keyFile);
  if (!folder || ctx.extension.workspaceState.get<boolean>(WORKSPACE_STATE.gitignoreAsked)) {
    return;
  }
  const rel = relative(folder.uri.fsPath, keyFile.fsPath).split('\\').join('/');
  const gitignore = join(folder.uri.fsPath, '.gitignore');
  const current = existsSync(gitignore) ? readFileSync(gitignore, 'utf8') : '';
  if (current.split(/\r?\n/).some((l) => l.trim() === rel || l.trim() === `/${rel}` || l.trim() === '*.pem' || l.trim() === 'key.pem')) {
    return;
  }
  await ctx.extension.workspaceState.update(WORKSPACE_STATE.gitignoreAsked, true);
  if (await ctx.prompter.confirm(t('Add {0} to .gitignore?', rel), t('Private keys should not be committed. You are asked once per workspace.'), t('Add to .gitignore'))) {
    await saveTo(ctx, vscode.Uri.file(gitignore), `${current}${current && !current.endsWith('\n') ? '\n' : ''}# private keys written by NCP PKI\n${rel}\n`);
  }
}
