/**
 * Sequential consistency (Lamport 1979), as herd7's sc.cat states it for one process order:
 * every execution is an interleaving, `acyclic po | rf | co | fr`, and an RMW's read and
 * write are adjacent in co (`empty rmw & (fre ; coe)`). Lock reads and writes come with
 * lock.cat's rf and co (candidates.ts) and lk-rmw counts as an rmw, so spin_lock excludes.
 */

import type { Execution } from '../execution.js';
import { lockStructure } from '../lock.js';
import { acyclic, inter, inv, seq, union } from '../relation.js';
import type { MemoryModel, Verdict } from './model.js';

export const SC: MemoryModel = {
  name: 'sc',
  title: 'Sequential consistency (acyclic po | rf | co | fr, atomic RMW)',
  requiresCoherence: true,
  check(x: Execution): Verdict {
    const fr = seq(inv(x.rf), x.co);
    const rmw = union(x.rmw, lockStructure(x).lkRmw);
    // empty rmw & (fre ; coe) as atomic
    if (!inter(rmw, seq(inter(fr, x.ext), inter(x.co, x.ext))).isEmpty())
      return { allowed: false, axiom: 'atomic' };
    // acyclic po | rf | co | fr as sc
    if (!acyclic(union(x.po, x.rf, x.co, fr))) return { allowed: false, axiom: 'sc' };
    return { allowed: true, flags: [] };
  },
};
