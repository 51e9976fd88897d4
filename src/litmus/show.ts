/**
 * `pageref check FILE.litmus --show`: one execution of the test drawn (src/axiomatic/draw),
 * as herd7's `-show prop` draws one. Which execution:
 * - a witness: an execution the model allows whose final state satisfies the condition's
 *   proposition (for `forall`, one that does not: a counterexample), with its data race
 *   marked if it raises that flag;
 * - if there is none, a candidate that would satisfy it but the model forbids, with the
 *   cycle of the first axiom it fails;
 * - if there is neither, no drawing: no candidate satisfies the proposition at all.
 *
 * @module
 */

import type { LitmusTest } from './ast.js';
import { passesFilter, satisfies } from './condition.js';
import { programOf } from './traces.js';
import { explain, type Drawing } from '../axiomatic/draw/explain.js';
import type { Execution } from '../axiomatic/execution.js';
import { Budget } from '../axiomatic/limits.js';
import type { MemoryModel, Verdict } from '../axiomatic/models/model.js';
import { runModel } from '../axiomatic/run.js';

export interface ShowOptions {
  /** Seconds for the whole search. Default 60. */
  maxSeconds?: number;
  /** Candidate executions before giving up. Default 1,000,000. */
  maxExecutions?: number;
}

/** The drawing of `test`'s witness (or forbidden candidate), or a sentence why there is none. */
export function showLitmus(
  test: LitmusTest,
  model: MemoryModel,
  options: ShowOptions = {},
  file = '<litmus>',
): { drawing: Drawing } | { none: string } {
  const budget = new Budget({ maxSeconds: options.maxSeconds ?? 60 });
  const program = programOf(test, file, { budget });
  const wanted = (o: Parameters<typeof satisfies>[1]) =>
    test.quantifier === 'forall' ? !satisfies(test, o) : satisfies(test, o);
  // every coherent candidate reaches onAllowed, with the model's real verdict beside it
  let last: Verdict = { allowed: true, flags: [] };
  const all: MemoryModel = {
    ...model,
    check: (x) => {
      last = model.check(x);
      return { allowed: true, flags: [] };
    },
  };
  let witness: { x: Execution; flags: readonly string[] } | undefined;
  let forbidden: { x: Execution; axiom: string } | undefined;
  const r = runModel(program, all, {
    budget,
    ...(options.maxExecutions ? { maxExecutions: options.maxExecutions } : {}),
    filter: (o) => passesFilter(test, o),
    onAllowed: (x, o) => {
      if (!wanted(o)) return false;
      const v = last;
      if (v.allowed) witness = { x, flags: v.flags };
      else forbidden ??= { x, axiom: v.axiom };
      return v.allowed;
    },
  });
  if (r.kind === 'incomplete' && !witness && !forbidden)
    return { none: `no drawing: the search stopped at ${r.limit}` };
  const what = test.quantifier === 'forall' ? 'a counterexample to' : 'a witness of';
  if (witness)
    return {
      drawing: explain(witness.x, {
        title: `${test.name}: ${what} the condition, allowed by ${model.name}`,
        ...(witness.flags.includes('data-race')
          ? { reason: { kind: 'race' as const } }
          : {
              note: `allowed${witness.flags.length ? `, flags: ${witness.flags.join(' ')}` : ''}`,
            }),
      }),
    };
  if (forbidden)
    return {
      drawing: explain(forbidden.x, {
        title: `${test.name}: no execution allowed satisfies the condition; a candidate that does, forbidden by ${model.name}`,
        ...(model.name === 'lkmm'
          ? { reason: { kind: 'cycle' as const, axiom: forbidden.axiom } }
          : { note: `forbidden by ${forbidden.axiom}` }),
      }),
    };
  return { none: 'no drawing: no candidate execution satisfies the condition' };
}
