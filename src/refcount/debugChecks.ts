/**
 * The debug checks: the kernel's (seed 002 patch 1/2, page_ref_unfreeze) and the library's
 * guards, as a wrapper around a strategy; `PageRefDebugError`.
 *
 * @module
 */

import type { Cells } from '../cells/cells.js';
import type { Strategy } from './strategy.js';
import { MAX_COUNT } from './layout.js';

/** The operations that carry a debug check. */
export type CheckedOperation =
  | 'add'
  | 'sub'
  | 'inc'
  | 'dec'
  | 'incReturn'
  | 'decReturn'
  | 'subReturn'
  | 'subAndTest'
  | 'decAndTest'
  | 'tryAdd'
  | 'unfreeze';

/**
 * A debug check fired: the page_ref API was used on a page in a state that forbids it (the
 * kernel's VM_WARN_ON_ONCE_PAGE). `raw` is the counter as stored when the check read it.
 */
export class PageRefDebugError extends Error {
  override readonly name = 'PageRefDebugError';
  constructor(
    readonly operation: CheckedOperation,
    readonly page: number,
    readonly raw: number,
    why: string,
  ) {
    super(`${operation}(page ${page}): ${why} (raw counter 0x${(raw >>> 0).toString(16)})`);
  }
}

/**
 * Wraps a strategy with debug checks. Each throws PageRefDebugError.
 *
 * These are v4's checks for every strategy: mainline's and the RFC's page_ref.h, as written,
 * check only in page_ref_unfreeze (docs/kernel-header.md); on correct use the extra checks
 * never fire, so the catalog's verdicts are the same.
 *
 * The kernel's checks (seed 002 patch 1/2, and page_ref_unfreeze's): `add`, `sub`, `inc` and
 * `dec` check before the operation that the page is not frozen; the `*Return` forms check the
 * value they replaced (VM_WARN_ON_ONCE(__page_count_is_frozen(ret - delta))), after the
 * change; `unfreeze` checks that the page is frozen. They read the raw counter through the
 * strategy's own `isFrozenCount` (`__page_count_is_frozen`), never `count()`, which reports 0
 * for a frozen page and would hide exactly the misuse they exist to catch.
 *
 * The library's guards (`options.guards`, on by default) catch, before any change, the misuse
 * that would otherwise corrupt a counter for good: the `*Return` forms, `subAndTest` and
 * `decAndTest` on a frozen page (a put of a free page would turn it live), and a `tryAdd` or
 * `tryGet` on a live page whose count plus `nr` would pass INT_MAX (it would wrap into the
 * frozen range); a `tryGet` of a frozen page stays a legal, failing get. The guards test
 * frozenness with the strategy's `isFrozen`.
 *
 * `PageRefs` applies this only when `debug: true`, so with debug off the strategy's
 * functions are called directly and no check costs anything.
 */
export function withDebugChecks(s: Strategy, options: DebugCheckOptions = {}): Strategy {
  const kernel = s.checked ?? kernelChecks(s);
  return options.guards === false ? kernel : withGuards(s, kernel);
}

/** Options for {@link withDebugChecks}. */
export interface DebugCheckOptions {
  /**
   * Also run the guards this library adds to the kernel's checks (the before-checks of the
   * `*Return` forms, `subAndTest`, `decAndTest` and `tryAdd`). Defaults to true. The checker
   * turns them off: each is one more shared access, so one more scheduling point, and the
   * checker explores the kernel's design, whose misuse its world model catches itself.
   */
  guards?: boolean;
}

/** The kernel's checks: seed 002 patch 1/2, and page_ref_unfreeze's. */
function kernelChecks(s: Strategy): Strategy {
  // VM_WARN_ON_ONCE_PAGE(__page_is_frozen(page), page): checked before the operation
  const before = (op: CheckedOperation, c: Cells, p: number): void => {
    const raw = c.load(p, 'once'); // atomic_read(), in __page_is_frozen()
    if (s.isFrozenCount(raw)) throw new PageRefDebugError(op, p, raw, 'page is frozen');
  };
  // VM_WARN_ON_ONCE(__page_count_is_frozen(ret - delta)): checked on the value it replaced
  const after = (op: CheckedOperation, p: number, ret: number, delta: number): number => {
    const old = (ret - delta) | 0;
    if (s.isFrozenCount(old)) throw new PageRefDebugError(op, p, old, 'page was frozen');
    return ret;
  };
  return {
    ...s,
    add: (c, p, nr) => (before('add', c, p), s.add(c, p, nr)),
    sub: (c, p, nr) => (before('sub', c, p), s.sub(c, p, nr)),
    inc: (c, p) => (before('inc', c, p), s.inc(c, p)),
    dec: (c, p) => (before('dec', c, p), s.dec(c, p)),
    incReturn: (c, p) => after('incReturn', p, s.incReturn(c, p), 1),
    decReturn: (c, p) => after('decReturn', p, s.decReturn(c, p), -1),
    subReturn: (c, p, nr) => after('subReturn', p, s.subReturn(c, p, nr), -nr),
    // page_ref_unfreeze()'s own checks, as its C reads (test/kernel/cStrategy.test.ts): the
    // count, not isFrozen, so a transitional zero passes as it does in the kernel
    unfreeze: (c, p, count) => {
      // VM_BUG_ON_PAGE(page_count(page) != 0, page): a live count is the raw counter
      const n = s.count(c, p); // atomic_read(), in page_count()
      if (n !== 0) throw new PageRefDebugError('unfreeze', p, n, 'page is not frozen');
      // VM_BUG_ON(count == 0)
      if (count === 0) throw new PageRefDebugError('unfreeze', p, n, 'unfreezing to a count of 0');
      s.unfreeze(c, p, count);
    },
  };
}

/**
 * The library's guards, around the kernel's checks `k`: each reads the counter first and
 * throws before any change. They test frozenness with the strategy's `isFrozen`, not the
 * kernel helper `isFrozenCount` that v2 inverted (seed 004), so that they never fire on
 * correct use even under that bug. They have no kernel source; they read as the kernel's
 * checks do, with atomic_read().
 */
function withGuards(s: Strategy, k: Strategy): Strategy {
  const guard = (op: CheckedOperation, c: Cells, p: number): void => {
    if (s.isFrozen(c, p)) {
      const raw = c.load(p, 'once'); // atomic_read(), for the message
      throw new PageRefDebugError(op, p, raw, 'page is frozen');
    }
  };
  const overflow = (c: Cells, p: number, nr: number): void => {
    const raw = c.load(p, 'once'); // atomic_read()
    if (raw > MAX_COUNT - nr && !s.isFrozen(c, p)) {
      throw new PageRefDebugError('tryAdd', p, raw, `adding ${nr} would pass INT_MAX`);
    }
  };
  return {
    ...k,
    incReturn: (c, p) => (guard('incReturn', c, p), k.incReturn(c, p)),
    decReturn: (c, p) => (guard('decReturn', c, p), k.decReturn(c, p)),
    subReturn: (c, p, nr) => (guard('subReturn', c, p), k.subReturn(c, p, nr)),
    subAndTest: (c, p, nr) => (guard('subAndTest', c, p), k.subAndTest(c, p, nr)),
    decAndTest: (c, p) => (guard('decAndTest', c, p), k.decAndTest(c, p)),
    tryAdd: (c, p, nr) => (overflow(c, p, nr), k.tryAdd(c, p, nr)),
    tryGet: (c, p) => (overflow(c, p, 1), k.tryGet(c, p)),
  };
}
