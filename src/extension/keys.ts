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
  /** Followed by `<profile>:<caTag>`: the CA's last CRL as the language server needs it (knownCas.ts). */
  crlPrefix: 'ncloudPki.crl:',
} as const;

/**
 * The context keys the getting-started walkthrough's steps complete on (package.json
 * `completionEvents: onContext:…`). `did…` keys are set by what the user just did in this session
 * (chose a profile, created a CA, wrote a dev certificate, inspected); `has…` keys by the state found
 * (a profile saved, a CA listed). Both: VS Code ignores a key that was already true when it
 * registered the walkthrough (it may register after the extension started), so a state key alone
 * could leave a step unticked all session, and an event key alone would miss what was done before.
 */
export const WALKTHROUGH_CONTEXT = {
  profile: { did: 'ncloudPki.walkthrough.choseProfile', has: 'ncloudPki.walkthrough.hasProfile' },
  ca: { did: 'ncloudPki.walkthrough.createdCa', has: 'ncloudPki.walkthrough.hasCa' },
  devCertificate: { did: 'ncloudPki.walkthrough.issuedDevCertificate' },
  inspect: { did: 'ncloudPki.walkthrough.inspected' },
  trust: { did: 'ncloudPki.walkthrough.trustedCa' },
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

/**
 * Commands that write into the workspace (keys, certificates, .gitignore) or start the local
 * emulator: Restricted Mode hides them (`isWorkspaceTrusted` in package.json's menus) and refuses
 * them when run anyway (a lens, a keybinding). Inspecting and linting work without trust.
 */
export const TRUSTED_COMMANDS = ['ncloudPki.useEmulator', 'ncloudPki.issueCertificate', 'ncloudPki.signCsr', 'ncloudPki.issueDevCertificate', 'ncloudPki.reissue', 'ncloudPki.cmReissue', 'ncloudPki.exportCertificate', 'ncloudPki.trustCa'];

/** Settings whose workspace value is ignored in Restricted Mode (where files go, what listens, which CAs count as development ones). */
export const RESTRICTED_SETTINGS = ['certificateFolder', 'devCertificate.folder', 'emulator.port', 'localEmulatorByDefault', 'developmentCas'];
