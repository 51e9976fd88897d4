import type { Cells } from '../cells/cells.js';

/** The names of the built-in strategies. */
export type StrategyName =
  'classic' | 'classic-optimistic' | 'frozen-bit' | 'rfc-v1' | 'v2-inverted';

/**
 * A refcount strategy: the page_ref API written once against {@link Cells}.
 *
 * Every function takes the cells and a page index `p` (the cell that holds that page's
 * counter). Inputs are already validated by `PageRefs`; a strategy only does the atomics.
 * Kernel names are given on each member; `true` from a `*AndTest` means "you free it".
 *
 * A user's strategy for `pageref check --strategy-file` implements this interface too
 * (see docs/strategy-interface.md).
 */
export interface Strategy {
  /** The name shown in verdicts and stored (for built-ins) in the buffer header. */
  readonly name: string;
  /**
   * `__page_count_is_frozen(count)`: the predicate the debug checks apply to a raw value.
   * It is separate from {@link isFrozen} because it is what v2 got wrong (seed 004).
   */
  isFrozenCount(raw: number): boolean;
  /** `page_ref_count`: the count; 0 for a frozen page. */
  count(c: Cells, p: number): number;
  /** `set_page_count`. */
  set(c: Cells, p: number, v: number): void;
  /** `init_page_count`: the allocator hands out the page with one reference. */
  init(c: Cells, p: number): void;
  /** `set_page_count_frozen`: the allocator marks the page free. */
  setFrozen(c: Cells, p: number): void;
  /** `page_ref_add`. */
  add(c: Cells, p: number, nr: number): void;
  /** `page_ref_sub`. */
  sub(c: Cells, p: number, nr: number): void;
  /** `page_ref_inc`. */
  inc(c: Cells, p: number): void;
  /** `page_ref_dec`. */
  dec(c: Cells, p: number): void;
  /** `page_ref_inc_return`: @returns the new raw value. */
  incReturn(c: Cells, p: number): number;
  /** `page_ref_dec_return`: @returns the new raw value. */
  decReturn(c: Cells, p: number): number;
  /** `folio_ref_sub_return`: @returns the new raw value. */
  subReturn(c: Cells, p: number, nr: number): number;
  /** `page_ref_sub_and_test`: @returns true if the caller must free the page. */
  subAndTest(c: Cells, p: number, nr: number): boolean;
  /** `page_ref_dec_and_test`: @returns true if the caller must free the page. */
  decAndTest(c: Cells, p: number): boolean;
  /** `page_ref_add_unless_frozen`: @returns true if `nr` references were taken. */
  tryAdd(c: Cells, p: number, nr: number): boolean;
  /** `folio_try_get`: @returns true if a reference was taken. */
  tryGet(c: Cells, p: number): boolean;
  /** `page_ref_freeze`: @returns true if the count was `count` and is now frozen. */
  freeze(c: Cells, p: number, count: number): boolean;
  /** `page_ref_unfreeze`: a frozen page goes live with `count` references. */
  unfreeze(c: Cells, p: number, count: number): void;
  /** `__page_is_frozen`: is the page frozen (free, or frozen by freeze)? */
  isFrozen(c: Cells, p: number): boolean;
}
