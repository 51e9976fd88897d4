/**
 * The v4 design (seed 002, patch 2/2): frozen is bit 31, so a speculative get is one
 * fetch_add. See layout.ts for the state table. Every access names its kernel call and
 * carries that call's ordering (kernelAtomics.ts); the rest is mainline's (mainline.ts).
 *
 * @module
 */

import type { Cells } from '../cells/cells.js';
import type { Strategy } from './strategy.js';
import { FROZEN_BIT, FROZEN_LIMIT } from './layout.js';
import { mainline } from './mainline.js';

// page_ref_add_unless_frozen()
function tryAdd(c: Cells, p: number, nr: number): boolean {
  let val = (c.add(p, nr, 'mb') + nr) | 0; // atomic_add_return(): the linearization point
  const ok = (val & FROZEN_BIT) === 0;
  // Undo atomic_add() if counter is locked and scary big: failed gets leave their
  // increments in a frozen counter; reset it before the drift can wrap to a live value.
  while (val >>> 0 >= FROZEN_LIMIT) {
    val = c.cas(p, val, FROZEN_BIT, 'relaxed'); // atomic_cmpxchg_relaxed()
  }
  return ok;
}

// page_ref_sub_and_test(), page_ref_dec_and_test(): reaching 0 is not enough. A tryGet may
// revive the transitional zero (0 -> 1) until our cmpxchg freezes it; only the thread whose
// cmpxchg wins frees.
function subAndTest(c: Cells, p: number, nr: number): boolean {
  if (c.sub(p, nr, 'mb') !== nr) return false; // atomic_sub_and_test()
  // the linearization point of a free
  return c.cas(p, 0, FROZEN_BIT, 'relaxed') === 0; // atomic_cmpxchg_relaxed()
}

/** `frozen-bit`: the v4 design, overflow guard included; the default strategy. */
export const frozenBit: Strategy = {
  name: 'frozen-bit',
  ...mainline,
  isFrozenCount: (raw) => (raw & FROZEN_BIT) !== 0,
  // page_ref_count(): the count bits of a frozen counter are failed gets, not owners
  count: (c, p) => {
    const v = c.load(p, 'once'); // atomic_read()
    return v & FROZEN_BIT ? 0 : v;
  },
  // set_page_count_frozen(): free pages carry the bit until the next init_page_count()
  setFrozen: (c, p) => c.store(p, FROZEN_BIT, 'once'), // atomic_set(), in set_page_count()
  subAndTest,
  // atomic_dec_and_test() is atomic_sub_and_test() of 1: the same call, fully ordered
  decAndTest: (c, p) => subAndTest(c, p, 1),
  tryAdd,
  tryGet: (c, p) => tryAdd(c, p, 1),
  // page_ref_freeze(): cmpxchg(count -> FROZEN_BIT)
  freeze: (c, p, count) => c.cas(p, count, FROZEN_BIT, 'mb') === count, // atomic_cmpxchg()
  // __page_is_frozen()
  isFrozen: (c, p) => (c.load(p, 'once') & FROZEN_BIT) !== 0, // atomic_read()
};
