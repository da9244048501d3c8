// What the PEM language server and its client share: settings, command ids and custom messages,
// declared once (vscode-eslint `$shared/customMessages.ts` style). Plain data only: this file is
// imported by the server bundle, the extension bundle and the tests.
import type { Range } from '../pki/types';

/**
 * The language client's id. VS Code's client reads `<id>.trace.server`, so it is the settings
 * section: `ncloudPki.trace.server` traces the PEM server (a test holds package.json to it).
 */
export const LANGUAGE_CLIENT_ID = 'ncloudPki';

/** Languages the server reads; it only reports where it finds PEM blocks. */
export const PEM_LANGUAGES = ['pem', 'yaml', 'json', 'jsonc', 'dotenv', 'properties', 'plaintext'] as const;

/** Text that means a document holds PEM: an armor line, or one base64-encoded (Kubernetes secrets). */
export const PEM_MARKERS = ['-----BEGIN ', 'LS0tLS1CRUdJT'] as const;

/** The finding codes the server reports, each a stable diagnostic code (docs/findings.md explains each). */
export { FINDING_CODES } from '../pki/findings';

export type SeveritySetting = 'error' | 'warning' | 'information' | 'hint' | 'off';

/** `ncloudPki.*` settings the server reads (pulled with workspace/configuration, or sent as initializationOptions by other editors). */
export interface ServerSettings {
  /** Warn when a certificate expires within this many days. */
  expiryWarningDays: number;
  /** Per-finding severity overrides, by finding code. */
  diagnostics: { severity: Partial<Record<string, SeveritySetting>> };
  /** Where production configuration lives (gitignore-style patterns, relative to a workspace folder): certificates of a development CA there are flagged. */
  productionPaths: string[];
  /** CAs treated as development CAs besides the local emulator's, by name (alias) or id (caTag). */
  developmentCas: string[];
}

/** The default of `ncloudPki.productionPaths`: folders named prod/production, and files named for them. */
export const DEFAULT_PRODUCTION_PATHS = ['prod/', 'production/', '*.prod.*', '*-prod.*', '*_prod.*', '*.production.*'];

export const DEFAULT_SETTINGS: ServerSettings = { expiryWarningDays: 30, diagnostics: { severity: {} }, productionPaths: DEFAULT_PRODUCTION_PATHS, developmentCas: [] };

/** Options an editor may pass in `initializationOptions`. */
export interface InitializationOptions {
  settings?: Partial<ServerSettings>;
  /** Quiet time after an edit before re-linting, in ms (default 15). */
  debounceMs?: number;
}

/** Commands the server's code lenses and hovers point at; the extension registers them. */
export const Commands = {
  inspect: 'ncloudPki.inspect',
  verifyChain: 'ncloudPki.verifyChain',
  reissue: 'ncloudPki.reissue',
} as const;

/** Arguments of the lens commands: the document and the block's range. */
export interface BlockRef {
  uri: string;
  range: Range;
}

/** A CA the extension knows from NCP: certificates it issued get a "Reissue…" lens. */
export interface KnownIssuer {
  /** The CA's subject, RFC 4514. */
  subject: string;
  /** The CA's subject key identifier (lowercase hex), when known. */
  keyId?: string;
  /** Where it lives: enough for the extension to find it again. */
  profile: string;
  caTag: string;
  alias: string;
  /** The profile's name as the user sees it (diagnostics name it). */
  profileName?: string;
  /** The CA's certificate (PEM): its validity, and its key to check signatures. */
  certPem?: string;
  /** The CA's chain as NCP gives it (PEM, the CA and its issuers): "Replace with the full chain" inserts it. */
  chainPem?: string;
  /** A development CA (the local emulator's; the server adds those of `ncloudPki.developmentCas`): certificates it issued are flagged in production paths. */
  development?: boolean;
  /** What the CA's current CRL says, when the extension could fetch it (or had it cached). */
  crl?: KnownCrl;
}

/** A CA's CRL as the server needs it: the revoked serials (lowercase hex, as decoded) and its dates. */
export interface KnownCrl {
  revoked: { serial: string; date: string }[];
  thisUpdate: string;
  nextUpdate?: string;
  /** True when the CRL is past its nextUpdate and could not be fetched again (offline): the cached one stands. */
  stale?: boolean;
}

/** What a diagnostic made from a known CA carries (LSP `Diagnostic.data`), for its quick fixes. */
export interface CaDiagnosticData {
  profile: string;
  caTag: string;
  alias: string;
}

/** Client → server: the CAs of the configured NCP profiles changed. */
export namespace KnownIssuersNotification {
  export const method = 'ncloudPki/knownIssuers';
  export type Params = { issuers: KnownIssuer[] };
}

/** Client → server: the chain report for the certificates of a document (leaf → root). */
export namespace VerifyChainRequest {
  export const method = 'ncloudPki/verifyChain';
  export type Params = { uri: string };
  export type Result = {
    /** One line per link, leaf first. */
    links: { subject: string; issuer: string; block: number; signature: 'valid' | 'invalid' | 'unknown'; expired: boolean }[];
    /** Which root the chain ends at, when it reaches a self-signed certificate in the file. */
    root?: string;
    problems: string[];
    ok: boolean;
  };
}

/** Client → server: the server's own numbers (cache size, memory), for benchmarks and the log. */
export namespace StatsRequest {
  export const method = 'ncloudPki/stats';
  export type Result = { documents: number; blocks: number; cacheEntries: number; heapUsed: number; rss: number; lastPassMs: number; inventoryFiles: number };
}

/** One block of the workspace inventory (the Certificates view's row). */
export interface InventoryEntry {
  uri: string;
  range: Range;
  /** certificate, csr, crl, privateKey, publicKey, pkcs7, malformed… */
  kind: string;
  /** The subject's CN (or subject), the CRL's issuer, the key's algorithm. */
  name: string;
  subject?: string;
  issuer?: string;
  /** Earliest notAfter of its certificates, ISO. */
  notAfter?: string;
  findings: { code: string; severity: 'error' | 'warning' | 'info' }[];
}

/** Client → server: index the files under these folders (paths), leaving out `exclude` (gitignore-style patterns relative to each root) and what .gitignore leaves out. Sent again when the folders or excludes change. */
export namespace InventoryStartNotification {
  export const method = 'ncloudPki/inventoryStart';
  export type Params = { roots: string[]; exclude: string[] };
}

/** Server → client: the entries of these files (replacing what was known of them; empty: none left), and how far the indexing is. */
export namespace InventoryNotification {
  export const method = 'ncloudPki/inventory';
  export type Params = { files: { uri: string; entries: InventoryEntry[] }[]; scanned: number; total: number; done: boolean; ms: number };
}
