// The chain a live server presents (`ncloud-pki inspect https://HOST[:PORT]` / `tls://HOST:PORT`,
// and the extension's "Inspect TLS Endpoint…"), taken with node:tls, and what a client would think of it: hostname match, verification against
// the system store (and given CAs), chain order as served, expiry, OCSP stapling, protocol, cipher.
import { lookup } from 'node:dns/promises';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { checkServerIdentity, connect, rootCertificates, type ConnectionOptions, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { Duplex } from 'node:stream';
import { render, text, type Text } from '../pki/messages';
import { tlsTarget, type TlsTarget } from './target';

/** What a user types: `host`, `host:port`, `[v6]:port`, or an https:// / tls:// address (443 when no port). Throws on a malformed one. */
export function endpointTarget(input: string): TlsTarget {
  const text = input.trim();
  const url = tlsTarget(text);
  if (url) {
    return url;
  }
  const m = /^(\[[^\]]+\]|[^:\s/]+)(?::(\d{1,5}))?$/.exec(text);
  const port = m?.[2] === undefined ? 443 : Number(m[2]);
  if (!m || port < 1 || port > 65535) {
    throw new Error(`not a host[:port]: ${input}`);
  }
  return { host: m[1].replace(/^\[(.*)\]$/, '$1'), port };
}

/** The CA certificates among the PEM blocks of `text` (anything else, and what does not parse, left out). */
export function caCertificates(text: string): X509Certificate[] {
  return (text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []).flatMap((pem) => {
    try {
      const c = new X509Certificate(pem);
      return c.ca ? [c] : [];
    } catch {
      return [];
    }
  });
}

/** The served chain checked against given anchors alone (not the system store): CA certificates, from `caCertificates`. */
export function verifyWith(served: Uint8Array[], anchors: X509Certificate[], now = new Date()): { verified: boolean; anchor: string | null; error: string | null; why: Text | null } {
  const no = (why: Text) => ({ verified: false, anchor: null, error: render(why), why });
  if (!served.length) {
    return no(text('tls.no-certificate'));
  }
  const certs = served.map((der) => new X509Certificate(der));
  const issuedBy = (child: X509Certificate, parent: X509Certificate) => child.checkIssued(parent) && child.verify(parent.publicKey);
  const current = (c: X509Certificate) => new Date(c.validFrom) <= now && now <= new Date(c.validTo);
  const seen = new Set<X509Certificate>();
  for (let c = certs[0]; ; ) {
    if (!current(c)) {
      return no(text('tls.not-valid-now', c.subject.replace(/\n/g, ', '), c.validFrom, c.validTo));
    }
    const anchor = anchors.find((a) => issuedBy(c, a) || a.fingerprint256 === c.fingerprint256);
    if (anchor) {
      return current(anchor) ? { verified: true, anchor: anchor.subject.replace(/\n/g, ', '), error: null, why: null } : no(text('tls.ca-not-valid-now', anchor.subject.replace(/\n/g, ', ')));
    }
    seen.add(c);
    const next = certs.find((p) => !seen.has(p) && issuedBy(c, p));
    if (!next) {
      return no(anchors.length ? text('tls.not-yours', c.issuer.replace(/\n/g, ', ')) : text('tls.no-cas'));
    }
    c = next;
  }
}

/** True when each served certificate is issued by the next one (leaf first). */
export function servedInOrder(served: Uint8Array[]): boolean {
  const certs = served.map((der) => new X509Certificate(der));
  return certs.every((c, i) => i === 0 || certs[i - 1].checkIssued(c));
}

/** What the connection showed. */
export interface TlsReport {
  host: string;
  port: number;
  servername: string;
  address: string;
  protocol: string | null;
  cipher: string | null;
  ocspStapled: boolean;
  /** The certificates as the server sent them (leaf first, if the server is right). */
  served: Uint8Array[];
  /** Where the served order comes from: TLS 1.3 encrypts the Certificate message, so it is read from a TLS 1.2 handshake. */
  orderFrom: 'handshake' | 'tls1.2-handshake' | 'unknown';
  hostnameMatch: boolean;
  /** Node's words (the CLI's output), and the same as data in the user's language. */
  hostnameError: string | null;
  hostnameProblem: Text | null;
  /** Verified against the system store (plus the given CAs). */
  chainVerified: boolean;
  /** OpenSSL's code (UNABLE_TO_GET_ISSUER_CERT_LOCALLY...), and what it means. */
  verifyError: string | null;
  verifyProblem: Text | null;
}

/** What an OpenSSL verification code means, in words (the code kept for who searches it). */
const VERIFY_TEXTS = {
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls.verify.issuer-unknown',
  UNABLE_TO_GET_ISSUER_CERT: 'tls.verify.issuer-unknown',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls.verify.leaf-alone',
  CERT_HAS_EXPIRED: 'tls.verify.expired',
  CERT_NOT_YET_VALID: 'tls.verify.not-yet-valid',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls.verify.self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls.verify.self-signed-root',
} as const;

export function verifyText(code: string): Text {
  return text(VERIFY_TEXTS[code as keyof typeof VERIFY_TEXTS] ?? 'tls.verify.other', code);
}

/** A failure, naming the step: resolve, connect, handshake; `text` is the message as data (to be translated), `message` its English. */
export class TlsStepError extends Error {
  constructor(
    readonly step: 'resolve' | 'connect' | 'handshake',
    readonly text: Text,
  ) {
    super(render(text));
  }
}

/** Reads TLS records from the raw bytes of a TLS ≤1.2 handshake and returns the Certificate message's certificates. */
class CertificateTap {
  private records = Buffer.alloc(0);
  private handshake = Buffer.alloc(0);
  certs: Uint8Array[] | undefined;
  encrypted = false;

  push(chunk: Buffer): void {
    if (this.certs || this.encrypted) {
      return;
    }
    this.records = Buffer.concat([this.records, chunk]);
    while (this.records.length >= 5) {
      const type = this.records[0];
      const len = this.records.readUInt16BE(3);
      if (this.records.length < 5 + len) {
        return;
      }
      const body = this.records.subarray(5, 5 + len);
      this.records = this.records.subarray(5 + len);
      if (type === 20 || type === 23) {
        // ChangeCipherSpec or application data: from here on, the handshake is not readable.
        this.encrypted = true;
        return;
      }
      if (type === 22) {
        this.handshake = Buffer.concat([this.handshake, body]);
        this.readMessages();
      }
    }
  }

  private readMessages(): void {
    while (this.handshake.length >= 4 && !this.certs) {
      const len = this.handshake.readUIntBE(1, 3);
      if (this.handshake.length < 4 + len) {
        return;
      }
      const msg = this.handshake.subarray(4, 4 + len);
      if (this.handshake[0] === 11) {
        const certs: Uint8Array[] = [];
        for (let i = 3; i + 3 <= msg.length; ) {
          const n = msg.readUIntBE(i, 3);
          certs.push(new Uint8Array(msg.subarray(i + 3, i + 3 + n)));
          i += 3 + n;
        }
        this.certs = certs;
      }
      this.handshake = this.handshake.subarray(4 + len);
    }
  }
}

interface Handshake {
  socket: TLSSocket;
  tap: CertificateTap;
  ocspStapled: boolean;
}

function handshake(address: string, port: number, servername: string, ca: string[] | undefined, timeoutMs: number, maxVersion?: 'TLSv1.2'): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const tap = new CertificateTap();
    let connected = false;
    const raw: Socket = netConnect({ host: address, port });
    // TLS reads a net.Socket's handle directly, so the bytes go through a pass-through stream
    // that shows them to the tap first.
    const through = new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        raw.write(chunk, callback);
      },
      final(callback) {
        raw.end();
        callback();
      },
      destroy(err, callback) {
        raw.destroy();
        callback(err);
      },
    });
    raw.on('data', (d: Buffer) => {
      tap.push(d);
      through.push(d);
    });
    raw.on('end', () => through.push(null));
    const timer = setTimeout(() => {
      raw.destroy();
      reject(new TlsStepError(connected ? 'handshake' : 'connect', text(connected ? 'tls.handshake-timeout' : 'tls.connect-timeout', timeoutMs / 1000)));
    }, timeoutMs);
    raw.once('connect', () => {
      connected = true;
      const state: Handshake = { socket: undefined as unknown as TLSSocket, tap, ocspStapled: false };
      // The host name is checked apart (so `authorized` is about the chain alone). requestOCSP is passed on to the TLSSocket by connect() (Node's _tls_wrap), though ConnectionOptions does not list it.
      const tlsOptions: ConnectionOptions & { requestOCSP: boolean } = { socket: through, servername: isIP(servername) ? '' : servername, rejectUnauthorized: false, requestOCSP: true, checkServerIdentity: () => undefined, ...(ca ? { ca } : {}), ...(maxVersion ? { maxVersion } : {}) };
      const socket = connect(tlsOptions);
      state.socket = socket;
      socket.on('OCSPResponse', (r: Buffer | null) => {
        // Node emits null when the server staples nothing.
        state.ocspStapled = !!r && r.length > 0;
      });
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        resolve(state);
      });
      socket.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        raw.destroy();
        reject(new TlsStepError('handshake', text('tls.handshake-failed', `${address}:${port}`, handshakeWhy(err))));
      });
    });
    raw.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (!connected) {
        reject(new TlsStepError('connect', text('tls.connect-failed', `${address}:${port}`, err.code === 'ECONNREFUSED' ? text('tls.refused') : err.message)));
      }
    });
  });
}

/** Why a handshake failed, in words for the errors users meet (a port that speaks no TLS, a server that hangs up); Node's words otherwise. */
function handshakeWhy(err: NodeJS.ErrnoException): Text | string {
  return err.code === 'ERR_SSL_WRONG_VERSION_NUMBER' ? text('tls.not-tls') : err.code === 'ECONNRESET' ? text('tls.reset') : err.message;
}

/** Connects to a TLS server and reports on the chain it presents. */
export async function probeTls(target: TlsTarget, options: { servername?: string; ca?: string[]; timeoutMs?: number } = {}): Promise<TlsReport> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const servername = options.servername ?? target.host;
  let address = target.host;
  if (!isIP(address)) {
    try {
      address = (await lookup(target.host)).address;
    } catch (err) {
      throw new TlsStepError('resolve', text('tls.resolve-failed', target.host, (err as NodeJS.ErrnoException).code === 'ENOTFOUND' ? text('tls.no-such-host') : (err as Error).message));
    }
  }
  const ca = options.ca ? [...rootCertificates, ...options.ca] : undefined;
  const h = await handshake(address, target.port, servername, ca, timeoutMs);
  const socket = h.socket;
  const peer = socket.getPeerCertificate(true) as DetailedPeerCertificate;
  let served = h.tap.certs;
  let orderFrom: TlsReport['orderFrom'] = 'handshake';
  const protocol = socket.getProtocol();
  const cipher = socket.getCipher()?.standardName ?? null;
  const chainVerified = socket.authorized;
  const verifyError = socket.authorizationError ? String(socket.authorizationError) : null;
  socket.destroy();
  if (!served) {
    // TLS 1.3: the Certificate message is encrypted; ask again over TLS 1.2 to see the order served.
    try {
      const again = await handshake(address, target.port, servername, ca, timeoutMs, 'TLSv1.2');
      again.socket.destroy();
      served = again.tap.certs;
      orderFrom = 'tls1.2-handshake';
    } catch {
      served = undefined;
    }
  }
  if (!served) {
    // The server speaks TLS 1.3 only: Node's chain is in issuer order, not necessarily as served.
    orderFrom = 'unknown';
    served = [];
    const seen = new Set<string>();
    for (let c: DetailedPeerCertificate | undefined = peer; c && c.raw && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
      seen.add(c.fingerprint256);
      served.push(new Uint8Array(c.raw));
    }
  }
  let hostnameError: string | null = null;
  let hostnameProblem: Text | null = null;
  if (served.length) {
    const leaf = new X509Certificate(served[0]);
    const cn = /CN=([^\n]*)/.exec(leaf.subject)?.[1] ?? '';
    const err = checkServerIdentity(servername, { subject: { CN: cn }, subjectaltname: leaf.subjectAltName ?? '' } as unknown as DetailedPeerCertificate);
    hostnameError = err ? err.message : null;
    hostnameProblem = err ? text('tls.hostname-mismatch', servername, leaf.subjectAltName || (cn ? `CN=${cn}` : '-')) : null;
  } else {
    hostnameProblem = text('tls.no-certificate');
    hostnameError = render(hostnameProblem);
  }
  const verifyProblem = verifyError === null ? null : verifyText(verifyError);
  return { host: target.host, port: target.port, servername, address, protocol, cipher, ocspStapled: h.ocspStapled, served, orderFrom, hostnameMatch: hostnameError === null, hostnameError, hostnameProblem, chainVerified, verifyError, verifyProblem };
}
