// The emulated services: Private CA (NCP-API.md §3) and Certificate Manager (§4), with NCP's
// validation rules and error codes. Every state change is committed to the journal before the
// response is sent.
import { isIP } from 'node:net';
import { createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { zipSync, strToU8 } from 'fflate';
import { countryCode, csrFor, importKey, issue, newKey, newSerial, publicKeyAlgorithmOf, readCertificate, readCsr, serialOf, signCrl, algorithmNames, wholeSeconds, NCP_KEY_TYPES, type NcpKeyType, type X509Parameters } from './issuer';
import type { AnyRecord, CaRecord, CertRecord, CmRecord, MetaRecord } from './records';
import { Store, type Entry } from './store';
import { toPem } from '../pki';

const DAY = 86_400_000;
const HOURS_72 = 72 * 3_600_000;

/** An error NCP would answer: HTTP status, NCP code, message. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** A Certificate Manager failure (returned with HTTP 200 and a returnCode, as NCP does). */
export class CmError extends Error {
  constructor(readonly returnCode: string, message: string, readonly status = 200) {
    super(message);
  }
}

const bad = (code: string, msg: string) => new ApiError(400, code, msg);
const CA_TAG = /^[0-9a-f]{8}-[0-9a-f]{8}$/;
const SERIAL = /^[0-9a-f]{2}(:[0-9a-f]{2}){0,19}$/;

export interface ServiceOptions {
  dataDir: string;
  now: () => number;
  /** The origin written into certificates (CRL distribution point, AIA). */
  publicOrigin: () => string;
  caPageSize: number;
  certPageSize: number;
  /** How long a Certificate Manager reissue stays ONGOING. */
  cmIssueDelayMs: number;
}

export class Service {
  readonly store: Store<AnyRecord>;

  constructor(private readonly o: ServiceOptions) {
    this.store = new Store<AnyRecord>(o.dataDir, 'state');
  }

  private meta(): MetaRecord {
    return (this.store.get('meta') as MetaRecord | undefined) ?? { type: 'meta', nextCaId: 17001, nextCmNo: 7001 };
  }

  private cas(): CaRecord[] {
    return this.store.values().filter((r): r is CaRecord => r.type === 'ca');
  }

  private ca(tag: string): CaRecord {
    if (!CA_TAG.test(tag)) {
      throw bad('INVALID_REQUEST', `caTag '${tag}' is not of the form xxxxxxxx-xxxxxxxx`);
    }
    const ca = this.store.get(`ca:${tag}`);
    if (!ca || ca.type !== 'ca') {
      throw new ApiError(404, 'NOT_FOUND', `CA '${tag}' does not exist`);
    }
    return ca;
  }

  private urls(tag: string) {
    const origin = this.o.publicOrigin();
    return { crl: `${origin}/ext/${tag}/crl`, ca: `${origin}/ext/${tag}/ca` };
  }

  /** What a certificate signed by `ca` points at: its CRL and certificate, and OCSP only once configured. */
  private certUrls(ca: CaRecord) {
    return { ...this.urls(ca.caTag), ...(ca.ocspUrl ? { ocsp: ca.ocspUrl } : {}) };
  }

  // ---- Private CA --------------------------------------------------------------------------

  /** View of a CA as NCP's caInfo. */
  caInfo(ca: CaRecord) {
    const u = this.urls(ca.caTag);
    return {
      caTag: ca.caTag,
      caId: ca.caId,
      alias: ca.alias,
      memo: ca.memo,
      caType: ca.caType,
      status: ca.status,
      signingCount: ca.signingCount,
      rgstDate: ca.rgstDate,
      statusUpdateDate: ca.statusUpdateDate,
      destroyDate: ca.destroyDate,
      nrn: `nrn:PUB:PCA::0000000:CA/${ca.caTag}`,
      ...(ca.issuerTag ? { issuerTag: ca.issuerTag } : {}),
      urlInfo: { ca: [u.ca], crl: [u.crl], ocsp: ca.ocspUrl ? [ca.ocspUrl] : [] },
    };
  }

  caCertInfo(ca: CaRecord) {
    const names = algorithmNames(ca.keyType);
    const issuer = ca.issuerTag ? (this.store.get(`ca:${ca.issuerTag}`) as CaRecord | undefined) : undefined;
    return {
      commonName: ca.params.commonName,
      country: ca.params.country ?? '',
      locality: ca.params.locality ?? '',
      stateProvince: ca.params.stateProvince ?? '',
      organization: ca.params.organization ?? '',
      organizationUnit: ca.params.organizationUnit ?? '',
      issuerName: issuer?.params.commonName ?? ca.params.commonName,
      notBeforeDate: ca.notBefore ?? null,
      notAfterDate: ca.notAfter ?? null,
      publicKeyAlgorithm: names.publicKeyAlgorithm,
      signatureAlgorithm: names.signatureAlgorithm,
      serialNo: ca.serialNo ?? '',
      caCertId: ca.caCertId,
      certPem: ca.certPem ?? '',
      chainPem: ca.chainPem,
    };
  }

  private validateParams(raw: unknown, required = true): X509Parameters {
    if (raw === undefined || raw === null) {
      if (required) {
        throw bad('EMPTY_X509_PARAMETERS', 'x509Parameters is required');
      }
      return { commonName: '' };
    }
    if (typeof raw !== 'object') {
      throw bad('INVALID_INPUT', 'x509Parameters must be an object');
    }
    const r = raw as Record<string, unknown>;
    const str = (k: string, max: number, alt?: string): string | undefined => {
      const v = r[k] ?? (alt ? r[alt] : undefined);
      if (v === undefined || v === null || v === '') {
        return undefined;
      }
      if (typeof v !== 'string') {
        throw bad('INVALID_INPUT', `x509Parameters.${k} must be a string`);
      }
      if (v.length > max) {
        throw bad('INVALID_INPUT', `x509Parameters.${k} is longer than ${max} characters`);
      }
      return v;
    };
    const commonName = str('commonName', 10_000);
    if (!commonName) {
      throw bad('EMPTY_COMMON_NAME', 'x509Parameters.commonName is required');
    }
    if (commonName.length > 64) {
      throw bad('EXCEED_COMMON_NAME', 'x509Parameters.commonName is longer than 64 characters');
    }
    // Echoed as given (NCP's Create CA example sends and answers "KOR"); the certificate gets alpha-2.
    const country = str('country', 3, 'contry');
    if (country && !countryCode(country)) {
      throw bad('INVALID_INPUT', `x509Parameters.country '${country}' is not an ISO 3166 country code`);
    }
    const ip = str('ip', 1000);
    for (const a of (ip ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
      if (!isIP(a)) {
        throw bad('INVALID_X509_IP', `'${a}' is not an IP address`);
      }
    }
    const altName = str('altName', 2000);
    for (const a of (altName ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
      if (!/^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,62}\.)*[A-Za-z0-9-]{1,63}$/.test(a) && !/^[^@\s]+@[^@\s]+$/.test(a)) {
        throw bad('INVALID_INPUT', `altName '${a}' is neither a DNS name nor an e-mail address`);
      }
    }
    const out: X509Parameters = { commonName };
    const set = (k: keyof X509Parameters, v: string | undefined) => {
      if (v) {
        out[k] = v;
      }
    };
    set('altName', altName);
    set('ip', ip);
    set('organization', str('organization', 64));
    set('organizationUnit', str('organizationUnit', 128, 'organicationUnit'));
    set('locality', str('locality', 128));
    set('stateProvince', str('stateProvince', 128));
    set('streetAddress', str('streetAddress', 128));
    set('country', country);
    return out;
  }

  private keyType(v: unknown, required: boolean, fallback: NcpKeyType): NcpKeyType {
    if (v === undefined || v === null || v === '') {
      if (required) {
        throw bad('EMPTY_KEY_TYPE', 'keyType is required');
      }
      return fallback;
    }
    if (!NCP_KEY_TYPES.includes(v as NcpKeyType)) {
      throw bad('INVALID_X509_KEY_TYPE', `keyType must be one of ${NCP_KEY_TYPES.join(', ')}`);
    }
    return v as NcpKeyType;
  }

  /** Validity end for `period` (days or MAX), never beyond the issuer's. */
  private notAfter(period: unknown, issuerNotAfter: number | undefined, fallbackDays: number): number {
    const now = wholeSeconds(this.o.now());
    if (period === undefined || period === null || period === '') {
      const end = now + fallbackDays * DAY;
      return issuerNotAfter !== undefined ? Math.min(end, issuerNotAfter) : end;
    }
    if (period === 'MAX') {
      return issuerNotAfter ?? now + 3650 * DAY;
    }
    const s = String(period);
    if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > 3650) {
      throw bad('INVALID_INPUT_PERIOD', `period must be 1-3650 days or MAX, not '${s}'`);
    }
    const end = now + Number(s) * DAY;
    if (issuerNotAfter !== undefined && end > issuerNotAfter) {
      throw bad('EXCEED_EXPIRY_DATE', `a certificate valid for ${s} days would outlive its issuer, which expires ${new Date(issuerNotAfter).toISOString()}; use a shorter period or MAX`);
    }
    return end;
  }

  private newTag(): string {
    for (;;) {
      const h = randomBytes(8).toString('hex');
      const tag = `${h.slice(0, 8)}-${h.slice(8)}`;
      if (!this.store.get(`ca:${tag}`)) {
        return tag;
      }
    }
  }

  private uniqueSerial(tag: string): string {
    for (;;) {
      const s = newSerial();
      if (!this.store.get(`cert:${tag}:${s}`)) {
        return s;
      }
    }
  }

  private requireActive(ca: CaRecord): void {
    if (ca.status !== 'ACTIVE') {
      throw bad('INVALID_CA_STATUS', `CA '${ca.alias}' is ${ca.status}; only an ACTIVE CA can sign`);
    }
    if (ca.notAfter !== undefined && ca.notAfter < this.o.now()) {
      throw bad('INVALID_CA_STATUS', `CA '${ca.alias}' expired on ${new Date(ca.notAfter).toISOString()}`);
    }
  }

  /**
   * POST /ca?caType=...&issuerTag=... The issuer is named by `issuerTag` (the Create CA guide page) or by
   * its numeric `caId` as `issuerId` (NCP's generated client, `CaPost`): both are accepted.
   */
  async createCa(caType: string | null, issuerRef: string | null, body: Record<string, unknown>) {
    const issuerTag = issuerRef && /^\d+$/.test(issuerRef) ? (this.cas().find((c) => String(c.caId) === issuerRef)?.caTag ?? issuerRef) : issuerRef;
    if (!caType) {
      throw bad('EMPTY_CA_TYPE', 'caType is required (PRIVATE_ROOT or PRIVATE_SUB)');
    }
    if (caType !== 'PRIVATE_ROOT' && caType !== 'PRIVATE_SUB') {
      throw bad('INVALID_REQUEST', `caType must be PRIVATE_ROOT or PRIVATE_SUB, not '${caType}'`);
    }
    const alias = body.alias;
    if (alias === undefined || alias === null || alias === '') {
      throw bad('EMPTY_CA_ALIAS', 'alias is required');
    }
    if (typeof alias !== 'string' || alias.length > 15) {
      throw bad('EXCEED_CA_ALIAS', 'alias must be at most 15 characters');
    }
    if (!/^[A-Za-z][A-Za-z0-9_-]{2,14}$/.test(alias)) {
      throw bad('INVALID_INPUT', 'alias must be 3-15 letters, digits, - or _, starting with a letter');
    }
    if (this.cas().some((c) => c.alias === alias)) {
      throw bad('ALREADY_EXIST_ALIAS', `a CA with alias '${alias}' already exists`);
    }
    const keyType = this.keyType(body.keyType, true, 'EC256');
    if (body.period === undefined || body.period === null || body.period === '') {
      throw bad('INVALID_INPUT_PERIOD', 'period is required: days 1-3650 or MAX');
    }
    const params = this.validateParams(body.x509Parameters);
    let issuer: CaRecord | undefined;
    if (caType === 'PRIVATE_SUB' && issuerTag) {
      if (/^\d+$/.test(issuerTag)) {
        throw bad('NOT_EXIST_ISSUER_CA', `issuer CA with caId ${issuerTag} does not exist`);
      }
      if (!CA_TAG.test(issuerTag)) {
        throw bad('INVALID_REQUEST', `issuerTag '${issuerTag}' is not of the form xxxxxxxx-xxxxxxxx`);
      }
      const found = this.store.get(`ca:${issuerTag}`);
      if (!found || found.type !== 'ca') {
        throw bad('NOT_EXIST_ISSUER_CA', `issuer CA '${issuerTag}' does not exist`);
      }
      issuer = found;
      if (issuer.status !== 'ACTIVE') {
        throw bad('INVALID_ISSUER_CA', `issuer CA '${issuer.alias}' is ${issuer.status}; it must be ACTIVE`);
      }
    } else if (caType === 'PRIVATE_ROOT' && issuerTag) {
      throw bad('INVALID_REQUEST', 'a PRIVATE_ROOT CA has no issuerTag');
    }
    const notAfter = this.notAfter(body.period, issuer?.notAfter, caType === 'PRIVATE_ROOT' ? 3650 : 1825);
    const now = this.o.now();
    const tag = this.newTag();
    const key = await newKey(keyType);
    const meta = this.meta();
    const ca: CaRecord = {
      type: 'ca',
      caTag: tag,
      caId: meta.nextCaId,
      caCertId: meta.nextCaId + 100000,
      alias,
      memo: typeof body.memo === 'string' ? body.memo : '',
      caType,
      status: 'ACTIVE',
      keyType,
      keyPem: key.pkcs8,
      params,
      chainPem: '',
      signingCount: 0,
      rgstDate: now,
      statusUpdateDate: null,
      destroyDate: null,
      crlExpiryDays: 3, // NCP's Update CRL Config page: "3 (default)"
      crlNumber: 1,
    };
    const entries: Entry<AnyRecord>[] = [];
    if (caType === 'PRIVATE_SUB' && !issuer) {
      // Externally signed subordinate: waits with a CSR until activated.
      ca.status = 'PENDING';
      ca.csrPem = await csrFor(params, key, keyType);
    } else {
      const serial = newSerial();
      const certPem = await issue({
        serial,
        subject: params,
        publicKey: key.keys.publicKey,
        notBefore: new Date(wholeSeconds(now - 60_000)),
        notAfter: new Date(notAfter),
        ca: true,
        ...(issuer ? { issuer: { certPem: issuer.certPem!, keyType: issuer.keyType, signingKey: await importKey(issuer.keyPem, issuer.keyType) }, urls: this.certUrls(issuer) } : { selfKey: { keyType, signingKey: key.keys.privateKey } }),
      });
      Object.assign(ca, { certPem, serialNo: serial, notBefore: wholeSeconds(now - 60_000), notAfter, issuerTag: issuer?.caTag, chainPem: issuer ? `${certPem}${issuer.chainPem || issuer.certPem}` : certPem });
      if (!issuer) {
        delete ca.issuerTag;
      }
      ca.crlPem = await this.crlFor(ca, []);
      if (issuer) {
        entries.push({ k: `ca:${issuer.caTag}`, v: { ...issuer, signingCount: issuer.signingCount + 1 } });
      }
    }
    entries.push({ k: `ca:${tag}`, v: ca }, { k: 'meta', v: { ...meta, nextCaId: meta.nextCaId + 1 } });
    this.store.commit(entries);
    return { caInfo: this.caInfo(ca), caCertInfo: this.caCertInfo(ca) };
  }

  /** GET /ca?pageNo=N */
  listCas(pageNo: string | null) {
    const page = this.pageNo(pageNo);
    const all = this.cas().sort((a, b) => a.rgstDate - b.rgstDate || a.caId - b.caId);
    const size = this.o.caPageSize;
    return {
      totalCnt: all.length,
      totalPageNo: Math.max(1, Math.ceil(all.length / size)),
      currentPageNo: page,
      caInfoList: all.slice((page - 1) * size, page * size).map((c) => ({ caInfo: this.caInfo(c), caCertInfo: this.caCertInfo(c) })),
    };
  }

  private pageNo(v: string | null): number {
    if (v === null || v === '') {
      return 1;
    }
    if (!/^\d+$/.test(v) || Number(v) < 1) {
      throw bad('INVALID_REQUEST', `pageNo must be a positive integer, not '${v}'`);
    }
    return Number(v);
  }

  /** GET /ca/{tag} */
  getCa(tag: string) {
    const ca = this.ca(tag);
    return { caInfo: this.caInfo(ca), caCertInfo: this.caCertInfo(ca) };
  }

  /** PUT /ca/{tag}: status (and memo). DESTROYING cascades to subordinates, destroyed after 72 h. */
  updateCa(tag: string, body: Record<string, unknown>) {
    const ca = this.ca(tag);
    const status = body.status;
    const now = this.o.now();
    if (status === undefined || status === null || status === '') {
      throw bad('EMPTY_STATUS', 'status is required (ACTIVE, DEACTIVATED or DESTROYING)');
    }
    const entries: Entry<AnyRecord>[] = [];
    const next: CaRecord = { ...ca };
    if (typeof body.memo === 'string') {
      next.memo = body.memo;
    }
    if (status !== 'ACTIVE' && status !== 'DEACTIVATED' && status !== 'DESTROYING') {
      throw bad('INVALID_INPUT_STATUS', `status must be ACTIVE, DEACTIVATED or DESTROYING, not '${String(status)}'`);
    }
    if (ca.status === 'DESTROYING') {
      throw bad('INVALID_STATUS', `CA '${ca.alias}' is scheduled for destruction; its status can no longer change`);
    }
    if (ca.status === 'PENDING' && status === 'ACTIVE') {
      throw bad('INVALID_STATUS', `CA '${ca.alias}' is waiting for its signed certificate; activate it with the signed certificate`);
    }
    if (status !== ca.status) {
      next.status = status;
      next.statusUpdateDate = now;
      if (status === 'DESTROYING') {
        next.destroyDate = now + HOURS_72;
        for (const sub of this.descendants(ca.caTag)) {
          if (sub.status !== 'DESTROYING') {
            entries.push({ k: `ca:${sub.caTag}`, v: { ...sub, status: 'DESTROYING', statusUpdateDate: now, destroyDate: now + HOURS_72 } });
          }
        }
      }
    }
    entries.push({ k: `ca:${tag}`, v: next });
    this.store.commit(entries);
    return this.caInfo(next);
  }

  private descendants(tag: string): CaRecord[] {
    const out: CaRecord[] = [];
    const all = this.cas();
    const walk = (t: string) => {
      for (const c of all) {
        if (c.issuerTag === t) {
          out.push(c);
          walk(c.caTag);
        }
      }
    };
    walk(tag);
    return out;
  }

  /** DELETE /ca/{tag}: only a CA in DESTROYING; its certificates go with it. */
  deleteCa(tag: string) {
    const ca = this.ca(tag);
    if (ca.status !== 'DESTROYING') {
      throw bad('INVALID_CA_STATUS', `CA '${ca.alias}' is ${ca.status}; only a CA in DESTROYING can be deleted`);
    }
    const doomed = [ca, ...this.descendants(tag)];
    const tags = new Set(doomed.map((c) => c.caTag));
    const entries: Entry<AnyRecord>[] = doomed.map((c) => ({ k: `ca:${c.caTag}`, del: true as const }));
    for (const r of this.store.values()) {
      if (r.type === 'cert' && tags.has(r.caTag)) {
        entries.push({ k: `cert:${r.caTag}:${r.serialNo}`, del: true });
      }
    }
    this.store.commit(entries);
    return null;
  }

  /** GET /ca/{tag}/chain */
  chain(tag: string): string {
    const ca = this.ca(tag);
    if (!ca.certPem) {
      throw bad('INVALID_CA_STATUS', `CA '${ca.alias}' has no certificate yet`);
    }
    return ca.chainPem;
  }

  private async issueLeaf(ca: CaRecord, body: { publicKey: CryptoKey | import('@peculiar/x509').PublicKey; publicKeyAlgorithm: string; subject: X509Parameters | import('@peculiar/x509').Name; commonName: string; period: unknown; san?: import('@peculiar/x509').Extension }) {
    this.requireActive(ca);
    const notAfter = this.notAfter(body.period, ca.notAfter, 365);
    const now = this.o.now();
    const serial = this.uniqueSerial(ca.caTag);
    // Reserve the serial before any await, so concurrent requests never pick the same one.
    const pending = `cert:${ca.caTag}:${serial}`;
    this.reserved.add(pending);
    try {
      const certPem = await issue({
        serial,
        subject: body.subject,
        publicKey: body.publicKey,
        notBefore: new Date(wholeSeconds(now - 60_000)),
        notAfter: new Date(notAfter),
        ca: false,
        issuer: { certPem: ca.certPem!, keyType: ca.keyType, signingKey: await importKey(ca.keyPem, ca.keyType) },
        urls: this.certUrls(ca),
        ...(body.san ? { sanExtension: body.san } : {}),
      });
      const names = algorithmNames(ca.keyType);
      // publicKeyAlgorithm is the certificate's own key; the signature is its CA's.
      const rec: CertRecord = { type: 'cert', caTag: ca.caTag, serialNo: serial, commonName: body.commonName, certPem, notBefore: wholeSeconds(now - 60_000), notAfter, publicKeyAlgorithm: body.publicKeyAlgorithm, signatureAlgorithm: names.signatureAlgorithm, issuedAt: now };
      const fresh = this.store.get(`ca:${ca.caTag}`) as CaRecord;
      this.store.commit([{ k: pending, v: rec }, { k: `ca:${ca.caTag}`, v: { ...fresh, signingCount: fresh.signingCount + 1 } }]);
      return { certificate: certPem, caChain: ca.chainPem, issuer: ca.certPem!, ocspResponder: ca.ocspUrl ?? '', serialNo: serial };
    } finally {
      this.reserved.delete(pending);
    }
  }

  private readonly reserved = new Set<string>();

  /** POST /ca/{tag}/cert: NCP makes the key and returns it once. */
  async issueCert(tag: string, body: Record<string, unknown>) {
    const ca = this.ca(tag);
    const keyType = this.keyType(body.keyType, false, 'RSA2048');
    const params = this.validateParams(body.x509Parameters);
    this.requireActive(ca);
    this.notAfter(body.period, ca.notAfter, 365);
    const key = await newKey(keyType);
    const r = await this.issueLeaf(ca, { publicKey: key.keys.publicKey, publicKeyAlgorithm: algorithmNames(keyType).publicKeyAlgorithm, subject: params, commonName: params.commonName, period: body.period });
    return { privateKey: key.issuedPem, ...r };
  }

  /** POST /ca/{tag}/cert/sign */
  async signCsr(tag: string, body: Record<string, unknown>) {
    const ca = this.ca(tag);
    const csr = await this.csr(body.csrPem);
    const r = await this.issueLeaf(ca, { publicKey: csr.publicKey, publicKeyAlgorithm: publicKeyAlgorithmOf(csr.publicKey), subject: csr.subject, commonName: csr.commonName, period: body.period, ...(csr.san ? { san: csr.san } : {}) });
    // Sign End CSR answers caChain as an array of PEMs (NCP's guide page and SignCsrResponseData).
    return { ...r, caChain: pemList(r.caChain) };
  }

  private async csr(v: unknown) {
    if (typeof v !== 'string' || !v.trim()) {
      throw bad('EMPTY_CSR', 'csrPem is required');
    }
    try {
      return await readCsr(v);
    } catch (err) {
      throw bad('INVALID_INPUT', `csrPem is not a valid certificate request: ${(err as Error).message}`);
    }
  }

  private certsOf(tag: string): CertRecord[] {
    return this.store.values().filter((r): r is CertRecord => r.type === 'cert' && r.caTag === tag).sort((a, b) => a.issuedAt - b.issuedAt || (a.serialNo < b.serialNo ? -1 : 1));
  }

  /** GET /ca/{tag}/cert?pageNo=N */
  listCerts(tag: string, pageNo: string | null) {
    this.ca(tag);
    const page = this.pageNo(pageNo);
    const all = this.certsOf(tag);
    const size = this.o.certPageSize;
    return { totalCnt: all.length, totalPageNo: Math.max(1, Math.ceil(all.length / size)), currentPageNo: page, listCerts: all.slice((page - 1) * size, page * size).map((c) => c.serialNo) };
  }

  private cert(tag: string, serial: string): CertRecord {
    const s = serial.toLowerCase();
    if (!SERIAL.test(s)) {
      throw bad('INVALID_INPUT_SERIAL_NO', `serialNo '${serial}' is not colon-separated hex`);
    }
    const c = this.store.get(`cert:${tag}:${s}`);
    if (!c || c.type !== 'cert') {
      throw new ApiError(404, 'NOT_FOUND', `certificate ${serial} was not issued by this CA`);
    }
    return c;
  }

  /** GET /ca/{tag}/cert/{serial} */
  getCert(tag: string, serial: string) {
    const ca = this.ca(tag);
    const c = this.cert(tag, serial);
    return { serialNo: c.serialNo, commonName: c.commonName, notBeforeDate: c.notBefore, notAfterDate: c.notAfter, publicKeyAlgorithm: c.publicKeyAlgorithm, signatureAlgorithm: c.signatureAlgorithm, certPem: c.certPem, caChain: ca.chainPem, ocspResponder: ca.ocspUrl ?? '' };
  }

  /** POST /ca/{tag}/cert/{serial}/revoke: listed in the CRL from now on. */
  async revoke(tag: string, serial: string) {
    const ca = this.ca(tag);
    const c = this.cert(tag, serial);
    if (c.revokedAt !== undefined) {
      throw bad('INVALID_CERT', `certificate ${c.serialNo} is already revoked`);
    }
    const now = this.o.now();
    const revoked = { ...c, revokedAt: now };
    const next = { ...ca, crlNumber: ca.crlNumber + 1 };
    next.crlPem = await this.crlFor(next, [...this.revokedOf(tag), revoked]);
    this.store.commit([{ k: `cert:${tag}:${c.serialNo}`, v: revoked }, { k: `ca:${tag}`, v: next }]);
    return null;
  }

  private revokedOf(tag: string): CertRecord[] {
    return this.certsOf(tag).filter((c) => c.revokedAt !== undefined && !c.trimmed);
  }

  private async crlFor(ca: CaRecord, revoked: CertRecord[]): Promise<string> {
    const now = this.o.now();
    return signCrl({
      issuerCertPem: ca.certPem!,
      keyType: ca.keyType,
      signingKey: await importKey(ca.keyPem, ca.keyType),
      thisUpdate: new Date(now),
      nextUpdate: new Date(now + ca.crlExpiryDays * DAY),
      crlNumber: ca.crlNumber,
      revoked: revoked.map((r) => ({ serial: r.serialNo, date: r.revokedAt! })),
    });
  }

  /** GET /ca/{tag}/crl */
  crl(tag: string): string {
    const ca = this.ca(tag);
    if (!ca.crlPem) {
      throw bad('INVALID_CA_STATUS', `CA '${ca.alias}' has no CRL yet`);
    }
    return ca.crlPem;
  }

  /** POST /ca/{tag}/crl/rotate: a new CRL with a new number and fresh dates. */
  async rotateCrl(tag: string) {
    const ca = this.ca(tag);
    if (!ca.certPem) {
      throw bad('INVALID_CA_STATUS', `CA '${ca.alias}' has no certificate yet`);
    }
    const next = { ...ca, crlNumber: ca.crlNumber + 1 };
    next.crlPem = await this.crlFor(next, this.revokedOf(tag));
    this.store.put(`ca:${tag}`, next);
    return null;
  }

  /** GET /ca/{tag}/crl/config */
  crlConfig(tag: string) {
    return { expiry: String(this.ca(tag).crlExpiryDays) };
  }

  /** PUT /ca/{tag}/crl/config */
  setCrlConfig(tag: string, body: Record<string, unknown>) {
    const ca = this.ca(tag);
    const s = String(body.expiry ?? '');
    const days = Number(s);
    const maxDays = ca.notAfter !== undefined ? Math.floor((ca.notAfter - this.o.now()) / DAY) : 3650;
    if (!/^\d+$/.test(s) || days < 3 || days > maxDays) {
      throw bad('INVALID_INPUT', `expiry must be a whole number of days from 3 to ${maxDays} (the CA's remaining lifetime), not '${s}'`);
    }
    this.store.put(`ca:${tag}`, { ...ca, crlExpiryDays: days });
    return { expiry: String(days) };
  }

  /** PUT /ca/{tag}/urls: turn OCSP on. */
  enableOcsp(tag: string, body: Record<string, unknown>) {
    const ca = this.ca(tag);
    const url = body.ocsp_servers;
    if (typeof url !== 'string' || !/^https?:\/\/\S+$/.test(url)) {
      throw bad('INVALID_INPUT', 'ocsp_servers must be an http(s) URL');
    }
    this.store.put(`ca:${tag}`, { ...ca, ocspUrl: url });
    return null;
  }

  /** DELETE /ca/{tag}/urls: turn OCSP off. */
  disableOcsp(tag: string) {
    const ca = this.ca(tag);
    const next = { ...ca };
    delete next.ocspUrl;
    this.store.put(`ca:${tag}`, next);
    return null;
  }

  /** GET /ca/{tag}/sub/csr */
  subCsr(tag: string) {
    const ca = this.ca(tag);
    if (ca.status !== 'PENDING' || !ca.csrPem) {
      throw bad('INVALID_CA_STATUS', `CA '${ca.alias}' is not waiting for a signed certificate`);
    }
    return { csrPem: ca.csrPem };
  }

  /** POST /ca/{tag}/sub/sign: this CA signs a subordinate CA's CSR. */
  async signSubCsr(tag: string, body: Record<string, unknown>) {
    const ca = this.ca(tag);
    this.requireActive(ca);
    const csr = await this.csr(body.csrPem);
    if (body.period === undefined || body.period === '') {
      throw bad('INVALID_INPUT_PERIOD', 'period is required');
    }
    const notAfter = this.notAfter(body.period, ca.notAfter, 1825);
    const now = this.o.now();
    const serial = this.uniqueSerial(ca.caTag);
    const certPem = await issue({ serial, subject: csr.subject, publicKey: csr.publicKey, notBefore: new Date(wholeSeconds(now - 60_000)), notAfter: new Date(notAfter), ca: true, issuer: { certPem: ca.certPem!, keyType: ca.keyType, signingKey: await importKey(ca.keyPem, ca.keyType) }, urls: this.certUrls(ca) });
    const fresh = this.store.get(`ca:${tag}`) as CaRecord;
    this.store.put(`ca:${tag}`, { ...fresh, signingCount: fresh.signingCount + 1 });
    return { certificate: certPem, caChain: pemList(ca.chainPem), issuer: ca.certPem!, ocspResponder: ca.ocspUrl ?? '', serialNo: serial };
  }

  /** POST /ca/{tag}/activate: a PENDING subordinate receives its externally signed certificate. */
  async activate(tag: string, body: Record<string, unknown>) {
    const ca = this.ca(tag);
    if (ca.status !== 'PENDING') {
      throw bad('INVALID_CA_STATUS', `CA '${ca.alias}' is ${ca.status}, not waiting for activation`);
    }
    if (typeof body.certPem !== 'string' || !body.certPem.trim()) {
      throw bad('EMPTY_CERT', 'certPem is required');
    }
    let cert: ReturnType<typeof readCertificate>;
    try {
      cert = readCertificate(body.certPem);
    } catch {
      throw bad('INVALID_INPUT_CERT', 'certPem is not a PEM certificate');
    }
    const own = await readCsr(ca.csrPem!);
    const [a, b] = await Promise.all([cert.publicKey.getThumbprint(), own.publicKey.getThumbprint()]);
    if (Buffer.compare(Buffer.from(a), Buffer.from(b)) !== 0) {
      throw bad('INVALID_INPUT_CERT', "certPem is not for this CA's key (sign the CSR from GET /ca/{caTag}/sub/csr)");
    }
    const chainPem = typeof body.caChainPem === 'string' ? body.caChainPem : '';
    if (!chainPem.trim()) {
      throw bad('INVALID_INPUT_CA_CHAIN', 'caChainPem is required (the chain of the CA that signed certPem)');
    }
    try {
      readCertificate(chainPem);
    } catch {
      throw bad('INVALID_INPUT_CA_CHAIN', 'caChainPem is not PEM certificates');
    }
    const serial = serialOf(cert.cert);
    const certPem = toPem(new Uint8Array(cert.cert.rawData), 'CERTIFICATE');
    const next: CaRecord = { ...ca, status: 'ACTIVE', statusUpdateDate: this.o.now(), certPem, chainPem: `${certPem}${chainPem.trim() ? `${chainPem.trim()}\n` : ''}`, serialNo: serial, notBefore: cert.notBefore.getTime(), notAfter: cert.notAfter.getTime() };
    delete next.csrPem;
    next.crlPem = await this.crlFor(next, []);
    this.store.put(`ca:${tag}`, next);
    return { caInfo: this.caInfo(next) };
  }

  /** GET /ca/{tag}/users: the sub accounts allowed to use this CA (ListCaUsersResponse: data is the array). */
  listCaUsers(tag: string) {
    return (this.ca(tag).users ?? []).map((u) => ({ loginId: u.loginId, mbrNo: u.mbrNo, idNo: u.idNo }));
  }

  /** POST /ca/{tag}/users `{idNo}`: allow a sub account (NCP's Add CA User page: idNo of 36 characters). */
  addCaUser(tag: string, body: Record<string, unknown>) {
    const ca = this.ca(tag);
    const idNo = body.idNo;
    if (idNo === undefined || idNo === null || idNo === '') {
      throw bad('EMPTY_ID_NO', 'idNo is required');
    }
    if (typeof idNo !== 'string' || !/^[0-9a-f-]{36}$/i.test(idNo)) {
      throw bad('INVAILD_ID_NO', 'idNo must be the 36-character id of a sub account');
    }
    const users = ca.users ?? [];
    if (!users.some((u) => u.idNo === idNo)) {
      this.store.put(`ca:${tag}`, { ...ca, users: [...users, { idNo, loginId: `sub-${idNo.slice(0, 8)}`, mbrNo: MEMBER_NO }] });
    }
    return null;
  }

  /** DELETE /ca/{tag}/users/{idNo} */
  deleteCaUser(tag: string, idNo: string) {
    const ca = this.ca(tag);
    const users = ca.users ?? [];
    if (!users.some((u) => u.idNo === idNo)) {
      throw new ApiError(404, 'NOT_FOUND', `sub account ${idNo} is not a user of CA '${ca.alias}'`);
    }
    this.store.put(`ca:${tag}`, { ...ca, users: users.filter((u) => u.idNo !== idNo) });
    return null;
  }

  /** POST /ca/{tag}/trim: drop expired certificates from the CRL. */
  async trim(tag: string) {
    const ca = this.ca(tag);
    const now = this.o.now();
    const expired = this.revokedOf(tag).filter((c) => c.notAfter < now);
    const next = { ...ca, crlNumber: ca.crlNumber + 1 };
    const entries: Entry<AnyRecord>[] = expired.map((c) => ({ k: `cert:${tag}:${c.serialNo}`, v: { ...c, trimmed: true } }));
    const trimmed = new Set(expired.map((c) => c.serialNo));
    next.crlPem = await this.crlFor(next, this.revokedOf(tag).filter((c) => !trimmed.has(c.serialNo)));
    entries.push({ k: `ca:${tag}`, v: next });
    this.store.commit(entries);
    return null;
  }

  /** DER for the public /ext/{tag}/crl and /ext/{tag}/ca URLs. */
  publicCrl(tag: string): string | undefined {
    const ca = this.store.get(`ca:${tag}`);
    return ca?.type === 'ca' ? ca.crlPem : undefined;
  }

  publicCaCert(tag: string): string | undefined {
    const ca = this.store.get(`ca:${tag}`);
    return ca?.type === 'ca' ? ca.certPem : undefined;
  }

  // ---- Certificate Manager -----------------------------------------------------------------

  private async cmCa(): Promise<{ keyPem: string; certPem: string }> {
    const meta = this.meta();
    if (meta.cmCaKeyPem && meta.cmCaCertPem) {
      return { keyPem: meta.cmCaKeyPem, certPem: meta.cmCaCertPem };
    }
    const key = await newKey('EC256');
    const now = this.o.now();
    const certPem = await issue({ serial: newSerial(), subject: { commonName: 'NCP Emulator Public CA', organization: 'ncloud-pki emulator', country: 'KR' }, publicKey: key.keys.publicKey, notBefore: new Date(now - DAY), notAfter: new Date(now + 3650 * DAY), ca: true, selfKey: { keyType: 'EC256', signingKey: key.keys.privateKey } });
    this.store.put('meta', { ...this.meta(), cmCaKeyPem: key.pkcs8, cmCaCertPem: certPem });
    return { keyPem: key.pkcs8, certPem };
  }

  /** A few certificates so a new Certificate Manager view is not empty. */
  async seedCm(): Promise<void> {
    if (this.store.values().some((r) => r.type === 'cm')) {
      return;
    }
    const ca = await this.cmCa();
    const now = this.o.now();
    const seeds: { name: string; cn: string; dns: string[]; status: number; days: number }[] = [
      { name: 'www-example', cn: 'www.example.com', dns: ['www.example.com', 'example.com'], status: 1, days: 300 },
      { name: 'api-example', cn: 'api.example.com', dns: ['api.example.com'], status: 1, days: 20 },
      { name: 'old-example', cn: 'old.example.com', dns: ['old.example.com'], status: -2, days: -10 },
    ];
    const entries: Entry<AnyRecord>[] = [];
    let no = this.meta().nextCmNo;
    for (const s of seeds) {
      const key = await newKey('EC256');
      const notAfter = now + s.days * DAY;
      const certPem = await issue({ serial: newSerial(), subject: { commonName: s.cn, altName: s.dns.join(',') }, publicKey: key.keys.publicKey, notBefore: new Date(Math.min(now, notAfter) - 90 * DAY), notAfter: new Date(notAfter), ca: false, issuer: { certPem: ca.certPem, keyType: 'EC256', signingKey: await importKey(ca.keyPem, 'EC256') } });
      const rec: CmRecord = { type: 'cm', certificateNo: no, certificateName: s.name, commonName: s.cn, dnsName: s.dns, statusCode: s.status, certificateType: 'ADVANCED_DV', certPem, chainPem: ca.certPem, keyPem: key.pkcs8, startDate: Math.min(now, notAfter) - 90 * DAY, endDate: notAfter, registDate: now - 100 * DAY };
      entries.push({ k: `cm:${no}`, v: rec });
      no++;
    }
    entries.push({ k: 'meta', v: { ...this.meta(), nextCmNo: no } });
    this.store.commit(entries);
  }

  /** Moves reissues whose time has come from ONGOING to NORMAL. */
  private settleCm(): void {
    const now = this.o.now();
    const done: Entry<AnyRecord>[] = [];
    for (const r of this.store.values()) {
      if (r.type === 'cm' && r.statusCode === 0 && r.readyAt !== undefined && r.readyAt <= now) {
        const next: CmRecord = { ...r, statusCode: 2, certPem: r.pendingCertPem, startDate: now, endDate: now + 397 * DAY };
        delete next.readyAt;
        delete next.pendingCertPem;
        delete next.keyPem; // the CSR's key stays with the user: "NORMAL (private key not registered)"
        done.push({ k: `cm:${r.certificateNo}`, v: next });
      }
    }
    if (done.length) {
      this.store.commit(done);
    }
  }

  /** One item of the v2 list, in the fields of NCP's ListCertificates page (statusCode is a string). */
  private cmViewV2(r: CmRecord) {
    return {
      certificateNo: r.certificateNo,
      certificateName: r.certificateName,
      memberNo: MEMBER_NO,
      commonName: r.commonName,
      dnsName: r.dnsName.join(','),
      statusCode: String(r.statusCode),
      statusName: CM_STATUS_NAMES[r.statusCode] ?? 'FAILED',
      certificateType: r.certificateType,
      domainCode: 'PUBLIC',
      updateDate: cmDate(r.readyAt ?? r.startDate ?? r.registDate),
      issueType: r.readyAt !== undefined ? 'REISSUE' : 'ISSUE',
      subjectDN: `CN=${r.commonName}`,
      validStartDate: cmDate(r.startDate),
      validEndDate: cmDate(r.endDate),
    };
  }

  /** One item of the v1 list, in the fields of NCP's getCertificateList page. */
  private cmViewV1(r: CmRecord) {
    return {
      certificateNo: r.certificateNo,
      certificateType: r.certificateType,
      certificateName: r.certificateName,
      memberNo: MEMBER_NO,
      dnInfo: `CN=${r.commonName}`,
      domainAddress: r.commonName,
      subDomainAddress: r.dnsName.filter((d) => d !== r.commonName).join(','),
      regDate: cmDate(r.registDate),
      validStartDate: cmDate(r.startDate),
      validEndDate: cmDate(r.endDate),
    };
  }

  private cmRecords(): CmRecord[] {
    this.settleCm();
    return this.store.values().filter((r): r is CmRecord => r.type === 'cm').sort((a, b) => a.certificateNo - b.certificateNo);
  }

  /** GET /api/v2/certificate/certificates */
  listCmV2(q: URLSearchParams) {
    const page = Number(q.get('page') ?? '1');
    const pageSize = Number(q.get('pageSize') ?? '20');
    if (!Number.isInteger(page) || page < 1 || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
      throw new CmError('100', 'page must be ≥ 1 and pageSize 1-100', 400);
    }
    const name = q.get('certificateName');
    const all = this.cmRecords().filter((r) => !name || r.certificateName.includes(name));
    return { returnCode: '0', returnMessage: 'success', totalCount: all.length, sslCertificateList: all.slice((page - 1) * pageSize, page * pageSize).map((r) => this.cmViewV2(r)) };
  }

  /** GET /api/v1/certificates */
  listCmV1(q: URLSearchParams) {
    const name = q.get('certificateName');
    const no = q.get('certificateNo');
    const all = this.cmRecords().filter((r) => (!name || r.certificateName.includes(name)) && (!no || String(r.certificateNo) === no));
    return { returnCode: '0', returnMessage: 'success', totalRows: all.length, sslCertificateList: all.map((r) => this.cmViewV1(r)) };
  }

  private cm(no: string): CmRecord {
    const r = /^\d+$/.test(no) ? this.store.get(`cm:${no}`) : undefined;
    if (!r || r.type !== 'cm') {
      throw new CmError('2200', `certificate ${no} does not exist`);
    }
    return r;
  }

  /** POST /api/v2/certificate/{no}/reissue: ONGOING until validation "completes". */
  async reissueCm(no: string, body: Record<string, unknown>) {
    this.settleCm();
    const r = this.cm(no);
    if (r.statusCode === 0) {
      throw new CmError('1004', `certificate ${no} is already being issued`);
    }
    for (const k of ['certificateName', 'commonName'] as const) {
      if (typeof body[k] !== 'string' || !body[k]) {
        throw new CmError('100', `${k} is required`, 400);
      }
    }
    if (body.validationMethod !== 'D' && body.validationMethod !== 'E') {
      throw new CmError('100', 'validationMethod must be D (DNS CNAME) or E (e-mail)', 400);
    }
    if (typeof body.csr !== 'string' || !body.csr.includes('-----BEGIN CERTIFICATE REQUEST-----')) {
      throw new CmError('1002', 'csr is not a PEM certificate request');
    }
    let csr: Awaited<ReturnType<typeof readCsr>>;
    try {
      csr = await readCsr(body.csr);
    } catch (err) {
      throw new CmError('26034', `invalid certificate request: ${(err as Error).message}`);
    }
    const commonName = body.commonName as string;
    const dns = Array.isArray(body.dnsName) ? body.dnsName.map(String) : [commonName];
    for (const d of dns) {
      if (!/^(\*\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,62}\.)+[A-Za-z]{2,63}$/.test(d)) {
        throw new CmError('2201', `'${d}' is not a valid DNS name`);
      }
    }
    const ca = await this.cmCa();
    const now = this.o.now();
    const pendingCertPem = await issue({ serial: newSerial(), subject: { commonName, altName: dns.join(',') }, publicKey: csr.publicKey, notBefore: new Date(now), notAfter: new Date(now + 397 * DAY), ca: false, issuer: { certPem: ca.certPem, keyType: 'EC256', signingKey: await importKey(ca.keyPem, 'EC256') } });
    const next: CmRecord = { ...r, certificateName: body.certificateName as string, commonName, dnsName: dns, statusCode: 0, validationMethod: body.validationMethod, readyAt: now + this.o.cmIssueDelayMs, pendingCertPem };
    this.store.put(`cm:${no}`, next);
    // The seed page's answer: no certificate number, no status (list the certificates to follow it).
    return { returnCode: '0', returnMessage: 'Certificate reissuance has been completed.', totalRows: 0 };
  }

  /** POST /api/v2/certificate/exportCertificate/{no}: a ZIP of PEM files. */
  exportCm(no: string): Uint8Array {
    this.settleCm();
    const r = this.cm(no);
    if (!r.certPem || r.statusCode === 0) {
      throw new CmError('1004', `certificate ${no} is not issued yet (status ${r.statusCode})`);
    }
    // The name is the user's (imported names may be `../../x`): never a path inside the ZIP.
    const base = safeFileName(r.certificateName);
    const files: Record<string, Uint8Array> = { [`${base}.crt.pem`]: strToU8(r.certPem), [`${base}.chain.pem`]: strToU8(r.chainPem ?? '') };
    return zipSync(files, { mtime: new Date(this.o.now()) });
  }

  /** POST /api/v1/certificate/withExternal: import a certificate and its key. */
  importCm(body: Record<string, unknown>) {
    const name = body.certificateName;
    const certPem = body.certificatePEM;
    const keyPem = body.privateKey;
    if (typeof name !== 'string' || !name) {
      throw new CmError('100', 'certificateName is required', 400);
    }
    if (typeof certPem !== 'string' || !certPem.includes('-----BEGIN CERTIFICATE-----') || typeof keyPem !== 'string' || !keyPem.includes('PRIVATE KEY-----')) {
      throw new CmError('1002', 'certificatePEM and privateKey must be PEM');
    }
    let cert: ReturnType<typeof readCertificate>;
    try {
      cert = readCertificate(certPem);
    } catch {
      throw new CmError('26034', 'certificatePEM is not a valid certificate');
    }
    if (!keyMatches(keyPem, cert)) {
      throw new CmError('26040', 'the private key does not match the certificate');
    }
    const meta = this.meta();
    const rec: CmRecord = { type: 'cm', certificateNo: meta.nextCmNo, certificateName: name, commonName: cert.cert.subjectName.getField('CN')[0] ?? '', dnsName: [], statusCode: 1, certificateType: 'EXTERNAL', certPem, chainPem: typeof body.certificateChain === 'string' ? body.certificateChain : '', keyPem, startDate: cert.notBefore.getTime(), endDate: cert.notAfter.getTime(), registDate: this.o.now() };
    this.store.commit([{ k: `cm:${rec.certificateNo}`, v: rec }, { k: 'meta', v: { ...meta, nextCmNo: meta.nextCmNo + 1 } }]);
    return { returnCode: '0', returnMessage: 'success', certificateNo: rec.certificateNo };
  }

  /** DELETE /api/v1/certificate/{no} */
  deleteCm(no: string) {
    const r = this.cm(no);
    if (r.statusCode === 0) {
      throw new CmError('1004', `certificate ${no} is being issued and cannot be deleted`);
    }
    this.store.commit([{ k: `cm:${no}`, del: true }]);
    return { returnCode: '0', returnMessage: 'success' };
  }
}

/** The PEM certificates of a chain, one string each (how Sign CSR answers caChain). */
function pemList(chain: string): string[] {
  return chain.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)?.map((p) => `${p}\n`) ?? [];
}

const MEMBER_NO = '0000000';

/** statusName for each statusCode (NCP's ListCertificates page). */
const CM_STATUS_NAMES: Record<number, string> = { 0: 'ONGOING', 1: 'NORMAL', 2: 'NORMAL_UNREGISTERED_PRIVATE_KEY', 3: 'NORMAL_GLOBAL_EDGE_DEDICATED', [-1]: 'FAILED', [-2]: 'EXPIRE', [-3]: 'VALIDATION_FAILED', [-4]: 'VALIDATION_EXPIRE', [-5]: 'REVOKE', [-6]: 'DELETED', [-7]: 'REQUEST_REVOKE', [-11]: 'FAILED' };

/** Certificate Manager dates as the emulator writes them: `yyyy-MM-dd HH:mm:ss` (UTC). */
function cmDate(ms?: number): string {
  return ms === undefined ? '' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

/** A name safe as one file name: no separators, no `..`, no control characters. */
export function safeFileName(name: string): string {
  const s = name.replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/g, '_').replace(/^\.+/, '_').trim();
  return s.slice(0, 100) || 'certificate';
}

/** Whether a PEM private key (PKCS#8, PKCS#1 or SEC1) belongs to the certificate's public key. */
function keyMatches(keyPem: string, cert: ReturnType<typeof readCertificate>): boolean {
  try {
    const pub = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' });
    return Buffer.compare(pub, Buffer.from(cert.publicKey.rawData)) === 0;
  } catch {
    return false;
  }
}
