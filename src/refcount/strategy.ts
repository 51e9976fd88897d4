/**
 * The strategy interface: the page_ref API over `Cells`, and the built-in names.
 *
 * @module
 */

import type { OverCells, PageRefApi } from './pageRefApi.js';

/** The names of the built-in strategies. */
export type StrategyName =
  'classic' | 'classic-optimistic' | 'frozen-bit' | 'rfc-v1' | 'v2-inverted';

/**
 * A refcount strategy: the page_ref API ({@link PageRefApi}) written once against
 * `Cells`.
 *
 * Every function takes the cells and a page index `p` (the cell that holds that page's
 * counter), then the arguments of the same function of {@link PageRefApi}. Inputs are
 * already validated by `PageRefs`; a strategy only does the atomics.
 *
 * A user's strategy for `pageref check --strategy-file` implements this interface too
 * (see docs/strategy-interface.md).
 */
export interface Strategy extends OverCells<PageRefApi> {
  /** The name shown in verdicts and stored (for built-ins) in the buffer header. */
  readonly name: string;
  /**
   * `__page_count_is_frozen(count)`: the predicate the debug checks apply to a raw value.
   * It is separate from `isFrozen` because it is what v2 got wrong (seed 004).
   */
  isFrozenCount(raw: number): boolean;
  /**
   * The same strategy with its own debug checks built in (a strategy compiled from C runs
   * the header's VM_BUG_ONs where the header puts them). When present, debug mode runs this
   * instead of wrapping the strategy in the ports' checks (debugChecks.ts).
   */
  readonly checked?: Strategy;
}
