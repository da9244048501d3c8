// "NCP PKI: Set Local Emulator Clock…": an emulator-only extension outside NCP's API. It moves the
// in-process emulator's PKI clock (what `--clock-offset` and PUT /_emulator/clock do), so new
// certificates come out already expired, not yet valid or about to expire, and CRLs age. The
// gateway keeps real time, so requests are still signed with this computer's clock.
import * as vscode from 'vscode';
import { formatDuration, parseDuration } from '../../emulator/duration';
import type { Ext } from '../ext';

const t = vscode.l10n.t;

export function setEmulatorClock(ext: Ext) {
  return async (): Promise<number | undefined> => {
    const emulator = await ext.services.run(t('Starting the local emulator'), () => ext.services.startEmulator());
    if (!emulator) {
      return undefined;
    }
    const answer = await ext.ctx.prompter.input({
      title: t('Set Local Emulator Clock'),
      prompt: t('Offset from real time for new certificates and CRLs: -400d (already expired), +30d (not yet valid), 0 (real time)'),
      value: formatDuration(emulator.clockOffset()),
      validateInput: (v) => (parseDuration(v) === undefined ? t('A duration such as -400d, +2h, 10m or 0') : undefined),
    });
    if (answer === undefined) {
      return undefined;
    }
    const ms = parseDuration(answer)!;
    emulator.setClockOffset(ms);
    const day = new Date(Date.now() + ms).toISOString().slice(0, 10);
    ext.ctx.log.info(`local emulator: clock offset ${formatDuration(ms)} (its date: ${day})`);
    void vscode.window.showInformationMessage(ms === 0 ? t('The local emulator runs on real time again.') : t('The local emulator now runs {0} from real time: new certificates and CRLs are dated {1}.', formatDuration(ms), day));
    ext.tree.refresh();
    ext.cmTree.refresh();
    return ms;
  };
}
