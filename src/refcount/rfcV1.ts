/**
 * BROKEN ON PURPOSE: the December 2025 RFC (seed 000), kept for the checker and the tests.
 *
 * Two differences from `frozen-bit`, each a bug the thread found:
 * - a failed get undoes its increment with one cmpxchg and gives up if that fails, so
 *   getters that retry leapfrog each other's undo and the frozen counter drifts up until it
 *   wraps to a live value (no overflow guard);
 * - the allocator still marks free pages with `set_page_count(p, 0)`, a permanent zero that
 *   a fetch_add get takes as live (David Hildenbrand, seed 001).
 *
 * Its sub_and_test, dec_and_test, freeze and count make v4's kernel calls with v4's
 * orderings (compare the two patches), so they are `frozen-bit`'s.
 *
 * @module
 */

import type { Cells } from '../cells/cells.js';
import type { Strategy } from './strategy.js';
import { FROZEN_BIT } from './layout.js';
import { frozenBit } from './frozenBit.js';

// page_ref_add_unless_zero(), as the RFC wrote it. Not ported, from the RFC's base: the
// rcu_read_lock()/rcu_read_unlock() around it (LKMM fences that order only against a
// synchronize_rcu(), which no scenario makes), and page_count_writable()'s
// atomic_read_acquire(), made only with the hugetlb_optimize_vmemmap static key on. Both
// were gone from mainline by v4's base.
function tryAdd(c: Cells, p: number, nr: number): boolean {
  const val = (c.add(p, nr, 'mb') + nr) | 0; // atomic_add_return()
  const ok = (val & FROZEN_BIT) === 0;
  // one shot: lost if another getter moved the counter
  if (!ok) c.cas(p, val, FROZEN_BIT, 'relaxed'); // atomic_cmpxchg_relaxed()
  return ok;
}

/** `rfc-v1`: BROKEN ON PURPOSE, the December 2025 RFC (seed 000); see the module comment. */
export const rfcV1: Strategy = {
  ...frozenBit,
  name: 'rfc-v1',
  // set_page_count(p, 0): the permanent zero of seed 001
  setFrozen: (c, p) => c.store(p, 0, 'once'), // atomic_set()
  tryAdd,
  tryGet: (c, p) => tryAdd(c, p, 1),
};
