/**
 * lock.cat's checks and the sets and relations it hands on to linux-kernel.cat (R, W, M,
 * Acquire, Release, rmw, rf, co, fr and their int/ext parts). The rf and co of lock events
 * themselves are built by candidates.ts; this file states the axioms and flags over them.
 */

import type { Execution } from '../../execution.js';
import { lockStructure, type LockStructure } from '../../lock.js';
import {
  diff,
  domain,
  id,
  inter,
  inv,
  range,
  relOf,
  seq,
  union,
  type EventSet,
  type Relation,
} from '../../relation.js';
import type { Bell } from './bell.js';

export interface LockCat extends LockStructure {
  R: EventSet;
  W: EventSet;
  M: EventSet;
  Acquire: EventSet;
  Release: EventSet;
  rmw: Relation;
  rf: Relation;
  co: Relation;
  fr: Relation;
  /** Axioms in file order: [name, holds]. */
  axioms: [string, boolean][];
  /** Flags that fired, in file order. */
  flags: string[];
}

export function lockCat(x: Execution, b: Bell): LockCat {
  const l = lockStructure(x);
  const poloc = inter(x.po, x.loc);
  const M0 = union(x.R, x.W);
  const axioms: [string, boolean][] = [];
  const flags: string[] = [];
  const flag = (name: string, nonEmpty: boolean) => nonEmpty && flags.push(name);
  const empty = (name: string, r: Relation) => axioms.push([name, r.isEmpty()]);

  // flag ~empty [M \ IW \ ALL-LOCKS] ; loc ; [ALL-LOCKS] as mixed-lock-accesses
  const ordinary = diff(M0, x.IW, l.allLocks);
  flag('mixed-lock-accesses', !seq(id(ordinary), x.loc, id(l.allLocks)).isEmpty());
  // flag ~empty LKW \ range(lk-rmw) as unpaired-LKW
  flag('unpaired-LKW', !diff(l.LKW, range(l.lkRmw)).isEmpty());
  // flag ~empty LKR \ domain(lk-rmw) as unpaired-LKR
  flag('unpaired-LKR', !diff(l.LKR, domain(l.lkRmw)).isEmpty());
  const throughUnlock = seq(poloc, id(l.UL), poloc);
  // empty ([LKW] ; po-loc ; [LKR]) \ (po-loc ; [UL] ; po-loc) as lock-nest
  empty('lock-nest', diff(seq(id(l.LKW), poloc, id(l.LKR)), throughUnlock));
  // empty ([LKW] ; po-loc ; [RU]) \ (po-loc ; [UL] ; po-loc) as nested-is-locked
  empty('nested-is-locked', diff(seq(id(l.LKW), poloc, id(l.RU)), throughUnlock));
  // flag ~empty [FW] ; loc ; [ALL-LOCKS] as lock-final
  flag('lock-final', !seq(id(x.FW), x.loc, id(l.allLocks)).isEmpty());
  // flag ~empty UL \ range(critical) as unmatched-unlock
  flag('unmatched-unlock', !diff(l.UL, range(l.critical)).isEmpty());
  // empty ([UNMATCHED-LKW] ; loc ; [UNMATCHED-LKW]) \ id as unmatched-locks
  const pairs = seq(id(l.unmatchedLkw), x.loc, id(l.unmatchedLkw));
  empty(
    'unmatched-locks',
    diff(
      pairs,
      relOf(x.n, (i, j) => i === j),
    ),
  );

  // let R = R | LKR | LF | RU ; let W = W | LKW ; ... let W = W | UL ; let M = R | W
  const R = union(x.R, l.LKR, l.LF, l.RU);
  const W = union(x.W, l.LKW, l.UL);
  // cos-opt.cat's `acyclic cobase as ConsCo` holds: candidates.ts generates only orders that
  // extend co0, and coherence, checked next, implies the rest of cobase (obsco).
  return {
    ...l,
    R,
    W,
    M: union(R, W),
    // let Release = Release | UL ; let Acquire = Acquire | LKR
    Release: union(b.Release, l.UL),
    Acquire: union(b.Acquire, l.LKR),
    // let rmw = rmw | lk-rmw
    rmw: union(x.rmw, l.lkRmw),
    rf: x.rf,
    co: x.co,
    // let fr = rf^-1 ; co
    fr: seq(inv(x.rf), x.co),
    axioms,
    flags,
  };
}
