import type { Profiles } from '../../profiles';
import type { Services } from '../../services';
import { TreeProvider, type Node } from '../node';
import { CmProfileNode } from './cmProfileNode';

/** The Certificate Manager view: profiles → certificates with their status in words. */
export class CmTree extends TreeProvider {
  constructor(
    readonly services: Services,
    readonly profiles: Profiles,
  ) {
    super();
  }

  protected roots(): Node[] {
    return this.profiles.all().map((p) => new CmProfileNode(p, this.services));
  }
}
