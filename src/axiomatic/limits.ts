/**
 * The limits of one litmus run, shared by the front end's trace building (programOf takes a
 * `budget`) and the model's candidate enumeration (run.ts), so that a single deadline and a
 * single memory ceiling cover the whole run, checked inside every loop rather than between
 * phases: 50 processes used to spend 20 s and 1.3 GB before the first check.
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

export interface BudgetOptions {
  /** Wall-clock limit in seconds (`--max-seconds`). Default 60. */
  maxSeconds?: number;
  /** Limit on the JS heap in use, in MiB. Default 1,024. */
  maxMemoryMB?: number;
}

/** Time and memory for one run: `check()` is cheap enough to call in every inner loop. */
export class Budget {
  readonly maxSeconds: number;
  readonly maxMemoryMB: number;
  private readonly deadline: number;
  private calls = 0;

  constructor(options: BudgetOptions = {}) {
    this.maxSeconds = options.maxSeconds ?? 60;
    this.maxMemoryMB = options.maxMemoryMB ?? 1024;
    this.deadline = performance.now() + this.maxSeconds * 1000;
  }

  /**
   * Throws LimitReached past the deadline or the memory ceiling. The clock is read every 16
   * calls, the heap every 1,024 (process.memoryUsage() costs microseconds, a call here far
   * less): a call in a loop whose body builds one relation or runs one read stays cheap.
   */
  check(): void {
    const n = ++this.calls;
    if ((n & 15) !== 0) return;
    if (performance.now() > this.deadline) throw new LimitReached(`max-seconds=${this.maxSeconds}`);
    if ((n & 1023) === 0 && process.memoryUsage().heapUsed > this.maxMemoryMB * 2 ** 20)
      throw new LimitReached(`max-memory-mb=${this.maxMemoryMB}`);
  }
}
