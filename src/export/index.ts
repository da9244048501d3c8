// Exports a certificate (with its key and chain) in the formats servers want: PKCS#12, a
// fullchain PEM, a Kubernetes TLS Secret, DER. Node-side (node:crypto), no vscode: the CLI and the
// extension both call `buildExport` and write its result through their safe writer.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { buildChain, encodeBase64, inspect, toPem, type CertificateInfo } from '../pki';
import { buildPkcs12 } from './pkcs12';

export const EXPORT_FORMATS = ['p12', 'fullchain', 'k8s-secret', 'der'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What to export: the texts of the certificate file, its key and (optionally) a chain file. */
export interface ExportSource {
  cert: string | Uint8Array;
  key?: string;
  chain?: string | Uint8Array;
}

export interface ExportOptions {
  format: ExportFormat;
  /** PKCS#12 only. */
  password?: string;
  /** PKCS#12 only: 3DES/SHA-1 instead of AES-256/PBKDF2. */
  legacy?: boolean;
  /** PKCS#12 alias; default the leaf's common name. */
  friendlyName?: string;
  /** fullchain only: append the root too. */
  includeRoot?: boolean;
  /** k8s-secret only: metadata.name; default `<common name>-tls`. */
  secretName?: string;
}

/** The bytes to write, and whether they hold a private key (then the file is 0600). */
export interface ExportResult {
  content: Uint8Array;
  secret: boolean;
  /** The leaf's subject, and how many certificates went in (for the caller's message). */
  subject: string;
  certificates: number;
}

interface Cert {
  info: CertificateInfo;
  der: Uint8Array;
}

/** The extension a format's file usually has. */
export function defaultExtension(format: ExportFormat): string {
  return { p12: '.p12', fullchain: '.fullchain.pem', 'k8s-secret': '.secret.yaml', der: '.der' }[format];
}

/** Whether a format needs the private key. */
export function needsKey(format: ExportFormat): boolean {
  return format === 'p12' || format === 'k8s-secret';
}

function certificates(input: string | Uint8Array | undefined): Cert[] {
  if (input === undefined) {
    return [];
  }
  const r = inspect(input);
  return r.decoded.flatMap((d, i) => (d.kind === 'certificate' && r.blocks[i].der ? [{ info: d, der: r.blocks[i].der }] : []));
}

/** Leaf first, then its issuers up to the root (certificates that belong to no chain are dropped). */
async function orderedChain(source: ExportSource): Promise<Cert[]> {
  const all: Cert[] = [];
  for (const c of [...certificates(source.cert), ...certificates(source.chain)]) {
    if (!all.some((a) => Buffer.compare(a.der, c.der) === 0)) {
      all.push(c);
    }
  }
  if (all.length === 0) {
    throw new Error('no certificate found in the certificate file');
  }
  const report = await buildChain(all);
  return report.order.map((i) => all[i]);
}

function loadKey(pem: string | undefined, leaf: Cert): KeyObject {
  if (pem === undefined) {
    throw new Error('this format needs the private key (--key FILE, or key.pem beside the certificate)');
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (err) {
    const message = (err as Error).message;
    throw new Error(/passphrase|encrypted/i.test(message) || /ENCRYPTED/.test(pem) ? 'the private key is encrypted: decrypt it first (openssl pkey -in KEY -out PLAIN)' : `the key file holds no usable private key (${message})`);
  }
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const certSpki = leaf.der.subarray(leaf.info.offsets.spki[0], leaf.info.offsets.spki[1]);
  if (Buffer.compare(spki, certSpki) !== 0) {
    throw new Error(`the private key does not belong to the certificate "${leaf.info.subject}"`);
  }
  return key;
}

function commonNameOf(info: CertificateInfo): string | undefined {
  return info.subjectAttributes.find((a) => a.type === 'CN')?.value;
}

/** A DNS-1123 subdomain for metadata.name. */
function secretNameFor(info: CertificateInfo): string {
  const base = (commonNameOf(info) ?? 'certificate')
    .toLowerCase()
    .replace(/^\*\./, 'wildcard.')
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return `${(base || 'certificate').slice(0, 248)}-tls`;
}

const pemOf = (certs: Cert[]): string => certs.map((c) => toPem(c.der, 'CERTIFICATE')).join('');
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Builds the export of `source` in `options.format`. Throws with a clear message on bad input. */
export async function buildExport(source: ExportSource, options: ExportOptions): Promise<ExportResult> {
  const chain = await orderedChain(source);
  const leaf = chain[0];
  const root = chain.length > 1 && chain[chain.length - 1].info.selfSigned ? chain[chain.length - 1] : undefined;
  const withoutRoot = root ? chain.slice(0, -1) : chain;
  const done = (content: Uint8Array, secret: boolean, count: number): ExportResult => ({ content, secret, subject: leaf.info.subject, certificates: count });
  switch (options.format) {
    case 'der':
      return done(leaf.der, false, 1);
    case 'fullchain': {
      const certs = options.includeRoot ? chain : withoutRoot;
      return done(utf8(pemOf(certs)), false, certs.length);
    }
    case 'p12': {
      if (!options.password) {
        throw new Error('a PKCS#12 file needs a password (--password-env VAR names the variable that holds it)');
      }
      const key = loadKey(source.key, leaf);
      const p12 = buildPkcs12({
        key: key.export({ type: 'pkcs8', format: 'der' }),
        certificates: chain.map((c) => c.der),
        password: options.password,
        friendlyName: options.friendlyName ?? commonNameOf(leaf.info) ?? 'certificate',
        legacy: options.legacy,
      });
      return done(p12, true, chain.length);
    }
    case 'k8s-secret': {
      const key = loadKey(source.key, leaf);
      const keyPem = key.export({ type: 'pkcs8', format: 'pem' }) as string;
      // ca.crt: the root when we have it, else the top of what we have above the leaf.
      const ca = root ?? (chain.length > 1 ? chain[chain.length - 1] : undefined);
      const name = options.secretName ?? secretNameFor(leaf.info);
      if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(name)) {
        throw new Error(`"${name}" is not a valid Kubernetes name (lowercase letters, digits, '-' and '.')`);
      }
      const b64 = (s: string) => encodeBase64(utf8(s));
      const yaml = [
        'apiVersion: v1',
        'kind: Secret',
        'metadata:',
        `  name: ${name}`,
        'type: kubernetes.io/tls',
        'data:',
        `  tls.crt: ${b64(pemOf(withoutRoot))}`,
        `  tls.key: ${b64(keyPem)}`,
        ...(ca ? [`  ca.crt: ${b64(pemOf([ca]))}`] : []),
        '',
      ].join('\n');
      return done(utf8(yaml), true, withoutRoot.length + (ca ? 1 : 0));
    }
  }
}
