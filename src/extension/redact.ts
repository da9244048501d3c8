// Private keys stay on the host: before text goes to the inspector webview, every private key in it
// (PEM armor, `\n`-escaped in JSON, or base64-encoded in a Kubernetes secret) is cut out, keeping
// line numbers. Only a file that holds nothing but keys, opened by the user, is sent whole, and the
// webview then shows the key's type and size only. No `vscode` here, so it is unit-tested in Node.
import type { Redaction } from '../webview/protocol';

const ARMORED = /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY)-----[\s\S]*?-----END \1-----/g;
const K8S = /LS0tLS1CRUdJT[A-Za-z0-9+/]+={0,2}/g;

function lineAt(text: string, offset: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
  }
  return line;
}

/** The first line a base64-encoded PEM decodes to, e.g. `-----BEGIN PRIVATE KEY-----`. */
function encodedArmor(b64: string): string {
  const head = b64.slice(0, 64 - (64 % 4));
  return Buffer.from(head, 'base64').toString('latin1').split('\n')[0];
}

/** `text` without its private keys, and where each one was. */
export function redactPrivateKeys(text: string): { text: string; redactions: Redaction[] } {
  const found: { at: number; label: string }[] = [];
  let out = text.replace(ARMORED, (match: string, label: string, at: number) => {
    found.push({ at, label: label.toLowerCase() });
    return match.replace(/[^\n]/g, '');
  });
  out = out.replace(K8S, (match: string, at: number) => {
    const armor = /^-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY)-----/.exec(encodedArmor(match));
    if (!armor) {
      return match;
    }
    found.push({ at, label: `${armor[1].toLowerCase()} (base64-encoded)` });
    return '';
  });
  found.sort((a, b) => a.at - b.at);
  return { text: out, redactions: found.map((f) => ({ label: f.label, line: lineAt(text, f.at) })) };
}

/** True when the text holds private keys and nothing else that PEM could be: a key file. */
export function onlyPrivateKeys(text: string): boolean {
  const { text: rest, redactions } = redactPrivateKeys(text);
  return redactions.length > 0 && !rest.includes('-----BEGIN ') && !rest.includes('LS0tLS1CRUdJT') && rest.trim() === '';
}
