// What a CA publishes: its CRL (rotate, validity, download) and its chain (download).
import * as vscode from 'vscode';
import type { Ext } from '../ext';
import { CaFileNode } from '../tree';
import { checkCrlDays } from '../validation';
import { saveAs } from '../workspaceFiles';
import { caFor } from './cas';

const t = vscode.l10n.t;

/** The CA node behind a CRL or chain item (commands on those act on their CA). */
function caOf(arg: unknown): unknown {
  return arg instanceof CaFileNode ? arg.caNode : arg;
}

export function rotateCrl(ext: Ext) {
  return async (arg?: unknown): Promise<boolean> => {
    const target = await caFor(ext, caOf(arg), t('Rotate CRL'), (ca) => ca.caInfo.status === 'ACTIVE');
    if (!target) {
      return false;
    }
    const done = await ext.services.run(t('Rotating the CRL of {0}', target.ca.caInfo.alias), async (signal) => (await ext.services.client(target.profile)).pca.rotateCrl(target.ca.caInfo.caTag, { signal }), target.profile);
    if (done !== undefined) {
      vscode.window.setStatusBarMessage(t('New CRL issued by {0}', target.ca.caInfo.alias), 4000);
      void ext.knownCas.changed(target.profile.id, target.ca.caInfo.caTag);
    }
    return done !== undefined;
  };
}

export function setCrlExpiry(ext: Ext) {
  return async (arg?: unknown): Promise<boolean> => {
    const target = await caFor(ext, caOf(arg), t('CRL Validity'), () => true);
    if (!target) {
      return false;
    }
    const client = await ext.services.client(target.profile);
    const tag = target.ca.caInfo.caTag;
    const current = await ext.services.run(t('Reading the CRL settings of {0}', target.ca.caInfo.alias), (signal) => client.pca.getCrlConfig(tag, { signal }), target.profile);
    if (!current) {
      return false;
    }
    const days = await ext.ctx.prompter.input({ title: t('CRL Validity of {0}', target.ca.caInfo.alias), prompt: t('Days each CRL is valid (at least 3)'), value: current.expiry, validateInput: checkCrlDays });
    if (days === undefined) {
      return false;
    }
    return (await ext.services.run(t('Saving the CRL validity'), (signal) => client.pca.setCrlConfig(tag, Number(days), { signal }), target.profile)) !== undefined;
  };
}

/** Downloads a CA's CRL or chain through a save dialog (which asks before replacing). */
export function downloadFromCa(ext: Ext, what: 'chain' | 'crl') {
  return async (arg?: unknown): Promise<vscode.Uri | undefined> => {
    const target = await caFor(ext, caOf(arg), what === 'crl' ? t('Download CRL') : t('Download Chain'), () => true);
    if (!target) {
      return undefined;
    }
    const client = await ext.services.client(target.profile);
    const tag = target.ca.caInfo.caTag;
    const name = `${target.ca.caInfo.alias}.${what === 'crl' ? 'crl' : 'chain.pem'}`;
    const pem = await ext.services.run(t('Downloading {0}', name), (signal) => (what === 'crl' ? client.pca.getCrl(tag, { signal }) : client.pca.getChain(tag, { signal })), target.profile);
    return pem === undefined ? undefined : saveAs(ext.ctx, name, pem);
  };
}
