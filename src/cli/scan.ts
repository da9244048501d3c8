// `ncloud-pki scan [PATH...]`: every certificate, CSR, CRL and key in a tree, for people (a table
// sorted by expiry), scripts (--json) and code scanning (--sarif), with an exit code CI can gate on.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { findingHref, type FindingCode } from '../pki';
import { expandBraces } from '../files/braces';
import { MAX_CANDIDATE_BYTES } from '../files/walk';
import { UsageError } from './args';
import type { CommandMain } from './main';
import { PRIVATE_KEY_FINDING, scanTree, type ScanBlock } from './scanTree';
import { terminalSafe } from './inspect';
import { writeErr, writeOut } from './out';

const DAY = 86_400_000;

/** Every finding code `scan` can report, with what it means and what to do: the SARIF rules. */
export const RULES: Record<FindingCode | typeof PRIVATE_KEY_FINDING, { level: 'error' | 'warning' | 'note'; title: string; help: string }> = {
  expired: { level: 'error', title: 'Certificate expired', help: 'The certificate is past its notAfter date: every TLS client rejects it. Issue a new certificate and deploy it with its chain.' },
  'not-yet-valid': { level: 'error', title: 'Certificate not yet valid', help: 'The certificate\'s notBefore date is in the future: clients reject it until then. Check the issuing clock or reissue.' },
  'expiring-soon': { level: 'warning', title: 'Certificate expiring soon', help: 'The certificate expires within the warning window: 30 days (or --expiring-within DAYS), or the last third of its lifetime when that is shorter. Renew it before it does.' },
  'weak-rsa': { level: 'error', title: 'Weak RSA key', help: 'RSA or DSA keys shorter than 2048 bits can be factored; CAs and browsers reject them. Generate a new key of at least 2048 bits (or EC P-256).' },
  'weak-signature': { level: 'warning', title: 'Weak signature algorithm', help: 'SHA-1, MD5 and MD2 signatures can be forged and modern clients reject them. Reissue with SHA-256 or stronger.' },
  'leaf-without-san': { level: 'warning', title: 'Leaf certificate without subjectAltName', help: 'Browsers and most TLS clients ignore the common name and match host names against subjectAltName only. Reissue with the DNS names or IP addresses as SANs.' },
  'ca-without-basic-constraints': { level: 'warning', title: 'CA without basicConstraints', help: 'A certificate that signs others needs basicConstraints CA:TRUE, or verifiers will not accept it as an issuer.' },
  'chain-order': { level: 'warning', title: 'Chain out of order', help: 'A certificate comes after its issuer. Servers must send the leaf first, then each issuer in turn; some clients fail otherwise.' },
  'key-mismatch': { level: 'error', title: 'Private key does not match', help: 'The private key belongs to none of the certificates in the same file: a server configured with this pair fails to start or to handshake.' },
  'crl-outdated': { level: 'warning', title: 'CRL outdated', help: 'The CRL\'s nextUpdate has passed: clients that check revocation treat it as stale. Publish a fresh CRL.' },
  'lifetime-too-long': { level: 'warning', title: 'Lifetime longer than clients accept', help: 'The TLS server certificate is valid for longer than a client enforces: Apple (825 days for any root), Android WebView and the CA/Browser Forum schedule for publicly trusted certificates (398 days, 200 from 2026-03-15, 100 from 2027-03-15, 47 from 2029-03-15). Reissue with a shorter validity.' },
  'encrypted-key': { level: 'note', title: 'Encrypted private key', help: 'The private key is encrypted with a passphrase; its details cannot be read without it.' },
  'invalid-time': { level: 'error', title: 'Invalid time', help: 'A validity or CRL date does not exist (month 13, day 32, no time zone). Verifiers reject the certificate; the date is shown as written. Reissue it.' },
  'time-encoding': { level: 'warning', title: 'Time not encoded as RFC 5280 requires', help: 'A date is read exactly but written in a form RFC 5280 forbids (UTCTime without seconds, fractional seconds, an offset instead of Z, GeneralizedTime before 2050). Strict verifiers reject it. Reissue with a conforming encoder.' },
  'invalid-serial': { level: 'warning', title: 'Invalid serial number', help: 'The serial number is negative, empty, longer than 20 bytes or not minimally encoded. Some clients (Go since 1.23) reject it. Reissue it with a positive random serial.' },
  'invalid-path-length': { level: 'warning', title: 'Invalid pathLenConstraint', help: 'basicConstraints has a negative, empty or absurdly large pathLenConstraint, so it is not used as a limit. Reissue the CA with a small non-negative value.' },
  malformed: { level: 'error', title: 'Malformed block', help: 'The block cannot be decoded (bad base64, truncated DER, or a missing END line). Replace it with a complete copy.' },
  [PRIVATE_KEY_FINDING]: { level: 'error', title: 'Private key in the repository', help: 'A private key is committed: anyone who can read the repository can impersonate the certificate. Remove it, keep keys in a secret store, and replace the key (reissue the certificate), since history keeps the old one.' },
};

interface Options {
  paths: string[];
  exclude: string[];
  format: 'table' | 'json' | 'sarif';
  expiringWithin?: number;
  failOn: string[];
}

function options(argv: string[]): Options {
  // main.ts has already parsed argv strictly against spec.ts and answered --help; this parse only
  // keeps --exclude's repeats, which main's values drop.
  const parsed = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      exclude: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      sarif: { type: 'boolean' },
      'expiring-within': { type: 'string' },
      'fail-on': { type: 'string' },
    },
  });
  const v = parsed.values;
  if (v.json && v.sarif) {
    throw new UsageError('--json and --sarif cannot be combined');
  }
  const days = v['expiring-within'];
  if (days !== undefined && !/^\d+$/.test(days)) {
    throw new UsageError(`--expiring-within needs a whole number of days, not '${days}'`);
  }
  const failOn = v['fail-on'] !== undefined ? v['fail-on'].split(',').map((c) => c.trim()) : [];
  const unknown = failOn.filter((c) => !(c in RULES));
  if (unknown.length || (v['fail-on'] !== undefined && failOn.every((c) => !c))) {
    throw new UsageError(`--fail-on: unknown finding code '${unknown.join(', ')}' (codes: ${Object.keys(RULES).join(', ')})`);
  }
  const paths = parsed.positionals.length ? parsed.positionals : ['.'];
  for (const p of paths) {
    try {
      statSync(p);
    } catch {
      throw new UsageError(`no such file or directory: ${terminalSafe(p)}`);
    }
  }
  // `{a,b}` groups as in files.exclude (the Certificates view): gitignore syntax has none.
  return { paths, exclude: (v.exclude ?? []).flatMap(expandBraces), format: v.json ? 'json' : v.sarif ? 'sarif' : 'table', ...(days !== undefined ? { expiringWithin: Number(days) } : {}), failOn };
}

/** The bundle's entry: main.ts has checked the words against the command table. */
export const main: CommandMain = (_path, _args, argv) => scan(argv);

/** Runs `scan`; returns the exit code. */
export async function scan(argv: string[]): Promise<number> {
  let o: Options;
  try {
    o = options(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) {
      throw err;
    }
    // As for every command: the message, then where the one usage text is (spec.ts, via --help).
    writeErr(`ncloud-pki: ${err.message}\nrun 'ncloud-pki scan --help' for usage\n`);
    return 2;
  }
  // One clock for the whole scan (both threads, the table's days left and --expiring-within).
  const now = Date.now();
  const { blocks, errors, files: fileCount } = scanTree(o.paths, o.exclude, { now, expiryWarningDays: o.expiringWithin ?? 30 }, o.format === 'json');
  for (const e of errors) {
    writeErr(`ncloud-pki scan: cannot read ${terminalSafe(e.path)}: ${e.code}${e.code === 'EFBIG' ? ` (larger than ${MAX_CANDIDATE_BYTES / 2 ** 20} MiB: not read)` : ''}\n`);
  }
  // Code-unit order (ISO dates sort as text): localeCompare's collator cost 5 ms for 1,500 blocks.
  const order = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  blocks.sort((a, b) => order(a.expires ?? '\uffff', b.expires ?? '\uffff') || order(a.file, b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);

  const expiring = o.expiringWithin === undefined ? [] : blocks.filter((b) => b.expires !== undefined && Date.parse(b.expires) - now < o.expiringWithin! * DAY);
  const failing = blocks.filter((b) => b.findings.some((f) => o.failOn.includes(f.code)));

  if (o.format === 'json') {
    writeOut(`${JSON.stringify(blocks.map((b) => b.json), null, 2)}\n`);
  } else if (o.format === 'sarif') {
    writeOut(`${JSON.stringify(sarif(blocks), null, 2)}\n`);
  } else {
    writeOut(table(blocks, now));
    const certs = blocks.filter((b) => b.expires !== undefined).length;
    const keys = blocks.filter((b) => b.findings.some((f) => f.code === PRIVATE_KEY_FINDING)).length;
    const lines = [`${blocks.length} block${blocks.length === 1 ? '' : 's'} (${certs} with certificates, ${keys} private key${keys === 1 ? '' : 's'}) in ${fileCount} file${fileCount === 1 ? '' : 's'} scanned`];
    if (o.expiringWithin !== undefined) {
      lines.push(`${expiring.length} expiring within ${o.expiringWithin} days`);
    }
    if (o.failOn.length) {
      lines.push(`${failing.length} with ${o.failOn.join(', ')}`);
    }
    writeOut(`${lines.join('; ')}\n`);
  }
  return expiring.length || failing.length ? 1 : 0;
}

function table(blocks: ScanBlock[], now: number): string {
  const rows = blocks.map((b) => {
    const days = b.expires === undefined ? '' : String(Math.floor((Date.parse(b.expires) - now) / DAY));
    const findings = [...new Set(b.findings.map((f) => f.code))].join(',');
    // Names come from certificates anyone can make, and file names from the tree: neither may move
    // the cursor, clear the terminal, forge a row or reorder what is shown (controls are escaped).
    const name = terminalSafe(b.name);
    return [b.expires?.slice(0, 10) ?? '', days, b.kind, name.length > 48 ? `${name.slice(0, 47)}…` : name, `${terminalSafe(b.file)}:${b.range.start.line + 1}`, findings];
  });
  const head = ['EXPIRES', 'DAYS', 'KIND', 'SUBJECT', 'LOCATION', 'FINDINGS'];
  // A loop, not Math.max(...): a call takes ~100,000 arguments at most, and a tree may hold more blocks.
  const widths = head.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i].length), h.length));
  const line = (r: string[]) => r.map((c, i) => (i === 1 ? c.padStart(widths[i]) : i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return rows.length ? `${[head, ...rows].map(line).join('\n')}\n` : '';
}

/** Where a file is for SARIF: relative to %SRCROOT% (the working directory) when inside it, else an absolute file URI. */
function artifact(file: string): { uri: string; uriBaseId?: string } {
  const rel = relative('.', file);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    return { uri: pathToFileURL(resolve(file)).href };
  }
  return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

/** SARIF 2.1.0: one rule per finding code (with its help), one result per finding, with its region. */
function sarif(blocks: ScanBlock[]): unknown {
  const ids = Object.keys(RULES) as (keyof typeof RULES)[];
  const results = blocks.flatMap((b) =>
    b.findings.map((f) => {
      const r = f.range ?? b.range;
      const whole = b.encoding === 'der';
      return {
        ruleId: f.code,
        ruleIndex: ids.indexOf(f.code as keyof typeof RULES),
        level: f.severity === 'info' ? 'note' : f.severity,
        message: { text: f.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: artifact(b.file),
              ...(whole ? {} : { region: { startLine: r.start.line + 1, startColumn: r.start.character + 1, endLine: r.end.line + 1, endColumn: r.end.character + 1 } }),
            },
          },
        ],
      };
    }),
  );
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'ncloud-pki',
            informationUri: 'https://github.com/ncloud-pki/ncloud-pki',
            rules: ids.map((id) => ({
              id,
              name: id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
              shortDescription: { text: RULES[id].title },
              fullDescription: { text: RULES[id].help },
              help: { text: RULES[id].help, markdown: `**${RULES[id].title}**\n\n${RULES[id].help}` },
              helpUri: findingHref(id),
              defaultConfiguration: { level: RULES[id].level },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: `${pathToFileURL(process.cwd()).href}/` } },
        results,
      },
    ],
  };
}
