/**
 * Mainline page_ref.h at the series' base (the context lines of seed 002's patches): 0 means
 * frozen (free, or frozen by page_ref_freeze), so a speculative get must never move 0 to 1:
 * `atomic_add_unless(&page->_refcount, nr, 0)`. Every access names its kernel call and
 * carries that call's ordering (kernelAtomics.ts); the rest is mainline.ts.
 *
 * @module
 */

import type { Cells } from '../cells/cells.js';
import type { Strategy } from './strategy.js';
import { mainline } from './mainline.js';

// page_ref_add_unless_zero(): atomic_add_unless(v, nr, 0), as its generic fallback
// (raw_atomic_fetch_add_unless() in atomic-arch-fallback.h) writes it: a read, then a
// try_cmpxchg until it succeeds or reads 0. Fully ordered on success only: the read, a
// failed try and a refusal are relaxed, as the kernel documents for the failed case.
function tryAdd(c: Cells, p: number, nr: number): boolean {
  let old = c.load(p, 'once'); // atomic_read()
  while (old !== 0) {
    const seen = c.cas(p, old, (old + nr) | 0, 'mb'); // atomic_try_cmpxchg()
    if (seen === old) return true; // the linearization point
    old = seen;
  }
  return false;
}

/** `classic`: mainline page_ref.h, 0 means frozen; try-get is a read-then-CAS loop. */
export const classic: Strategy = {
  name: 'classic',
  ...mainline,
  // __page_count_is_frozen(), patch 1/2 before patch 2/2
  isFrozenCount: (raw) => raw === 0,
  // page_ref_count()
  count: (c, p) => c.load(p, 'once'), // atomic_read()
  // set_page_count_frozen(): the allocator's free pages sit at 0
  setFrozen: (c, p) => c.store(p, 0, 'once'), // atomic_set(), in set_page_count()
  // page_ref_sub_and_test(): the thread that reaches 0 frees; nobody can revive a 0
  subAndTest: (c, p, nr) => c.sub(p, nr, 'mb') === nr, // atomic_sub_and_test()
  // page_ref_dec_and_test()
  decAndTest: (c, p) => c.sub(p, 1, 'mb') === 1, // atomic_dec_and_test()
  tryAdd,
  tryGet: (c, p) => tryAdd(c, p, 1),
  // page_ref_freeze(): cmpxchg(count -> 0)
  freeze: (c, p, count) => c.cas(p, count, 0, 'mb') === count, // atomic_cmpxchg()
  // __page_is_frozen(), patch 1/2 before patch 2/2
  isFrozen: (c, p) => c.load(p, 'once') === 0, // atomic_read()
};
