import type { Cells } from '../cells/cells.js';
import type { Strategy } from './strategy.js';

/** The operations that carry a debug check. */
export type CheckedOperation =
  'add' | 'sub' | 'inc' | 'dec' | 'incReturn' | 'decReturn' | 'subReturn' | 'unfreeze';

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
 * Wraps a strategy with the debug checks of seed 002 patch 1/2, plus mainline's check in
 * page_ref_unfreeze. The checks read the raw counter through the strategy's own
 * `isFrozenCount` (`__page_count_is_frozen`), never `count()`, which reports 0 for a frozen
 * page and would hide exactly the misuse they exist to catch.
 *
 * `PageRefs` applies this only when `debug: true`, so with debug off the strategy's
 * functions are called directly and no check costs anything.
 */
export function withDebugChecks(s: Strategy): Strategy {
  // VM_WARN_ON_ONCE_PAGE(__page_is_frozen(page), page): checked before the operation
  const before = (op: CheckedOperation, c: Cells, p: number): void => {
    const raw = c.load(p);
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
    // VM_BUG_ON_PAGE(page_count(page) != 0, page) in page_ref_unfreeze()
    unfreeze: (c, p, count) => {
      if (!s.isFrozen(c, p)) {
        throw new PageRefDebugError('unfreeze', p, c.load(p), 'page is not frozen');
      }
      s.unfreeze(c, p, count);
    },
  };
}
