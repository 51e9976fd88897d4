import {
  toIndex,
  toInt32,
  type CasOrder,
  type Cells,
  type LoadOrder,
  type Order,
  type RmwOrder,
  type StoreOrder,
} from '../cells/cells.js';
import type { ThreadLog } from './threadLog.js';
import { Violation, type ExploreFault } from './violation.js';

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
 * Replay needs two things of the code under test, and both are checked here, because code
 * written by someone else breaks them (a `try`/`catch` around an access, `Math.random()`):
 * - **It must not swallow {@link PAUSE}.** Once PAUSE is thrown, every later call throws it
 *   again and records the fault; a body that returns, or calls in again, after a pause is
 *   reported as `pauseSwallowed`. The fault is kept here, so no `catch` can hide it.
 * - **It must be deterministic.** Each logged access remembers its cell and operation; a
 *   replay that makes a different one is reported as `nondeterministic`.
 * An operation that makes more than `maxOpSteps` accesses is reported as `spins`, so a
 * loop that touches memory cannot run forever. (Code outside operations, a litmus process,
 * has no budget: it has no loops.) (A loop that never touches memory cannot be
 * stopped from inside the thread that runs it; see check/isolated.ts for the watchdog.)
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
  /** For a cas: the value it expected and the one it would have written. */
  expected?: number;
  replacement?: number;
  /** The kernel ordering the code under test named for it, if it named one (cells.ts). */
  order?: Order;
}

/** Operation codes in a log's sites: an access's site is `cell * OPS + code`. */
const OPS = 8;
const OP_CODES: Record<string, number> = { load: 1, store: 2, add: 3, sub: 4, cas: 5 };
const opCode = (op: string): number => OP_CODES[op] ?? 7;
const opOfCode = (code: number): string =>
  Object.keys(OP_CODES).find((k) => OP_CODES[k] === code) ?? 'primitive';

/** `a load of p0`, `an add of p0`: an access, in messages. */
export const accessText = (op: string, cell: string): string =>
  `${/^[aeiou]/.test(op) ? 'an' : 'a'} ${op} of ${cell}`;

/**
 * The default step budget of one operation (ExploreOptions.maxOpSteps): log entries
 * (accesses and ghost updates) since the operation began. The longest operation of the
 * catalog's scenarios makes 8 with any built-in strategy (a get whose CAS loop retries, a
 * free); 100 leaves ten times that. It is not larger because a spinning operation's log is
 * its thread's state: every spin is a new state, each as long as the spin so far, so the
 * cost of reaching the budget grows as its square, times the interleavings of the others.
 */
export const MAX_OP_STEPS = 100;

/**
 * The fault a stack overflow in the checker's own code leaves (see ModelCells.load): one
 * object made in advance, since no call can be made where it is raised. The search reports
 * it as `incomplete`, never as the strategy's violation.
 */
export const STACK_FAULT = new Violation<'checkerStack'>(
  'checkerStack',
  "the checker's own code ran out of stack under the code it runs (called from deep in a recursion)",
);

/** {@link ModelCells.page} while code that may touch no cell at all runs. */
export const NO_CELL = -2;

export class ModelCells implements Cells {
  /** The memory of the state being expanded; replaced for each step. */
  memory: Int32Array = new Int32Array(0);
  /** What the current thread is doing; recorded on each access. */
  label = '';
  /**
   * The function of the code under test now running, if the client tracks it: named in
   * messages, and in probe cells each outermost call gets its own step budget.
   */
  get callee(): string {
    return this.calleeName;
  }
  set callee(name: string) {
    if (!this.calleeName && name) this.calleeStart = this.position;
    this.calleeName = name;
  }
  private calleeName = '';
  private calleeStart = 0;
  /** The thread being stepped. */
  thread = 0;
  /**
   * The page whose strategy function now runs, or -1 (no strategy code runs), or
   * {@link NO_CELL} (a function given no cells, such as isFrozenCount, runs): while it is
   * not -1, an access to any cell but this one is out of range (see cellOf). The client
   * sets and restores it.
   */
  page = -1;
  /** Names a cell in messages; the client may set it (a scenario says `p0`, `type[p0]`). */
  cellName: (cell: number) => string = (cell) => `cell ${cell}`;
  /** Most accesses one operation may make (see {@link MAX_OP_STEPS}). */
  maxOpSteps = MAX_OP_STEPS;
  /** The new access made in this step, if any. */
  access: Access | undefined;
  /** The ghost notes of this step, in order. */
  notes: string[] = [];
  /** A fault of this step that the body cannot hide: once set, every call throws PAUSE. */
  fault: Violation | undefined;
  private log: ThreadLog = { values: [], kinds: '', sites: [], done: false };
  private position = 0;
  private stepped = false;
  private paused = false;
  private pausedIn = '';
  private opDepth = 0;
  private opStart = 0;
  private pending: { cell: number; note: string; update: () => void } | undefined;
  private probe = '';

  /** Prepares to run one step of thread `thread`, whose log so far is `log` (appended to). */
  begin(memory: Int32Array, log: ThreadLog, thread = 0): void {
    this.probe = '';
    this.memory = memory;
    this.log = log;
    this.thread = thread;
    this.position = 0;
    this.stepped = false;
    this.paused = false;
    this.pausedIn = '';
    this.opDepth = 0;
    this.opStart = 0;
    this.pending = undefined;
    this.access = undefined;
    this.notes = [];
    this.fault = undefined;
    this.label = '';
    this.calleeName = '';
    this.calleeStart = 0; // a probe's accesses outside every call count from its start
    this.page = -1;
  }

  /**
   * Prepares cells that never pause, for code that runs outside every thread (a scenario's
   * setup, the final check) over `memory`: each access is applied at once, and the step
   * budget, the range check and the pause rules still hold. `who` names it in messages.
   */
  beginProbe(memory: Int32Array, who: string): void {
    this.begin(memory, { values: [], kinds: '', sites: [], done: false }, -1);
    this.probe = who;
  }

  /**
   * Ends the step: `thrown` is what the body threw (or `undefined` if it returned).
   * @returns 'paused' or 'done' when the step went as replay needs; otherwise the fault, a
   *   Violation, or the body's own error (which the explorer classifies).
   */
  end(returned: boolean, thrown: unknown): 'paused' | 'done' | Violation | { error: unknown } {
    if (this.fault) return this.fault;
    if (this.paused) {
      if (!returned && thrown === PAUSE) return 'paused';
      return this.swallowed(returned ? 'returned' : 'threw something else instead');
    }
    if (!returned) return thrown instanceof Violation ? thrown : { error: thrown };
    if (this.position < this.log.values.length)
      return this.diverged(`returned where it had gone on to ${this.entry(this.position)}`);
    return 'done';
  }

  /**
   * Applies a ghost update once: on replay it is skipped. `note` is shown in
   * counterexamples, on the line of this step.
   * @returns true if it was applied in this step.
   */
  ghost(update: () => void, note?: string): boolean {
    this.guard();
    if (this.position < this.log.values.length) {
      this.expect('g', -1);
      this.position++;
      return false;
    }
    this.apply(update, note);
    this.push('g', 0, -1);
    return true;
  }

  /**
   * Applies a ghost update at the first access of this operation that changes cell `cell`
   * (the sub of a put is where its reference is dropped), in that access's step; if none
   * does, when the operation returns.
   */
  ghostAtWrite(cell: number, note: string, update: () => void): void {
    this.guard();
    this.pending = { cell, note, update };
  }

  /**
   * Runs `fn` as one operation of the thread: once it has returned, replay skips it and
   * returns its result. Sound when the rest of the body depends on the operation only
   * through that result (its effects on memory and the world are already in the state),
   * which holds for the page operations of scenarios: the library's calls return values
   * and keep no other state.
   */
  operation(fn: () => number): number {
    this.guard();
    const start = this.position;
    if (start < this.log.values.length) {
      if (this.log.kinds[start] === 'o') {
        // done; a 'd' after it: the ghostAtWrite pending around it was applied inside it
        const result = this.log.values[this.position++]!;
        if (this.log.kinds[this.position] === 'd') {
          this.pending = undefined;
          this.position++;
        }
        return result;
      }
      this.expect('b', -1); // begun in an earlier step: replay its inside
      this.position++;
    } else {
      this.push('b', 0, -1); // marks an operation in progress, so that a completed operation
      // nested inside it is not mistaken for the outer one's result
    }
    if (this.opDepth++ === 0) this.opStart = start;
    const result = fn();
    this.opDepth--;
    if (this.paused && !this.fault) this.swallowed('returned'); // swallowed inside fn
    this.guard();
    if (this.pending && this.opDepth === 0) {
      const { note, update } = this.pending;
      this.pending = undefined;
      this.ghost(update, note);
    }
    // collapse the marker and what the operation logged into its result; inside another
    // operation, keep a 'd' if the pending ghost was applied in it, so that its replay, which
    // skips the access, does not apply it again at the outer operation's end
    const applied = this.opDepth > 0 && this.log.kinds.indexOf('d', start) >= 0;
    this.log.values.length = start;
    this.log.kinds = this.log.kinds.slice(0, start);
    this.log.sites.length = start;
    this.position = start;
    this.push('o', result, -1);
    if (applied) this.push('d', 0, -1);
    return result;
  }

  /**
   * One atomic read-modify-write of cell `i`: `f` maps the old value to [result, new value].
   * Every method below is one of these; the litmus interpreter uses it for the kernel's
   * other primitives (xchg, add_unless, …), each one access as in the kernel.
   */
  rmw(
    op: string,
    i: number,
    f: (old: number) => [result: number, next: number],
    cas?: { expected: number; replacement: number },
    order?: Order,
  ): number {
    this.guard();
    const site = (i | 0) * OPS + opCode(op);
    if (this.position < this.log.values.length) {
      this.expect('a', site);
      const result = this.log.values[this.position++]!;
      if (this.pending?.cell === i && this.log.kinds[this.position] === 'd') {
        this.pending = undefined;
        this.position++;
      }
      return result;
    }
    if (this.stepped && !this.probe) {
      this.paused = true;
      this.pausedIn = this.callee;
      throw PAUSE;
    }
    if (!(Number.isInteger(i) && i >= 0 && i < this.memory.length)) {
      this.raise(
        'outOfRange',
        `${this.who()} made ${accessText(op, `cell ${String(i)}`)}, outside the ${this.memory.length} cells`,
      );
    }
    // budgets: an operation's, or (probe cells) each strategy call's; a body outside
    // operations (a litmus process, loop-free) has none
    const since = this.probe ? this.calleeStart : this.opDepth > 0 ? this.opStart : -1;
    if (since >= 0 && this.position - since >= this.maxOpSteps) {
      this.raise(
        'spins',
        `${this.who()} did not finish in ${this.maxOpSteps.toLocaleString('en-US')} steps (it spins)`,
      );
    }
    const before = this.memory[i]!;
    const [result, next] = f(before);
    this.memory[i] = next;
    this.push('a', result, site);
    this.stepped = true;
    this.access = { op, cell: i, before, after: this.memory[i]!, label: this.label, ...cas };
    if (order !== undefined) this.access.order = order;
    if (this.pending?.cell === i && this.memory[i] !== before) {
      const { note, update } = this.pending;
      this.pending = undefined;
      this.apply(update, note);
      this.push('d', 0, -1);
    }
    return result;
  }

  // The five Cells methods convert their arguments exactly as `Atomics` does (index by
  // ToIndex, values by ToIntegerOrInfinity then wrapped to Int32), in the same order, so a
  // strategy computes here what it computes on real memory: a delta of 0.5 adds 0, the
  // string '1' adds 1, NaN and ±Infinity add 0, 2^32 + 1 adds 1. Conversion runs the
  // operands' own valueOf, before the access, as Atomics does.
  //
  // They are bound to the instance, as AtomicCells's are, so that code that destructures
  // its cells (`const { add, cas } = c`), which works on real memory, works here too.
  //
  // Each catches the one failure of the checker's own code that strategy code can cause: a
  // stack overflow, when the strategy calls in from deep in a recursion. A strategy that
  // catches RangeError would otherwise see the checker's own failure as its own, and go on
  // from a half-made access. The fault is kept where no catch can hide it, and the search
  // ends incomplete (STACK_FAULT): the checker's failure is never blamed on the strategy.
  // Nothing in the handler calls a function, so it cannot overflow again.
  readonly load = (i: number, order?: LoadOrder): number => {
    try {
      const cell = this.cellOf('load', i);
      return this.rmw('load', cell, (old) => [old, old], undefined, order);
    } catch (e) {
      if (e !== PAUSE && e instanceof RangeError) this.fault = STACK_FAULT;
      throw this.fault === STACK_FAULT ? PAUSE : e;
    }
  };
  readonly store = (i: number, value: number, order?: StoreOrder): void => {
    try {
      const cell = this.cellOf('store', i);
      const v = toInt32(value);
      this.rmw('store', cell, () => [0, v], undefined, order);
    } catch (e) {
      if (e !== PAUSE && e instanceof RangeError) this.fault = STACK_FAULT;
      throw this.fault === STACK_FAULT ? PAUSE : e;
    }
  };
  readonly add = (i: number, delta: number, order?: RmwOrder): number => {
    try {
      const cell = this.cellOf('add', i);
      const d = toInt32(delta);
      return this.rmw('add', cell, (old) => [old, (old + d) | 0], undefined, order);
    } catch (e) {
      if (e !== PAUSE && e instanceof RangeError) this.fault = STACK_FAULT;
      throw this.fault === STACK_FAULT ? PAUSE : e;
    }
  };
  readonly sub = (i: number, delta: number, order?: RmwOrder): number => {
    try {
      const cell = this.cellOf('sub', i);
      const d = toInt32(delta);
      return this.rmw('sub', cell, (old) => [old, (old - d) | 0], undefined, order);
    } catch (e) {
      if (e !== PAUSE && e instanceof RangeError) this.fault = STACK_FAULT;
      throw this.fault === STACK_FAULT ? PAUSE : e;
    }
  };
  readonly cas = (i: number, expected: number, replacement: number, order?: CasOrder): number => {
    try {
      const cell = this.cellOf('cas', i);
      const e = toInt32(expected);
      const r = toInt32(replacement);
      const exchange = { expected: e, replacement: r };
      return this.rmw('cas', cell, (old) => [old, old === e ? r : old], exchange, order);
    } catch (e) {
      if (e !== PAUSE && e instanceof RangeError) this.fault = STACK_FAULT;
      throw this.fault === STACK_FAULT ? PAUSE : e;
    }
  };

  /**
   * The cell `Atomics` would access for index `i`, or an `outOfRange` fault where real
   * memory would throw a RangeError, or where the code under test may not reach: while a
   * strategy function runs on page p ({@link ModelCells.page}), only cell p, page p's
   * counter. A region on real memory holds nothing but counters, so a strategy that reaches
   * past its own (the type or free-list cells of the model, another page's counter) would
   * throw there or corrupt another page.
   */
  private cellOf(op: string, i: number): number {
    this.guard();
    const cell = toIndex(i);
    if (!(cell >= 0 && cell < this.memory.length)) {
      this.raise(
        'outOfRange',
        `${this.who()} made ${accessText(op, `cell ${describeIndex(i)}`)}, outside the ${this.memory.length} cells`,
      );
    }
    if (this.page !== -1 && cell !== this.page) {
      const why =
        this.page >= 0
          ? `which is not the counter of p${this.page}: a strategy function touches only the counter of the page it is called on (cell p)`
          : 'but this function is given no cells: it may not touch memory';
      this.raise('outOfRange', `${this.who()} made ${accessText(op, this.cellName(cell))}, ${why}`);
    }
    return cell;
  }

  /** `T1's tryGet (get p0)`: who is running, for messages. */
  who(): string {
    const what = [this.callee, this.label].filter(Boolean);
    const where = what.length === 2 ? `${what[0]} (${what[1]})` : (what[0] ?? 'body');
    return `${this.probe || `T${this.thread}`}'s ${where}`;
  }

  private apply(update: () => void, note: string | undefined): void {
    if (note !== undefined) this.notes.push(note); // shown even if it is the violation
    try {
      update();
    } catch (e) {
      if (e instanceof Violation) this.fault = e; // kept, whatever the body catches
      throw e;
    }
  }

  /** Called first by every method: a fault or a swallowed pause ends the step. */
  private guard(): void {
    if (this.fault) throw PAUSE;
    if (this.paused) {
      this.swallowed('called into the cells again');
      throw PAUSE;
    }
  }

  private swallowed(how: string): Violation {
    const where = this.pausedIn || 'body';
    this.fault ??= new Violation<ExploreFault>(
      'pauseSwallowed',
      `${this.probe || `T${this.thread}`}'s ${where} caught the exception the checker throws through the cells to pause a thread, and ${how}: code under the checker must not catch exceptions from the cells (rethrow what you do not handle)`,
    );
    return this.fault;
  }

  private raise(kind: ExploreFault, message: string): never {
    this.fault = new Violation<ExploreFault>(kind, message);
    throw PAUSE;
  }

  private diverged(what: string): Violation {
    this.fault ??= new Violation<ExploreFault>(
      'nondeterministic',
      `${this.probe || `T${this.thread}`}'s replay diverged from its first run: it ${what}. Is the body deterministic? (It may depend only on what the cells return: no Math.random(), clocks, or state kept between calls.)`,
    );
    return this.fault;
  }

  private entry(position: number): string {
    const kind = this.log.kinds[position];
    if (kind === 'a') {
      const site = this.log.sites[position]!;
      return accessText(opOfCode(site % OPS), this.cellName(Math.floor(site / OPS)));
    }
    return kind === 'b' || kind === 'o' ? 'an operation' : 'a ghost update';
  }

  private expect(kind: string, site: number): void {
    const p = this.position;
    if (this.log.kinds[p] === kind && (kind !== 'a' || this.log.sites[p] === site)) return;
    const now =
      kind === 'a'
        ? accessText(opOfCode(site % OPS), this.cellName(Math.floor(site / OPS)))
        : kind === 'b'
          ? 'an operation'
          : 'a ghost update';
    this.diverged(`made ${now} where it had made ${this.entry(p)}`);
    throw PAUSE;
  }

  private push(kind: string, value: number, site: number): void {
    this.log.values.push(value);
    this.log.kinds += kind;
    this.log.sites.push(site);
    this.position++;
  }
}

/** An index as a message shows it: `-1`, `0.5`, `"1"`, `NaN`. */
function describeIndex(i: unknown): string {
  if (typeof i === 'string') return JSON.stringify(i);
  try {
    return String(i);
  } catch {
    return typeof i;
  }
}
