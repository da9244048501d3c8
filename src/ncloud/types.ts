// NCP's request and response shapes (NCP-API.md §3, §4; the seed pages' examples win).

export type KeyType = 'RSA2048' | 'RSA4096' | 'EC256' | 'EC521';
export type CaType = 'PRIVATE_ROOT' | 'PRIVATE_SUB';
export type CaStatus = 'ACTIVE' | 'DEACTIVATED' | 'DESTROYING' | 'PENDING';

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

export interface CaInfo {
  caTag: string;
  caId: number;
  alias: string;
  memo: string;
  caType: CaType;
  status: CaStatus;
  signingCount: number;
  rgstDate: number;
  statusUpdateDate: number | null;
  destroyDate: number | null;
  nrn?: string;
  /** Not in NCP's field table; the emulator sends it for subordinates. Absent from NCP. */
  issuerTag?: string;
  urlInfo: { ca: string[]; crl: string[]; ocsp: string[] };
}

export interface CaCertInfo {
  commonName: string;
  country: string;
  locality: string;
  stateProvince: string;
  organization: string;
  organizationUnit: string;
  issuerName: string;
  notBeforeDate: number | null;
  notAfterDate: number | null;
  publicKeyAlgorithm: string;
  signatureAlgorithm: string;
  serialNo: string;
  caCertId: number;
  certPem: string;
  chainPem: string;
}

export interface Ca {
  caInfo: CaInfo;
  caCertInfo?: CaCertInfo;
}

export interface Page<T> {
  totalCnt: number;
  totalPageNo: number;
  currentPageNo: number;
  items: T[];
}

export interface CreateCaRequest {
  caType: CaType;
  /** For PRIVATE_SUB signed by another CA of the account; omit for an externally signed one. */
  issuerTag?: string;
  alias: string;
  memo?: string;
  keyType: KeyType;
  /** Days "1"-"3650" or "MAX". */
  period: string;
  x509Parameters: X509Parameters;
}

export interface IssueCertRequest {
  keyType?: KeyType;
  period?: string;
  x509Parameters: X509Parameters;
}

export interface IssuedCert {
  /** PEM; present only when NCP generated the key. Write it 0600, never log it. */
  privateKey?: string;
  certificate: string;
  caChain: string;
  issuer: string;
  ocspResponder: string;
  serialNo: string;
}

export interface EndCert {
  serialNo: string;
  commonName: string;
  notBeforeDate: number;
  notAfterDate: number;
  publicKeyAlgorithm: string;
  signatureAlgorithm: string;
  certPem: string;
  caChain: string;
  ocspResponder: string;
}

export interface CmCertificate {
  certificateNo: number;
  certificateName: string;
  commonName: string;
  dnsName: string;
  statusCode: number;
  certificateType?: string;
  certificateTypeName?: string;
  validStartDate?: string;
  validEndDate?: string;
  registDate?: string;
  [field: string]: unknown;
}

/** Certificate Manager status codes in words (NCP-API.md §4). */
export const CM_STATUS: Record<number, string> = {
  0: 'Issuing',
  1: 'Normal',
  2: 'Normal (private key not registered)',
  3: 'Normal (global edge dedicated)',
  [-1]: 'Failed',
  [-2]: 'Expired',
  [-3]: 'Validation failed',
  [-4]: 'Validation expired',
  [-5]: 'Revoked',
  [-6]: 'Deleted',
  [-7]: 'Revocation requested',
  [-11]: 'Failed (lint)',
};
