/**
 * The seam between the candidate enumerator and a memory model: a model is a check over one
 * candidate execution, written as one module of relation definitions (lkmm.ts after
 * linux-kernel.cat, sc.ts), so that SC, LKMM and later TSO or C11 are files of the same shape.
 *
 * Models are written by hand in TypeScript, line for line after their .cat text, rather than
 * by interpreting .cat: herd7's standard library (stdlib.cat, cross.cat, cos-opt.cat) is not
 * shipped with the model, the type checker checks the translation, and it is fast.
 */

import type { Execution } from '../execution.js';

/** A model's answer for one candidate execution. */
export type Verdict =
  | {
      allowed: true;
      /** The `flag ~empty ... as NAME` that fired, in the order the model states them. */
      flags: readonly string[];
    }
  | { allowed: false; /** The first axiom (in the model's order) that fails. */ axiom: string };

export interface MemoryModel {
  /** The name used by `--model` and in reports: 'lkmm', 'sc'. */
  readonly name: string;
  /** One line for people: what the model is and where it comes from. */
  readonly title: string;
  /**
   * The model requires coherence (`acyclic po-loc | rf | co | fr`) and RMW atomicity
   * (`empty rmw & (fre ; coe)`), so the enumerator may drop the candidates that fail either
   * on one location before combining locations: they would fail the model anyway.
   */
  readonly requiresCoherence: boolean;
  check(x: Execution): Verdict;
}
