// What the server says about blocks: hovers, outline symbols, folding, code lenses, the chain
// report and the reorder quick fix. Pure functions of the model and its analysis.
import { buildChain } from '../../pki/chain';
import { render } from '../../pki/messages';
import { blockName, commonName, keyText, relative } from '../../pki/describe';
import { colonHex, fingerprints } from '../../pki/fingerprint';
import type { CertificateInfo, Decoded } from '../../pki/types';
import { Commands, type BlockRef, type KnownIssuer, type VerifyChainRequest } from '../protocol';
import type { DocumentSymbol, SymbolKind as LspSymbolKind } from 'vscode-languageserver';
import type { Analysis } from './analysis';
import type { Say } from './l10n';
import type { BlockModel, Span } from './model';

const DAY = 86_400_000;

/** The LSP SymbolKind values used here. */
const SymbolKind = { Class: 5, Object: 19, Array: 18, Key: 20, Null: 21 } as const;

/** Markdown-escapes a value decoded from a certificate (it is text, never markup). */
export function md(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>&~]/g, (c) => `\\${c}`);
}


function symbolDetail(d: Decoded, now: number): string {
  switch (d.kind) {
    case 'certificate':
      return `${d.isCa ? 'CA, ' : ''}expires ${d.notAfter.slice(0, 10)} (${relative(d.notAfter, now)})`;
    case 'crl':
      return `${d.entries.length} revoked${d.nextUpdate ? `, next update ${d.nextUpdate.slice(0, 10)}` : ''}`;
    case 'malformed':
      return d.message;
    default:
      return '';
  }
}

function symbolKind(d: Decoded): LspSymbolKind {
  switch (d.kind) {
    case 'certificate':
    case 'csr':
      return SymbolKind.Class;
    case 'privateKey':
    case 'publicKey':
      return SymbolKind.Key;
    case 'crl':
    case 'pkcs7':
      return SymbolKind.Array;
    case 'malformed':
      return SymbolKind.Null;
    default:
      return SymbolKind.Object;
  }
}

/** One DocumentSymbol per block. */
export function documentSymbols(model: BlockModel, analysis: Analysis, now = Date.now()): DocumentSymbol[] {
  return model.spans.map((span, i) => {
    const d = analysis.decoded[i];
    const r = span.block.range;
    return {
      name: blockName(d),
      detail: symbolDetail(d, now),
      kind: symbolKind(d),
      range: r,
      selectionRange: { start: r.start, end: r.start.line === r.end.line ? r.end : { line: r.start.line, character: r.start.character + 11 + span.block.label.length + 5 } },
    };
  });
}

/** One folding range per multi-line block. */
export function foldingRanges(model: BlockModel) {
  return model.spans.filter((s) => s.block.range.end.line > s.block.range.start.line).map((s) => ({ startLine: s.block.range.start.line, endLine: s.block.range.end.line }));
}

function commandLink(title: string, command: string, args: unknown[]): string {
  return `[${title}](command:${command}?${encodeURIComponent(JSON.stringify(args))} "${title}")`;
}

function certificateLines(c: CertificateInfo, now: number): string[] {
  const left = Math.floor((Date.parse(c.notAfter) - now) / DAY);
  const status = Date.parse(c.notAfter) < now ? `**expired** ${relative(c.notAfter, now)}` : Date.parse(c.notBefore) > now ? `**not yet valid** (starts ${relative(c.notBefore, now)})` : `${left} day${left === 1 ? '' : 's'} left`;
  const sans = c.sans.slice(0, 12).map((s) => `${s.type}:${md(s.value)}`);
  if (c.sans.length > 12) {
    sans.push(`and ${c.sans.length - 12} more`);
  }
  return [
    `**Subject:** ${md(c.subject)}`,
    ...(sans.length ? [`**Names:** ${sans.join(', ')}`] : []),
    `**Valid:** ${c.notBefore.slice(0, 10)} → ${c.notAfter.slice(0, 10)} (${status})`,
    `**Issuer:** ${c.selfSigned ? 'self-signed' : md(c.issuer)}`,
    `**Key:** ${keyText(c.publicKey)}, signed with ${c.signatureAlgorithm}${c.isCa ? ' · CA' : ''}`,
    `**Serial:** \`${c.serialNumber}\``,
  ];
}

/** Hover markdown for the block under the cursor. */
export async function hoverMarkdown(span: Span, d: Decoded, uri: string, now = Date.now()): Promise<string> {
  const lines: string[] = [`### ${md(blockName(d))}`];
  switch (d.kind) {
    case 'certificate':
      lines.push(...certificateLines(d, now));
      if (span.block.der) {
        lines.push(`**SHA-256:** \`${colonHex((await fingerprints(span.block.der)).sha256)}\``);
      }
      break;
    case 'csr':
      lines.push(`**Subject:** ${md(d.subject)}`, `**Key:** ${keyText(d.publicKey)}, signed with ${d.signatureAlgorithm}`);
      if (d.sans.length) {
        lines.push(`**Names:** ${d.sans.map((s) => `${s.type}:${md(s.value)}`).join(', ')}`);
      }
      break;
    case 'crl':
      lines.push(`**Issuer:** ${md(d.issuer)}`, `**This update:** ${d.thisUpdate}`, `**Next update:** ${d.nextUpdate ?? 'none'}${d.nextUpdate ? ` (${relative(d.nextUpdate, now)})` : ''}`, `**Revoked:** ${d.entries.length}`);
      break;
    case 'privateKey':
    case 'publicKey':
      lines.push(`**Type:** ${keyText(d.publicKey)}${d.kind === 'privateKey' ? ` (${d.format}${d.encrypted ? ', encrypted' : ''})` : ''}`);
      break;
    case 'pkcs7':
      lines.push(...d.certificates.map((c) => `- ${md(commonName(c))} (expires ${c.notAfter.slice(0, 10)})`));
      break;
    case 'malformed':
      lines.push(md(d.message));
      break;
    default:
      break;
  }
  if (d.kind !== 'malformed') {
    const ref: BlockRef = { uri, range: span.block.range };
    lines.push('', commandLink('Inspect', Commands.inspect, [ref]));
  }
  return lines.join('  \n');
}

/** At most this many "Inspect" lenses per document: a lens per block of a 10,000-block bundle helps nobody. */
export const MAX_LENSES = 500;

function issuerMatch(c: CertificateInfo, known: KnownIssuer[]): KnownIssuer | undefined {
  return known.find((k) => k.subject === c.issuer && (!k.keyId || !c.authorityKeyId || k.keyId === c.authorityKeyId));
}

/** Code lenses: Inspect on each block, Verify chain on the first certificate of a multi-certificate file, Reissue on certificates a known NCP CA issued. */
export function codeLenses(model: BlockModel, analysis: Analysis, known: KnownIssuer[]) {
  const uri = model.uri;
  const lenses: { range: BlockRef['range']; command: { title: string; command: string; arguments: unknown[] } }[] = [];
  const certCount = analysis.decoded.filter((d) => d.kind === 'certificate').length;
  let chainLens = false;
  model.spans.forEach((span, i) => {
    const d = analysis.decoded[i];
    if (d.kind === 'malformed' || d.kind === 'unknown') {
      return;
    }
    const range = { start: span.block.range.start, end: span.block.range.start };
    const ref: BlockRef = { uri, range: span.block.range };
    if (i < MAX_LENSES) {
      lenses.push({ range, command: { title: 'Inspect', command: Commands.inspect, arguments: [ref] } });
    }
    if (d.kind === 'certificate' && !chainLens && certCount > 1) {
      chainLens = true;
      lenses.push({ range, command: { title: 'Verify chain', command: Commands.verifyChain, arguments: [{ uri }] } });
    }
    if (d.kind === 'certificate' && known.length > 0) {
      const ca = issuerMatch(d, known);
      if (ca) {
        lenses.push({ range, command: { title: `Reissue from ${ca.alias}…`, command: Commands.reissue, arguments: [{ ...ref, profile: ca.profile, caTag: ca.caTag }] } });
      }
    }
  });
  return lenses;
}

/** The document's certificates with their DER (PKCS#7 bundles included), for chain checks. */
function certificatesOf(model: BlockModel, analysis: Analysis) {
  const out: { info: CertificateInfo; der: Uint8Array; block: number }[] = [];
  analysis.decoded.forEach((d, i) => {
    const der = model.spans[i].block.der;
    if (d.kind === 'certificate' && der) {
      out.push({ info: d, der, block: i });
    } else if (d.kind === 'pkcs7') {
      d.certificates.forEach((c, k) => out.push({ info: c, der: d.certificateDer[k], block: i }));
    }
  });
  return out;
}

/** Orders and verifies the document's certificates leaf → root. */
export async function verifyChain(model: BlockModel, analysis: Analysis, say: Say = render, now = Date.now()): Promise<VerifyChainRequest.Result> {
  const certs = certificatesOf(model, analysis);
  const report = await buildChain(certs, now);
  const links = report.order.map((k, j) => {
    const link = report.links[j];
    const c = certs[k].info;
    return {
      subject: c.subject,
      issuer: c.issuer,
      block: certs[k].block,
      signature: link?.signatureValid === true ? ('valid' as const) : link?.signatureValid === false ? ('invalid' as const) : ('unknown' as const),
      expired: Date.parse(c.notAfter) < now,
    };
  });
  return { links, ...(report.root !== undefined ? { root: certs[report.root].info.subject } : {}), problems: report.texts.map(say), ok: report.complete && report.problems.length === 0 };
}

/**
 * The edit that puts a certificate chain leaf → root, or undefined when that is not safe: only
 * plain PEM certificates separated by whitespace, all in one chain, nothing else in between.
 */
export async function reorderEdit(model: BlockModel, analysis: Analysis): Promise<{ range: BlockRef['range']; newText: string } | undefined> {
  const spans = model.spans;
  if (spans.length < 2 || spans.some((s, i) => s.block.encoding !== 'pem' || analysis.decoded[i].kind !== 'certificate' || !s.block.der)) {
    return undefined;
  }
  const text = model.text;
  for (let i = 1; i < spans.length; i++) {
    if (text.slice(spans[i - 1].end, spans[i].start).trim() !== '') {
      return undefined;
    }
  }
  const certs = spans.map((s, i) => ({ info: analysis.decoded[i] as CertificateInfo, der: s.block.der as Uint8Array }));
  const report = await buildChain(certs);
  if (report.order.length !== spans.length || report.inOrder) {
    return undefined;
  }
  const separator = text.slice(spans[0].end, spans[1].start) || '\n';
  return {
    range: { start: spans[0].block.range.start, end: spans[spans.length - 1].block.range.end },
    newText: report.order.map((k) => spans[k].block.text).join(separator),
  };
}
