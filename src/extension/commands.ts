import type { Uri } from 'vscode';
import type { BlockRef } from '../language/protocol';
import type { Context } from './context';
import type { PemFeature } from './pem';

/** Command id → handler. activate() registers exactly these. */
export function commandTable(ctx: Context, pem: PemFeature): Record<string, (...args: never[]) => unknown> {
  return {
    'ncloudPki.showLog': () => ctx.log.show(true),
    'ncloudPki.inspect': (arg?: BlockRef | Uri) => pem.inspect(arg),
    'ncloudPki.inspectClipboard': () => pem.inspectClipboard(),
    'ncloudPki.verifyChain': (arg?: { uri: string }) => pem.verifyChain(arg),
  };
}
