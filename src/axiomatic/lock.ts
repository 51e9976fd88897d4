/**
 * lock.cat's relations that depend only on the event structure: which lock read pairs with
 * which lock write, which unlock closes which critical section, and where each failed trylock
 * (LF) or spin_is_locked (RL, RU) may read from. candidates.ts builds rf and co of the lock
 * events from these; models/lkmm/lockCat.ts checks lock.cat's axioms and flags with them.
 *
 * Each definition carries its lock.cat line.
 */

import { poLoc, type Structure } from './execution.js';
import {
  cross,
  diff,
  domain,
  id,
  inter,
  range,
  seq,
  setOf,
  union,
  type EventSet,
  type Relation,
} from './relation.js';

export interface LockStructure {
  LKR: EventSet;
  LKW: EventSet;
  UL: EventSet;
  /** LF | RL: "Treat RL as a kind of LF: a read with no ordering properties". */
  LF: EventSet;
  RU: EventSet;
  /** Every lock event and SRCU access (ALL-LOCKS). */
  allLocks: EventSet;
  lkRmw: Relation;
  critical: Relation;
  unmatchedLkw: EventSet;
  rfiLf: Relation;
}

/** Keyed by the events array, which every execution of one structure shares. */
const CACHE = new WeakMap<Structure['events'], LockStructure>();

/** lock.cat's structural relations for the execution `s` (computed once per structure). */
export function lockStructure(s: Structure): LockStructure {
  let l = CACHE.get(s.events);
  if (!l) CACHE.set(s.events, (l = computeLockStructure(s)));
  return l;
}

function computeLockStructure(s: Structure): LockStructure {
  const t = (tag: string) => s.tagged(tag);
  const poloc = poLoc(s);
  const [LKR, LKW, UL, RU] = [t('LKR'), t('LKW'), t('UL'), t('RU')];
  // let LF = LF | RL
  const LF = union(t('LF'), t('RL'));
  // let ALL-LOCKS = LKR | LKW | UL | LF | RU | Srcu-lock | Srcu-unlock | Sync-srcu
  const allLocks = union(LKR, LKW, UL, LF, RU, t('srcu-lock'), t('srcu-unlock'), t('sync-srcu'));
  // let lk-rmw = ([LKR] ; po-loc ; [LKW]) \ (po ; po)
  const lkRmw = diff(seq(id(LKR), poloc, id(LKW)), seq(s.po, s.po));
  // let critical = ([LKW] ; po-loc ; [UL]) \ (po-loc ; [LKW | UL] ; po-loc)
  const critical = diff(seq(id(LKW), poloc, id(UL)), seq(poloc, id(union(LKW, UL)), poloc));
  // let UNMATCHED-LKW = LKW \ domain(critical)
  const unmatchedLkw = diff(LKW, domain(critical));
  // let rfi-lf = ([LKW] ; po-loc ; [LF]) \ ([LKW] ; po-loc ; [UL] ; po-loc)
  const rfiLf = diff(seq(id(LKW), poloc, id(LF)), seq(id(LKW), poloc, id(UL), poloc));
  return { LKR, LKW, UL, LF, RU, allLocks, lkRmw, critical, unmatchedLkw, rfiLf };
}

/**
 * The writes an LF event e outside a critical section may read from, one of which it does:
 * `let possible-rfe-noncrit-lf e = (LKW * {e}) & loc & ext`. Empty for an LF in range(rfi-lf),
 * which reads from its own critical section's LKW instead.
 */
export function possibleRfLf(s: Structure, l: LockStructure, e: number): number[] {
  if (range(l.rfiLf).has(e)) return [];
  return l.LKW.members().filter((w) => s.loc.has(w, e) && s.ext.has(w, e));
}

/**
 * The writes an RU event e may read from, one of which it does: the last po-previous UL, or
 * an external UL or IW.
 * ```
 * let possible-rf-ru e = (((UL * {e}) & po-loc) \ ([UL] ; po-loc ; [UL] ; po-loc)) |
 *                        (((UL | IW) * {e}) & loc & ext)
 * ```
 */
export function possibleRfRu(s: Structure, l: LockStructure, e: number): number[] {
  const poloc = poLoc(s);
  const only = setOf(s.n, (j) => j === e);
  const internal = diff(inter(cross(l.UL, only), poloc), seq(id(l.UL), poloc, id(l.UL), poloc));
  const external = inter(cross(union(l.UL, s.IW), only), s.loc, s.ext);
  return domain(union(internal, external)).members();
}
