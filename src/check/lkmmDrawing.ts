/**
 * The drawing of a catalog run's counterexample under LKMM (src/axiomatic/draw): the
 * violating execution, with its race marked, or the violation in words. Used by the audit's
 * tables and by `pageref check --model lkmm --show`.
 *
 * @module
 */

import { explain, type Drawing } from '../axiomatic/draw/explain.js';
import type { LkmmResult } from './lkmm/lkmmResult.js';

/** The drawing of `r`'s violating execution, or undefined when it has none. */
export function drawLkmmResult(r: LkmmResult): Drawing | undefined {
  if (!r.witness) return undefined;
  return explain(r.witness.x, {
    // a counterexample found before a limit may not be a shortest one: never silently
    title: `${r.scenario} × ${r.strategy}${r.shortestUnproven ? ` (maybe not the shortest: the search stopped at ${r.shortestUnproven})` : ''}`,
    threads: r.witness.threads.map((n, t) => `T${t} ${n}`),
    ...(r.kind === 'dataRace'
      ? { reason: { kind: 'race' as const } }
      : { note: `${r.kind}: ${r.message}` }),
  });
}
