import type { Cells } from '../cells/cells.js';

/**
 * Cells for the checker: every call is a point at which another thread may run.
 *
 * Mechanism: replay (DESIGN.md §3). JavaScript cannot suspend a synchronous call, and the
 * strategies must stay plain synchronous code (generators would tax the real path; a
 * worker per model thread would make each step a round trip). So to run a thread one more
 * step, the explorer runs its body from the start: calls it already made return their
 * logged results without touching memory; the first new call is applied and logged; the
 * call after that unwinds the body by throwing {@link PAUSE}. A thread's local state is
 * therefore its log, and a state of the whole program is (memory, logs, ghost world).
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
  private log: number[] = [];
  private position = 0;
  private stepped = false;
  /** The new access made in this step, if any. */
  access: Access | undefined;

  /** Prepares to run one step of a thread whose earlier results are `log` (appended to). */
  begin(memory: Int32Array, log: number[]): void {
    this.memory = memory;
    this.log = log;
    this.position = 0;
    this.stepped = false;
    this.access = undefined;
    this.label = '';
  }

  /** True while the body is re-running accesses it made in earlier steps. */
  get replaying(): boolean {
    return this.position < this.log.length;
  }

  /**
   * One atomic read-modify-write of cell `i`: `f` maps the old value to [result, new value].
   * Every method below is one of these; the litmus interpreter uses it for the kernel's
   * other primitives (xchg, add_unless, …), each one access as in the kernel.
   */
  rmw(op: string, i: number, f: (old: number) => [result: number, next: number]): number {
    if (this.position < this.log.length) return this.log[this.position++]!;
    if (this.stepped) throw PAUSE;
    if (!(i >= 0 && i < this.memory.length)) {
      throw new RangeError(
        `[checker] access to cell ${i}, outside the ${this.memory.length} cells`,
      );
    }
    const before = this.memory[i]!;
    const [result, next] = f(before);
    this.memory[i] = next;
    this.log.push(result);
    this.position++;
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
