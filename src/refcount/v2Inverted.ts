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
 * `frozen-bit`, except that the debug helper `__page_count_is_frozen` was inverted in a
 * rebase, so with debug checks on, every inc/dec/add/sub of a live page fires (syzbot:
 * "kernel BUG in get_page_bootmem"). The refcount itself is correct: v2's patch 2/2 makes
 * v4's kernel calls with v4's orderings, so every access is `frozen-bit`'s.
 */
export const v2Inverted: Strategy = {
  ...frozenBit,
  name: 'v2-inverted',
  isFrozenCount: (raw) => raw > 0 && !((raw & FROZEN_BIT) !== 0),
};
