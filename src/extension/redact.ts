// Private keys stay on the host. Before text goes to the inspector webview it is cut down to what
// can be proven harmless: PEM blocks that decode as a certificate, CSR, CRL, public key or a PKCS#7
// bundle of certificates (armored, `\n`-escaped or base64-encoded as in a Kubernetes secret). Every
// other character becomes a space (line breaks stay, so lines and columns still match the source).
// This fails closed: a key with no END line, an END for another label, a key inside base64 wrapped
// over several lines, a PGP or PuTTY key, or anything we cannot read never leaves the host. Each
// key-like thing cut leaves a note (its kind and line). No `vscode` here, so it is unit-tested in Node.
import { decodeBase64, LineMap, scanPem, sniffDer } from '../pki/pem';
import { isPublicDer } from '../pki/shape';
import type { Redaction } from '../webview/protocol';

// How deep a base64-encoded PEM inside a base64-encoded PEM is followed (a Kubernetes secret is 1).
const MAX_DEPTH = 3;

interface Region {
  start: number;
  end: number;
  /** Proven harmless: passed through. */
  safe: boolean;
  /** Set when the region looks like key material (a note is shown for it). */
  note?: string;
  /** Proven to be a private key and nothing else (for `onlyPrivateKeys`). */
  key?: boolean;
}

/** True when `text` holds blocks that are all public data (their DER proves it, whatever their label says). */
function provenPublic(text: string): boolean {
  const blocks = scanPem(text);
  return blocks.length > 0 && blocks.every((b) => b.der !== undefined && isPublicDer(b.der));
}

/** A note for an armor label that is not provably public. */
function noteFor(label: string): string {
  const l = label.toLowerCase();
  return /private|secret|key/.test(l) ? l : `${l || 'unlabelled'} block that could not be read (it may hold a key)`;
}

// Armor lines, loosely: any case, 2+ dashes, spaces. Loose on purpose: a near-miss still counts.
const ARMOR_SOURCE = String.raw`-{2,}[ \t]*(BEGIN|END)[ \t]+([^\r\n-]{0,80}?)[ \t]*-{2,}`;

/** Armored regions: each BEGIN to its END, or (no matching END) to the next armor line or the end. */
function armorRegions(text: string): Region[] {
  const re = new RegExp(ARMOR_SOURCE, 'gi');
  const marks: { begin: boolean; label: string; start: number; end: number }[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    marks.push({ begin: m[1].toUpperCase() === 'BEGIN', label: m[2].trim().replace(/\s+/g, ' ').toUpperCase(), start: m.index, end: m.index + m[0].length });
  }
  const out: Region[] = [];
  for (let i = 0; i < marks.length; i++) {
    const b = marks[i];
    const next = marks[i + 1];
    if (!b.begin) {
      // An END with no BEGIN: its line may follow key material we could not tell apart; cut the marker.
      out.push({ start: b.start, end: b.end, safe: false });
      continue;
    }
    let end: number;
    let matched = false;
    if (next && !next.begin) {
      end = next.end; // its END, or an END for another label: cut through it
      matched = next.label === b.label;
      i++;
    } else {
      end = next ? next.start : text.length;
    }
    const region = text.slice(b.start, end);
    if (matched && provenPublic(region)) {
      out.push({ start: b.start, end, safe: true });
    } else {
      const isKey = matched && /PRIVATE KEY$/.test(b.label) && scanPem(region).every((x) => x.der !== undefined && !isPublicDer(x.der));
      out.push({ start: b.start, end, safe: false, note: noteFor(b.label), ...(isKey ? { key: true } : {}) });
    }
  }
  return out;
}

/**
 * Base64 of a PEM (`LS0tLS1CRUdJT...`, a Kubernetes secret), joined across wrapped lines (`base64`
 * wraps at 76 columns). Safe only when what it decodes to is entirely public.
 */
function encodedRegions(text: string, depth: number): Region[] {
  const re = /LS0tLS1CRUdJT[A-Za-z0-9+/]*={0,2}/g;
  const cont = /[ \t]*([A-Za-z0-9+/]+={0,2})[ \t]*(?=\r?\n|["',]|$)/y;
  const out: Region[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    let end = m.index + m[0].length;
    // Pieces joined once at the end: testing a growing string's end each line made this quadratic.
    const pieces = [m[0]];
    for (let last = m[0]; !last.endsWith('='); ) {
      const nl = text.startsWith('\r\n', end) ? 2 : text[end] === '\n' ? 1 : 0;
      if (nl === 0) {
        break;
      }
      cont.lastIndex = end + nl;
      const c = cont.exec(text);
      if (!c) {
        break;
      }
      last = c[1];
      pieces.push(last);
      end = cont.lastIndex;
    }
    re.lastIndex = end;
    const decoded = decodeBase64(pieces.join(''));
    let safe = false;
    let note = 'base64-encoded block that could not be read (it may hold a key)';
    if ('bytes' in decoded && depth < MAX_DEPTH) {
      const inner = new TextDecoder().decode(decoded.bytes);
      const regions = regionsOf(inner, depth + 1);
      safe = regions.length > 0 && regions.every((r) => r.safe);
      const first = regions.find((r) => r.note);
      if (first?.note) {
        note = `${first.note} (base64-encoded)`;
      }
    }
    out.push({ start: m.index, end, safe, ...(safe ? {} : { note }) });
  }
  return out;
}

/** Key formats with no PEM armor. */
function bareKeyRegions(text: string): Region[] {
  const out: Region[] = [];
  const putty = /^[ \t]*PuTTY-User-Key-File-\d+:/gm;
  for (let m = putty.exec(text); m; m = putty.exec(text)) {
    out.push({ start: m.index, end: m.index + m[0].length, safe: false, note: 'PuTTY private key' });
  }
  // base64 of a DER key with no armor (a key pasted into a config value).
  const der = /(?<![A-Za-z0-9+/])M[A-Za-z0-9+/]{40,}={0,2}/g;
  for (let m = der.exec(text); m; m = der.exec(text)) {
    const r = decodeBase64(m[0]);
    const kind = 'bytes' in r ? sniffDer(r.bytes) : undefined;
    if (kind === 'privateKey' || kind === 'pkcs12') {
      out.push({ start: m.index, end: m.index + m[0].length, safe: false, note: kind === 'pkcs12' ? 'PKCS#12 keystore (base64)' : 'private key (base64 DER)' });
    }
  }
  return out;
}

/** Every region of interest, in order, not overlapping (armor first; base64 outside armor). */
function regionsOf(text: string, depth: number): Region[] {
  const armor = armorRegions(text);
  const encoded = text.includes('LS0tLS1CRUdJT') ? encodedRegions(text, depth) : [];
  const bare = bareKeyRegions(text);
  const all: Region[] = [];
  let a = 0;
  for (const r of [...encoded, ...bare].sort((x, y) => x.start - y.start)) {
    // Keep those not inside (or overlapping) an armored region.
    while (a < armor.length && armor[a].end <= r.start) {
      a++;
    }
    if (a < armor.length && armor[a].start < r.end) {
      continue;
    }
    all.push(r);
  }
  return [...armor, ...all].sort((x, y) => x.start - y.start);
}

/** Spaces for every character but line breaks. */
function blank(s: string): string {
  return s.replace(/[^\r\n]/g, ' ');
}

/** `text` cut down to what is provably public, and where each key-like thing that was cut had been. */
export function redactPrivateKeys(text: string): { text: string; redactions: Redaction[] } {
  const regions = regionsOf(text, 0);
  const lines = new LineMap(text);
  let out = '';
  let at = 0;
  const redactions: Redaction[] = [];
  for (const r of regions) {
    if (r.start < at) {
      continue;
    }
    out += blank(text.slice(at, r.start));
    out += r.safe ? text.slice(r.start, r.end) : blank(text.slice(r.start, r.end));
    if (r.note) {
      redactions.push({ label: r.note, line: lines.position(r.start).line });
    }
    at = r.end;
  }
  out += blank(text.slice(at));
  return { text: out, redactions };
}

/** The armored blocks of `text` (with the given label, if any) that are proven public, one per line. */
export function publicBlocks(text: string, label?: string): string {
  const re = new RegExp(ARMOR_SOURCE, 'i');
  return armorRegions(text)
    .filter((r) => r.safe)
    .map((r) => text.slice(r.start, r.end))
    .filter((t) => label === undefined || re.exec(t)?.[2].trim().toUpperCase() === label)
    .join('\n');
}

/** True when the text holds private keys (proven to be keys) and nothing else but white space: a key file. */
export function onlyPrivateKeys(text: string): boolean {
  const regions = regionsOf(text, 0);
  let rest = '';
  let at = 0;
  for (const r of regions) {
    rest += text.slice(at, r.start);
    at = r.end;
  }
  rest += text.slice(at);
  return regions.length > 0 && regions.every((r) => r.key === true) && rest.trim() === '';
}

/** What the inspector webview may receive for a file's bytes or a text: never a private key, unless the user opened a key-only file. */
export function webviewContent(input: { text?: string; bytes?: Uint8Array; userFile?: boolean; binary?: boolean }): { text?: string; der?: string; redactions: Redaction[] } {
  if (input.bytes && input.binary) {
    // DER: sent only when it decodes as public data (a DER private key is a SEQUENCE too).
    if (isPublicDer(input.bytes)) {
      return { der: Buffer.from(input.bytes).toString('base64'), redactions: [] };
    }
    const kind = sniffDer(input.bytes);
    return { text: '', redactions: [{ label: kind === 'privateKey' ? 'private key (DER)' : kind === 'pkcs12' ? 'PKCS#12 keystore' : 'binary file that could not be read (it may hold a key)', line: 0 }] };
  }
  const text = input.text ?? new TextDecoder().decode(input.bytes);
  if (input.userFile && onlyPrivateKeys(text)) {
    return { text, redactions: [] };
  }
  return redactPrivateKeys(text);
}
