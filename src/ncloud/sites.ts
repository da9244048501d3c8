/** Where NCP's Private CA and Certificate Manager APIs live for each site. */
import type { SiteName } from './vocabulary';

export type { SiteName } from './vocabulary';

export interface Endpoints {
  /** Origin of the Private CA API (paths start with /api/v1/ca). */
  pca: string;
  /** Origin of the Certificate Manager API (paths start with /api/v1 or /api/v2). */
  cm: string;
}

/** docs/ncp-api.md §2. The financial site's hosts are unverified (NCP documents no PCA endpoint for it). */
export const SITES: Record<SiteName, Endpoints> = {
  public: { pca: 'https://pca.apigw.ntruss.com', cm: 'https://certificatemanager.apigw.ntruss.com' },
  gov: { pca: 'https://privateca.apigw.gov-ntruss.com', cm: 'https://certificatemanager.apigw.gov-ntruss.com' },
  fin: { pca: 'https://pca.apigw.fin-ntruss.com', cm: 'https://certificatemanager.apigw.fin-ntruss.com' },
};

/** A site by name, or a custom origin (a proxy, the local emulator) serving both APIs. */
export type Target = { site: SiteName } | { endpoint: string };

/** The endpoints of a target; throws for a malformed custom endpoint. */
export function endpointsOf(target: Target): Endpoints {
  if ('site' in target) {
    const e = SITES[target.site];
    if (!e) {
      throw new Error(`unknown NCP site '${String(target.site)}' (public, gov or fin)`);
    }
    return e;
  }
  let u: URL;
  try {
    u = new URL(target.endpoint);
  } catch {
    throw new Error(`endpoint '${target.endpoint}' is not a URL (e.g. http://127.0.0.1:8787)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new Error(`endpoint '${target.endpoint}' must be http or https`);
  }
  return { pca: u.origin, cm: u.origin };
}
