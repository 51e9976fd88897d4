/**
 * Mainline with the cheaper try-get discussed in the wider thread: skip the initial read
 * and start the CAS loop assuming the page holds exactly one reference (the common case of
 * a cached page held only by the page cache). A wrong guess costs one failed CAS, which
 * returns the real value to continue from.
 *
 * No kernel source: it was discussed, not posted. It is atomic_add_unless()'s generic
 * fallback (classic.ts) without the atomic_read(), so it keeps that fallback's
 * atomic_try_cmpxchg() and its ordering: fully ordered on success, relaxed on failure.
 *
 * @module
 */

import type { Cells } from '../cells/cells.js';
import type { Strategy } from './strategy.js';
import { classic } from './classic.js';

function tryAdd(c: Cells, p: number, nr: number): boolean {
  let old = 1;
  do {
    const seen = c.cas(p, old, (old + nr) | 0, 'mb'); // atomic_try_cmpxchg()
    if (seen === old) return true; // the linearization point
    old = seen;
  } while (old !== 0);
  return false;
}

/** `classic-optimistic`: mainline, with a CAS loop that starts assuming a count of 1. */
export const classicOptimistic: Strategy = {
  ...classic,
  name: 'classic-optimistic',
  tryAdd,
  tryGet: (c, p) => tryAdd(c, p, 1),
};
