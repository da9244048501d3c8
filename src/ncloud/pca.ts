// Typed operations for every Private CA endpoint (docs/ncp-api.md §3, #1-#21, and CA users), each answer
// validated and normalized by its declaration in contract.ts.
import { checkRequest, OPERATIONS, parseAnswer, type Answer, type OperationName } from './contract';
import type { Transport } from './transport';
import type { Ca, CaInfo, CaUser, CreateCaRequest, EndCert, IssueCertRequest, IssuedCert, Page } from './types';

/** Options every call takes. */
export interface CallOptions {
  signal?: AbortSignal;
}

type Query = Record<string, string | number | undefined>;

/** Fills `{caTag}`-style parameters of a declared path, percent-encoded. */
export function pathOf(name: OperationName, params: Record<string, string | number> = {}): string {
  return OPERATIONS[name].path.replace(/\{(\w+)\}/g, (_m, k: string) => encodeURIComponent(String(params[k])));
}

export class PrivateCaApi {
  constructor(private readonly t: Transport, private readonly origin: string) {}

  private async call<K extends OperationName>(name: K, params: Record<string, string | number>, o: CallOptions = {}, body?: Record<string, unknown>, query?: Query): Promise<Answer<K>> {
    const op = OPERATIONS[name];
    if (body) {
      checkRequest(name, body);
    }
    const data = await this.t.send<unknown>({ origin: this.origin, method: op.method, path: pathOf(name, params), query, body, signal: o.signal, operation: name, api: 'pca' });
    return parseAnswer(name, data);
  }

  /** #1 Create a root or subordinate CA. Never retried: it creates. */
  createCa(req: CreateCaRequest, o?: CallOptions): Promise<Ca> {
    const { caType, issuerTag, issuerId, ...body } = req;
    return this.call('createCa', {}, o, body, { caType, issuerTag, issuerId: issuerTag ? undefined : issuerId });
  }

  /** #2 One page of CAs. */
  listCas(pageNo = 1, o?: CallOptions): Promise<Page<Ca>> {
    return this.call('listCas', {}, o, undefined, { pageNo });
  }

  /** Every CA, fetching pages lazily as the iteration goes. */
  async *allCas(o?: CallOptions): AsyncGenerator<Ca> {
    yield* pages((n) => this.listCas(n, o));
  }

  /** #3 */
  getCa(caTag: string, o?: CallOptions): Promise<Ca> {
    return this.call('getCa', { caTag }, o);
  }

  /** #4 Change status (ACTIVE, DEACTIVATED, DESTROYING), and the memo with it. NCP requires the status. */
  updateCa(caTag: string, change: { status: 'ACTIVE' | 'DEACTIVATED' | 'DESTROYING'; memo?: string }, o?: CallOptions): Promise<CaInfo> {
    return this.call('updateCa', { caTag }, o, change);
  }

  /** #5 Delete a CA in DESTROYING. */
  async deleteCa(caTag: string, o?: CallOptions): Promise<null> {
    await this.call('deleteCa', { caTag }, o);
    return null;
  }

  /** #6 The CA's chain as PEM. */
  getChain(caTag: string, o?: CallOptions): Promise<string> {
    return this.call('getChain', { caTag }, o);
  }

  /** #7 Issue an end-entity certificate; NCP generates the key. Never retried. */
  issueCert(caTag: string, req: IssueCertRequest, o?: CallOptions): Promise<IssuedCert> {
    return this.call('issueCert', { caTag }, o, { ...req });
  }

  /** #8 One page of serial numbers. */
  listCerts(caTag: string, pageNo = 1, o?: CallOptions): Promise<Page<string>> {
    return this.call('listCerts', { caTag }, o, undefined, { pageNo });
  }

  /** Every serial of a CA, page by page as the iteration goes. */
  async *allCerts(caTag: string, o?: CallOptions): AsyncGenerator<string> {
    yield* pages((n) => this.listCerts(caTag, n, o));
  }

  /** #9 */
  getCert(caTag: string, serialNo: string, o?: CallOptions): Promise<EndCert> {
    return this.call('getCert', { caTag, serialNo }, o);
  }

  /** #10 Revoke; listed in the CRL from then on. */
  async revokeCert(caTag: string, serialNo: string, o?: CallOptions): Promise<null> {
    await this.call('revokeCert', { caTag, serialNo }, o);
    return null;
  }

  /** #11 Sign an end-entity CSR (the key stays with its owner). Never retried. caChain arrives as an array of PEMs. */
  signCsr(caTag: string, req: { csrPem: string; period?: string }, o?: CallOptions): Promise<IssuedCert> {
    return this.call('signCsr', { caTag }, o, { ...req });
  }

  /** #12 The current CRL as PEM. */
  getCrl(caTag: string, o?: CallOptions): Promise<string> {
    return this.call('getCrl', { caTag }, o);
  }

  /** #13 Issue a new CRL now. */
  async rotateCrl(caTag: string, o?: CallOptions): Promise<null> {
    await this.call('rotateCrl', { caTag }, o);
    return null;
  }

  /** #14 CRL validity in days. */
  getCrlConfig(caTag: string, o?: CallOptions): Promise<{ expiry: string }> {
    return this.call('getCrlConfig', { caTag }, o);
  }

  /** #15 Set the CRL validity (≥ 3 days, ≤ the CA's remaining life); NCP answers the new `{expiry}`. */
  async setCrlConfig(caTag: string, expiryDays: number | string, o?: CallOptions): Promise<{ expiry: string }> {
    const d = await this.call('setCrlConfig', { caTag }, o, { expiry: String(expiryDays) });
    return d ?? { expiry: String(expiryDays) };
  }

  /** #16 Turn OCSP on with the responder URL. */
  async enableOcsp(caTag: string, url: string, o?: CallOptions): Promise<null> {
    await this.call('enableOcsp', { caTag }, o, { ocsp_servers: url });
    return null;
  }

  /** #17 Turn OCSP off. */
  async disableOcsp(caTag: string, o?: CallOptions): Promise<null> {
    await this.call('disableOcsp', { caTag }, o);
    return null;
  }

  /** #18 The CSR of a subordinate CA waiting to be signed externally. */
  getSubCsr(caTag: string, o?: CallOptions): Promise<string> {
    return this.call('getSubCsr', { caTag }, o);
  }

  /** #19 This CA signs a subordinate CA's CSR. Never retried. caChain arrives as an array of PEMs. */
  signSubCsr(caTag: string, req: { csrPem: string; period: string }, o?: CallOptions): Promise<IssuedCert> {
    return this.call('signSubCsr', { caTag }, o, { ...req });
  }

  /** #20 Activate a PENDING subordinate with its externally signed certificate and its issuer's chain. */
  activateSub(caTag: string, req: { certPem: string; caChainPem: string }, o?: CallOptions): Promise<CaInfo> {
    return this.call('activateSub', { caTag }, o, { ...req });
  }

  /** #21 Remove expired certificates from the CRL. */
  async trim(caTag: string, o?: CallOptions): Promise<null> {
    await this.call('trim', { caTag }, o);
    return null;
  }

  /** The sub accounts allowed to use a CA. */
  listUsers(caTag: string, o?: CallOptions): Promise<CaUser[]> {
    return this.call('listCaUsers', { caTag }, o);
  }

  /** Allow a sub account (its 36-character idNo) to use a CA. */
  async addUser(caTag: string, idNo: string, o?: CallOptions): Promise<null> {
    await this.call('addCaUser', { caTag }, o, { idNo });
    return null;
  }

  /** Take a sub account's permission on a CA away. */
  async removeUser(caTag: string, idNo: string, o?: CallOptions): Promise<null> {
    await this.call('deleteCaUser', { caTag, idNo }, o);
    return null;
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
