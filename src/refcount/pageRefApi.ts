/**
 * The page_ref API, declared once.
 *
 * {@link PageRefApi} lists the kernel's page_ref functions as `PageRefs` exposes them, on a
 * page index `p`. A strategy implements the same functions with the cells as a first argument
 * ({@link OverCells}), and `PageRefs` binds a strategy to its cells with closures typed
 * against this interface, so the compiler checks that the three agree.
 *
 * @module
 */

import type { Cells } from '../cells/cells.js';

/**
 * The page_ref API on a page index `p`: kernel name → method. `true` from a `*AndTest` means
 * "you dropped the last reference: you free the page".
 */
export interface PageRefApi {
  /** `page_ref_count`: the number of references; 0 for a frozen page. */
  count(p: number): number;
  /** `set_page_count`: set a live count (1 … INT_MAX); use setFrozen() to mark a page free. */
  set(p: number, v: number): void;
  /** `init_page_count`: the allocator hands the page out with one reference. */
  init(p: number): void;
  /** `set_page_count_frozen`: the allocator marks the page free. */
  setFrozen(p: number): void;
  /** `page_ref_add`: the caller holds a reference and takes `nr` more. */
  add(p: number, nr: number): void;
  /** `page_ref_sub`: drop `nr` references, never the last (use subAndTest for that). */
  sub(p: number, nr: number): void;
  /** `page_ref_inc`: the caller holds a reference and takes one more. */
  inc(p: number): void;
  /** `page_ref_dec`: drop one reference, never the last (use decAndTest for that). */
  dec(p: number): void;
  /** `page_ref_inc_return`: @returns the new raw value. */
  incReturn(p: number): number;
  /** `page_ref_dec_return`: @returns the new raw value. */
  decReturn(p: number): number;
  /** `folio_ref_sub_return`: @returns the new raw value. */
  subReturn(p: number, nr: number): number;
  /**
   * `page_ref_sub_and_test`: drop `nr` references.
   * @returns true if the caller dropped the last one and must free the page (choosing the
   *   destructor from the page's own data, never from what it believed the page was).
   */
  subAndTest(p: number, nr: number): boolean;
  /**
   * `page_ref_dec_and_test` (folio_put_testzero): drop one reference.
   * @returns true if the caller must free the page. After false, the caller must not touch
   *   the page unless it holds another reference.
   */
  decAndTest(p: number): boolean;
  /**
   * `page_ref_add_unless_frozen`: take `nr` references unless the page is frozen. Safe to
   * call on a page the caller holds no reference to (a speculative get).
   * @returns true if the references were taken; then re-check that the page is the one
   *   you wanted (it may have been freed and reused before the get).
   */
  tryAdd(p: number, nr: number): boolean;
  /** `folio_try_get`: tryAdd(p, 1). */
  tryGet(p: number): boolean;
  /**
   * `page_ref_freeze`: if the page holds exactly `count` references, freeze it, so that
   * every tryGet fails until unfreeze().
   * @returns true if frozen.
   */
  freeze(p: number, count: number): boolean;
  /** `page_ref_unfreeze`: the frozen page goes live with `count` references. */
  unfreeze(p: number, count: number): void;
  /** `__page_is_frozen`: whether the page is frozen (free, or frozen by freeze()). */
  isFrozen(p: number): boolean;
}

/** The names of the page_ref API's functions, in the order of {@link PageRefApi}. */
export const PAGE_REF_FUNCTIONS = [
  'count',
  'set',
  'init',
  'setFrozen',
  'add',
  'sub',
  'inc',
  'dec',
  'incReturn',
  'decReturn',
  'subReturn',
  'subAndTest',
  'decAndTest',
  'tryAdd',
  'tryGet',
  'freeze',
  'unfreeze',
  'isFrozen',
] as const satisfies readonly (keyof PageRefApi)[];

// Compile-time check that the list above names every function of the API.
type Missing = Exclude<keyof PageRefApi, (typeof PAGE_REF_FUNCTIONS)[number]>;
const _everyFunctionListed: [Missing] extends [never] ? true : Missing = true;
void _everyFunctionListed;

/**
 * An API as a strategy implements it: each function of `T` takes the {@link Cells} first,
 * then the same arguments, and returns the same type.
 */
export type OverCells<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (c: Cells, ...args: A) => R : never;
};
