// The emulated Certificate Manager (docs/ncp-api.md, "Certificate Manager"): list (v1 and v2
// shapes), reissue (ONGOING for a while, as validation would be), export as ZIP, import, delete,
// and a few seeded certificates so a new view is not empty.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { zipSync, strToU8 } from 'fflate';
import { importKey, issue, newKey, newSerial, readCertificate, readCsr } from './issuer';
import { readMeta, type AnyRecord, type CmRecord, type MetaRecord } from './records';
import type { Entry, Store } from './store';
import type { ServiceOptions } from './service';
import { CmError, DAY, MEMBER_NO } from './validate';

export class CmService {
  constructor(
    private readonly o: ServiceOptions,
    readonly store: Store<AnyRecord>,
  ) {}

  private meta(): MetaRecord {
    return readMeta(this.store);
  }


  private async cmCa(): Promise<{ keyPem: string; certPem: string }> {
    const meta = this.meta();
    if (meta.cmCaKeyPem && meta.cmCaCertPem) {
      return { keyPem: meta.cmCaKeyPem, certPem: meta.cmCaCertPem };
    }
    const key = await newKey('EC256');
    const now = this.o.now();
    const certPem = await issue({ serial: newSerial(), subject: { commonName: 'NCP Emulator Public CA', organization: 'ncloud-pki emulator', country: 'KR' }, publicKey: key.spki, notBefore: new Date(now - DAY), notAfter: new Date(now + 3650 * DAY), ca: true, selfKey: { keyType: 'EC256', signingKey: key.privateKey } });
    await this.store.put('meta', { ...this.meta(), cmCaKeyPem: key.pkcs8, cmCaCertPem: certPem });
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
      const certPem = await issue({ serial: newSerial(), subject: { commonName: s.cn, altName: s.dns.join(',') }, publicKey: key.spki, notBefore: new Date(Math.min(now, notAfter) - 90 * DAY), notAfter: new Date(notAfter), ca: false, issuer: { certPem: ca.certPem, keyType: 'EC256', signingKey: importKey(ca.keyPem) } });
      const rec: CmRecord = { type: 'cm', certificateNo: no, certificateName: s.name, commonName: s.cn, dnsName: s.dns, statusCode: s.status, certificateType: 'ADVANCED_DV', certPem, chainPem: ca.certPem, keyPem: key.pkcs8, startDate: Math.min(now, notAfter) - 90 * DAY, endDate: notAfter, registDate: now - 100 * DAY };
      entries.push({ k: `cm:${no}`, v: rec });
      no++;
    }
    entries.push({ k: 'meta', v: { ...this.meta(), nextCmNo: no } });
    await this.store.commit(entries);
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
      // Not awaited: reads call this, and the settled state follows from readyAt again after a crash.
      this.store.commit(done).catch(() => undefined);
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
    const pendingCertPem = await issue({ serial: newSerial(), subject: { commonName, altName: dns.join(',') }, publicKey: csr.publicKey, notBefore: new Date(now), notAfter: new Date(now + 397 * DAY), ca: false, issuer: { certPem: ca.certPem, keyType: 'EC256', signingKey: importKey(ca.keyPem) } });
    const next: CmRecord = { ...r, certificateName: body.certificateName as string, commonName, dnsName: dns, statusCode: 0, validationMethod: body.validationMethod, readyAt: now + this.o.cmIssueDelayMs, pendingCertPem };
    await this.store.put(`cm:${no}`, next);
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

  /** POST /api/v1/certificate/withExternal: import a certificate, its key and its chain (the page's request fields, all required). */
  async importCm(body: Record<string, unknown>) {
    const name = body.certificateName;
    const certPem = body.publicKeyCertificate;
    const keyPem = body.privateKey;
    for (const field of ['certificateName', 'privateKey', 'publicKeyCertificate', 'certificateChain']) {
      if (typeof body[field] !== 'string' || !body[field]) {
        throw new CmError('100', `${field} is required`, 400);
      }
    }
    if (typeof name !== 'string' || typeof certPem !== 'string' || !certPem.includes('-----BEGIN CERTIFICATE-----') || typeof keyPem !== 'string' || !keyPem.includes('PRIVATE KEY-----')) {
      throw new CmError('1002', 'publicKeyCertificate and privateKey must be PEM');
    }
    let cert: ReturnType<typeof readCertificate>;
    try {
      cert = readCertificate(certPem);
    } catch {
      throw new CmError('26034', 'publicKeyCertificate is not a valid certificate');
    }
    if (!keyMatches(keyPem, cert)) {
      throw new CmError('26040', 'the private key does not match the certificate');
    }
    const meta = this.meta();
    const rec: CmRecord = { type: 'cm', certificateNo: meta.nextCmNo, certificateName: name, commonName: cert.cert.subjectName.getField('CN')[0] ?? '', dnsName: [], statusCode: 1, certificateType: 'EXTERNAL', certPem, chainPem: typeof body.certificateChain === 'string' ? body.certificateChain : '', keyPem, startDate: cert.notBefore.getTime(), endDate: cert.notAfter.getTime(), registDate: this.o.now() };
    await this.store.commit([{ k: `cm:${rec.certificateNo}`, v: rec }, { k: 'meta', v: { ...meta, nextCmNo: meta.nextCmNo + 1 } }]);
    return { returnCode: '0', returnMessage: 'success', totalRows: 1, sslCertificateList: [this.cmViewV1(rec)] };
  }

  /** DELETE /api/v1/certificate/{no}?certificateName=… (the page marks the name required). */
  async deleteCm(no: string, certificateName: string | null) {
    if (!certificateName) {
      throw new CmError('100', 'certificateName is required', 400);
    }
    const r = this.cm(no);
    if (r.statusCode === 0) {
      throw new CmError('1004', `certificate ${no} is being issued and cannot be deleted`);
    }
    await this.store.commit([{ k: `cm:${no}`, del: true }]);
    return { returnCode: '0', returnMessage: 'success', totalRows: 0 };
  }
}

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
