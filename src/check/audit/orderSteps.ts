/**
 * The audit's steps between orderings, after atomic_t.txt: a weakening goes one step weaker
 * at a time, a repair one step stronger. Fully ordered RMWs (add, sub, cas) step to acquire
 * and release, and those to relaxed; a read steps from acquire to once, a write from release
 * to once; RMWs that return nothing (noreturn) and once and relaxed accesses have nothing
 * weaker.
 *
 * @module
 */

import type { Order } from '../../cells/cells.js';
import { ORDERS, type CellsMethod } from '../../cells/kernelAtomics.js';

/** The orderings one step weaker than `o` for a call of `method`. */
export function weakerSteps(method: CellsMethod, o: Order): Order[] {
  if (method === 'load') return o === 'acquire' ? ['once'] : [];
  if (method === 'store') return o === 'release' ? ['once'] : [];
  if (o === 'mb') return ['acquire', 'release'];
  if (o === 'acquire' || o === 'release') return ['relaxed'];
  return [];
}

/** The orderings one step stronger than `o` (a repair's steps): weakerSteps inverted. */
export function strongerSteps(method: CellsMethod, o: Order): Order[] {
  return ORDERS[method].filter((x) => weakerSteps(method, x).includes(o));
}

/** Every ordering weaker than `o`, nearest first (its steps, then theirs). */
export const allWeaker = (method: CellsMethod, o: Order) => closure(weakerSteps, method, o);

/** Every ordering stronger than `o`, nearest first. */
export const allStronger = (method: CellsMethod, o: Order) => closure(strongerSteps, method, o);

/** Every ordering `step` reaches from `o`, nearest first (its steps, then theirs). */
function closure(
  step: (method: CellsMethod, o: Order) => Order[],
  method: CellsMethod,
  o: Order,
): Order[] {
  const out: Order[] = [];
  for (let next = step(method, o); next.length > 0;) {
    out.push(...next.filter((x) => !out.includes(x)));
    next = [...new Set(next.flatMap((x) => step(method, x)))];
  }
  return out;
}
