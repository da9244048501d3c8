// NCP's published contract, declared once: every request the client sends and every answer it
// reads, for Private CA and Certificate Manager. The client validates each answer here and
// normalizes the variants NCP's sources disagree on; the emulator's answers are tested against the
// same declarations. Sources, in order: NCP's guide pages (api.ncloud-docs.com), then NCP's
// Swagger client (github.com/NaverCloudPlatform/ncloud-pca-issuer, pkg/privateca).
// valibot: chosen over zod/mini by measured size (6.7 KB vs 21 KB minified for the same schemas)
// and speed (59 vs 93 µs to parse a page of 20 CAs).
import * as v from 'valibot';
import { NcpError } from './errors';
import type { Ca, CaInfo, CaUser, CmCertificate, CmCertificateV1, EndCert, IssuedCert, Page } from './types';

/** A number as NCP sends it: a JSON number, or (field tables say "String - Timestamp") a numeric string. */
const num = v.union([v.number(), v.pipe(v.string(), v.regex(/^-?\d+(\.\d+)?$/, 'a number'), v.transform(Number))]);
const optNum = v.optional(v.nullable(num), null);
const text = v.optional(v.pipe(v.nullable(v.string()), v.transform((x) => x ?? '')), '');
/** A PEM chain: a string (Issue End Cert, Get End Cert) or an array of PEM strings (Sign CSR). */
const chain = v.pipe(
  v.optional(v.nullable(v.union([v.string(), v.array(v.string())])), ''),
  v.transform((c) => chainText(c)),
);

/** One PEM text from a chain in either shape: one certificate per block, never comma-joined. */
export function chainText(c: string | string[] | null | undefined): string {
  const parts = Array.isArray(c) ? c : [c ?? ''];
  return parts
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `${p}\n`)
    .join('');
}

const urlInfo = v.optional(v.looseObject({ ca: v.optional(v.array(v.string()), []), crl: v.optional(v.array(v.string()), []), ocsp: v.optional(v.array(v.string()), []) }), { ca: [], crl: [], ocsp: [] });

const caInfo = v.looseObject({
  caTag: v.string(),
  caId: v.optional(num, 0),
  alias: v.string(),
  memo: text,
  caType: v.picklist(['PRIVATE_ROOT', 'PRIVATE_SUB']),
  status: v.picklist(['ACTIVE', 'DEACTIVATED', 'DESTROYING', 'PENDING']),
  signingCount: v.optional(num, 0),
  rgstDate: v.optional(num, 0),
  statusUpdateDate: optNum,
  destroyDate: optNum,
  nrn: v.optional(v.string()),
  issuerTag: v.optional(v.string()),
  urlInfo,
});

/** caCertInfo; the Create CA page spells two keys `contry` / `organicationUnit` in its table: both read. */
const caCertInfo = v.pipe(
  v.looseObject({
    commonName: text,
    country: v.optional(v.nullable(v.string())),
    contry: v.optional(v.nullable(v.string())),
    locality: text,
    stateProvince: text,
    organization: text,
    organizationUnit: v.optional(v.nullable(v.string())),
    organicationUnit: v.optional(v.nullable(v.string())),
    issuerName: v.optional(v.nullable(v.string())),
    issueName: v.optional(v.nullable(v.string())),
    notBeforeDate: optNum,
    notAfterDate: optNum,
    publicKeyAlgorithm: text,
    signatureAlgorithm: text,
    serialNo: text,
    caCertId: v.optional(num, 0),
    certPem: text,
    chainPem: text,
  }),
  v.transform(({ contry, organicationUnit, issueName, ...c }) => ({ ...c, country: c.country ?? contry ?? '', organizationUnit: c.organizationUnit ?? organicationUnit ?? '', issuerName: c.issuerName ?? issueName ?? '' })),
);

const ca = v.looseObject({ caInfo, caCertInfo: v.optional(v.nullable(caCertInfo)) });
const caOut = v.pipe(ca, v.transform((c): Ca => ({ caInfo: c.caInfo as CaInfo, ...(c.caCertInfo ? { caCertInfo: c.caCertInfo } : {}) })));

/** Update CA: the seed's example answers the caInfo fields flat in data, its table nests them: both. */
const caInfoFlatOrNested = v.union([v.pipe(v.looseObject({ caInfo }), v.transform((d) => d.caInfo as CaInfo)), v.pipe(caInfo, v.transform((d) => d as CaInfo))]);

const paging = { totalCnt: v.optional(num, 0), totalPageNo: v.optional(num, 1), currentPageNo: v.optional(num, 1) };

const issued = v.pipe(
  v.looseObject({ privateKey: v.optional(v.nullable(v.string())), certificate: v.string(), caChain: chain, issuer: text, ocspResponder: text, serialNo: v.string() }),
  v.transform(({ privateKey, ...r }): IssuedCert => ({ ...r, ...(privateKey ? { privateKey } : {}) })),
);

const nothing = v.optional(v.unknown());

/** A Certificate Manager envelope field that must say success ("0"); anything else was handled as an error. */
const returnCode = v.union([v.string(), v.pipe(v.number(), v.transform(String))]);

const cmV2Item = v.pipe(
  v.looseObject({
    certificateNo: num,
    certificateName: v.string(),
    memberNo: v.optional(v.union([v.string(), v.number()])),
    commonName: text,
    dnsName: v.pipe(v.optional(v.nullable(v.union([v.string(), v.array(v.string())])), ''), v.transform((d) => (Array.isArray(d) ? d.join(',') : (d ?? '')))),
    statusCode: num,
    statusName: v.optional(v.string()),
    certificateType: v.optional(v.string()),
    domainCode: v.optional(v.string()),
    updateDate: v.optional(v.union([v.string(), v.number()])),
    issueType: v.optional(v.string()),
    subjectDN: v.optional(v.string()),
  }),
  v.transform((c) => c as CmCertificate),
);

const cmV1Item = v.pipe(
  v.looseObject({
    certificateNo: num,
    certificateType: v.optional(v.string()),
    certificateName: v.string(),
    memberNo: v.optional(v.union([v.string(), v.number()])),
    dnInfo: v.optional(v.string()),
    domainAddress: v.optional(v.string()),
    subDomainAddress: v.optional(v.string()),
    regDate: v.optional(v.union([v.string(), v.number()])),
    validStartDate: v.optional(v.union([v.string(), v.number()])),
    validEndDate: v.optional(v.union([v.string(), v.number()])),
  }),
  v.transform((c) => c as CmCertificateV1),
);

/** A member number as a string; the Get CA User List example spells it `mdrNo`, its table `mbrNo`: both read. */
const memberNo = v.optional(v.pipe(v.union([v.string(), v.number()]), v.transform(String)));
const caUser = v.pipe(
  v.looseObject({ loginId: text, mbrNo: memberNo, mdrNo: memberNo, idNo: v.string() }),
  v.transform(({ mdrNo, ...u }) => ({ ...u, mbrNo: u.mbrNo ?? mdrNo ?? '' })),
);

/** An operation: its name in NCP's guide, where it lives, and what its answer must look like. */
export interface Operation<S extends v.GenericSchema = v.GenericSchema> {
  /** NCP's name for it (the guide page title), used in errors. */
  name: string;
  api: 'pca' | 'cm' | 'cm-bytes';
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path template from the origin, `{caTag}`-style parameters. */
  path: string;
  /** The answer (`data` of Private CA's envelope, the whole body for Certificate Manager). */
  response: S;
  /** Required body fields, as the guide pages mark them (the client refuses to send without them). */
  required?: readonly string[];
}

function op<S extends v.GenericSchema>(o: Operation<S>): Operation<S> {
  return o;
}

/** Every operation of the client, by the client method that calls it. */
export const OPERATIONS = {
  createCa: op({ name: 'Create CA', api: 'pca', method: 'POST', path: '/api/v1/ca', response: caOut, required: ['alias', 'keyType', 'period', 'x509Parameters'] }),
  listCas: op({ name: 'List CA', api: 'pca', method: 'GET', path: '/api/v1/ca', response: v.pipe(v.looseObject({ ...paging, caInfoList: v.optional(v.nullable(v.array(caOut)), []) }), v.transform((d): Page<Ca> => ({ totalCnt: d.totalCnt, totalPageNo: d.totalPageNo, currentPageNo: d.currentPageNo, items: d.caInfoList ?? [] }))) }),
  getCa: op({ name: 'Get CA', api: 'pca', method: 'GET', path: '/api/v1/ca/{caTag}', response: caOut }),
  updateCa: op({ name: 'Update CA', api: 'pca', method: 'PUT', path: '/api/v1/ca/{caTag}', response: caInfoFlatOrNested, required: ['status'] }),
  deleteCa: op({ name: 'Delete CA', api: 'pca', method: 'DELETE', path: '/api/v1/ca/{caTag}', response: nothing }),
  getChain: op({ name: 'Get CA Chain', api: 'pca', method: 'GET', path: '/api/v1/ca/{caTag}/chain', response: v.string() }),
  issueCert: op({ name: 'Issue End Cert', api: 'pca', method: 'POST', path: '/api/v1/ca/{caTag}/cert', response: issued, required: ['x509Parameters'] }),
  listCerts: op({ name: 'List Issued End Certs', api: 'pca', method: 'GET', path: '/api/v1/ca/{caTag}/cert', response: v.pipe(v.looseObject({ ...paging, listCerts: v.optional(v.nullable(v.array(v.string())), []) }), v.transform((d): Page<string> => ({ totalCnt: d.totalCnt, totalPageNo: d.totalPageNo, currentPageNo: d.currentPageNo, items: d.listCerts ?? [] }))) }),
  getCert: op({ name: 'Get End Cert', api: 'pca', method: 'GET', path: '/api/v1/ca/{caTag}/cert/{serialNo}', response: v.pipe(v.looseObject({ serialNo: v.string(), commonName: text, notBeforeDate: num, notAfterDate: num, publicKeyAlgorithm: text, signatureAlgorithm: text, certPem: v.string(), caChain: chain, ocspResponder: text }), v.transform((d) => d as EndCert)) }),
  revokeCert: op({ name: 'Revoke End Cert', api: 'pca', method: 'POST', path: '/api/v1/ca/{caTag}/cert/{serialNo}/revoke', response: nothing }),
  signCsr: op({ name: 'Sign End CSR', api: 'pca', method: 'POST', path: '/api/v1/ca/{caTag}/cert/sign', response: issued, required: ['csrPem'] }),
  getCrl: op({ name: 'Get CRL', api: 'pca', method: 'GET', path: '/api/v1/ca/{caTag}/crl', response: v.string() }),
  rotateCrl: op({ name: 'Rotate CRL', api: 'pca', method: 'POST', path: '/api/v1/ca/{caTag}/crl/rotate', response: nothing }),
  getCrlConfig: op({ name: 'Get CRL Config', api: 'pca', method: 'GET', path: '/api/v1/ca/{caTag}/crl/config', response: v.looseObject({ expiry: v.pipe(v.union([v.string(), v.number()]), v.transform(String)) }) }),
  setCrlConfig: op({ name: 'Update CRL Config', api: 'pca', method: 'PUT', path: '/api/v1/ca/{caTag}/crl/config', response: v.nullish(v.looseObject({ expiry: v.pipe(v.union([v.string(), v.number()]), v.transform(String)) }), null), required: ['expiry'] }),
  enableOcsp: op({ name: 'Update OCSP URL', api: 'pca', method: 'PUT', path: '/api/v1/ca/{caTag}/urls', response: nothing, required: ['ocsp_servers'] }),
  disableOcsp: op({ name: 'Delete OCSP URL', api: 'pca', method: 'DELETE', path: '/api/v1/ca/{caTag}/urls', response: nothing }),
  getSubCsr: op({ name: 'Get Sub CSR', api: 'pca', method: 'GET', path: '/api/v1/ca/{caTag}/sub/csr', response: v.union([v.pipe(v.looseObject({ csrPem: v.string() }), v.transform((d) => d.csrPem)), v.string()]) }),
  signSubCsr: op({ name: 'Sign Sub CSR', api: 'pca', method: 'POST', path: '/api/v1/ca/{caTag}/sub/sign', response: issued, required: ['csrPem', 'period'] }),
  activateSub: op({ name: 'Activate Sub CA', api: 'pca', method: 'POST', path: '/api/v1/ca/{caTag}/activate', response: caInfoFlatOrNested, required: ['certPem', 'caChainPem'] }),
  trim: op({ name: 'Trim CA', api: 'pca', method: 'POST', path: '/api/v1/ca/{caTag}/trim', response: nothing }),
  listCaUsers: op({ name: 'List CA Users', api: 'pca', method: 'GET', path: '/api/v1/ca/{caTag}/users', response: v.pipe(v.optional(v.nullable(v.array(caUser)), []), v.transform((d) => (d ?? []) as CaUser[])) }),
  addCaUser: op({ name: 'Add CA User', api: 'pca', method: 'POST', path: '/api/v1/ca/{caTag}/users', response: nothing, required: ['idNo'] }),
  deleteCaUser: op({ name: 'Delete CA User', api: 'pca', method: 'DELETE', path: '/api/v1/ca/{caTag}/users/{idNo}', response: nothing }),
  cmList: op({ name: 'ListCertificates', api: 'cm', method: 'GET', path: '/api/v2/certificate/certificates', response: v.looseObject({ returnCode, returnMessage: text, totalCount: v.optional(num, 0), sslCertificateList: v.optional(v.nullable(v.array(cmV2Item)), []) }) }),
  cmListV1: op({ name: 'getCertificateList', api: 'cm', method: 'GET', path: '/api/v1/certificates', response: v.looseObject({ returnCode, returnMessage: text, totalRows: v.optional(num, 0), sslCertificateList: v.optional(v.nullable(v.array(cmV1Item)), []) }) }),
  cmReissue: op({ name: 'Reissue Advanced DV/OV', api: 'cm', method: 'POST', path: '/api/v2/certificate/{certificateNo}/reissue', response: v.looseObject({ returnCode, returnMessage: text, totalRows: v.optional(num) }), required: ['csr', 'certificateName', 'commonName', 'validationMethod'] }),
  cmDownload: op({ name: 'exportCertificate', api: 'cm-bytes', method: 'POST', path: '/api/v2/certificate/exportCertificate/{certificateNo}', response: v.instance(Uint8Array) }),
  cmImport: op({ name: 'createExternalCertificate', api: 'cm', method: 'POST', path: '/api/v1/certificate/withExternal', response: v.looseObject({ returnCode, returnMessage: text, totalRows: v.optional(num), sslCertificateList: v.optional(v.nullable(v.array(cmV1Item))), certificateNo: v.optional(num) }), required: ['certificateName', 'privateKey', 'publicKeyCertificate', 'certificateChain'] }),
  cmDelete: op({ name: 'deleteCertificate', api: 'cm', method: 'DELETE', path: '/api/v1/certificate/{certificateNo}', response: v.looseObject({ returnCode, returnMessage: text, totalRows: v.optional(num) }) }),
} as const;

export type OperationName = keyof typeof OPERATIONS;
export type Answer<K extends OperationName> = v.InferOutput<(typeof OPERATIONS)[K]['response']>;

/** What arrived, in a few words (never a whole PEM or key). */
function describe(x: unknown): string {
  if (x === undefined) {
    return 'missing';
  }
  if (x === null) {
    return 'null';
  }
  if (Array.isArray(x)) {
    return `an array of ${x.length}`;
  }
  if (typeof x === 'string') {
    return x.length > 40 || /PRIVATE KEY/.test(x) ? `a string of ${x.length} characters` : `the string ${JSON.stringify(x)}`;
  }
  if (typeof x === 'object') {
    return 'an object';
  }
  return `the ${typeof x} ${String(x)}`;
}

/**
 * Validates an answer of `name` and returns it normalized. An unknown shape is an NcpError of kind
 * `contract` naming the operation, the field and what arrived; it is thrown before anything is written.
 */
export function parseAnswer<K extends OperationName>(name: K, data: unknown): Answer<K> {
  const o = OPERATIONS[name];
  const r = v.safeParse(o.response, data);
  if (r.success) {
    return r.output as Answer<K>;
  }
  const issue = r.issues[0];
  const field = v.getDotPath(issue) ?? '';
  const got = issue.path?.length ? describe(issue.path[issue.path.length - 1].value) : describe(data);
  return failContract(o, field, got, issue.expected ?? undefined);
}

function failContract(o: Operation, field: string, got: string, expected?: string): never {
  throw new NcpError({ kind: 'contract', code: 'CONTRACT', method: o.method, path: o.path, message: `NCP answered ${o.name} with ${field ? `${field} as ` : ''}${got}${expected ? ` (expected ${expected})` : ''}` });
}

/** Refuses to send a request without a field NCP's guide marks required (a programming error made visible). */
export function checkRequest(name: OperationName, body: Record<string, unknown>): void {
  for (const f of OPERATIONS[name].required ?? []) {
    if (body[f] === undefined || body[f] === null || body[f] === '') {
      throw new NcpError({ kind: 'validation', code: 'MISSING_FIELD', method: OPERATIONS[name].method, path: OPERATIONS[name].path, message: `${OPERATIONS[name].name} needs ${f}` });
    }
  }
}
