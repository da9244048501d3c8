// What the server says about blocks: hovers, outline symbols, folding, code lenses, the chain
// report and the reorder quick fix. Pure functions of the model and its analysis.
import { buildChain } from '../../pki/chain';
import { render, text, type TextId } from '../../pki/messages';
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


function symbolDetail(d: Decoded, say: Say, now: number): string {
  switch (d.kind) {
    case 'certificate':
      return `${d.isCa ? 'CA, ' : ''}${say(text('symbol.expires', d.notAfter.slice(0, 10), relative(d.notAfter, now)))}`;
    case 'crl':
      return say(d.nextUpdate ? text('symbol.revoked-next', d.entries.length, d.nextUpdate.slice(0, 10)) : text('symbol.revoked', d.entries.length));
    case 'malformed':
      return say(d.text);
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
export function documentSymbols(model: BlockModel, analysis: Analysis, say: Say = render, now = Date.now()): DocumentSymbol[] {
  return model.spans.map((span, i) => {
    const d = analysis.decoded[i];
    const r = span.block.range;
    return {
      name: say(blockName(d)),
      detail: symbolDetail(d, say, now),
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

/** "**Label:** value", the label in the client's language (the value is markdown already). */
function row(say: Say, label: TextId, value: string): string {
  return `**${md(say(text(label)))}:** ${value}`;
}

function certificateLines(c: CertificateInfo, say: Say, now: number): string[] {
  const left = Math.floor((Date.parse(c.notAfter) - now) / DAY);
  const status = Date.parse(c.notAfter) < now ? `**${md(say(text('hover.expired', relative(c.notAfter, now))))}**` : Date.parse(c.notBefore) > now ? `**${md(say(text('hover.not-yet-valid', relative(c.notBefore, now))))}**` : md(say(text(left === 1 ? 'hover.day-left' : 'hover.days-left', left)));
  const sans = c.sans.slice(0, 12).map((s) => `${s.type}:${md(s.value)}`);
  if (c.sans.length > 12) {
    sans.push(md(say(text('hover.more', c.sans.length - 12))));
  }
  return [
    row(say, 'hover.subject', md(c.subject)),
    ...(sans.length ? [row(say, 'hover.names', sans.join(', '))] : []),
    row(say, 'hover.valid', `${c.notBefore.slice(0, 10)} → ${c.notAfter.slice(0, 10)} (${status})`),
    row(say, 'hover.issuer', c.selfSigned ? md(say(text('hover.self-signed'))) : md(c.issuer)),
    row(say, 'hover.key', `${say(text('hover.signed-with', keyText(c.publicKey), c.signatureAlgorithm))}${c.isCa ? ' · CA' : ''}`),
    row(say, 'hover.serial', `\`${c.serialNumber}\``),
  ];
}

/** Hover markdown for the block under the cursor. */
export async function hoverMarkdown(span: Span, d: Decoded, uri: string, say: Say = render, now = Date.now()): Promise<string> {
  const lines: string[] = [`### ${md(say(blockName(d)))}`];
  switch (d.kind) {
    case 'certificate':
      for (const l of certificateLines(d, say, now)) {
        lines.push(l);
      }
      if (span.block.der) {
        lines.push(`**SHA-256:** \`${colonHex((await fingerprints(span.block.der)).sha256)}\``);
      }
      break;
    case 'csr':
      lines.push(row(say, 'hover.subject', md(d.subject)), row(say, 'hover.key', say(text('hover.signed-with', keyText(d.publicKey), d.signatureAlgorithm))));
      if (d.sans.length) {
        lines.push(row(say, 'hover.names', d.sans.map((s) => `${s.type}:${md(s.value)}`).join(', ')));
      }
      break;
    case 'crl':
      lines.push(row(say, 'hover.issuer', md(d.issuer)), row(say, 'hover.this-update', d.thisUpdate), row(say, 'hover.next-update', d.nextUpdate ? `${d.nextUpdate} (${md(say(relative(d.nextUpdate, now)))})` : md(say(text('word.none')))), row(say, 'hover.revoked', String(d.entries.length)));
      break;
    case 'privateKey':
    case 'publicKey':
      // An encrypted PKCS#8 key tells nothing of its type until it is decrypted.
      lines.push(row(say, 'hover.type', d.kind === 'privateKey' && d.format === 'encrypted' ? md(say(text('word.encrypted'))) : `${keyText(d.publicKey)}${d.kind === 'privateKey' ? ` (${d.format}${d.encrypted ? `, ${md(say(text('word.encrypted')))}` : ''})` : ''}`));
      break;
    case 'pkcs7':
      for (const c of d.certificates) {
        lines.push(`- ${md(commonName(c))} (${md(say(text('hover.expires', c.notAfter.slice(0, 10))))})`);
      }
      break;
    case 'malformed':
      lines.push(md(say(d.text)));
      break;
    default:
      break;
  }
  if (d.kind !== 'malformed') {
    const ref: BlockRef = { uri, range: span.block.range };
    lines.push('', commandLink(say(text('lens.inspect')), Commands.inspect, [ref]));
  }
  return lines.join('  \n');
}

/** At most this many "Inspect" lenses per document: a lens per block of a 10,000-block bundle helps nobody. */
export const MAX_LENSES = 500;

function issuerMatch(c: CertificateInfo, known: KnownIssuer[]): KnownIssuer | undefined {
  return known.find((k) => k.subject === c.issuer && (!k.keyId || !c.authorityKeyId || k.keyId === c.authorityKeyId));
}

/** Code lenses: Inspect on each block, Verify chain on the first certificate of a multi-certificate file, Reissue on certificates a known NCP CA issued. */
export function codeLenses(model: BlockModel, analysis: Analysis, known: KnownIssuer[], say: Say = render) {
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
      lenses.push({ range, command: { title: say(text('lens.inspect')), command: Commands.inspect, arguments: [ref] } });
    }
    if (d.kind === 'certificate' && !chainLens && certCount > 1) {
      chainLens = true;
      lenses.push({ range, command: { title: say(text('lens.verify-chain')), command: Commands.verifyChain, arguments: [{ uri }] } });
    }
    if (d.kind === 'certificate' && known.length > 0) {
      const ca = issuerMatch(d, known);
      if (ca) {
        lenses.push({ range, command: { title: say(text('action.reissue', ca.alias)), command: Commands.reissue, arguments: [{ ...ref, profile: ca.profile, caTag: ca.caTag }] } });
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
