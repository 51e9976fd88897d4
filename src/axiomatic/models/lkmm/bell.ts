/**
 * linux-kernel.bell, line for line: the annotation filters, RCU and SRCU read-side critical
 * section matching, Marked/Plain, and dependencies carried through plain accesses.
 *
 * Everything here sees herd7's relations as they are before lock.cat: the ordinary reads and
 * writes, and the reads-from of ordinary reads (`rfNative`).
 */

import type { Execution } from '../../execution.js';
import {
  complement,
  diff,
  domain,
  equals,
  fixpoint,
  id,
  inter,
  inv,
  range,
  relOf,
  seq,
  star,
  union,
  type EventSet,
  type Relation,
} from '../../relation.js';

export interface Bell {
  FailedRMW: EventSet;
  Acquire: EventSet;
  Release: EventSet;
  Mb: EventSet;
  Noreturn: EventSet;
  SrcuLock: EventSet;
  SrcuUnlock: EventSet;
  SyncSrcu: EventSet;
  RcuLock: EventSet;
  RcuUnlock: EventSet;
  SyncRcu: EventSet;
  rcuRscs: Relation;
  srcuRscs: Relation;
  Marked: EventSet;
  Plain: EventSet;
  /** The dependencies, redefined through carry-dep. */
  addr: Relation;
  ctrl: Relation;
  data: Relation;
  /** The bell's flags that fired, in file order. */
  flags: string[];
}

export function bell(x: Execution): Bell {
  const t = (tag: string) => x.tagged(tag);
  const M = union(x.R, x.W);
  const RMW = t('RMW');
  const rfi = inter(x.rfNative, x.int);

  // let FailedRMW = RMW \ (domain(rmw) | range(rmw))
  const FailedRMW = diff(RMW, union(domain(x.rmw), range(x.rmw)));
  // let Acquire = ACQUIRE \ W \ FailedRMW
  const Acquire = diff(t('ACQUIRE'), x.W, FailedRMW);
  // let Release = RELEASE \ R \ FailedRMW
  const Release = diff(t('RELEASE'), x.R, FailedRMW);
  // let Mb = MB \ FailedRMW
  const Mb = diff(t('MB'), FailedRMW);
  // let Noreturn = NORETURN \ W
  const Noreturn = diff(t('NORETURN'), x.W);

  const [SrcuLock, SrcuUnlock, SyncSrcu] = [t('srcu-lock'), t('srcu-unlock'), t('sync-srcu')];
  const [RcuLock, RcuUnlock, SyncRcu] = [t('rcu-lock'), t('rcu-unlock'), t('sync-rcu')];

  // let rcu-rscs = let rec ... in matched
  const rcuRscs = fixpoint(x.n, (matched) => {
    // unmatched-locks = Rcu-lock \ domain(matched)
    const unmatchedLocks = diff(RcuLock, domain(matched));
    // unmatched-unlocks = Rcu-unlock \ range(matched)
    const unmatchedUnlocks = diff(RcuUnlock, range(matched));
    // unmatched = unmatched-locks | unmatched-unlocks
    const unmatched = union(unmatchedLocks, unmatchedUnlocks);
    // unmatched-po = [unmatched] ; po ; [unmatched]
    const unmatchedPo = seq(id(unmatched), x.po, id(unmatched));
    // unmatched-locks-to-unlocks = [unmatched-locks] ; po ; [unmatched-unlocks]
    const locksToUnlocks = seq(id(unmatchedLocks), x.po, id(unmatchedUnlocks));
    // matched = matched | (unmatched-locks-to-unlocks \ (unmatched-po ; unmatched-po))
    return union(matched, diff(locksToUnlocks, seq(unmatchedPo, unmatchedPo)));
  });

  // let carry-srcu-data = (data ; [~ Srcu-unlock] ; rf)*
  const carrySrcuData = star(seq(x.data, id(complement(SrcuUnlock)), x.rfNative));
  // let srcu-rscs = ([Srcu-lock] ; carry-srcu-data ; data ; [Srcu-unlock]) & loc
  const srcuRscs = inter(seq(id(SrcuLock), carrySrcuData, x.data, id(SrcuUnlock)), x.loc);

  const flags: string[] = [];
  const flag = (name: string, nonEmpty: boolean) => nonEmpty && flags.push(name);
  // flag ~empty Rcu-lock \ domain(rcu-rscs) as unmatched-rcu-lock
  flag('unmatched-rcu-lock', !diff(RcuLock, domain(rcuRscs)).isEmpty());
  // flag ~empty Rcu-unlock \ range(rcu-rscs) as unmatched-rcu-unlock
  flag('unmatched-rcu-unlock', !diff(RcuUnlock, range(rcuRscs)).isEmpty());
  // flag ~empty Srcu-lock \ domain(srcu-rscs) as unmatched-srcu-lock
  flag('unmatched-srcu-lock', !diff(SrcuLock, domain(srcuRscs)).isEmpty());
  // flag ~empty Srcu-unlock \ range(srcu-rscs) as unmatched-srcu-unlock
  flag('unmatched-srcu-unlock', !diff(SrcuUnlock, range(srcuRscs)).isEmpty());
  // flag ~empty (srcu-rscs^-1 ; srcu-rscs) \ id as multiple-srcu-matches
  const twice = seq(inv(srcuRscs), srcuRscs);
  flag(
    'multiple-srcu-matches',
    !equals(
      twice,
      inter(
        twice,
        relOf(x.n, (i, j) => i === j),
      ),
    ),
  );
  // flag ~empty rcu-rscs & (po ; [Sync-srcu] ; po) as invalid-sleep
  flag('invalid-sleep', !inter(rcuRscs, seq(x.po, id(SyncSrcu), x.po)).isEmpty());
  // flag ~empty different-values(srcu-rscs) as srcu-bad-value-match
  const differentValues = relOf(
    x.n,
    (i, j) => srcuRscs.has(i, j) && x.events[i]!.value !== x.events[j]!.value,
  );
  flag('srcu-bad-value-match', !differentValues.isEmpty());

  // let Marked = (~M) | IW | ONCE | RELEASE | ACQUIRE | MB | RMW |
  //         LKR | LKW | UL | LF | RL | RU | Srcu-lock | Srcu-unlock
  const Marked = union(
    complement(M),
    x.IW,
    ...['ONCE', 'RELEASE', 'ACQUIRE', 'MB', 'RMW', 'LKR', 'LKW', 'UL', 'LF', 'RL', 'RU'].map(t),
    SrcuLock,
    SrcuUnlock,
  );
  // let Plain = M \ Marked
  const Plain = diff(M, Marked);

  // let carry-dep = (data ; [~ Srcu-unlock] ; rfi)*
  const carryDep = star(seq(x.data, id(complement(SrcuUnlock)), rfi));
  return {
    FailedRMW,
    Acquire,
    Release,
    Mb,
    Noreturn,
    SrcuLock,
    SrcuUnlock,
    SyncSrcu,
    RcuLock,
    RcuUnlock,
    SyncRcu,
    rcuRscs,
    srcuRscs,
    Marked,
    Plain,
    // let addr = carry-dep ; addr, and likewise ctrl and data
    addr: seq(carryDep, x.addr),
    ctrl: seq(carryDep, x.ctrl),
    data: seq(carryDep, x.data),
    flags,
  };
}
