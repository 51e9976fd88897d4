/**
 * What one scenario × strategy run under LKMM (or the axiomatic SC model) answers: the
 * verdict, why, and what the search did.
 */

import type { Execution } from '../../axiomatic/execution.js';

/** safe: explored completely, nothing found; bounded: a loop was cut where it matters. */
export type LkmmVerdict = 'safe' | 'violation' | 'bounded' | 'incomplete';

/** What goes wrong in a violating execution, one kind each. */
export type LkmmViolationKind =
  | 'dataRace'
  | 'useAfterFree'
  | 'doubleFree'
  | 'wrongDestructor'
  | 'freeWhileHeld'
  | 'freeNotFrozen'
  | 'leftFrozen'
  | 'leak'
  | 'wrongCount'
  | 'debugCheck'
  | 'threw'
  /** A strategy function touched a cell other than its page's counter. */
  | 'outOfRange'
  /** A strategy function returned a value of the wrong type. */
  | 'badResult'
  /** A strategy function gave a Cells call an ordering no kernel call has. */
  | 'badOrdering'
  /** The code caught a signal the recording cells stop a run with, and went on. */
  | 'signalSwallowed'
  /** The code did not do the same twice with the same values read. */
  | 'nondeterministic';

export interface LkmmResult {
  scenario: string;
  strategy: string;
  /** The model that judged: 'lkmm', or 'sc' for the axiomatic SC model. */
  model: string;
  verdict: LkmmVerdict;
  /** Why: the violation, the cut, the limit. */
  message?: string;
  kind?: LkmmViolationKind;
  /** A violating execution in text: events per thread, rf, co. */
  execution?: string;
  /** The violating execution itself, and the thread names, for a drawing (src/text/drawExecution.ts). */
  witness?: { x: Execution; threads: string[] };
  /** On a violation: its execution's events, the initial writes not counted (its length). */
  events?: number;
  /**
   * Only on a violation found before the search stopped at a limit: the limit (`max-seconds=60`).
   * The violation is real, but choices with fewer events were left untried, so a shorter
   * counterexample may exist. Absent, a violation's execution is a shortest one.
   */
  shortestUnproven?: string;
  /** Traces per thread (complete runs), cut runs, fixpoint rounds. */
  traces: number[];
  cut: number[];
  rounds: number;
  /** Candidate executions checked against LKMM (the cut check's included). */
  executions: number;
  /** The per-thread event bound. */
  maxEvents: number;
  ms: number;
}

/** A violation one allowed execution shows: what goes wrong, in words. */
export interface FoundViolation {
  kind: LkmmViolationKind;
  message: string;
}

/**
 * A result as it can cross to another thread or process: without its witness (the execution
 * as relations, for a drawing), which holds closures; its text (`execution`) says the same.
 */
export const sendable = ({ witness: _witness, ...result }: LkmmResult): LkmmResult => result;
