import type { Stepped } from './step.js';

/**
 * Sleep sets (Godefroid, "Partial-order methods for the verification of concurrent
 * systems", LNCS 1032, 1996, ch. 5): if two threads' next steps commute, exploring one
 * after the other from a state reaches what exploring them in the other order reaches, so
 * the second order need not be tried. A thread asleep in a state is not stepped there; it
 * stays asleep in the children reached by steps that commute with its own, and wakes at
 * the first dependent one.
 *
 * Sleep sets prune transitions, never states: every reachable state is still visited
 * (the tests check the state counts are equal). They do not preserve interleaving counts,
 * so the explorer uses them only when asked (the checker asks, litmus tests do not).
 */

/** What a step touches, as far as commuting goes. */
export interface Footprint {
  /** The cell accessed, or -1 for a step with no access (a thread returning). */
  cell: number;
  /** Whether the access changed the cell (a failed CAS, a load, a store of the same value do not). */
  writes: boolean;
  /** Whether the step changed the ghost world. */
  ghosted: boolean;
}

export const footprint = (s: Stepped<unknown>): Footprint => ({
  cell: s.step.access?.cell ?? -1,
  writes: s.step.access !== undefined && s.step.access.before !== s.step.access.after,
  ghosted: s.ghosted,
});

/**
 * Whether two steps enabled in the same state commute: each reads the same values and makes
 * the same changes in either order. Steps on different cells, or that both only read one
 * cell, commute unless both update the ghost world (updates may read what the other wrote,
 * and may raise violations: two of them are never swapped). A step that makes no ghost
 * update does not read the world either (bodies see the world only through ghost updates).
 */
export function independent(a: Footprint, b: Footprint): boolean {
  if (a.ghosted && b.ghosted) return false;
  return a.cell < 0 || b.cell < 0 || a.cell !== b.cell || (!a.writes && !b.writes);
}

/** A sleep set: for each asleep thread, the footprint of its next step. */
export type Sleep = Map<number, Footprint>;

/**
 * The sleep set of the child reached by `stepped` (footprint `fp`): the threads asleep in
 * the parent, and those already stepped from it, whose steps commute with this one.
 */
export function childSleep(asleep: Sleep | undefined, explored: Sleep, fp: Footprint): Sleep {
  const out: Sleep = new Map();
  for (const from of [asleep, explored]) {
    if (!from) continue;
    for (const [u, f] of from) if (independent(f, fp)) out.set(u, f);
  }
  return out;
}

/** Threads asleep on both arrivals at one state (the same concrete state). */
export function intersect(a: Sleep, b: Sleep): Sleep {
  const out: Sleep = new Map();
  for (const [u, f] of a) if (b.has(u)) out.set(u, f);
  return out;
}

/** The set as a bitmask of threads. */
export function mask(s: Sleep | undefined): number {
  let m = 0;
  if (s) for (const u of s.keys()) m |= 1 << u;
  return m;
}
