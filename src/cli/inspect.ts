// `ncloud-pki inspect FILE... [--json]`: what is in PEM/DER files, with lint findings.
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandMain } from './main';
import type { TlsReport } from '../tls/probe';
import { tlsTarget, type TlsTarget } from '../tls/target';
import { buildChain, colonHex, findingHref, findingsByBlock, inspect as inspectInput, type CertificateInfo, type Decoded, type Finding, type PemBlock, scanPem, toPem } from '../pki';
import { writeErr, writeOut } from './out';
import { maybeContainer } from '../export/sniff';
import { sha1Hex, sha256Hex } from '../pki/sha';

/** Files larger than this are refused unless `--max-size` says otherwise (a 50 MB bundle fits). */
export const DEFAULT_MAX_SIZE = 256 * 1024 * 1024;

/** `100M`, `2g`, `65536` → bytes; undefined when not a size. */
export function parseSize(s: string | undefined): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)i?b?$/i.exec(s ?? '');
  if (!m) {
    return undefined;
  }
  const n = Math.floor(Number(m[1]) * 1024 ** ' kmg'.indexOf(m[2].toLowerCase() || ' '));
  return n > 0 ? n : undefined;
}

function sizeText(n: number): string {
  return n >= 1024 * 1024 ? `${+(n / 1024 / 1024).toFixed(1)} MiB` : n >= 1024 ? `${+(n / 1024).toFixed(1)} KiB` : `${n} bytes`;
}

/** Reads a file, never more than `max` bytes: a regular file is checked by size first, anything else (a device, a pipe) is read in chunks up to the limit. */
function readLimited(file: string, max: number): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) {
      throw Object.assign(new Error('it is a directory'), { code: 'EISDIR' });
    }
    if (st.isFile() && st.size > max) {
      throw new TooLarge(max);
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = new Uint8Array(Math.min(1024 * 1024, max + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) {
        break;
      }
      total += n;
      if (total > max) {
        throw new TooLarge(max);
      }
      chunks.push(chunk.subarray(0, n));
    }
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
  } finally {
    closeSync(fd);
  }
}

class TooLarge extends Error {
  constructor(readonly max: number) {
    super(`larger than the ${sizeText(max)} limit (raise it with --max-size, e.g. --max-size 1G)`);
  }
}

// C0 and C1 controls, DEL, bidi overrides and isolates, line/paragraph separators: a certificate's
// text must not move the cursor, clear the terminal, forge lines or reorder what is shown.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `s` with every terminal control shown as an escape (`\x1b`, `\r`, `\u202e`). */
export function terminalSafe(s: string): string {
  return s.replace(UNSAFE, (c) => {
    const n = c.charCodeAt(0);
    return c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

/** The JSON object printed for each block (a stable contract for scripts). */
export interface BlockJson {
  file: string;
  kind: string;
  label: string;
  range: PemBlock['range'];
  [field: string]: unknown;
}

/** Bytes left to hash in JavaScript before node:crypto takes over (see fingerprints). */
let jsHashBudget = 8 * 1024;
/** A file larger than this (a CA bundle) is hashed with node:crypto from its first certificate. */
const LARGE_INPUT = 4 * 1024;
let nodeHash: typeof import('node:crypto').createHash | undefined;

/**
 * SHA-1 and SHA-256 of DER. The first 8 KB are hashed in JavaScript (src/pki/sha.ts): loading
 * node:crypto costs about twice as much as hashing one certificate cold, which is most of what
 * `inspect cert.pem` does. Beyond that, JavaScript that has not been optimised yet is slower than
 * node:crypto, so a large bundle or tree loads it once (measured on the Debian bundle, 144
 * certificates: 8 KB hashed in JavaScript first cost 15 ms of CPU more than node:crypto alone).
 */
function fingerprints(der: Uint8Array): { sha1: string; sha256: string } {
  if (jsHashBudget > 0 && !nodeHash) {
    jsHashBudget -= der.length;
    return { sha1: sha1Hex(der), sha256: sha256Hex(der) };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  nodeHash ??= (require('node:crypto') as typeof import('node:crypto')).createHash;
  return { sha1: nodeHash('sha1').update(der).digest('hex'), sha256: nodeHash('sha256').update(der).digest('hex') };
}

type KeySummary = import('../export/containers').KeySummary;
const NO_RANGE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The certificates (PEM) and key summaries of a container; undefined (told on stderr) when it cannot be opened. */
function openContainer(bytes: Uint8Array, file: string, passwordEnv: string | boolean | undefined): { pem: string; keys: KeySummary[]; format: string } | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const m = require(join(__dirname, 'cli-export.js')) as typeof import('./export');
  const password = typeof passwordEnv === 'string' ? process.env[passwordEnv] : undefined;
  if (typeof passwordEnv === 'string' && password === undefined) {
    writeErr(`ncloud-pki: ${file}: --password-env ${passwordEnv}: that variable is not set\n`);
    return undefined;
  }
  try {
    const c = m.readContainer(bytes, file, password);
    return { pem: m.certificatesPem(c), keys: c.keys, format: c.format === 'pkcs12' ? 'PKCS#12' : c.format === 'jks' ? 'JKS' : 'JWK' };
  } catch (err) {
    const hint = err instanceof m.PasswordNeeded && !err.wrong ? ': give it with --password-env VAR (the name of an environment variable holding it)' : '';
    writeErr(`ncloud-pki: ${file}: ${(err as Error).message}${hint}\n`);
    return undefined;
  }
}

/** Runs `inspect`; returns the exit code (1 when a file cannot be read). */
export const main: CommandMain = async (_path, args) => {
  const json = args.options.has('json');
  const days = args.options.get('expiry-days');
  const expiryWarningDays = typeof days === 'string' ? Number(days) : 30;
  const files = args.positionals;
  const size = args.options.get('max-size');
  const maxSize = typeof size === 'string' ? parseSize(size) : DEFAULT_MAX_SIZE;
  if (maxSize === undefined) {
    writeErr(`ncloud-pki: --max-size wants a size such as 100M or 2G, not '${String(size)}'\nrun 'ncloud-pki inspect --help' for usage\n`);
    return 2;
  }
  if (!Number.isInteger(expiryWarningDays) || expiryWarningDays < 0) {
    writeErr(`ncloud-pki: --expiry-days must be a whole number of days, not '${String(days)}'\nrun 'ncloud-pki inspect --help' for usage\n`);
    return 2;
  }
  const out: BlockJson[] = [];
  let failed = false;
  for (const file of files) {
    let target;
    try {
      target = tlsTarget(file);
    } catch (err) {
      writeErr(`ncloud-pki: ${(err as Error).message}\n`);
      failed = true;
      continue;
    }
    if (target) {
      const servername = args.options.get('servername');
      const caFile = args.options.get('ca');
      const r = await inspectEndpoint(file, target, { json, expiryWarningDays, ...(typeof servername === 'string' ? { servername } : {}), ...(typeof caFile === 'string' ? { caFile } : {}) });
      failed ||= r === undefined;
      for (const o of r ?? []) {
        out.push(o);
      }
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = readLimited(file, maxSize);
    } catch (err) {
      if (err instanceof TooLarge) {
        writeErr(`ncloud-pki: ${file}: ${err.message}\n`);
        failed = true;
        continue;
      }
      const code = (err as NodeJS.ErrnoException).code;
      writeErr(`ncloud-pki: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message}\n`);
      failed = true;
      continue;
    }
    if (bytes.length > LARGE_INPUT) {
      jsHashBudget = 0;
    }
    let keys: KeySummary[] = [];
    if (maybeContainer(bytes, file)) {
      const opened = openContainer(bytes, file, args.options.get('password-env'));
      if (!opened) {
        failed = true;
        continue;
      }
      ({ keys } = opened);
      bytes = new TextEncoder().encode(opened.pem);
      if (json) {
        for (const k of keys) {
          out.push({ file, kind: 'key', label: opened.format, range: NO_RANGE, keyType: k.type, name: k.name, private: k.private });
        }
      } else {
        writeOut(keys.map((k) => `${terminalSafe(file)}: ${opened.format} ${k.private ? 'private key' : 'public key'} "${terminalSafe(k.name)}": ${k.type}${k.private ? ' (never shown)' : ''}\n`).join(''));
      }
    }
    const result = inspectInput(bytes, { expiryWarningDays });
    if (result.blocks.length === 0 && keys.length > 0) {
      continue;
    }
    if (result.blocks.length === 0) {
      writeErr(`ncloud-pki: ${file}: no PEM block, DER structure or base64 certificate found\n`);
      failed = true;
      continue;
    }
    const byBlock = findingsByBlock(result.findings);
    const blocks = result.blocks.map((b, i) => toJson(file, b, result.decoded[i], byBlock.get(i) ?? []));
    if (json) {
      for (const b of blocks) {
        out.push(b);
      }
    } else {
      writeOut(await human(file, result.blocks, result.decoded, blocks));
    }
  }
  if (json) {
    writeOut(`${JSON.stringify(out, null, 2)}\n`);
  }
  return failed ? 1 : 0;
};

export function toJson(file: string, block: PemBlock, d: Decoded, findings: Finding[]): BlockJson {
  const base: BlockJson = { file, kind: d.kind === 'malformed' ? block.kind : d.kind, label: block.label, range: block.range, encoding: block.encoding };
  const f = findings.map((x) => ({ severity: x.severity, code: x.code, message: x.message, href: findingHref(x.code) }));
  switch (d.kind) {
    case 'certificate':
      return { ...base, ...certJson(d), fingerprints: fingerprints(block.der!), findings: f };
    case 'csr':
      return { ...base, subject: d.subject, sans: d.sans, publicKey: pk(d.publicKey), signatureAlgorithm: d.signatureAlgorithm, extensions: d.extensions, findings: f };
    case 'crl':
      return { ...base, issuer: d.issuer, thisUpdate: d.thisUpdate, nextUpdate: d.nextUpdate ?? null, crlNumber: d.crlNumber ?? null, signatureAlgorithm: d.signatureAlgorithm, entries: d.entries, findings: f };
    case 'privateKey':
    case 'publicKey':
      return { ...base, format: d.format, encrypted: d.encrypted, publicKey: pk(d.publicKey), findings: f };
    case 'pkcs7':
      return {
        ...base,
        certificates: d.certificates.map((c, i) => ({ ...certJson(c), fingerprints: fingerprints(d.certificateDer[i]) })),
        findings: f,
      };
    case 'malformed':
      return { ...base, error: d.message, findings: f };
    default:
      return { ...base, findings: f };
  }
}

function pk(k: { algorithm: string; size?: number; curve?: string }): { algorithm: string; size?: number; curve?: string } {
  return { algorithm: k.algorithm, ...(k.size !== undefined ? { size: k.size } : {}), ...(k.curve ? { curve: k.curve } : {}) };
}

function certJson(c: CertificateInfo): Record<string, unknown> {
  return {
    subject: c.subject,
    issuer: c.issuer,
    serialNumber: c.serialNumber,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    sans: c.sans,
    publicKey: pk(c.publicKey),
    signatureAlgorithm: c.signatureAlgorithm,
    isCa: c.isCa,
    version: c.version,
    keyUsage: c.keyUsage,
    extKeyUsage: c.extKeyUsage,
    extensions: c.extensions,
  };
}

const NAMES: Record<string, string> = { certificate: 'Certificate', csr: 'Certificate request', crl: 'CRL', privateKey: 'Private key', publicKey: 'Public key', pkcs7: 'PKCS#7 bundle', pkcs12: 'PKCS#12 keystore', malformed: 'Unreadable block', unknown: 'Block' };

function left(notAfter: string): string {
  const d = Math.floor((Date.parse(notAfter) - Date.now()) / 86_400_000);
  return d < 0 ? `expired ${-d} days ago` : `${d} days left`;
}

function keyText(k: { algorithm: string; size?: number; curve?: string }): string {
  return [k.algorithm, k.curve, k.size !== undefined && !k.curve ? `${k.size} bits` : ''].filter(Boolean).join(' ');
}

async function human(file: string, blocks: PemBlock[], decoded: Decoded[], json: BlockJson[]): Promise<string> {
  const lines: string[] = [`${file}: ${blocks.length} block${blocks.length === 1 ? '' : 's'}`];
  const row = (k: string, v: string) => lines.push(`  ${`${k}:`.padEnd(14)}${v}`);
  const certRows = (c: CertificateInfo, fp: { sha1: string; sha256: string }) => {
    row('Subject', c.subject || '(empty)');
    row('Issuer', c.issuer + (c.selfSigned ? '  (self-signed)' : ''));
    row('Serial', colonHex(c.serialNumber).toLowerCase());
    row('Valid', `${c.notBefore} → ${c.notAfter} (${left(c.notAfter)})`);
    row('Key', keyText(c.publicKey));
    row('Signature', c.signatureAlgorithm);
    row('CA', c.isCa ? `yes${c.pathLength !== undefined ? `, path length ${c.pathLength}` : ''}` : 'no');
    if (c.sans.length) {
      row('Names', c.sans.map((s) => `${s.type}:${s.value}`).join(', '));
    }
    if (c.extensions.length) {
      lines.push('  Extensions:');
      for (const e of c.extensions) {
        lines.push(`    ${e.name}${e.critical ? ' (critical)' : ''}: ${e.value}`);
      }
    }
    row('SHA-256', colonHex(fp.sha256));
    row('SHA-1', colonHex(fp.sha1));
  };
  blocks.forEach((b, i) => {
    const d = decoded[i];
    const where = b.encoding === 'der' ? 'DER' : `line ${b.range.start.line + 1}${b.range.end.line !== b.range.start.line ? `–${b.range.end.line + 1}` : ''}`;
    lines.push('', `[${i + 1}] ${NAMES[d.kind] ?? d.kind} (${where})`);
    const j = json[i];
    switch (d.kind) {
      case 'certificate':
        certRows(d, j.fingerprints as { sha1: string; sha256: string });
        break;
      case 'pkcs7':
        d.certificates.forEach((c, k) => {
          lines.push(` certificate ${k + 1} of ${d.certificates.length}:`);
          certRows(c, (j.certificates as { fingerprints: { sha1: string; sha256: string } }[])[k].fingerprints);
        });
        break;
      case 'csr':
        row('Subject', d.subject);
        row('Key', keyText(d.publicKey));
        row('Signature', d.signatureAlgorithm);
        if (d.sans.length) {
          row('Names', d.sans.map((s) => `${s.type}:${s.value}`).join(', '));
        }
        break;
      case 'crl':
        row('Issuer', d.issuer);
        row('This update', d.thisUpdate);
        row('Next update', d.nextUpdate ?? '(none)');
        row('Revoked', String(d.entries.length));
        for (const e of d.entries) {
          lines.push(`    ${colonHex(e.serialNumber).toLowerCase()}  ${e.revocationDate}${e.reason ? `  ${e.reason}` : ''}`);
        }
        break;
      case 'privateKey':
      case 'publicKey':
        row('Type', keyText(d.publicKey));
        row('Format', d.format + (d.encrypted ? ' (encrypted)' : ''));
        break;
      case 'malformed':
        row('Error', d.message);
        break;
      default:
        row('Label', b.label);
    }
    const findings = (j.findings as { severity: string; code: string; message: string }[]) ?? [];
    for (const f of findings) {
      lines.push(`  ${f.severity === 'error' ? '✗' : f.severity === 'warning' ? '!' : 'i'} ${f.code}: ${f.message}`);
    }
  });
  const certs = blocks.map((b, i) => ({ der: b.der, info: decoded[i] })).filter((c): c is { der: Uint8Array; info: CertificateInfo } => c.info.kind === 'certificate' && !!c.der);
  if (certs.length > 1) {
    const chain = await buildChain(certs);
    lines.push('', `Chain: ${chain.order.map((k) => certs[k].info.subjectAttributes.find((a) => a.type === 'CN')?.value ?? certs[k].info.subject).join(' → ')}`);
    lines.push(`  ${chain.complete ? 'complete: every signature verifies up to a self-signed root' : 'incomplete'}`);
    for (const p of chain.problems) {
      lines.push(`  ! ${p}`);
    }
  }
  return `${lines.map(terminalSafe).join('\n')}\n\n`;
}

/** `inspect https://…`: the served chain as blocks (each `served: true`) and a final `kind: "tls"` object; undefined when a step failed. */
async function inspectEndpoint(arg: string, target: TlsTarget, o: { json: boolean; expiryWarningDays: number; servername?: string; caFile?: string }): Promise<BlockJson[] | undefined> {
  let report: TlsReport;
  const { probeTls, TlsStepError } = await import('../tls/probe');
  try {
    const ca = o.caFile ? scanPem(readFileSync(o.caFile, 'utf8')).filter((b) => b.kind === 'certificate').map((b) => b.text) : undefined;
    report = await probeTls(target, { ...(o.servername ? { servername: o.servername } : {}), ...(ca ? { ca } : {}) });
  } catch (err) {
    const step = err instanceof TlsStepError ? `${err.step} failed: ` : '';
    writeErr(`ncloud-pki: ${arg}: ${step}${(err as Error).message}\n`);
    return undefined;
  }
  const text = report.served.map((der) => toPem(der, 'CERTIFICATE')).join('');
  const result = inspectInput(text, { expiryWarningDays: o.expiryWarningDays });
  const byBlock = findingsByBlock(result.findings);
  const zero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const blocks = result.blocks.map((b, i) => ({ ...toJson(arg, { ...b, encoding: 'der', range: zero }, result.decoded[i], byBlock.get(i) ?? []), served: true }));
  const tls: BlockJson = {
    file: arg,
    kind: 'tls',
    label: 'TLS',
    range: zero,
    host: report.host,
    port: report.port,
    servername: report.servername,
    address: report.address,
    protocol: report.protocol,
    cipher: report.cipher,
    ocspStapled: report.ocspStapled,
    hostnameMatch: report.hostnameMatch,
    hostnameError: report.hostnameError,
    chainVerified: report.chainVerified,
    verifyError: report.verifyError,
    chainInOrder: !result.findings.some((f) => f.code === 'chain-order'),
    orderFrom: report.orderFrom,
    certificates: report.served.length,
  };
  if (!o.json) {
    const human_ = await human(arg, result.blocks.map((b) => ({ ...b, encoding: 'der' as const })), result.decoded, blocks);
    const mark = (ok: boolean) => (ok ? '✓' : '✗');
    const lines = [
      `${arg} (${report.address}:${report.port}, server name ${report.servername})`,
      `  ${mark(report.hostnameMatch)} hostname: ${report.hostnameMatch ? `the certificate is valid for ${report.servername}` : report.hostnameError}`,
      `  ${mark(report.chainVerified)} chain: ${report.chainVerified ? `verified${o.caFile ? ` (system store and ${o.caFile})` : ' against the system store'}` : `not verified: ${report.verifyError}`}`,
      `  ${mark(tls.chainInOrder as boolean)} order: ${tls.chainInOrder ? 'leaf first, then each issuer' : 'out of order (see chain-order)'}${report.orderFrom === 'unknown' ? ' (as rebuilt by Node: the server speaks TLS 1.3 only)' : ''}`,
      `  ${report.ocspStapled ? '✓' : 'i'} OCSP stapling: ${report.ocspStapled ? 'a response was stapled' : 'none'}`,
      `  protocol ${report.protocol ?? '?'}, cipher ${report.cipher ?? '?'}`,
    ];
    writeOut(`${lines.join('\n')}\n${human_.replace(/^[^\n]*\n/, '')}`);
  }
  return [...blocks, tls];
}
