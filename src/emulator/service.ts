// The emulated NCP services, split by API as the router is: Private CA (pcaService.ts) and
// Certificate Manager (cmService.ts) over one journaled store; the rules both apply are in validate.ts.
import { CmService } from './cmService';
import { PcaService } from './pcaService';
import type { AnyRecord } from './records';
import { Store, type Sync } from './store';

export { ApiError, CmError } from './validate';

export interface ServiceOptions {
  dataDir: string;
  now: () => number;
  /** The origin written into certificates (CRL distribution point, AIA). */
  publicOrigin: () => string;
  caPageSize: number;
  certPageSize: number;
  /** How long a Certificate Manager reissue stays ONGOING. */
  cmIssueDelayMs: number;
  journalSync?: Sync;
}

export class Service {
  readonly store: Store<AnyRecord>;
  readonly pca: PcaService;
  readonly cm: CmService;

  constructor(o: ServiceOptions) {
    this.store = new Store<AnyRecord>(o.dataDir, 'state', o.journalSync);
    this.pca = new PcaService(o, this.store);
    this.cm = new CmService(o, this.store);
  }
}
