// Loading a CA's issued certificates page by page: serial numbers from the list call, then each
// certificate's details with a few calls in flight. No `vscode` here: the tree uses it, and so
// does the benchmark that loads 10,000 certificates.
import type { EndCert, NcpClient } from '../../ncloud';

/** At most this many getCert calls in flight per page. */
export const CONCURRENCY = 8;

/** Maps with at most `limit` calls in flight, keeping the order. */
export async function mapLimit<T, R>(xs: readonly T[], limit: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(xs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, xs.length) }, async () => {
      while (next < xs.length) {
        const i = next++;
        out[i] = await f(xs[i]);
      }
    }),
  );
  return out;
}

export interface CertPage {
  certs: EndCert[];
  totalCnt: number;
  totalPageNo: number;
}

/** One page of a CA's certificates, with details. */
export async function loadCertPage(client: NcpClient, caTag: string, pageNo: number, signal?: AbortSignal): Promise<CertPage> {
  const page = await client.pca.listCerts(caTag, pageNo, { signal });
  const certs = await mapLimit(page.items, CONCURRENCY, (serial) => client.pca.getCert(caTag, serial, { signal }));
  return { certs, totalCnt: page.totalCnt, totalPageNo: page.totalPageNo };
}

/** "ab:cd:..." or "00abcd..." → "abcd..." (how CRL entries and NCP serials are compared). */
export function normalizeSerial(s: string): string {
  return s.replace(/:/g, '').toLowerCase().replace(/^0+(?=.)/, '');
}
