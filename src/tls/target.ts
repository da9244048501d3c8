// Which `inspect` arguments name a TLS server. Kept apart from probe.ts so that `inspect FILE` never
// loads node:tls, node:net and node:dns (probe.ts is imported only when a target is given).

/** A TLS target: `https://host[:port]` (443) or `tls://host:port`. */
export interface TlsTarget {
  host: string;
  port: number;
}

/** Parses a target, or returns undefined when the argument is not one. Throws on a malformed one. */
export function tlsTarget(arg: string): TlsTarget | undefined {
  const m = /^(https|tls):\/\//i.exec(arg);
  if (!m) {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(arg);
  } catch {
    throw new Error(`not a valid address: ${arg}`);
  }
  const https = m[1].toLowerCase() === 'https';
  if (!url.port && !https) {
    throw new Error(`${arg}: tls:// needs a port (tls://HOST:PORT)`);
  }
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port ? Number(url.port) : 443 };
}
