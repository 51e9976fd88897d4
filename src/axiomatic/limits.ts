/**
 * The limits of one litmus run, shared by the front end's trace building (programOf takes a
 * `budget`) and the model's candidate enumeration (run.ts), so that a single deadline and a
 * single memory ceiling cover the whole run, checked inside every loop rather than between
 * phases: 50 processes used to spend 20 s and 1.3 GB before the first check.
 *
 * The relation algebra (relation.ts) checks the budget of the run in progress too, inside its
 * operators (withBudget): with thousands of events one operator takes seconds.
 *
 * Past a limit, `check()` throws LimitReached; runModel and runLitmusModel turn it into an
 * `incomplete` result that names the limit as the CLI option that sets it
 * (`max-seconds=2`, `max-states=1000000`, `max-memory-mb=1024`), never into a verdict.
 */

/**
 * A limit was reached; `limit` names it as `option=value` (the CLI's option names), and
 * `detail` may say where (`P0 has more than 10000 traces`).
 */
export class LimitReached extends Error {
  constructor(
    readonly limit: string,
    readonly detail?: string,
  ) {
    super(`stopped at the limit ${limit}${detail ? ` (${detail})` : ''}`);
    this.name = 'LimitReached';
  }
}

/** A run's limits where none is given: what `--max-seconds` and the memory ceiling default to. */
export const BUDGET_DEFAULTS = { maxSeconds: 60, maxMemoryMB: 1_024 } as const;

export interface BudgetOptions {
  /** Wall-clock limit in seconds (`--max-seconds`). Default 60. */
  maxSeconds?: number;
  /** Limit on the memory in use (JS heap and array buffers), in MiB. Default 1,024. */
  maxMemoryMB?: number;
}

/**
 * A watchdog's heartbeat (src/check/isolated.ts), beaten by every budget of this thread each
 * time it reads the clock: a run that checks its budget is making progress, and strategy code
 * that spins without returning to the checker stops the beat. Set by the checker's worker
 * before a strategy module loads.
 */
let heartbeat: Int32Array | undefined;

/** Makes every budget of this thread beat `cells[0]` as it checks the clock. */
export function beatOnBudgetChecks(cells: Int32Array): void {
  heartbeat = cells;
}

/** Time and memory for one run: `check()` is cheap enough to call in every inner loop. */
export class Budget {
  readonly maxSeconds: number;
  readonly maxMemoryMB: number;
  private readonly deadline: number;
  private calls = 0;
  /** When the memory was last read (performance.now()). */
  private memoryReadAt = -Infinity;

  constructor(options: BudgetOptions = {}) {
    this.maxSeconds = options.maxSeconds ?? BUDGET_DEFAULTS.maxSeconds;
    this.maxMemoryMB = options.maxMemoryMB ?? BUDGET_DEFAULTS.maxMemoryMB;
    this.deadline = performance.now() + this.maxSeconds * 1000;
  }

  /**
   * Throws LimitReached past the deadline or the memory ceiling. The clock is read every 16
   * calls, the memory at most every 10 ms (process.memoryUsage() reads /proc: tens of
   * microseconds on a loaded machine, and a second of a 5-second run when it was read every
   * 1,024 calls): a call in a loop whose body builds one relation or runs one read stays
   * cheap. A relation of a megabyte or more asks before it is allocated (allocating).
   */
  check(): void {
    const n = ++this.calls;
    if ((n & 15) !== 0) return;
    if (heartbeat) Atomics.add(heartbeat, 0, 1);
    const now = performance.now();
    if (now > this.deadline) throw new LimitReached(`max-seconds=${this.maxSeconds}`);
    if (now - this.memoryReadAt >= 10) {
      this.memoryReadAt = now;
      this.allocate(0);
    }
  }

  /**
   * Throws LimitReached if holding `bytes` more would pass the memory ceiling. Memory is the
   * JS heap and the array buffers together: a relation's bits live in a buffer, outside the
   * heap, and a test with 30,000 locations reached 3.6 GB of them against a 1 GiB limit
   * while the heap stayed small.
   */
  allocate(bytes: number): void {
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    if (heapUsed + arrayBuffers + bytes > this.maxMemoryMB * 2 ** 20)
      throw new LimitReached(`max-memory-mb=${this.maxMemoryMB}`);
  }
}

/** The budget of the run in progress (withBudget), which the relation algebra checks. */
let ambient: Budget | undefined;

/**
 * Runs `f` with `budget` as the one that the operators of relation.ts check, row by row,
 * and before each large allocation: a relation over n events is n² bits and n² steps, and a
 * test with thousands of locations has thousands of events, so a single operator may run
 * for seconds. The operators are pure functions of their operands; the budget is ambient so
 * that a model reads as its .cat file does, without a budget on every line.
 */
export function withBudget<T>(budget: Budget, f: () => T): T {
  const outer = ambient;
  ambient = budget;
  try {
    return f();
  } finally {
    ambient = outer;
  }
}

/** Checks the ambient budget, if a run has one. @throws LimitReached */
export function checkBudget(): void {
  ambient?.check();
}

/** Bytes above which allocating a relation asks the ambient budget first. */
const LARGE = 1 << 20;

/** Before allocating `bytes`: a large allocation must fit the ambient memory ceiling. */
export function allocating(bytes: number): void {
  if (bytes >= LARGE) ambient?.allocate(bytes);
}
