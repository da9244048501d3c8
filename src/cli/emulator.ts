// `ncloud-pki emulator`: the local NCP emulator as a process. Prints `listening on URL` once
// ready; SIGTERM/SIGINT stop it cleanly (state is already durable after each request).
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CREDENTIALS, EmulatorConfigError, startEmulator, type EmulatorCredentials as Credentials, type LogLine } from '../emulator';
import { parseDuration } from '../emulator/duration';
import { opt } from './args';
import type { CommandMain } from './main';

/** One log line for stderr (never a key or a body). */
export function formatLogLine(l: LogLine): string {
  if (l.suppressed) {
    return `… ${l.suppressed} more ${l.method} requests answered ${l.status} not logged (last: ${l.path})\n`;
  }
  return `${l.method} ${JSON.stringify(l.path).slice(1, -1)} ${l.status} ${l.ms}ms${l.error ? ` error: ${l.error}` : ''}\n`;
}

/** Runs the emulator until a signal; resolves with the exit code. */
export const main: CommandMain = async (_path, args) => {
  const host = opt(args, 'host') ?? '127.0.0.1';
  const port = Number(opt(args, 'port') ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`ncloud-pki: --port must be 0-65535\nrun 'ncloud-pki emulator --help' for usage\n`);
    return 2;
  }
  const dataDir = opt(args, 'data') ?? join(homedir(), '.ncloud-pki', 'emulator');
  const env = process.env;
  const credentials = {
    accessKey: opt(args, 'access-key') ?? (env.NCLOUD_PKI_EMULATOR_ACCESS_KEY || DEFAULT_CREDENTIALS.accessKey),
    secretKey: opt(args, 'secret-key') ?? (env.NCLOUD_PKI_EMULATOR_SECRET_KEY || DEFAULT_CREDENTIALS.secretKey),
  };
  const allowHost = opt(args, 'allow-host');
  const durations: Record<string, number> = {};
  for (const flag of ['clock-offset', 'gateway-skew']) {
    const v = opt(args, flag);
    const ms = v === undefined ? 0 : parseDuration(v);
    if (ms === undefined) {
      process.stderr.write(`ncloud-pki: --${flag} must be a duration such as -400d, +2h, 10m, 30s\nrun 'ncloud-pki emulator --help' for usage\n`);
      return 2;
    }
    durations[flag] = ms;
  }
  const extra: Credentials[] = [];
  for (const [flag, permission] of [['read-only-key', 'read'], ['no-permission-key', 'none']] as const) {
    const v = opt(args, flag);
    if (v !== undefined) {
      const [accessKey, secretKey] = v.split(':');
      if (!accessKey || !secretKey) {
        process.stderr.write(`ncloud-pki: --${flag} must be ACCESS_KEY:SECRET_KEY\n`);
        return 2;
      }
      extra.push({ accessKey, secretKey, permission });
    }
  }
  const quiet = args.options.has('quiet');
  let running;
  try {
    running = await startEmulator({
      host,
      port,
      dataDir,
      credentials: [credentials, ...extra],
      clockOffsetMs: durations['clock-offset'],
      gatewaySkewMs: durations['gateway-skew'],
      ...(allowHost ? { allowedHosts: allowHost.split(',').map((h) => h.trim().toLowerCase()).filter(Boolean) } : {}),
      ...(quiet ? {} : { log: (l) => process.stderr.write(formatLogLine(l)) }),
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    process.stderr.write(`ncloud-pki: cannot start the emulator: ${code === 'EADDRINUSE' ? `port ${port} on ${host} is in use (try --port 0)` : (err as Error).message}\n`);
    return err instanceof EmulatorConfigError ? 2 : 1;
  }
  // Handlers go in before the line is printed: a script may send SIGTERM the moment it reads it.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  process.stdout.write(`listening on ${running.url}\n`);
  await stopped;
  await running.stop();
  return 0;
};
