// Walking a tree for `ncloud-pki scan`: which files to read (honouring .gitignore and --exclude),
// and reading one file into its blocks. Kept apart from the output code (table, JSON, SARIF).
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { findingHref, inspect as inspectInput, SCAN_FINDING_CODES, type CertificateInfo, type Finding, type LintOptions, type PemBlock, type Range } from '../pki';
import { toJson, type BlockJson } from './inspect';

/** The rules of one .gitignore: `test` takes a path relative to the scan root ('/'-separated, dirs end in '/'). */
interface Rules {
  test(rel: string): { ignored: boolean; unignored: boolean };
}

function rulesOf(path: string, prefix: string): Rules | undefined {
  let ig: Ignore;
  try {
    ig = ignore().add(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  return { test: (rel) => ig.test(prefix + rel) };
}

/** Git's precedence: the deepest .gitignore that says something about a path decides. */
function ignored(rel: string, stack: Rules[]): boolean {
  for (let i = stack.length - 1; i >= 0; i--) {
    const t = stack[i].test(rel);
    if (t.ignored || t.unignored) {
      return t.ignored;
    }
  }
  return false;
}

/**
 * The rules that apply to `root` from above it: the .gitignore of each directory from the
 * repository's root (the nearest ancestor holding .git) down to root's parent, and .git/info/exclude.
 * Each tests root-relative paths with root's path below that directory in front.
 */
function rulesAbove(root: string): Rules[] {
  const abs = resolve(root);
  const ancestors: string[] = [];
  for (let d = abs; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) {
      const out: Rules[] = [];
      const prefix = (a: string) => (a === abs ? '' : `${relative(a, abs).split(sep).join('/')}/`);
      const info = rulesOf(join(d, '.git/info/exclude'), prefix(d));
      for (const r of [info, ...(d === abs ? [] : [d, ...ancestors.reverse()]).map((a) => rulesOf(join(a, '.gitignore'), prefix(a)))]) {
        if (r) {
          out.push(r);
        }
      }
      return out;
    }
    if (dirname(d) === d) {
      return [];
    }
    if (d !== abs) {
      ancestors.push(d);
    }
  }
}

/**
 * Every regular file under `root` that neither a .gitignore (of the tree, or above it up to the
 * repository root) nor an `exclude` pattern (gitignore syntax, relative to root) excludes. `.git` is
 * never entered; symbolic links are not followed (no loops, nothing outside the tree). Paths come
 * back joined onto `root` as given.
 */
export function walk(root: string, exclude: string[], onError: (path: string, err: NodeJS.ErrnoException) => void): string[] {
  const files: string[] = [];
  const stack = rulesAbove(root);
  const excludes = exclude.length ? ignore().add(exclude) : undefined;
  const skip = (rel: string) => (excludes?.ignores(rel) ?? false) || (stack.length > 0 && ignored(rel, stack));
  // Paths are root + the '/'-separated relative path; for '.', just the relative path.
  const base = root === '.' ? '' : root.endsWith('/') || root.endsWith(sep) ? root : `${root}/`;
  const visit = (dir: string, rel: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      onError(dir, err as NodeJS.ErrnoException);
      return;
    }
    const own = entries.some((e) => e.name === '.gitignore' && e.isFile()) ? rulesOf(join(dir, '.gitignore'), '') : undefined;
    if (own) {
      // Its patterns are relative to dir: strip dir's part of the root-relative path.
      const test = own.test;
      stack.push({ test: (p) => test(p.slice(rel.length)) });
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        const sub = `${rel}${e.name}/`;
        if (e.name !== '.git' && !skip(sub)) {
          visit(base + sub, sub);
        }
      } else if (e.isFile() && !skip(rel + e.name)) {
        files.push(base + rel + e.name);
      }
    }
    if (own) {
      stack.pop();
    }
  };
  visit(root, '');
  return files;
}

/** A finding of `scan` that lint does not make: it is about where a block is, not what it is. */
export const PRIVATE_KEY_FINDING = SCAN_FINDING_CODES[0];

/** A finding as `scan` prints it. */
export interface ScanFinding {
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
  range?: Range;
}

/** One block found by `scan`: what the table, SARIF and the exit code need, and the `inspect --json` object when asked for. */
export interface ScanBlock {
  file: string;
  kind: string;
  label: string;
  encoding: PemBlock['encoding'];
  range: Range;
  findings: ScanFinding[];
  /** Earliest notAfter of the block's certificates (a PKCS#7 bundle has several), if any. */
  expires?: string;
  /** A short name for the table: the subject's CN, the CRL's issuer, the key's algorithm. */
  name: string;
  json?: BlockJson;
}

const MARKER = Buffer.from('-----BEGIN');
const K8S_MARKER = Buffer.from('LS0tLS1CRUdJT');
let buffer = Buffer.allocUnsafe(1 << 20);

/** True when the bytes are exactly one DER SEQUENCE (a .der/.cer/.p7b file), not text that starts with "0". */
function isDer(b: Buffer, n: number): boolean {
  if (n < 4 || b[0] !== 0x30) {
    return false;
  }
  let len = b[1];
  let head = 2;
  if (len & 0x80) {
    const k = len & 0x7f;
    if (k < 1 || k > 4) {
      return false;
    }
    len = 0;
    for (let i = 0; i < k; i++) {
      len = len * 256 + b[2 + i];
    }
    head += k;
  }
  return head + len === n;
}

/** True when a file is bare base64 of DER (the "MII…" of a certificate or key), possibly wrapped. */
function isBareBase64(b: Buffer, n: number): boolean {
  let i = 0;
  while (i < n && (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09)) {
    i++;
  }
  return b[i] === 0x4d && b[i + 1] === 0x49; // "MI": base64 of 0x30 0x8x
}

/** Reads one file; returns its blocks, or nothing when the file holds none. Throws on read errors. */
export function scanFile(path: string, lint: LintOptions, json: boolean): ScanBlock[] {
  const fd = openSync(path, 'r');
  let n: number;
  try {
    n = readSync(fd, buffer, 0, buffer.length, 0);
    if (n === buffer.length) {
      // Larger than the buffer: grow it to the file's size (plus room) and read the rest.
      const size = statSync(path).size;
      const bigger = Buffer.allocUnsafe(Math.max(size + 1, buffer.length * 2));
      buffer.copy(bigger, 0, 0, n);
      buffer = bigger;
      for (let r = 1; r > 0 && n < buffer.length; n += r) {
        r = readSync(fd, buffer, n, buffer.length - n, n);
      }
    }
  } finally {
    closeSync(fd);
  }
  const view = buffer.subarray(0, n);
  let input: string | Uint8Array;
  if (isDer(buffer, n)) {
    input = new Uint8Array(view);
  } else if (view.indexOf(MARKER) !== -1 || view.indexOf(K8S_MARKER) !== -1) {
    input = view.toString('utf8');
  } else if (isBareBase64(buffer, n)) {
    input = new Uint8Array(view);
  } else {
    return [];
  }
  const result = inspectInput(input, lint);
  if (result.blocks.length === 0) {
    return [];
  }
  const byBlock = new Map<number, Finding[]>();
  for (const f of result.findings) {
    byBlock.set(f.block, [...(byBlock.get(f.block) ?? []), f]);
  }
  return result.blocks.map((b, i) => {
    const d = result.decoded[i];
    const own = byBlock.get(i) ?? [];
    const findings: ScanFinding[] = own.map((f) => ({ severity: f.severity, code: f.code, message: f.message, ...(f.range ? { range: f.range } : {}) }));
    if (b.kind === 'privateKey' || d.kind === 'privateKey') {
      const encrypted = d.kind === 'privateKey' && d.encrypted;
      findings.push({
        severity: encrypted ? 'warning' : 'error',
        code: PRIVATE_KEY_FINDING,
        message: encrypted ? 'An encrypted private key is stored in the tree: keep keys in a secret store.' : 'A private key is stored in the tree: anyone who can read it can impersonate its certificate. Move it to a secret store and replace the key.',
      });
    }
    const out: ScanBlock = { file: path, kind: d.kind === 'malformed' ? b.kind : d.kind, label: b.label, encoding: b.encoding, range: b.range, findings, name: b.label };
    const cn = (c: CertificateInfo) => c.subjectAttributes.find((a) => a.type === 'CN')?.value ?? c.subject;
    if (d.kind === 'certificate') {
      out.expires = d.notAfter;
      out.name = cn(d);
    } else if (d.kind === 'pkcs7' && d.certificates.length) {
      const first = d.certificates.reduce((a, c) => (c.notAfter < a.notAfter ? c : a));
      out.expires = first.notAfter;
      out.name = `${cn(first)} (first of ${d.certificates.length} to expire)`;
    } else if (d.kind === 'csr') {
      out.name = d.subjectAttributes.find((a) => a.type === 'CN')?.value ?? d.subject;
    } else if (d.kind === 'crl') {
      out.name = d.issuer;
    } else if (d.kind === 'privateKey' || d.kind === 'publicKey') {
      out.name = `${d.publicKey.algorithm} ${d.kind === 'privateKey' ? 'private' : 'public'} key`;
    }
    if (json) {
      out.json = { ...toJson(path, b, d, own), findings: findings.map(({ range: _r, ...f }) => ({ ...f, href: findingHref(f.code) })) };
    }
    return out;
  });
}
