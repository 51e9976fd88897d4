/**
 * A strategy as the LKMM engine runs it: what guardedStrategy (scenario.ts) is to the SC
 * explorer. Each function gets a door (as cellsDoor.ts) to the counter of the page it is called
 * on, and nothing else: not the recording cells' own state (their events, their signals),
 * which code could rewrite to hide what it did, and no other cell, which on real memory is
 * another page's counter (`outOfRange`). Each must return a value of its type (RESULT_TYPES:
 * `badResult`). A fault is kept, and thrown again as each guarded function returns, so no
 * `catch` in the strategy hides it.
 */

import { toIndex, type Cells, type Order } from '../../cells/cells.js';
import { ORDERS } from '../../cells/kernelAtomics.js';
import { describeValue } from '../../explore/violation.js';
import type { Strategy } from '../../refcount/strategy.js';
import {
  badResultMessage,
  isResultOf,
  RESULT_TYPES,
  STRATEGY_FUNCTIONS,
} from '../strategyModule.js';

/** The faults the guard raised: code can construct the class, never join this set. */
const RAISED = new WeakSet<object>();

/** The fault `e` is, if the guard raised it (by identity, as isCellsSignal). */
export function guardFault(e: unknown): StrategyFault | undefined {
  return typeof e === 'object' && e !== null && RAISED.has(e) ? (e as StrategyFault) : undefined;
}

/** A strategy's fault that the guard found: its kind and what happened, in words. */
export class StrategyFault extends Error {
  constructor(
    readonly kind: 'outOfRange' | 'badResult' | 'badOrdering',
    message: string,
  ) {
    super(message);
    this.name = 'StrategyFault';
  }
}

/**
 * `strategy` with every function guarded, its debug-checked variant likewise; `reset` forgets
 * a fault, for the next run.
 */
export function guardedForLkmm(strategy: Strategy): { strategy: Strategy; reset(): void } {
  let fault: StrategyFault | undefined;
  const raise = (f: StrategyFault): never => {
    RAISED.add(f);
    fault ??= f;
    throw fault;
  };
  const guard = (s: Strategy): Strategy => {
    const guarded: Record<string, unknown> = { name: s.name };
    for (const key of STRATEGY_FUNCTIONS) {
      const fn = s[key] as (...a: unknown[]) => unknown; // own or inherited
      guarded[key] = (...args: unknown[]): unknown => {
        if (fault) throw fault;
        // isFrozenCount is given a raw value, not cells: it may touch none
        if (key !== 'isFrozenCount') args[0] = onlyPage(args[0] as Cells, args[1] as number, key);
        const result = fn.apply(s, args);
        if (fault) throw fault;
        if (!isResultOf(RESULT_TYPES[key], result))
          raise(new StrategyFault('badResult', badResultMessage(key, result, key)));
        return result;
      };
    }
    return guarded as unknown as Strategy;
  };
  /** A door to `cells` that lets through accesses to cell `page` only. */
  const onlyPage = (cells: Cells, page: number, fn: string): Cells => {
    // an ordering no kernel call has ('mb' on a load would be recorded as a full fence)
    const ordered = <O>(op: keyof typeof ORDERS, o: O): O => {
      if (o !== undefined && !ORDERS[op].includes(o as Order))
        raise(
          new StrategyFault(
            'badOrdering',
            `${fn} on p${page} made a ${op} with ordering ${describeValue(o)}, which no kernel call has: a ${op} takes ${ORDERS[op].map((x) => `'${x}'`).join(', ')} or none (docs/strategy-interface.md)`,
          ),
        );
      return o;
    };
    // the cell Atomics would access (a string '0' is cell 0); a Symbol or BigInt throws there
    const check = (i: unknown, op: string): number => {
      const n = toIndex(i as number);
      if (n !== page)
        raise(
          new StrategyFault(
            'outOfRange',
            `${fn} on p${page} made a ${op} of cell ${describeValue(i)}, which is not the counter of p${page}: a strategy function touches only the counter of the page it is called on (cell p)`,
          ),
        );
      return n;
    };
    // closures only, frozen, as cellsDoor.ts: never the recording cells themselves
    return Object.freeze({
      load: (i, o) => cells.load(check(i, 'load'), ordered('load', o)),
      store: (i, v, o) => cells.store(check(i, 'store'), v, ordered('store', o)),
      add: (i, d, o) => cells.add(check(i, 'add'), d, ordered('add', o)),
      sub: (i, d, o) => cells.sub(check(i, 'sub'), d, ordered('sub', o)),
      cas: (i, e, r, o) => cells.cas(check(i, 'cas'), e, r, ordered('cas', o)),
    } satisfies Cells);
  };
  const guarded = guard(strategy);
  if (strategy.checked) (guarded as { checked?: Strategy }).checked = guard(strategy.checked);
  return {
    strategy: guarded,
    reset: () => {
      fault = undefined;
    },
  };
}
