/** The options of an LKMM run (runScenarioLkmm), each with its default. */

import type { Order } from '../../cells/cells.js';
import type { MemoryModel } from '../../axiomatic/models/model.js';
import { BUDGET_DEFAULTS } from '../../axiomatic/limits.js';

/**
 * The defaults of an LKMM run, written once: runScenarioLkmm, the strategy-file runner, the
 * audit and the CLI's help read them. Time and memory are any axiomatic run's (limits.ts).
 */
export const LKMM_DEFAULTS = {
  maxEvents: 24,
  maxStates: 1_000_000,
  maxMemoryMB: BUDGET_DEFAULTS.maxMemoryMB,
  maxSeconds: BUDGET_DEFAULTS.maxSeconds,
} as const;

export interface LkmmOptions {
  /** Events in one run of a thread before it is cut. Default 24. */
  maxEvents?: number;
  /** Candidate executions before giving up. Default 1,000,000. */
  maxStates?: number;
  /** MiB of JS heap this run may add before giving up. Default 1,024. */
  maxMemoryMB?: number;
  /** Seconds before giving up. Default 60. */
  maxSeconds?: number;
  /**
   * Whether the free path is control dependent on the reads of the call that decided it (a
   * put's decAndTest, an evict's freeze), as `if (put_testzero()) free()` is. Default true;
   * false assumes no dependency at all.
   */
  ctrl?: boolean;
  /**
   * The model that judges the executions. Default LKMM; the axiomatic SC model
   * (src/axiomatic/models/sc.ts) runs the same traces under sequential consistency, which
   * must agree with the interleaving explorer.
   */
  model?: MemoryModel;
  /**
   * Run each run of the code twice and compare (codeTraces.ts): a difference is a
   * `nondeterministic` violation. Default: for every strategy but the built-in ones.
   */
  runTwice?: boolean;
  /** An audit's weakening (RecordingOptions.reorder), per thread. */
  reorder?: (thread: number, method: string, order: Order, n: number) => Order;
}
