// Typed operations for every Private CA endpoint (NCP-API.md §3, #1-#21).
import type { Transport } from './transport';
import type { Ca, CaInfo, CreateCaRequest, EndCert, IssueCertRequest, IssuedCert, Page } from './types';

const P = '/api/v1/ca';
const seg = encodeURIComponent;

/** Options every call takes. */
export interface CallOptions {
  signal?: AbortSignal;
}

export class PrivateCaApi {
  constructor(private readonly t: Transport, private readonly origin: string) {}

  private get<T>(path: string, o: CallOptions = {}, query?: Record<string, string | number | undefined>): Promise<T> {
    return this.t.send<T>({ origin: this.origin, method: 'GET', path, query, signal: o.signal, api: 'pca' });
  }

  private call<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body: unknown, o: CallOptions = {}, query?: Record<string, string | number | undefined>): Promise<T> {
    return this.t.send<T>({ origin: this.origin, method, path, query, body, signal: o.signal, api: 'pca' });
  }

  /** #1 Create a root or subordinate CA. Never retried: it creates. */
  createCa(req: CreateCaRequest, o?: CallOptions): Promise<Ca> {
    const { caType, issuerTag, ...body } = req;
    return this.call<Ca>('POST', P, body, o, { caType, issuerTag });
  }

  /** #2 One page of CAs. */
  async listCas(pageNo = 1, o?: CallOptions): Promise<Page<Ca>> {
    const d = await this.get<{ totalCnt: number; totalPageNo: number; currentPageNo: number; caInfoList: Ca[] }>(P, o, { pageNo });
    return { totalCnt: d.totalCnt, totalPageNo: d.totalPageNo, currentPageNo: d.currentPageNo, items: d.caInfoList ?? [] };
  }

  /** Every CA, fetching pages lazily as the iteration goes. */
  async *allCas(o?: CallOptions): AsyncGenerator<Ca> {
    yield* pages((n) => this.listCas(n, o));
  }

  /** #3 */
  getCa(caTag: string, o?: CallOptions): Promise<Ca> {
    return this.get<Ca>(`${P}/${seg(caTag)}`, o);
  }

  /** #4 Change status (ACTIVE, DEACTIVATED, DESTROYING) and/or memo. */
  async updateCa(caTag: string, change: { status?: 'ACTIVE' | 'DEACTIVATED' | 'DESTROYING'; memo?: string }, o?: CallOptions): Promise<CaInfo> {
    const d = await this.call<CaInfo | { caInfo: CaInfo }>('PUT', `${P}/${seg(caTag)}`, change, o);
    // NCP's example returns the fields at the top of data; its field table nests them: accept both.
    return 'caInfo' in d && d.caInfo ? d.caInfo : (d as CaInfo);
  }

  /** #5 Delete a CA in DESTROYING. */
  deleteCa(caTag: string, o?: CallOptions): Promise<null> {
    return this.call<null>('DELETE', `${P}/${seg(caTag)}`, undefined, o);
  }

  /** #6 The CA's chain as PEM. */
  getChain(caTag: string, o?: CallOptions): Promise<string> {
    return this.get<string>(`${P}/${seg(caTag)}/chain`, o);
  }

  /** #7 Issue an end-entity certificate; NCP generates the key. Never retried. */
  issueCert(caTag: string, req: IssueCertRequest, o?: CallOptions): Promise<IssuedCert> {
    return this.call<IssuedCert>('POST', `${P}/${seg(caTag)}/cert`, req, o);
  }

  /** #8 One page of serial numbers. */
  async listCerts(caTag: string, pageNo = 1, o?: CallOptions): Promise<Page<string>> {
    const d = await this.get<{ totalCnt: number; totalPageNo: number; currentPageNo: number; listCerts: string[] }>(`${P}/${seg(caTag)}/cert`, o, { pageNo });
    return { totalCnt: d.totalCnt, totalPageNo: d.totalPageNo, currentPageNo: d.currentPageNo, items: d.listCerts ?? [] };
  }

  /** Every serial of a CA, page by page as the iteration goes. */
  async *allCerts(caTag: string, o?: CallOptions): AsyncGenerator<string> {
    yield* pages((n) => this.listCerts(caTag, n, o));
  }

  /** #9 */
  getCert(caTag: string, serialNo: string, o?: CallOptions): Promise<EndCert> {
    return this.get<EndCert>(`${P}/${seg(caTag)}/cert/${seg(serialNo)}`, o);
  }

  /** #10 Revoke; listed in the CRL from then on. */
  revokeCert(caTag: string, serialNo: string, o?: CallOptions): Promise<null> {
    return this.call<null>('POST', `${P}/${seg(caTag)}/cert/${seg(serialNo)}/revoke`, undefined, o);
  }

  /** #11 Sign an end-entity CSR (the key stays with its owner). Never retried. */
  signCsr(caTag: string, req: { csrPem: string; period?: string }, o?: CallOptions): Promise<IssuedCert> {
    return this.call<IssuedCert>('POST', `${P}/${seg(caTag)}/cert/sign`, req, o);
  }

  /** #12 The current CRL as PEM. */
  getCrl(caTag: string, o?: CallOptions): Promise<string> {
    return this.get<string>(`${P}/${seg(caTag)}/crl`, o);
  }

  /** #13 Issue a new CRL now. */
  rotateCrl(caTag: string, o?: CallOptions): Promise<null> {
    return this.call<null>('POST', `${P}/${seg(caTag)}/crl/rotate`, undefined, o);
  }

  /** #14 CRL validity in days. */
  async getCrlConfig(caTag: string, o?: CallOptions): Promise<{ expiry: string }> {
    return this.get<{ expiry: string }>(`${P}/${seg(caTag)}/crl/config`, o);
  }

  /** #15 Set the CRL validity (≥ 3 days, ≤ the CA's remaining life). */
  setCrlConfig(caTag: string, expiryDays: number | string, o?: CallOptions): Promise<null> {
    return this.call<null>('PUT', `${P}/${seg(caTag)}/crl/config`, { expiry: String(expiryDays) }, o);
  }

  /** #16 Turn OCSP on with the responder URL. */
  enableOcsp(caTag: string, url: string, o?: CallOptions): Promise<null> {
    return this.call<null>('PUT', `${P}/${seg(caTag)}/urls`, { ocsp_servers: url }, o);
  }

  /** #17 Turn OCSP off. */
  disableOcsp(caTag: string, o?: CallOptions): Promise<null> {
    return this.call<null>('DELETE', `${P}/${seg(caTag)}/urls`, undefined, o);
  }

  /** #18 The CSR of a subordinate CA waiting to be signed externally. */
  async getSubCsr(caTag: string, o?: CallOptions): Promise<string> {
    return (await this.get<{ csrPem: string }>(`${P}/${seg(caTag)}/sub/csr`, o)).csrPem;
  }

  /** #19 This CA signs a subordinate CA's CSR. Never retried. */
  signSubCsr(caTag: string, req: { csrPem: string; period: string }, o?: CallOptions): Promise<IssuedCert> {
    return this.call<IssuedCert>('POST', `${P}/${seg(caTag)}/sub/sign`, req, o);
  }

  /** #20 Activate a PENDING subordinate with its externally signed certificate. */
  async activateSub(caTag: string, req: { certPem: string; caChainPem?: string }, o?: CallOptions): Promise<CaInfo> {
    const d = await this.call<{ caInfo: CaInfo } | CaInfo>('POST', `${P}/${seg(caTag)}/activate`, req, o);
    return 'caInfo' in d && d.caInfo ? d.caInfo : (d as CaInfo);
  }

  /** #21 Remove expired certificates from the CRL. */
  trim(caTag: string, o?: CallOptions): Promise<null> {
    return this.call<null>('POST', `${P}/${seg(caTag)}/trim`, undefined, o);
  }
}

/** Walks pageNo 1..totalPageNo lazily: the next page is fetched only when the caller needs it. */
export async function* pages<T>(fetch: (pageNo: number) => Promise<Page<T>>): AsyncGenerator<T> {
  for (let n = 1; ; n++) {
    const p = await fetch(n);
    yield* p.items;
    if (n >= p.totalPageNo || p.items.length === 0) {
      return;
    }
  }
}
