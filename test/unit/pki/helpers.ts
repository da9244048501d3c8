import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const FIXTURES = join(__dirname, '../../../../test/fixtures/pki');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, name)));
}

/** Runs openssl and returns its stdout. */
export function openssl(args: string[], input?: string | Uint8Array): string {
  return execFileSync('openssl', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

/** `key=value` lines of openssl's -noout output. */
export function opensslFields(out: string): Record<string, string> {
  const r: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const m = /^([A-Za-z0-9 ]+?)=(.*)$/.exec(line);
    if (m) {
      r[m[1]] = m[2];
    }
  }
  return r;
}

/** openssl's IPv6 text (0:0:0:0:0:0:0:1) and ours (::1) to one form. */
export function expandIp(ip: string): string {
  if (!ip.includes(':')) {
    return ip;
  }
  const [head, tail] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined ? (tail ? tail.split(':') : []) : [];
  const groups = tail !== undefined ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.map((g) => parseInt(g, 16).toString(16)).join(':');
}

/**
 * How many times longer `fn(8n)` takes than `fn(n)`: about 8 when linear, 64 when quadratic.
 * CPU time (not wall time: the machine may be busy with other work), the fastest of a few runs,
 * each after a full GC, so the ratio is about the code and not the machine's load.
 */
export async function scalingRatio(fn: (n: number) => unknown, n: number, runs = 5): Promise<number> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const cost = async (size: number) => {
    let best = Infinity;
    for (let i = 0; i < runs; i++) {
      gc();
      const c = process.cpuUsage();
      await fn(size);
      const d = process.cpuUsage(c);
      best = Math.min(best, d.user + d.system);
    }
    return best;
  };
  await cost(n); // warm-up
  const small = await cost(n);
  return (await cost(8 * n)) / Math.max(small, 1);
}
