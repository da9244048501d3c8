import type { Context } from './context';

/** Command id → handler. activate() registers exactly these. */
export function commandTable(ctx: Context): Record<string, (...args: unknown[]) => unknown> {
  return {
    'ncloudPki.showLog': () => ctx.log.show(true),
  };
}
