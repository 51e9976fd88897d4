/**
 * The 32-bit page reference counter, as in the 2026 series' `page-flags.h` hunk.
 *
 * With the frozen bit (strategies `frozen-bit`, `rfc-v1`, `v2-inverted`):
 *
 *   state                    | value (Int32)            | unsigned
 *   -------------------------+--------------------------+-------------------------
 *   live, with owners        | 1 … INT_MAX              | 0x00000001 … 0x7fffffff
 *   live, no owners          | 0 (only inside decAndTest, between its sub and its cmpxchg)
 *   frozen                   | INT_MIN … -1             | 0x80000000 … 0xffffffff
 *
 *   0x00000000        0x7fffffff 0x80000000   0xc0000000        0xffffffff
 *   |-- live ------------------|-- frozen ------|-- frozen, past ------|
 *   ^ transitional zero        ^ FROZEN_BIT      ^ FROZEN_LIMIT: a failed tryGet that
 *                                                  lands here resets the counter to
 *                                                  FROZEN_BIT (the overflow guard)
 *
 * A failed speculative get leaves its increment in a frozen counter; the count bits of a
 * frozen counter are therefore noise, never a count.
 *
 * Mainline (`classic`, `classic-optimistic`): 0 means frozen (free, or frozen by
 * page_ref_freeze), 1 … INT_MAX live. There is no transitional zero.
 *
 * @module
 */

/** `PAGEREF_FROZEN_BIT`: bit 31, which as an Int32 is INT_MIN. */
export const FROZEN_BIT = 1 << 31;

/** `_PAGEREF_FROZEN_LIMIT`, as an unsigned number: `(1 << 30) | FROZEN_BIT`. */
export const FROZEN_LIMIT = (((1 << 30) | FROZEN_BIT) >>> 0) as number;

/** The largest count a live page may hold: INT_MAX. */
export const MAX_COUNT = 0x7fffffff;
