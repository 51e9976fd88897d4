/**
 * The page_ref.h functions every strategy shares, unchanged by the series.
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
    c.store(p, v); // publish: the new count is visible to every tryGet from here on
  },
  // init_page_count()
  init(c: Cells, p: number): void {
    c.store(p, 1); // publish: the page is live, owned by the allocating caller
  },
  // page_ref_add()
  add(c: Cells, p: number, nr: number): void {
    c.add(p, nr);
  },
  // page_ref_sub()
  sub(c: Cells, p: number, nr: number): void {
    c.sub(p, nr);
  },
  // page_ref_inc()
  inc(c: Cells, p: number): void {
    c.add(p, 1);
  },
  // page_ref_dec()
  dec(c: Cells, p: number): void {
    c.sub(p, 1);
  },
  // page_ref_inc_return()
  incReturn(c: Cells, p: number): number {
    return (c.add(p, 1) + 1) | 0;
  },
  // page_ref_dec_return()
  decReturn(c: Cells, p: number): number {
    return (c.sub(p, 1) - 1) | 0;
  },
  // folio_ref_sub_return()
  subReturn(c: Cells, p: number, nr: number): number {
    return (c.sub(p, nr) - nr) | 0;
  },
  // page_ref_unfreeze(): a plain store; a failed tryGet's increment is overwritten, which
  // is right, because that getter was refused.
  unfreeze(c: Cells, p: number, count: number): void {
    c.store(p, count);
  },
};
