/**
 * The seam between a litmus front end and an axiomatic memory model.
 *
 * The front end (src/litmus) runs each process's code once for every combination of values
 * its reads may return, and hands over each resulting *trace*: the process's events in
 * program order, each with herd7's annotations and its dependencies, and the registers at the
 * end. The model side (src/axiomatic) picks one trace per process, adds an initial write per
 * location, enumerates the candidate executions (a write for each read with the value the read
 * assumed, a coherence order per location) and keeps those the model allows.
 *
 * A read's value is an assumption of its trace; an execution is well formed only when the
 * read reads from a write of that same value and location. This is the guess-and-check form of
 * herd7's value equations: it needs the finite set of values each location may hold, which the
 * front end computes as a fixpoint.
 */

/** A value in memory or a register: a 32-bit integer, or the address of a location (`&x` is `'x'`). */
export type Value = number | string;

/** Where in the litmus file an event comes from, for messages. */
export interface SourceLocation {
  line: number;
  column: number;
}

/**
 * herd7's annotations of an event, as linux-kernel.bell and linux-kernel.def name them.
 * - accesses: 'ONCE', 'RELEASE', 'ACQUIRE', 'NORETURN', 'MB'; none for a plain C access
 *   (`*x = 1`, `r = *x`), which the model then counts as Plain;
 * - 'RMW' on both events of an RMW instruction (xchg, cmpxchg, atomic_*), and on the lone read
 *   of a failed cmpxchg or add_unless (so that FailedRMW = RMW \ (domain(rmw) | range(rmw)));
 * - fences (kind 'F'): 'MB', 'rmb', 'wmb', 'barrier', 'rcu-lock', 'rcu-unlock', 'sync-rcu',
 *   'before-atomic', 'after-atomic', 'after-spinlock', 'after-unlock-lock',
 *   'after-srcu-read-unlock';
 * - locks (the access is to the lock's location): 'LKR' (read, value 0) and 'LKW' (write,
 *   value 1) of spin_lock or a successful spin_trylock; 'UL' (write, value 0) of spin_unlock;
 *   'LF' (read, value 1) of a failed spin_trylock; 'RL' (read, value 1) and 'RU' (read,
 *   value 0) of spin_is_locked returning true / false;
 * - SRCU: 'srcu-lock' (a read), 'srcu-unlock' (a write), 'sync-srcu' (kind 'F' with a loc).
 */
export type Tag = string;

export interface TraceEvent {
  kind: 'R' | 'W' | 'F';
  /** The location accessed (for lock events, the lock; for 'sync-srcu', its srcu_struct). */
  loc?: string;
  /** For 'R', the value this trace assumed it reads; for 'W', the value written. */
  value?: Value;
  tags: readonly Tag[];
  /** Indices, in this trace's `events`, of the reads this event's address depends on. */
  addr: readonly number[];
  /** ... of the reads the written value depends on (for a 'W'). */
  data: readonly number[];
  /**
   * ... of the reads the condition of each `if` whose branch contains this event depends on.
   * As herd7 (CSem's `If`, event.ml's cond_comp): control reaches the branches only, not the
   * statements after the `if`.
   */
  ctrl: readonly number[];
  /** For the write of a successful RMW (and an LKW), the index of its read (LKR). */
  rmwRead?: number;
  at: SourceLocation;
}

/** One way a process can run: its events in program order and its registers at the end. */
export interface ThreadTrace {
  events: readonly TraceEvent[];
  registers: Readonly<Record<string, Value>>;
}

/** What a model needs of a litmus test. */
export interface Program {
  /** Every shared location with its initial value (0 unless the init block says otherwise). */
  init: ReadonlyMap<string, Value>;
  /** For process i, every trace it can produce (at least one). */
  traces: readonly (readonly ThreadTrace[])[];
}
