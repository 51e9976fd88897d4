/**
 * `v2-inverted`: v2 of the series (seed 004), broken on purpose.
 *
 * @module
 */

import type { Strategy } from './strategy.js';
import { FROZEN_BIT } from './layout.js';
import { frozenBit } from './frozenBit.js';

/**
 * BROKEN ON PURPOSE: v2 of the series (seed 004), kept for the checker and the tests.
 *
 * `frozen-bit`, except in two places where v2 as written differs from v4:
 * - the debug helper `__page_count_is_frozen` was inverted in a rebase, so with debug checks
 *   on, every inc/dec/add/sub of a live page fires (syzbot: "kernel BUG in
 *   get_page_bootmem");
 * - v2's patch 2/2 never changes `set_page_count_as_frozen()` from patch 1/2's
 *   `set_page_count(page, 0)` (v4's patch 2/2 makes it `set_page_count(page,
 *   PAGEREF_FROZEN_BIT)`), so v2's allocator leaves a free page at a plain 0, which its
 *   fetch_add get takes as live: the RFC's bug that seed 001 reported, back in v2. The first
 *   port said "every access is frozen-bit's"; running v2's own page_ref.h (kernel/, compiled
 *   by src/kernel/) through the catalog found the difference (docs/kernel-header.md).
 * Its gets, puts and freezes make v4's kernel calls with v4's orderings.
 */
export const v2Inverted: Strategy = {
  ...frozenBit,
  name: 'v2-inverted',
  isFrozenCount: (raw) => raw > 0 && !((raw & FROZEN_BIT) !== 0),
  // set_page_count_as_frozen(): set_page_count(page, 0), as patch 1/2 left it
  setFrozen: (c, p) => c.store(p, 0, 'once'), // atomic_set(), in set_page_count()
};
