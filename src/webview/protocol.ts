// The inspector's messages between the extension host and the webview, declared once and
// imported by both sides. Plain data only. The handshake: the webview posts `ready` once its
// script runs; only then does the host post `show`, then (when `show` says so) its `issuers`.

import type { IssuerSource } from './issuers';

export type { IssuerSource };

/** Where the inspected text came from (for the title and for "Open as text"). */
export interface Source {
  kind: 'document' | 'selection' | 'clipboard' | 'file' | 'ncp' | 'tls';
  /** The document or file, when there is one. */
  uri?: string;
  /** A short name for the header: a file name, "Clipboard", a CA alias. */
  label: string;
  /** Where it lives in the NCP PKI view, when it came from NCP ("Reveal in NCP PKI View"). */
  reveal?: { profile: string; caTag: string; serialNo?: string };
}

/** A private key the host kept out of the webview. */
export interface Redaction {
  label: string;
  /** Zero-based line where it was in the source. */
  line: number;
}

/** One fact about a live TLS endpoint, worded by the host (which made the connection). */
export interface TlsFact {
  code: 'hostname' | 'order' | 'system' | 'yours' | 'expiry' | 'ocsp' | 'protocol';
  state: 'ok' | 'error' | 'warning' | 'info';
  label: string;
  text: string;
}

/** What "Inspect TLS Endpoint…" saw: the endpoint and its facts (the served chain is the `text`). */
export interface TlsView {
  endpoint: string;
  facts: TlsFact[];
}

export type HostMessage = {
  type: 'show';
  /** Echoed in `rendered`, so the host knows which content a report is about. */
  id: number;
  /** PEM (or any text holding PEM); absent when `der` is given. */
  text?: string;
  /** A binary file's bytes, base64. */
  der?: string;
  source: Source;
  /** Zero-based line of the block to scroll to (the one an "Inspect" lens was on). */
  focusLine?: number;
  redactions: Redaction[];
  expiryWarningDays: number;
  /** True in a custom editor on a text file: offer "Open as text". */
  canOpenAsText: boolean;
  /** VS Code's l10n bundle for the display language (absent in English): the webview's t() reads it. */
  l10n?: Record<string, string>;
  /** Certificates from elsewhere that may issue the inspected ones (files beside it, open editors, the profiles' CAs). */
  issuers?: IssuerSource[];
  /** The issuers come after, in an `issuers` message (the host looks for them while the webview decodes). */
  issuersFollow?: boolean;
  /** The connection's facts, when the certificates are the chain a TLS server presented. */
  tls?: TlsView;
};

/** The issuers of the `show` with this id, when it said `issuersFollow`. */
export interface IssuersMessage {
  type: 'issuers';
  id: number;
  issuers: IssuerSource[];
}

export type WebviewMessage =
  | { type: 'ready' }
  /** Posted after every render: what is on screen, for the host's log and for tests. */
  | { type: 'rendered'; id: number; blocks: { kind: string; title: string; badges: string[] }[]; chain?: { subjects: string[]; from: (string | null)[]; /** Where each link is, as the page says it. */ where: string[]; ok: boolean }; redactions: number; ms: number; tls?: { code: string; state: string }[]; /** Date.now() when the first card, and the whole panel, had been painted. */ firstPaintAt: number; paintedAt: number }
  | { type: 'copy'; text: string; what: string }
  | { type: 'save'; format: 'pem' | 'der'; data: string; name: string }
  | { type: 'openAsText' }
  | { type: 'reveal' }
  | { type: 'error'; id: number; message: string };
