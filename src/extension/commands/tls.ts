// "Inspect TLS Endpoint…": connects to host[:port] with the CLI's probe (src/tls, loaded with the
// backend bundle), then shows the served chain in the inspector with what a client would think of
// it: host name, order, verification against the system store and against your CAs (the profiles'
// CAs and the CA certificates of the workspace), expiry, OCSP stapling, protocol and cipher.
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import * as vscode from 'vscode';
import type { TlsFact } from '../../webview/protocol';
import { setting } from '../config';
import type { Ext } from '../ext';
import { say } from '../say';
import type { Rendered } from '../inspector';

const CA_FILES = '**/*.{pem,crt,cer}';
const MAX_CA_FILES = 500;
const MAX_FILE_BYTES = 1_000_000;
const DAY = 86_400_000;

/** The certificate files of the workspace that may be CAs (the probe keeps only CA certificates). */
async function workspaceCas(): Promise<{ from: string; text: string }[]> {
  const uris = await vscode.workspace.findFiles(CA_FILES, undefined, MAX_CA_FILES);
  const texts = await Promise.all(
    uris.map(async (uri) => {
      try {
        const bytes = await vscode.workspace.fs.readFile(uri);
        const text = bytes.length <= MAX_FILE_BYTES ? new TextDecoder().decode(bytes) : '';
        return text.includes('-----BEGIN CERTIFICATE-----') ? [{ from: vscode.l10n.t('{0} in the workspace', vscode.workspace.asRelativePath(uri)), text }] : [];
      } catch {
        return [];
      }
    }),
  );
  return texts.flat();
}

const MAX_DEPTH = 8;

/** A CA certificate, parsed, with where it was found. */
interface Ca {
  from: string;
  cert: X509Certificate;
}

/** The system store's CA certificates: the same for the whole session, so parsed once. */
let systemCas: Ca[] | undefined;

/**
 * The CAs of `pool` above the served chain (what names a served certificate's issuer, then that
 * one's, up to 8 levels), each once, with where it was found: only these go to the inspector, not
 * every certificate file of the workspace.
 */
function issuersOf(served: Uint8Array[], pool: Ca[]): { from: string; text: string }[] {
  const out: { from: string; text: string }[] = [];
  let wanted = served.map((der) => new X509Certificate(der));
  const taken = new Set(wanted.map((c) => c.fingerprint256));
  for (let depth = 0; depth < MAX_DEPTH && wanted.length; depth++) {
    const next: X509Certificate[] = [];
    for (const c of wanted) {
      for (const p of pool) {
        if (!taken.has(p.cert.fingerprint256) && c.checkIssued(p.cert)) {
          taken.add(p.cert.fingerprint256);
          out.push({ from: p.from, text: p.cert.toString() });
          next.push(p.cert);
        }
      }
    }
    wanted = next;
  }
  return out;
}

function toPem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64.endsWith('\n') ? b64 : `${b64}\n`}-----END CERTIFICATE-----\n`;
}

/** The step's name as the user reads it. */
function stepName(step: 'resolve' | 'connect' | 'handshake'): string {
  return step === 'resolve' ? vscode.l10n.t('Resolving the host name') : step === 'connect' ? vscode.l10n.t('Connecting') : vscode.l10n.t('The TLS handshake');
}

export function inspectTlsEndpoint(ext: Ext) {
  /** `address` and `servername` skip the questions (tests, other commands). Resolves with what the inspector rendered, or `{ error }` when a step failed. */
  return async (address?: string, servername?: string): Promise<Rendered | { error: string } | undefined> => {
    const b = ext.services.backend();
    const title = vscode.l10n.t('Inspect TLS Endpoint');
    const typed =
      address ??
      (await ext.ctx.prompter.input({
        title,
        prompt: vscode.l10n.t('Host and port (host[:port], 443 when no port is given)'),
        placeHolder: 'example.com:443',
        validateInput: (v) => {
          try {
            b.endpointTarget(v);
            return undefined;
          } catch {
            return vscode.l10n.t('Type a host name or an IP address, optionally followed by :port (1–65535).');
          }
        },
      }));
    if (!typed) {
      return undefined;
    }
    const target = b.endpointTarget(typed);
    const name = servername ?? (await ext.ctx.prompter.input({ title, prompt: vscode.l10n.t('Server name to send (SNI) and to match (empty: {0})', target.host), value: '' }));
    if (name === undefined) {
      return undefined;
    }
    const endpoint = `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
    let report: Awaited<ReturnType<typeof b.probeTls>>;
    try {
      report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Connecting to {0}…', endpoint) }, () => b.probeTls(target, name ? { servername: name } : {}));
    } catch (err) {
      const message = err instanceof b.TlsStepError ? vscode.l10n.t('{0}: {1} failed: {2}', endpoint, stepName(err.step), say(err.text)) : vscode.l10n.t('{0}: {1}', endpoint, err instanceof Error ? err.message : String(err));
      ext.ctx.log.error(`inspect TLS: ${message}`);
      void vscode.window.showErrorMessage(message);
      return { error: message };
    }
    // Your CAs, then the system store: where the chain card finds the issuers a server leaves out (its root).
    // Each CA certificate is parsed once, for both the verification and the chain card.
    const parse = (s: { from: string; text: string }) => b.caCertificates(s.text).map((cert) => ({ from: s.from, cert }));
    const yours = [...ext.inspector.profileCaSources(), ...(await workspaceCas())].flatMap(parse);
    systemCas ??= parse({ from: vscode.l10n.t('System trust store'), text: rootCertificates.join('\n') });
    const verified = b.verifyWith(report.served, yours.map((c) => c.cert));
    const issuers = issuersOf(report.served, [...yours, ...systemCas]);
    const facts: TlsFact[] = [
      report.hostnameMatch
        ? { code: 'hostname', state: 'ok', label: vscode.l10n.t('Host name'), text: vscode.l10n.t('The certificate is valid for {0}', report.servername) }
        : { code: 'hostname', state: 'error', label: vscode.l10n.t('Host name'), text: report.hostnameProblem ? say(report.hostnameProblem) : '' },
      b.servedInOrder(report.served)
        ? { code: 'order', state: 'ok', label: vscode.l10n.t('Chain order'), text: vscode.l10n.t('Leaf first, then each issuer') }
        : { code: 'order', state: 'warning', label: vscode.l10n.t('Chain order'), text: vscode.l10n.t('Out of order as served: some clients will fail') },
      report.chainVerified
        ? { code: 'system', state: 'ok', label: vscode.l10n.t('System trust store'), text: vscode.l10n.t('Verified') }
        : { code: 'system', state: 'error', label: vscode.l10n.t('System trust store'), text: vscode.l10n.t('Not verified: {0}', report.verifyProblem ? say(report.verifyProblem) : '') },
      verified.verified
        ? { code: 'yours', state: 'ok', label: vscode.l10n.t('Your CAs'), text: vscode.l10n.t('Verified up to {0}', verified.anchor ?? '') }
        : { code: 'yours', state: 'warning', label: vscode.l10n.t('Your CAs'), text: vscode.l10n.t('Not verified: {0}', verified.why ? say(verified.why) : '') },
    ];
    if (report.served.length) {
      const leaf = new X509Certificate(report.served[0]);
      const days = Math.floor((new Date(leaf.validTo).getTime() - Date.now()) / DAY);
      const warn = setting('expiryWarningDays');
      facts.push({ code: 'expiry', state: days < 0 ? 'error' : days <= warn ? 'warning' : 'ok', label: vscode.l10n.t('Expiry'), text: days < 0 ? vscode.l10n.t('Expired on {0}', leaf.validTo) : vscode.l10n.t('{0} days left (until {1})', days, leaf.validTo) });
    }
    facts.push(
      report.ocspStapled
        ? { code: 'ocsp', state: 'ok', label: vscode.l10n.t('OCSP stapling'), text: vscode.l10n.t('A response was stapled') }
        : { code: 'ocsp', state: 'info', label: vscode.l10n.t('OCSP stapling'), text: vscode.l10n.t('None stapled') },
      { code: 'protocol', state: 'info', label: vscode.l10n.t('Protocol and cipher'), text: `${report.protocol ?? '?'}, ${report.cipher ?? '?'}` },
    );
    ext.ctx.log.info(`inspect TLS: ${endpoint} (${report.address}, server name ${report.servername}): ${report.served.length} certificate(s), ${facts.map((f) => `${f.code} ${f.state}`).join(', ')}`);
    return ext.inspector.show({ text: report.served.map(toPem).join(''), source: { kind: 'tls', label: endpoint }, tls: { endpoint: `${endpoint} (${report.servername})`, facts }, issuers });
  };
}
