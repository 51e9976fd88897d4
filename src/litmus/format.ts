/**
 * herd7's output block (herd/top_herd.ml, pp_stats), whatever model produced the answer:
 *
 *     Test NAME Allowed|Forbidden|Required
 *     States N
 *     <each final state, in herd7's order: `0:r0=1; [x]=y;`>
 *     Ok|No                          (`Loop Ok`, `Loop No` when a while loop was cut off)
 *     Witnesses
 *     Positive: P Negative: N        (swapped for ~exists, as herd7 does)
 *     Flag NAME                      (one per flag raised, e.g. data-race)
 *     Condition exists (…)
 *     Observation NAME Never|Sometimes|Always pos neg
 *
 * Time and Hash lines are left out, so that the block is a stable golden file; pageref's own
 * remarks (vacuity) come after the block, each line starting `pageref:`.
 */
import type { Value } from '../axiomatic/events.js';
import type { LitmusTest } from './ast.js';
import { compareStates, type FinalState } from './condition.js';
import type { LitmusResult } from './run.js';

export interface HerdResult {
  /** Distinct final states, in any order. */
  states: readonly FinalState[];
  /** Executions whose final state satisfies the proposition (herd7's c.pos). */
  positive: number;
  negative: number;
  /** Flags the model raised, in the order to print. */
  flags?: readonly string[];
  /** No candidate satisfies the condition. Not printed: herd7's block stays herd7's. */
  vacuous?: boolean;
  /**
   * Some candidate reached herd7's unrolling limit in a while loop, and was dropped: herd7
   * then prints `Loop Ok` or `Loop No` (top_herd.ml), legal outcomes may be missing.
   */
  loop?: boolean;
}

const KIND = { exists: 'Allowed', '~exists': 'Forbidden', forall: 'Required' } as const;

/** Whether herd7 says Ok: the quantifier holds over the counted executions. */
export function validated(test: LitmusTest, positive: number, negative: number): boolean {
  if (test.quantifier === 'exists') return positive > 0;
  if (test.quantifier === '~exists') return positive === 0;
  return negative === 0;
}

export function observation(positive: number, negative: number): 'Never' | 'Sometimes' | 'Always' {
  return positive === 0 ? 'Never' : negative === 0 ? 'Always' : 'Sometimes';
}

const valueText = (v: Value): string => String(v);

/** One state's line: `1:r0=x; [y]=1;`. */
export function stateLine(s: FinalState): string {
  return s.places.map((p, i) => `${p}=${valueText(s.values[i]!)};`).join(' ');
}

/** herd7's block for one test, without Time and Hash. */
export function formatHerd(test: LitmusTest, r: HerdResult): string {
  const states = [...r.states].sort(compareStates);
  const [pos, neg] =
    test.quantifier === '~exists' ? [r.negative, r.positive] : [r.positive, r.negative];
  const lines = [
    `Test ${test.name} ${KIND[test.quantifier]}`,
    `States ${states.length}`,
    ...states.map(stateLine),
    (r.loop ? 'Loop ' : '') + (validated(test, r.positive, r.negative) ? 'Ok' : 'No'),
    'Witnesses',
    `Positive: ${pos} Negative: ${neg}`,
    ...(r.flags ?? []).map((f) => `Flag ${f}`),
    `Condition ${test.conditionText}`,
    `Observation ${test.name} ${observation(r.positive, r.negative)} ${r.positive} ${r.negative}`,
  ];
  return lines.join('\n') + '\n';
}

/** pageref's remark on a vacuous condition: after herd7's block, prefixed as all our remarks. */
export const VACUOUS_REMARK =
  'pageref: vacuous: no candidate execution satisfies the condition, so the answer says nothing';

/**
 * The SC runner's block, with herd7's Time line (the CLI and the report print it), then
 * pageref's remarks, each line starting `pageref:`.
 */
export function formatLitmus(test: LitmusTest, r: LitmusResult, ms: number): string {
  const kind = KIND[test.quantifier];
  if (r.kind === 'incomplete') {
    return `Test ${test.name} ${kind}\nIncomplete: exploration stopped at ${r.limit} (${r.explored} states); no verdict\n`;
  }
  const block = formatHerd(test, {
    states: r.states.map((s) => s.state),
    positive: r.positive,
    negative: r.negative,
  });
  const remarks = r.vacuous ? `${VACUOUS_REMARK}\n` : '';
  return `${block}Time ${test.name} ${(ms / 1000).toFixed(2)}\n${remarks}`;
}
