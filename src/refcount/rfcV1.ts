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
 * @module
 */

import type { Cells } from '../cells/cells.js';
import type { Strategy } from './strategy.js';
import { FROZEN_BIT } from './layout.js';
import { frozenBit } from './frozenBit.js';

function tryAdd(c: Cells, p: number, nr: number): boolean {
  const val = (c.add(p, nr) + nr) | 0;
  const ok = (val & FROZEN_BIT) === 0;
  if (!ok) c.cas(p, val, FROZEN_BIT); // one shot: lost if another getter moved the counter
  return ok;
}

/** `rfc-v1`: BROKEN ON PURPOSE, the December 2025 RFC (seed 000); see the module comment. */
export const rfcV1: Strategy = {
  ...frozenBit,
  name: 'rfc-v1',
  setFrozen: (c, p) => c.store(p, 0),
  tryAdd,
  tryGet: (c, p) => tryAdd(c, p, 1),
};
