import type { Cells } from '../cells/cells.js';
import type { ThreadLog } from './threadLog.js';

/**
 * Cells for the checker: every call is a point at which another thread may run.
 *
 * Mechanism: replay (DESIGN.md §3). JavaScript cannot suspend a synchronous call, and the
 * strategies must stay plain synchronous code (generators would tax the real path; a
 * worker per model thread would make each step a round trip). So to run a thread one more
 * step, the explorer runs its body from the start: calls it already made return their
 * logged results without touching memory; the first new call is applied and logged; the
 * call after that unwinds the body by throwing {@link PAUSE}. A thread's local state is
 * therefore its log (see threadLog.ts), and a state of the whole program is (memory, logs,
 * ghost world).
 *
 * Bodies must be deterministic functions of what these calls return, and must not catch
 * {@link PAUSE}.
 */
export const PAUSE: unique symbol = Symbol('pageref.check.pause');

/** One shared-memory access, as the counterexample shows it. */
export interface Access {
  /** load, store, add, sub, cas; or, for litmus tests, the kernel primitive's name. */
  op: string;
  cell: number;
  before: number;
  after: number;
  /** What the calling code was doing, e.g. "put p0", set by the scenario context. */
  label: string;
}

export class ModelCells implements Cells {
  /** The memory of the state being expanded; replaced for each step. */
  memory: Int32Array = new Int32Array(0);
  /** What the current thread is doing; recorded on each access. */
  label = '';
  private log: ThreadLog = { values: [], kinds: '', done: false };
  private position = 0;
  private stepped = false;
  /** The new access made in this step, if any. */
  access: Access | undefined;

  /** Prepares to run one step of a thread whose log so far is `log` (appended to). */
  begin(memory: Int32Array, log: ThreadLog): void {
    this.memory = memory;
    this.log = log;
    this.position = 0;
    this.stepped = false;
    this.access = undefined;
    this.label = '';
  }

  /**
   * Applies a ghost update once: on replay it is skipped.
   * @returns true if it was applied in this step.
   */
  ghost(update: () => void): boolean {
    if (this.position < this.log.values.length) {
      this.expect('g');
      this.position++;
      return false;
    }
    update();
    this.push('g', 0);
    return true;
  }

  /**
   * Runs `fn` as one operation of the thread: once it has returned, replay skips it and
   * returns its result. Sound when the rest of the body depends on the operation only
   * through that result (its effects on memory and the world are already in the state),
   * which holds for the page operations of scenarios: the library's calls return values
   * and keep no other state.
   */
  operation(fn: () => number): number {
    const start = this.position;
    if (start < this.log.values.length) {
      if (this.log.kinds[start] === 'o') return this.log.values[this.position++]!; // done
      this.expect('b'); // begun in an earlier step: replay its inside
      this.position++;
    } else {
      this.push('b', 0); // marks an operation in progress, so that a completed operation
      // nested inside it is not mistaken for the outer one's result
    }
    const result = fn();
    // collapse the marker and what the operation logged into its result
    this.log.values.length = start;
    this.log.kinds = this.log.kinds.slice(0, start);
    this.position = start;
    this.push('o', result);
    return result;
  }

  private push(kind: string, value: number): void {
    this.log.values.push(value);
    this.log.kinds += kind;
    this.position++;
  }

  private expect(kind: string): void {
    if (this.log.kinds[this.position] !== kind) {
      throw new Error(
        `[checker bug] replay diverged: expected '${this.log.kinds[this.position]}', got '${kind}'; is the thread body deterministic?`,
      );
    }
  }

  /**
   * One atomic read-modify-write of cell `i`: `f` maps the old value to [result, new value].
   * Every method below is one of these; the litmus interpreter uses it for the kernel's
   * other primitives (xchg, add_unless, …), each one access as in the kernel.
   */
  rmw(op: string, i: number, f: (old: number) => [result: number, next: number]): number {
    if (this.position < this.log.values.length) {
      this.expect('a');
      return this.log.values[this.position++]!;
    }
    if (this.stepped) throw PAUSE;
    if (!(i >= 0 && i < this.memory.length)) {
      throw new RangeError(
        `[checker] access to cell ${i}, outside the ${this.memory.length} cells`,
      );
    }
    const before = this.memory[i]!;
    const [result, next] = f(before);
    this.memory[i] = next;
    this.push('a', result);
    this.stepped = true;
    this.access = { op, cell: i, before, after: this.memory[i]!, label: this.label };
    return result;
  }

  load(i: number): number {
    return this.rmw('load', i, (old) => [old, old]);
  }
  store(i: number, value: number): void {
    this.rmw('store', i, () => [0, value | 0]);
  }
  add(i: number, delta: number): number {
    return this.rmw('add', i, (old) => [old, (old + delta) | 0]);
  }
  sub(i: number, delta: number): number {
    return this.rmw('sub', i, (old) => [old, (old - delta) | 0]);
  }
  cas(i: number, expected: number, replacement: number): number {
    return this.rmw('cas', i, (old) => [old, old === (expected | 0) ? replacement | 0 : old]);
  }
}
