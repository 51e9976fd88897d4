/**
 * The run-once-per-read-value loop shared by every front end of the axiomatic seam
 * (events.ts): a thread is run as a black box that asks `choose(n)` for each read which of
 * its `n` possible values the read returns, and this loop replays it once per choice vector,
 * depth-first, until every combination has run. The litmus front end (src/litmus/symbolic.ts)
 * runs a litmus process this way, and src/check/lkmm runs a strategy's own code over
 * recording cells (recordingCells.ts) the same way.
 *
 * A run must be deterministic given its choices: the same answers, the same questions.
 */

/** Asks which of `alternatives` values a read returns; answers 0..alternatives-1. */
export type Choose = (alternatives: number) => number;

/**
 * Calls `run` once per combination of answers to its `choose` calls, depth-first; `each`
 * (checked before every run) may throw to stop the walk (a budget, a trace limit).
 */
export function forEachChoice(run: (choose: Choose) => void, each?: () => void): void {
  const choices: number[] = [];
  for (;;) {
    const counts: number[] = [];
    let position = 0;
    const choose = (n: number): number => {
      if (position === choices.length) choices.push(0);
      counts[position] = n;
      return choices[position++]!;
    };
    each?.();
    run(choose);
    choices.length = position;
    while (choices.length > 0 && choices.at(-1)! + 1 >= counts[choices.length - 1]!) choices.pop();
    if (choices.length === 0) return;
    choices[choices.length - 1]!++;
  }
}
