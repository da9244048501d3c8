// What the emulator stores. Everything is plain JSON in one journal (see store.ts), so an
// operation that touches several records (issue: the certificate and the CA's signing count)
// commits them together.
import type { NcpKeyType, X509Parameters } from './issuer';

export type { CaStatus } from '../ncloud/vocabulary';
import type { CaStatus } from '../ncloud/vocabulary';

export interface CaRecord {
  type: 'ca';
  caTag: string;
  caId: number;
  caCertId: number;
  alias: string;
  memo: string;
  caType: 'PRIVATE_ROOT' | 'PRIVATE_SUB';
  status: CaStatus;
  issuerTag?: string;
  keyType: NcpKeyType;
  /** PKCS#8 PEM; the journal is mode 0600 and never leaves the data folder. */
  keyPem: string;
  params: X509Parameters;
  certPem?: string;
  csrPem?: string;
  chainPem: string;
  serialNo?: string;
  notBefore?: number;
  notAfter?: number;
  signingCount: number;
  rgstDate: number;
  statusUpdateDate: number | null;
  destroyDate: number | null;
  crlExpiryDays: number;
  crlNumber: number;
  crlPem?: string;
  ocspUrl?: string;
  /** Sub accounts allowed to use the CA (CA users). */
  users?: { idNo: string; loginId: string; mbrNo: string }[];
}

export interface CertRecord {
  type: 'cert';
  caTag: string;
  serialNo: string;
  commonName: string;
  certPem: string;
  notBefore: number;
  notAfter: number;
  publicKeyAlgorithm: string;
  signatureAlgorithm: string;
  issuedAt: number;
  revokedAt?: number;
  /** Expired and removed from the CRL by trim. */
  trimmed?: boolean;
}

export interface CmRecord {
  type: 'cm';
  certificateNo: number;
  certificateName: string;
  commonName: string;
  dnsName: string[];
  statusCode: number;
  certificateType: string;
  validationMethod?: 'D' | 'E';
  certPem?: string;
  chainPem?: string;
  keyPem?: string;
  /** Reissue in progress: NORMAL after this time. */
  readyAt?: number;
  pendingCertPem?: string;
  startDate?: number;
  endDate?: number;
  registDate: number;
}

export interface MetaRecord {
  type: 'meta';
  nextCaId: number;
  nextCmNo: number;
  /** The emulator's own CA for Certificate Manager certificates. */
  cmCaKeyPem?: string;
  cmCaCertPem?: string;
}

export type AnyRecord = CaRecord | CertRecord | CmRecord | MetaRecord;

/** The counters and the Certificate Manager's CA, with their first values. */
export function readMeta(store: { get(k: string): AnyRecord | undefined }): MetaRecord {
  return (store.get('meta') as MetaRecord | undefined) ?? { type: 'meta', nextCaId: 17001, nextCmNo: 7001 };
}
