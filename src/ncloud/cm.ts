// Typed operations for Certificate Manager (NCP-API.md §4).
import type { CallOptions } from './pca';
import type { Transport } from './transport';
import type { CmCertificate } from './types';

export class CertificateManagerApi {
  constructor(private readonly t: Transport, private readonly origin: string) {}

  /** v2 list, one page. */
  async list(q: { page?: number; pageSize?: number; certificateName?: string } = {}, o: CallOptions = {}): Promise<{ totalCount: number; items: CmCertificate[] }> {
    const d = await this.t.send<{ totalCount: number; sslCertificateList: CmCertificate[] }>({ origin: this.origin, method: 'GET', path: '/api/v2/certificate/certificates', query: { page: q.page ?? 1, pageSize: q.pageSize ?? 20, certificateName: q.certificateName }, signal: o.signal, api: 'cm' });
    return { totalCount: d.totalCount, items: d.sslCertificateList ?? [] };
  }

  /** Every certificate, page by page as the iteration goes. */
  async *all(pageSize = 50, o: CallOptions = {}): AsyncGenerator<CmCertificate> {
    for (let page = 1; ; page++) {
      const p = await this.list({ page, pageSize }, o);
      yield* p.items;
      if (page * pageSize >= p.totalCount || p.items.length === 0) {
        return;
      }
    }
  }

  /** v1 list (the government site has only v1). */
  async listV1(q: { certificateName?: string; certificateNo?: number } = {}, o: CallOptions = {}): Promise<{ totalRows: number; items: CmCertificate[] }> {
    const d = await this.t.send<{ totalRows: number; sslCertificateList: CmCertificate[] }>({ origin: this.origin, method: 'GET', path: '/api/v1/certificates', query: { certificateName: q.certificateName, certificateNo: q.certificateNo }, signal: o.signal, api: 'cm' });
    return { totalRows: d.totalRows, items: d.sslCertificateList ?? [] };
  }

  /** Reissue an Advanced DV/OV certificate from a CSR; validation by DNS CNAME (D) or e-mail (E). */
  reissue(certificateNo: number, req: { csr: string; certificateName: string; commonName: string; dnsName?: string[]; validationMethod: 'D' | 'E' }, o: CallOptions = {}): Promise<{ returnCode: string; returnMessage: string; [k: string]: unknown }> {
    return this.t.send({ origin: this.origin, method: 'POST', path: `/api/v2/certificate/${certificateNo}/reissue`, body: req, signal: o.signal, api: 'cm' });
  }

  /** Download as a ZIP of PEM files. */
  download(certificateNo: number, o: CallOptions = {}): Promise<Uint8Array> {
    return this.t.send<Uint8Array>({ origin: this.origin, method: 'POST', path: `/api/v2/certificate/exportCertificate/${certificateNo}`, body: { type: 'PEM' }, signal: o.signal, api: 'cm-bytes', idempotent: true });
  }

  /** Import an external certificate with its key (v1). Never retried. */
  importExternal(req: { certificateName: string; privateKey: string; certificatePEM: string; certificateChain?: string }, o: CallOptions = {}): Promise<{ returnCode: string; certificateNo?: number }> {
    return this.t.send({ origin: this.origin, method: 'POST', path: '/api/v1/certificate/withExternal', body: req, signal: o.signal, api: 'cm' });
  }

  /** Delete (v1). */
  delete(certificateNo: number, o: CallOptions = {}): Promise<{ returnCode: string }> {
    return this.t.send({ origin: this.origin, method: 'DELETE', path: `/api/v1/certificate/${certificateNo}`, signal: o.signal, api: 'cm' });
  }
}
