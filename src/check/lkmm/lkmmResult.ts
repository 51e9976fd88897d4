/**
 * What one scenario × strategy run under LKMM (or the axiomatic SC model) answers: the
 * verdict, why, and what the search did.
 */

import type { Execution } from '../../axiomatic/execution.js';

/** safe: explored completely, nothing found; bounded: a loop was cut where it matters. */
export type LkmmVerdict = 'safe' | 'violation' | 'bounded' | 'unsupported' | 'incomplete';

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
  | 'threw';

export interface LkmmResult {
  scenario: string;
  strategy: string;
  /** The model that judged: 'lkmm', or 'sc' for the axiomatic SC model. */
  model: string;
  verdict: LkmmVerdict;
  /** Why: the violation, the cut, the unsupported operation, the limit. */
  message?: string;
  kind?: LkmmViolationKind;
  /** A violating execution in text: events per thread, rf, co. */
  execution?: string;
  /** The violating execution itself, and the thread names, for a drawing (src/text/drawExecution.ts). */
  witness?: { x: Execution; threads: string[] };
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

/** An operation or setup this engine cannot express yet: the verdict is `unsupported`. */
export class Unsupported extends Error {}

/**
 * A result as it can cross to another thread or process: without its witness (the execution
 * as relations, for a drawing), which holds closures; its text (`execution`) says the same.
 */
export const sendable = ({ witness: _witness, ...result }: LkmmResult): LkmmResult => result;
