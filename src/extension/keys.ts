// Names the extension stores things under and shows to `when` clauses, declared once.
// Plain data (no `vscode`): unit tests compare them with package.json.
import { CA_STATUSES, type CaStatus } from '../ncloud/vocabulary';

/** The `ncloudPki.*` settings the extension reads (config.ts), each with its one default. */
export const SETTING_DEFAULTS = {
  expiryWarningDays: 30,
  certificateFolder: 'certs',
  'devCertificate.folder': 'certs',
  'devCertificate.validityDays': 30,
  'emulator.port': 0,
  localEmulatorByDefault: false,
  recordTraffic: '',
};

/** workspaceState keys. */
export const WORKSPACE_STATE = {
  /** The CA the last dev certificate came from (offered first next time). */
  devCa: 'ncloudPki.devCa',
  /** The .gitignore question was asked in this workspace. */
  gitignoreAsked: 'ncloudPki.gitignoreAsked',
} as const;

/** globalState keys (profiles; their secrets are in SecretStorage under SECRET_KEY(id)). */
export const GLOBAL_STATE = {
  profiles: 'ncloudPki.profiles',
  activeProfile: 'ncloudPki.activeProfile',
} as const;

export const SECRET_KEY = (profileId: string) => `ncloudPki.secretKey.${profileId}`;

/** Every tree item's contextValue (package.json's menus match them with `viewItem`). */
export const CONTEXT_VALUE = {
  profile: (kind: 'emulator' | 'ncp', active: boolean) => `profile.${kind}${active ? '.active' : ''}`,
  ca: (status: CaStatus, root: boolean) => `ca.${status}.${root ? 'root' : 'sub'}`,
  certs: 'certs',
  cert: (revoked: boolean) => (revoked ? 'cert.revoked' : 'cert'),
  loadMore: 'loadMore',
  crl: 'crl',
  chain: 'chain',
  error: 'error',
  cmProfile: 'cmProfile',
  cmCert: (issuing: boolean) => `cmCert.${issuing ? 'issuing' : 'ready'}`,
  inventoryEntry: 'inventoryEntry',
} as const;

/** Every contextValue a tree item can have. */
export function allContextValues(): string[] {
  const c = CONTEXT_VALUE;
  return [
    ...(['emulator', 'ncp'] as const).flatMap((k) => [c.profile(k, false), c.profile(k, true)]),
    ...CA_STATUSES.flatMap((s) => [c.ca(s, true), c.ca(s, false)]),
    c.certs,
    c.cert(false),
    c.cert(true),
    c.loadMore,
    c.crl,
    c.chain,
    c.error,
    c.cmProfile,
    c.cmCert(true),
    c.cmCert(false),
    c.inventoryEntry,
  ];
}
