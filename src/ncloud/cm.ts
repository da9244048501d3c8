// Typed operations for Certificate Manager (docs/ncp-api.md §4), each answer validated and normalized by
// its declaration in contract.ts.
import { checkRequest, OPERATIONS, parseAnswer, type Answer, type OperationName } from './contract';
import { pathOf, type CallOptions } from './pca';
import type { Transport } from './transport';
import type { CmCertificate, CmCertificateV1 } from './types';

export class CertificateManagerApi {
  constructor(private readonly t: Transport, private readonly origin: string) {}

  private async call<K extends OperationName>(name: K, params: Record<string, string | number>, o: CallOptions, body?: Record<string, unknown>, query?: Record<string, string | number | undefined>): Promise<Answer<K>> {
    const op = OPERATIONS[name];
    if (body) {
      checkRequest(name, body);
    }
    const data = await this.t.send<unknown>({ origin: this.origin, method: op.method, path: pathOf(name, params), query, body, signal: o.signal, operation: name, api: op.api, ...(op.api === 'cm-bytes' ? { idempotent: true } : {}) });
    return parseAnswer(name, data);
  }

  /** v2 list, one page (statusCode normalized to a number). */
  async list(q: { page?: number; pageSize?: number; certificateName?: string } = {}, o: CallOptions = {}): Promise<{ totalCount: number; items: CmCertificate[] }> {
    const d = await this.call('cmList', {}, o, undefined, { page: q.page ?? 1, pageSize: q.pageSize ?? 20, certificateName: q.certificateName });
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

  /** v1 list (the government site has only v1), in v1's own fields. */
  async listV1(q: { certificateName?: string; certificateNo?: number } = {}, o: CallOptions = {}): Promise<{ totalRows: number; items: CmCertificateV1[] }> {
    const d = await this.call('cmListV1', {}, o, undefined, { certificateName: q.certificateName, certificateNo: q.certificateNo });
    return { totalRows: d.totalRows, items: d.sslCertificateList ?? [] };
  }

  /** Reissue an Advanced DV/OV certificate from a CSR; validation by DNS CNAME (D) or e-mail (E). NCP answers no number: list to follow it. */
  reissue(certificateNo: number, req: { csr: string; certificateName: string; commonName: string; dnsName?: string[]; validationMethod: 'D' | 'E' }, o: CallOptions = {}): Promise<{ returnCode: string; returnMessage: string; totalRows?: number }> {
    return this.call('cmReissue', { certificateNo }, o, { ...req });
  }

  /** Download as a ZIP of PEM files. */
  download(certificateNo: number, o: CallOptions = {}): Promise<Uint8Array> {
    return this.call('cmDownload', { certificateNo }, o, { type: 'PEM' });
  }

  /**
   * Import an external certificate with its key and chain (v1), in the request fields of NCP's
   * createExternalCertificate page. Never retried. NCP refuses a key that does not match (26040).
   * The new number comes in `sslCertificateList[0]` (or, from older answers, at the top).
   */
  async importExternal(req: { certificateName: string; privateKey: string; publicKeyCertificate: string; certificateChain: string }, o: CallOptions = {}): Promise<{ returnCode: string; certificateNo?: number }> {
    const d = await this.call('cmImport', {}, o, { ...req });
    const no = d.sslCertificateList?.[0]?.certificateNo ?? d.certificateNo;
    return { returnCode: d.returnCode, ...(no !== undefined ? { certificateNo: no } : {}) };
  }

  /** Delete (v1); NCP's page requires the certificate's name beside its number. */
  delete(certificateNo: number, certificateName: string, o: CallOptions = {}): Promise<{ returnCode: string }> {
    return this.call('cmDelete', { certificateNo }, o, undefined, { certificateName });
  }
}
