/**
 * The page_ref.h functions every strategy shares, unchanged by the series: mainline
 * include/linux/page_ref.h at the series' base (the context lines of seed 002's patches).
 * Each line names its kernel call; the ordering argument is that call's (kernelAtomics.ts).
 *
 * @module
 */

import type { Cells } from '../cells/cells.js';

/**
 * The page_ref.h functions that the series leaves as they are in mainline: every strategy
 * shares them. Each is one atomic operation, which is also its linearization point.
 */
export const mainline = {
  // set_page_count()
  set(c: Cells, p: number, v: number): void {
    c.store(p, v, 'once'); // atomic_set()
  },
  // init_page_count()
  init(c: Cells, p: number): void {
    c.store(p, 1, 'once'); // atomic_set(), in set_page_count(): live, the caller's
  },
  // page_ref_add()
  add(c: Cells, p: number, nr: number): void {
    c.add(p, nr, 'noreturn'); // atomic_add()
  },
  // page_ref_sub()
  sub(c: Cells, p: number, nr: number): void {
    c.sub(p, nr, 'noreturn'); // atomic_sub()
  },
  // page_ref_inc()
  inc(c: Cells, p: number): void {
    c.add(p, 1, 'noreturn'); // atomic_inc()
  },
  // page_ref_dec()
  dec(c: Cells, p: number): void {
    c.sub(p, 1, 'noreturn'); // atomic_dec()
  },
  // page_ref_inc_return()
  incReturn(c: Cells, p: number): number {
    return (c.add(p, 1, 'mb') + 1) | 0; // atomic_inc_return()
  },
  // page_ref_dec_return()
  decReturn(c: Cells, p: number): number {
    return (c.sub(p, 1, 'mb') - 1) | 0; // atomic_dec_return()
  },
  // folio_ref_sub_return()
  subReturn(c: Cells, p: number, nr: number): number {
    return (c.sub(p, nr, 'mb') - nr) | 0; // atomic_sub_return()
  },
  // page_ref_unfreeze(): a store; a failed tryGet's increment is overwritten, which is
  // right, because that getter was refused.
  unfreeze(c: Cells, p: number, count: number): void {
    c.store(p, count, 'release'); // atomic_set_release(): the freezer's writes come first
  },
};
