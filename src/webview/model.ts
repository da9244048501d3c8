// The inspector's view model: what each card and table shows, computed from the PEM text with the
// PKI core. Plain data, no DOM, so it is unit-tested in Node and rendered by render.ts.
import { buildChain, type ChainInput } from '../pki/chain';
import { blockName, commonName, keyText } from '../pki/describe';
import { colonHex, fingerprints, spkiPin } from '../pki/fingerprint';
import { decodeBlock, expiresSoon, findingHref, lintBlock, lintDocument } from '../pki/index';
import { findingsByBlock } from '../pki/findings';
import { encodeBase64, scanBytes, scanPem, toPem } from '../pki/pem';
import { findIssuers, type IssuerSource } from './issuers';
import { t, tx } from './l10n';
import type { CertificateInfo, CrlInfo, CsrInfo, Decoded, Extension, Finding, KeyInfo, NameAttribute, PemBlock, SubjectAltName } from '../pki/types';

const DAY = 86_400_000;

export interface Row {
  label: string;
  value: string;
  /** Offer a copy button for the value. */
  copy?: boolean;
  /** Show in a monospace font (hex, base64). */
  mono?: boolean;
}

export interface Section {
  title: string;
  rows: Row[];
}

export interface Badge {
  severity: 'error' | 'warning' | 'info' | 'ok';
  /** The finding code, or `valid`. */
  code: string;
  text: string;
  message: string;
  /** The section of docs/findings.md that explains the finding (absent for `valid`). */
  href?: string;
}

export interface Validity {
  notBefore: string;
  notAfter: string;
  /** How much of the lifetime has passed, 0..1. */
  elapsed: number;
  state: 'valid' | 'expiring' | 'expired' | 'not-yet-valid';
  /** "42 days left", "expired 3 days ago", "valid from 2027-01-01". */
  text: string;
}

export interface BlockView {
  /** Index among the views (a PKCS#7 bundle contributes one view per certificate). */
  index: number;
  kind: Decoded['kind'];
  title: string;
  subtitle: string;
  /** Zero-based line of the block in the source text. */
  line: number;
  badges: Badge[];
  summary: Row[];
  validity?: Validity;
  /** The tables under "All fields". */
  sections: Section[];
  /** For copy and save; absent for keys (never material) and malformed blocks. */
  pem?: string;
  der?: string;
  fileName: string;
}

export interface ChainView {
  /**
   * Leaf → root. `view` is the card of a certificate of the inspected text, -1 for an issuer found
   * elsewhere; `from` says where that issuer came from ("chain.pem beside it").
   */
  links: { title: string; subject: string; issuer: string; view: number; from?: string; signature: 'valid' | 'invalid' | 'unknown'; expired: boolean; problem?: string }[];
  root?: string;
  ok: boolean;
  problems: string[];
}

export interface ViewModel {
  blocks: BlockView[];
  chain?: ChainView;
}

/** Badge words by finding code; translated when shown (t() needs the host's bundle first). */
const BADGE_TEXT: Record<string, string> = {
  expired: 'Expired',
  'not-yet-valid': 'Not yet valid',
  'expiring-soon': 'Expiring soon',
  'weak-rsa': 'Weak RSA key',
  'weak-signature': 'Weak signature',
  'leaf-without-san': 'No SANs',
  'ca-without-basic-constraints': 'CA without basicConstraints',
  'chain-order': 'Chain out of order',
  'key-mismatch': 'Key does not match',
  malformed: 'Malformed',
  'crl-outdated': 'CRL outdated',
  'encrypted-key': 'Encrypted',
  'invalid-time': 'Invalid time',
  'time-encoding': 'Time encoding',
  'invalid-serial': 'Invalid serial',
  'invalid-path-length': 'Invalid path length',
  'lifetime-too-long': 'Lifetime too long',
};

function badge(f: Pick<Finding, 'code' | 'severity' | 'text'>): Badge {
  return { severity: f.severity, code: f.code, text: BADGE_TEXT[f.code] ? t(BADGE_TEXT[f.code]) : f.code, message: tx(f.text), href: findingHref(f.code) };
}

function names(attrs: NameAttribute[]): Row[] {
  return attrs.map((a) => ({ label: a.type, value: a.value }));
}

function sanRows(sans: SubjectAltName[]): Row[] {
  const label: Record<string, string> = { dns: 'DNS', ip: 'IP', email: t('Email'), uri: 'URI', dirName: t('Directory name'), otherName: t('Other name'), registeredId: t('Registered ID'), other: t('Other') };
  return sans.map((s) => ({ label: label[s.type] ?? s.type, value: s.value }));
}

function extensionRows(exts: Extension[]): Row[] {
  return exts.map((e) => ({ label: e.critical ? t('{0} (critical)', e.name) : e.name, value: e.value, mono: e.raw === true }));
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

export function validity(notBefore: string, notAfter: string, now: number, expiryWarningDays: number): Validity {
  const from = Date.parse(notBefore);
  const to = Date.parse(notAfter);
  const elapsed = to > from ? Math.min(1, Math.max(0, (now - from) / (to - from))) : 1;
  const left = Math.floor((to - now) / DAY);
  if (now < from) {
    return { notBefore, notAfter, elapsed, state: 'not-yet-valid', text: t('not valid until {0}', day(notBefore)) };
  }
  if (now > to) {
    const ago = Math.floor((now - to) / DAY);
    return { notBefore, notAfter, elapsed, state: 'expired', text: ago === 0 ? t('expired today') : ago === 1 ? t('expired 1 day ago') : t('expired {0} days ago', ago) };
  }
  return { notBefore, notAfter, elapsed, state: expiresSoon(from, to, now, expiryWarningDays) ? 'expiring' : 'valid', text: left === 1 ? t('1 day left') : t('{0} days left', left) };
}

async function certificateView(c: CertificateInfo, der: Uint8Array, now: number, expiryWarningDays: number): Promise<Pick<BlockView, 'summary' | 'validity' | 'sections' | 'subtitle'>> {
  const [fp, pin] = await Promise.all([fingerprints(der), spkiPin(der, c)]);
  const sans = c.sans.map((s) => s.value);
  const summary: Row[] = [
    { label: t('Subject'), value: c.subject },
    { label: t('Names'), value: sans.length ? sans.join(', ') : t('none') },
    { label: t('Valid'), value: `${day(c.notBefore)} → ${day(c.notAfter)}` },
    { label: t('Issuer'), value: c.selfSigned ? t('{0} (self-signed)', c.issuer) : c.issuer },
    { label: t('Key'), value: keyText(c.publicKey) },
  ];
  const sections: Section[] = [
    { title: t('Subject'), rows: names(c.subjectAttributes) },
    { title: t('Issuer'), rows: names(c.issuerAttributes) },
    {
      title: t('Certificate'),
      rows: [
        { label: t('Version'), value: `v${c.version}` },
        { label: t('Serial number'), value: colonHex(c.serialNumber), mono: true, copy: true },
        { label: t('Not before'), value: c.notBefore },
        { label: t('Not after'), value: c.notAfter },
        { label: t('Signature algorithm'), value: c.signatureAlgorithm },
        { label: 'CA', value: c.isCa ? (c.pathLength !== undefined ? t('yes, path length {0}', c.pathLength) : t('yes')) : t('no') },
      ],
    },
    { title: t('Subject alternative names'), rows: sanRows(c.sans) },
    { title: t('Public key'), rows: [{ label: t('Algorithm'), value: c.publicKey.algorithm }, ...(c.publicKey.size ? [{ label: t('Size'), value: t('{0} bits', c.publicKey.size) }] : []), ...(c.publicKey.curve ? [{ label: t('Curve'), value: c.publicKey.curve }] : [])] },
    { title: t('Extensions'), rows: extensionRows(c.extensions) },
    {
      title: t('Fingerprints'),
      rows: [
        { label: 'SHA-256', value: colonHex(fp.sha256), mono: true, copy: true },
        { label: 'SHA-1', value: colonHex(fp.sha1), mono: true, copy: true },
        { label: t('SPKI SHA-256 pin'), value: pin, mono: true, copy: true },
      ],
    },
  ];
  return { subtitle: c.isCa ? (c.selfSigned ? t('Root CA certificate') : t('CA certificate')) : t('Certificate'), summary, ...(Number.isNaN(Date.parse(c.notBefore) + Date.parse(c.notAfter)) ? {} : { validity: validity(c.notBefore, c.notAfter, now, expiryWarningDays) }), sections: sections.filter((s) => s.rows.length) };
}

function csrView(c: CsrInfo): Pick<BlockView, 'summary' | 'sections' | 'subtitle'> {
  return {
    subtitle: t('Certificate signing request'),
    summary: [
      { label: t('Subject'), value: c.subject },
      { label: t('Names'), value: c.sans.length ? c.sans.map((s) => s.value).join(', ') : t('none') },
      { label: t('Key'), value: keyText(c.publicKey) },
      { label: t('Signature'), value: c.signatureAlgorithm },
    ],
    sections: [
      { title: t('Subject'), rows: names(c.subjectAttributes) },
      { title: t('Requested names'), rows: sanRows(c.sans) },
      { title: t('Requested extensions'), rows: extensionRows(c.extensions) },
      { title: t('Attributes'), rows: c.attributes.map((a) => ({ label: a.name, value: a.value })) },
    ].filter((s) => s.rows.length),
  };
}

function crlView(c: CrlInfo, now: number): Pick<BlockView, 'summary' | 'sections' | 'subtitle'> {
  const next = c.nextUpdate ? (Date.parse(c.nextUpdate) < now ? t('{0} (outdated)', c.nextUpdate) : c.nextUpdate) : t('none');
  return {
    subtitle: t('Certificate revocation list'),
    summary: [
      { label: t('Issuer'), value: c.issuer },
      { label: t('This update'), value: c.thisUpdate },
      { label: t('Next update'), value: next },
      { label: t('Revoked'), value: c.entries.length === 1 ? t('1 certificate') : t('{0} certificates', c.entries.length) },
    ],
    sections: [
      { title: t('Issuer'), rows: names(c.issuerAttributes) },
      { title: 'CRL', rows: [{ label: t('Version'), value: `v${c.version}` }, ...(c.crlNumber ? [{ label: t('CRL number'), value: c.crlNumber, mono: true }] : []), { label: t('Signature algorithm'), value: c.signatureAlgorithm }] },
      { title: t('Revoked certificates'), rows: c.entries.map((e) => ({ label: colonHex(e.serialNumber), value: `${e.revocationDate}${e.reason ? `, ${e.reason}` : ''}`, mono: true })) },
      { title: t('Extensions'), rows: extensionRows(c.extensions) },
    ].filter((s) => s.rows.length),
  };
}

function keyView(k: KeyInfo): Pick<BlockView, 'summary' | 'sections' | 'subtitle'> {
  const rows: Row[] = [
    { label: t('Type'), value: k.format === 'encrypted' ? t('encrypted') : keyText(k.publicKey) },
    { label: t('Format'), value: k.format },
    ...(k.kind === 'privateKey' ? [{ label: t('Encrypted'), value: k.encrypted ? t('yes') : t('no') }] : []),
  ];
  return { subtitle: k.kind === 'privateKey' ? t('Private key (its material is never shown)') : t('Public key'), summary: rows, sections: [] };
}

/** A card's heading: what the block is, in the user's language, and whose it is. */
function title(d: Decoded): string {
  switch (d.kind) {
    case 'certificate':
      return t('Certificate: {0}', commonName(d));
    case 'csr':
      return t('Certificate request: {0}', commonName(d));
    case 'crl':
      return t('CRL: {0}', d.issuerAttributes.find((a) => a.type === 'CN')?.value ?? d.issuer);
    case 'privateKey':
      return t('Private key: {0}', d.encrypted ? t('encrypted') : keyText(d.publicKey));
    case 'publicKey':
      return t('Public key: {0}', keyText(d.publicKey));
    default:
      // malformed ("Malformed certificate"), unknown, PKCS#7: the core's words, translated.
      return tx(blockName(d));
  }
}

function fileName(d: Decoded, index: number): string {
  const base = d.kind === 'certificate' || d.kind === 'csr' ? commonName(d) : d.kind;
  return `${base.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'block'}-${index + 1}`;
}

/** The cards of a decoded block: one, or one per certificate of a PKCS#7 bundle (the bundle's findings on its first). */
function entriesOf(d: Decoded, block: PemBlock, own: Finding[]): Entry[] {
  if (d.kind !== 'pkcs7') {
    return [{ d, block, der: block.der, findings: own, inBundle: false }];
  }
  if (d.certificates.length === 0) {
    return [{ d: { kind: 'unknown', label: block.label }, block, der: undefined, findings: own, inBundle: false }];
  }
  return d.certificates.map((c, k) => ({ d: c, block, der: d.certificateDer[k], findings: k === 0 ? own : [], inBundle: true }));
}

/** The card of one entry. */
async function blockView({ d, block, der, findings, inBundle }: Entry, index: number, now: number, expiryWarningDays: number): Promise<BlockView> {
  const base = { index, kind: d.kind, title: title(d), line: block.range.start.line, badges: findings.map(badge), fileName: fileName(d, index) };
  let body: Pick<BlockView, 'summary' | 'sections' | 'subtitle'> & { validity?: Validity };
  switch (d.kind) {
    case 'certificate':
      body = await certificateView(d, der!, now, expiryWarningDays);
      if (inBundle) {
        body.subtitle = t('{0} (in a PKCS#7 bundle)', body.subtitle);
      }
      break;
    case 'csr':
      body = csrView(d);
      break;
    case 'crl':
      body = crlView(d, now);
      break;
    case 'privateKey':
    case 'publicKey':
      body = keyView(d);
      break;
    case 'malformed':
      body = { subtitle: tx(blockName(d)), summary: [{ label: t('Problem'), value: tx(d.text) }], sections: [] };
      break;
    default:
      body = { subtitle: block.label || t('Unknown'), summary: [{ label: t('Label'), value: block.label || t('none') }], sections: [] };
      break;
  }
  const shareable = der && d.kind !== 'privateKey' && d.kind !== 'pkcs12' && d.kind !== 'malformed';
  const label = d.kind === 'certificate' ? 'CERTIFICATE' : block.label;
  const view: BlockView = { ...base, ...body, ...(shareable ? { pem: toPem(der, label), der: encodeBase64(der) } : {}) };
  if ((d.kind === 'certificate' || d.kind === 'crl' || d.kind === 'csr') && !view.badges.some((b) => b.severity === 'error' || b.severity === 'warning')) {
    view.badges.unshift({ severity: 'ok', code: 'valid', text: d.kind === 'crl' ? t('Current') : d.kind === 'csr' ? t('Well-formed') : t('Valid'), message: t('No problems found') });
  }
  return view;
}

/** One card to build: a decoded block, or one certificate of a PKCS#7 bundle. */
interface Entry {
  d: Decoded;
  block: PemBlock;
  der: Uint8Array | undefined;
  findings: Finding[];
  inBundle: boolean;
}

export interface BuildOptions {
  now?: number;
  expiryWarningDays?: number;
  /** Candidate issuers from elsewhere, or their promise: awaited only when a certificate's issuer is not in `input`. */
  issuers?: IssuerSource[] | Promise<IssuerSource[]>;
  decode?: (block: PemBlock) => Decoded;
  /**
   * Called with the first block's card before any other block is decoded, when `input` holds more
   * than one, and awaited: it may be shown (and painted) at once. Its badges are the block's own;
   * the final model's first block adds what only the whole document tells (chain order, a key
   * that does not match).
   */
  first?: (view: BlockView) => Promise<void>;
  /** Awaited between slices of decoding (the webview yields to the browser there, so it can paint). */
  pause?: () => Promise<void>;
}

/** Milliseconds of decoding between two pauses. */
const SLICE_MS = 12;

/**
 * Builds the view of every block in `input` (text holding PEM, or a binary file's bytes).
 * Decodes and lints as `inspect()` does, block by block in slices (see `first` and `pause`).
 */
export async function buildView(input: string | Uint8Array, options: BuildOptions = {}): Promise<ViewModel> {
  const now = options.now ?? Date.now();
  const expiryWarningDays = options.expiryWarningDays ?? 30;
  const decode = options.decode ?? decodeBlock;
  const lintOptions = { now, expiryWarningDays };
  const blocks = typeof input === 'string' ? scanPem(input) : scanBytes(input);
  const decoded: Decoded[] = [];
  const findings: Finding[] = [];
  let sliceStart = Date.now();
  for (let i = 0; i < blocks.length; i++) {
    const d = decode(blocks[i]);
    decoded.push(d);
    const own = lintBlock(d, i, lintOptions, blocks[i].error?.range);
    for (const f of own) {
      findings.push(f);
    }
    if (i === 0 && blocks.length > 1 && options.first) {
      const [entry] = entriesOf(d, blocks[0], own);
      await options.first(await blockView(entry, 0, now, expiryWarningDays));
      sliceStart = Date.now();
    }
    if (options.pause && Date.now() - sliceStart >= SLICE_MS) {
      await options.pause();
      sliceStart = Date.now();
    }
  }
  for (const f of lintDocument(decoded)) {
    findings.push(f);
  }

  const byBlock = findingsByBlock(findings);
  const entries = decoded.flatMap((d, i) => entriesOf(d, blocks[i], byBlock.get(i) ?? []));
  // Built together: each certificate's fingerprints are WebCrypto digests, awaited at once.
  const views = await Promise.all(entries.map((e, index) => blockView(e, index, now, expiryWarningDays)));
  const certs: (ChainInput & { view: number })[] = [];
  entries.forEach((e, index) => {
    if (e.d.kind === 'certificate') {
      certs.push({ info: e.d, der: e.der!, view: index });
    }
  });

  let chain: ChainView | undefined;
  const found = await findIssuers(certs, options.issuers ?? []);
  if (certs.length + found.length > 1) {
    const all: (ChainInput & { view?: number; from?: string })[] = [...certs, ...found];
    const report = await buildChain(all, now);
    chain = {
      links: report.order.map((ci, j) => {
        const link = report.links[j];
        const c = all[ci];
        return {
          title: commonName(c.info),
          subject: c.info.subject,
          issuer: c.info.issuer,
          view: c.view ?? -1,
          ...(c.from !== undefined ? { from: c.from } : {}),
          signature: link.signatureValid === true ? 'valid' : link.signatureValid === false ? 'invalid' : 'unknown',
          expired: Date.parse(c.info.notAfter) < now,
          ...(link.problemText ? { problem: tx(link.problemText) } : {}),
        };
      }),
      ...(report.root !== undefined ? { root: commonName(all[report.root].info) } : {}),
      ok: report.complete && report.problems.length === 0,
      problems: report.texts.map(tx),
    };
  }
  return { blocks: views, ...(chain ? { chain } : {}) };
}
