// NCP's request and response shapes (docs/ncp-api.md §3, §4; the seed pages' examples win).

import type { CaStatus, CaType, KeyType, X509Parameters } from './vocabulary';

export type { CaStatus, CaType, KeyType, X509Parameters } from './vocabulary';

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
  /** The issuer by its numeric caId, as NCP's generated client sends it (`issuerId`); issuerTag wins. */
  issuerId?: number;
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

/** A Certificate Manager certificate from the v2 list (ListCertificates), normalized: statusCode as a number. */
export interface CmCertificate {
  certificateNo: number;
  certificateName: string;
  commonName: string;
  /** SAN DNS names, comma separated. */
  dnsName: string;
  /** NCP sends a string ("1"); the client gives a number. */
  statusCode: number;
  statusName?: string;
  memberNo?: string | number;
  certificateType?: string;
  certificateTypeName?: string;
  domainCode?: string;
  updateDate?: string | number;
  issueType?: string;
  subjectDN?: string;
  validStartDate?: string;
  validEndDate?: string;
  [field: string]: unknown;
}

/** A certificate from the v1 list (getCertificateList): its own field names. */
export interface CmCertificateV1 {
  certificateNo: number;
  certificateName: string;
  certificateType?: string;
  memberNo?: string | number;
  /** The subject DN, e.g. `CN=www.example.com`. */
  dnInfo?: string;
  domainAddress?: string;
  subDomainAddress?: string;
  regDate?: string | number;
  validStartDate?: string | number;
  validEndDate?: string | number;
  [field: string]: unknown;
}

/** A sub account allowed to use a CA (List CA Users). */
export interface CaUser {
  loginId: string;
  mbrNo: string;
  idNo: string;
}

/** Certificate Manager status codes in words (docs/ncp-api.md §4). */
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
