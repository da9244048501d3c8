// The emulated Private CA (docs/ncp-api.md, "Private CA"): CAs, their certificates, CRLs, OCSP
// settings and users, with NCP's rules and error codes. Every state change is committed to the
// journal before the response is sent.
// Over 400 lines on purpose: it is one resource tree (CA → certificates → CRL → OCSP) whose
// operations share the record lookups and the signing invariants; the field rules are in validate.ts.
import { randomBytes } from 'node:crypto';
import { csrFor, importKey, issue, newKey, newSerial, publicKeyAlgorithmOf, readCertificate, readCsr, serialOf, signCrl, algorithmNames, wholeSeconds, type X509Parameters } from './issuer';
import { readMeta, type AnyRecord, type CaRecord, type CertRecord, type MetaRecord } from './records';
import type { Entry, Store } from './store';
import { toPem } from '../pki';
import type { ServiceOptions } from './service';
import * as v from './validate';
import { ApiError, bad, CA_TAG, DAY, MEMBER_NO, SERIAL } from './validate';

const HOURS_72 = 72 * 3_600_000;

export class PcaService {
  constructor(
    private readonly o: ServiceOptions,
    readonly store: Store<AnyRecord>,
  ) {}

  private meta(): MetaRecord {
    return readMeta(this.store);
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

  /** A CA's own certificate: a subordinate waiting for its signed CSR has none yet, and cannot sign. */
  private certOf(ca: CaRecord): string {
    if (!ca.certPem) {
      throw bad('INVALID_CA_STATUS', `CA '${ca.alias}' (${ca.caTag}) has no certificate yet: sign its CSR and activate it first`);
    }
    return ca.certPem;
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
    const keyType = v.keyType(body.keyType, true, 'EC256');
    if (body.period === undefined || body.period === null || body.period === '') {
      throw bad('INVALID_INPUT_PERIOD', 'period is required: days 1-3650 or MAX');
    }
    const params = v.validateParams(body.x509Parameters);
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
    const notAfter = v.notAfter(this.o.now(), body.period, issuer?.notAfter, caType === 'PRIVATE_ROOT' ? 3650 : 1825);
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
        publicKey: key.spki,
        notBefore: new Date(wholeSeconds(now - 60_000)),
        notAfter: new Date(notAfter),
        ca: true,
        ...(issuer ? { issuer: { certPem: this.certOf(issuer), keyType: issuer.keyType, signingKey: importKey(issuer.keyPem) }, urls: this.certUrls(issuer) } : { selfKey: { keyType, signingKey: key.privateKey } }),
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
    await this.store.commit(entries);
    return { caInfo: this.caInfo(ca), caCertInfo: this.caCertInfo(ca) };
  }

  /** GET /ca?pageNo=N */
  listCas(pageNo: string | null) {
    const page = v.pageNo(pageNo);
    const all = this.cas().sort((a, b) => a.rgstDate - b.rgstDate || a.caId - b.caId);
    const size = this.o.caPageSize;
    return {
      totalCnt: all.length,
      totalPageNo: Math.max(1, Math.ceil(all.length / size)),
      currentPageNo: page,
      caInfoList: all.slice((page - 1) * size, page * size).map((c) => ({ caInfo: this.caInfo(c), caCertInfo: this.caCertInfo(c) })),
    };
  }


  /** GET /ca/{tag} */
  getCa(tag: string) {
    const ca = this.ca(tag);
    return { caInfo: this.caInfo(ca), caCertInfo: this.caCertInfo(ca) };
  }

  /** PUT /ca/{tag}: status (and memo). DESTROYING cascades to subordinates, destroyed after 72 h. */
  async updateCa(tag: string, body: Record<string, unknown>) {
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
    await this.store.commit(entries);
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
  async deleteCa(tag: string) {
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
    await this.store.commit(entries);
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

  private async issueLeaf(ca: CaRecord, body: { publicKey: Uint8Array | import('@peculiar/x509').PublicKey; publicKeyAlgorithm: string; subject: X509Parameters | import('@peculiar/x509').Name; commonName: string; period: unknown; san?: import('@peculiar/x509').Extension }) {
    this.requireActive(ca);
    const notAfter = v.notAfter(this.o.now(), body.period, ca.notAfter, 365);
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
        issuer: { certPem: this.certOf(ca), keyType: ca.keyType, signingKey: importKey(ca.keyPem) },
        urls: this.certUrls(ca),
        ...(body.san ? { sanExtension: body.san } : {}),
      });
      const names = algorithmNames(ca.keyType);
      // publicKeyAlgorithm is the certificate's own key; the signature is its CA's.
      const rec: CertRecord = { type: 'cert', caTag: ca.caTag, serialNo: serial, commonName: body.commonName, certPem, notBefore: wholeSeconds(now - 60_000), notAfter, publicKeyAlgorithm: body.publicKeyAlgorithm, signatureAlgorithm: names.signatureAlgorithm, issuedAt: now };
      const fresh = this.store.get(`ca:${ca.caTag}`) as CaRecord;
      await this.store.commit([{ k: pending, v: rec }, { k: `ca:${ca.caTag}`, v: { ...fresh, signingCount: fresh.signingCount + 1 } }]);
      return { certificate: certPem, caChain: ca.chainPem, issuer: this.certOf(ca), ocspResponder: ca.ocspUrl ?? '', serialNo: serial };
    } finally {
      this.reserved.delete(pending);
    }
  }

  private readonly reserved = new Set<string>();

  /** POST /ca/{tag}/cert: NCP makes the key and returns it once. */
  async issueCert(tag: string, body: Record<string, unknown>) {
    const ca = this.ca(tag);
    const keyType = v.keyType(body.keyType, false, 'RSA2048');
    const params = v.validateParams(body.x509Parameters);
    this.requireActive(ca);
    v.notAfter(this.o.now(), body.period, ca.notAfter, 365);
    const key = await newKey(keyType);
    const r = await this.issueLeaf(ca, { publicKey: key.spki, publicKeyAlgorithm: algorithmNames(keyType).publicKeyAlgorithm, subject: params, commonName: params.commonName, period: body.period });
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

  /** A CA's certificates in issue order, kept until the store changes (paging 10,000 certificates read them 200 times). */
  private certsOf(tag: string): CertRecord[] {
    const kept = this.certLists.get(tag);
    if (kept && kept.version === this.store.version) {
      return kept.certs;
    }
    const certs = this.store.values().filter((r): r is CertRecord => r.type === 'cert' && r.caTag === tag).sort((a, b) => a.issuedAt - b.issuedAt || (a.serialNo < b.serialNo ? -1 : 1));
    if (this.certLists.size > 64) {
      this.certLists.clear();
    }
    this.certLists.set(tag, { version: this.store.version, certs });
    return certs;
  }

  private readonly certLists = new Map<string, { version: number; certs: CertRecord[] }>();

  /** GET /ca/{tag}/cert?pageNo=N */
  listCerts(tag: string, pageNo: string | null) {
    this.ca(tag);
    const page = v.pageNo(pageNo);
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
    await this.store.commit([{ k: `cert:${tag}:${c.serialNo}`, v: revoked }, { k: `ca:${tag}`, v: next }]);
    return null;
  }

  private revokedOf(tag: string): CertRecord[] {
    return this.certsOf(tag).filter((c) => c.revokedAt !== undefined && !c.trimmed);
  }

  private async crlFor(ca: CaRecord, revoked: CertRecord[]): Promise<string> {
    const now = this.o.now();
    return signCrl({
      issuerCertPem: this.certOf(ca),
      keyType: ca.keyType,
      signingKey: importKey(ca.keyPem),
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
    await this.store.put(`ca:${tag}`, next);
    return null;
  }

  /** GET /ca/{tag}/crl/config */
  crlConfig(tag: string) {
    return { expiry: String(this.ca(tag).crlExpiryDays) };
  }

  /** PUT /ca/{tag}/crl/config */
  async setCrlConfig(tag: string, body: Record<string, unknown>) {
    const ca = this.ca(tag);
    const s = String(body.expiry ?? '');
    const days = Number(s);
    const maxDays = ca.notAfter !== undefined ? Math.floor((ca.notAfter - this.o.now()) / DAY) : 3650;
    if (!/^\d+$/.test(s) || days < 3 || days > maxDays) {
      throw bad('INVALID_INPUT', `expiry must be a whole number of days from 3 to ${maxDays} (the CA's remaining lifetime), not '${s}'`);
    }
    await this.store.put(`ca:${tag}`, { ...ca, crlExpiryDays: days });
    return { expiry: String(days) };
  }

  /** PUT /ca/{tag}/urls: turn OCSP on. */
  async enableOcsp(tag: string, body: Record<string, unknown>) {
    const ca = this.ca(tag);
    const url = body.ocsp_servers;
    if (typeof url !== 'string' || !/^https?:\/\/\S+$/.test(url)) {
      throw bad('INVALID_INPUT', 'ocsp_servers must be an http(s) URL');
    }
    await this.store.put(`ca:${tag}`, { ...ca, ocspUrl: url });
    return null;
  }

  /** DELETE /ca/{tag}/urls: turn OCSP off. */
  async disableOcsp(tag: string) {
    const ca = this.ca(tag);
    const next = { ...ca };
    delete next.ocspUrl;
    await this.store.put(`ca:${tag}`, next);
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
    const notAfter = v.notAfter(this.o.now(), body.period, ca.notAfter, 1825);
    const now = this.o.now();
    const serial = this.uniqueSerial(ca.caTag);
    const certPem = await issue({ serial, subject: csr.subject, publicKey: csr.publicKey, notBefore: new Date(wholeSeconds(now - 60_000)), notAfter: new Date(notAfter), ca: true, issuer: { certPem: this.certOf(ca), keyType: ca.keyType, signingKey: importKey(ca.keyPem) }, urls: this.certUrls(ca) });
    const fresh = this.store.get(`ca:${tag}`) as CaRecord;
    await this.store.put(`ca:${tag}`, { ...fresh, signingCount: fresh.signingCount + 1 });
    return { certificate: certPem, caChain: pemList(ca.chainPem), issuer: this.certOf(ca), ocspResponder: ca.ocspUrl ?? '', serialNo: serial };
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
    await this.store.put(`ca:${tag}`, next);
    return { caInfo: this.caInfo(next) };
  }

  /** GET /ca/{tag}/users: the sub accounts allowed to use this CA (ListCaUsersResponse: data is the array). */
  listCaUsers(tag: string) {
    return (this.ca(tag).users ?? []).map((u) => ({ loginId: u.loginId, mbrNo: u.mbrNo, idNo: u.idNo }));
  }

  /** POST /ca/{tag}/users `{idNo}`: allow a sub account (NCP's Add CA User page: idNo of 36 characters). */
  async addCaUser(tag: string, body: Record<string, unknown>) {
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
      await this.store.put(`ca:${tag}`, { ...ca, users: [...users, { idNo, loginId: `sub-${idNo.slice(0, 8)}`, mbrNo: MEMBER_NO }] });
    }
    return null;
  }

  /** DELETE /ca/{tag}/users/{idNo} */
  async deleteCaUser(tag: string, idNo: string) {
    const ca = this.ca(tag);
    const users = ca.users ?? [];
    if (!users.some((u) => u.idNo === idNo)) {
      throw new ApiError(404, 'NOT_FOUND', `sub account ${idNo} is not a user of CA '${ca.alias}'`);
    }
    await this.store.put(`ca:${tag}`, { ...ca, users: users.filter((u) => u.idNo !== idNo) });
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
    await this.store.commit(entries);
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
}

/** The PEM certificates of a chain, one string each (how Sign CSR answers caChain). */
function pemList(chain: string): string[] {
  return chain.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)?.map((p) => `${p}\n`) ?? [];
}
