// The words NCP's APIs use, declared once for the client, the emulator and the extension (the
// emulator may import this file and the signer only). Plain data: no I/O, no imports.

/** Key types NCP generates and signs with (EC256 first: the default the extension offers). */
export const KEY_TYPES = ['EC256', 'EC521', 'RSA2048', 'RSA4096'] as const;
export type KeyType = (typeof KEY_TYPES)[number];

/** A CA's status; PENDING is a subordinate CA waiting for its signed certificate. */
export const CA_STATUSES = ['ACTIVE', 'DEACTIVATED', 'DESTROYING', 'PENDING'] as const;
export type CaStatus = (typeof CA_STATUSES)[number];

export type CaType = 'PRIVATE_ROOT' | 'PRIVATE_SUB';

/** NCP's sites (docs/ncp-api.md §2); a custom endpoint is always possible besides. */
export const SITE_NAMES = ['public', 'gov', 'fin'] as const;
export type SiteName = (typeof SITE_NAMES)[number];

/** Subject fields and SANs as NCP names them (`x509Parameters`). */
export interface X509Parameters {
  commonName: string;
  /** DNS names or e-mail addresses, comma separated. */
  altName?: string;
  /** IP addresses, comma separated. */
  ip?: string;
  organization?: string;
  organizationUnit?: string;
  locality?: string;
  stateProvince?: string;
  streetAddress?: string;
  country?: string;
}

/** Emulator-only response header by which the local emulator names itself (recordings say where they came from). */
export const EMULATOR_HEADER = 'x-ncloud-pki-emulator';
