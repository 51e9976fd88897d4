/**
 * Mainline page_ref.h: 0 means frozen (free, or frozen by page_ref_freeze), so a
 * speculative get must never move 0 to 1, and is a read-then-CAS loop:
 * `atomic_add_unless(&page->_refcount, nr, 0)`.
 *
 * @module
 */

import type { Cells } from '../cells/cells.js';
import type { Strategy } from './strategy.js';
import { mainline } from './mainline.js';

function tryAdd(c: Cells, p: number, nr: number): boolean {
  let old = c.load(p);
  while (old !== 0) {
    const seen = c.cas(p, old, (old + nr) | 0); // linearization point when seen === old
    if (seen === old) return true;
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
  count: (c, p) => c.load(p),
  // set_page_count_frozen(): the allocator's free pages sit at 0
  setFrozen: (c, p) => c.store(p, 0),
  // atomic_sub_and_test(): the thread that reaches 0 frees; nobody can revive a 0
  subAndTest: (c, p, nr) => c.sub(p, nr) === nr,
  decAndTest: (c, p) => c.sub(p, 1) === 1,
  tryAdd,
  tryGet: (c, p) => tryAdd(c, p, 1),
  // page_ref_freeze(): cmpxchg(count -> 0)
  freeze: (c, p, count) => c.cas(p, count, 0) === count,
  isFrozen: (c, p) => c.load(p) === 0,
};
