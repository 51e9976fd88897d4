/**
 * Recording cells: a `Cells` whose accesses become herd7's events (events.ts) instead of
 * touching memory, so that a strategy's own code, run as a black box, hands the axiomatic
 * model the same traces a litmus file does.
 *
 * Each read returns a value chosen from outside (`choose`, see choices.ts) among the values
 * its location may hold (`valuesOf`); the run records every access in program order with the
 * herd7 tag of its ordering (LKMM_TAG; an omitted ordering is the strongest, STRONGEST):
 * - load: R tagged ONCE or ACQUIRE;
 * - store: W tagged ONCE or RELEASE;
 * - add/sub: an RMW, R and W both tagged with the ordering and RMW (NORETURN for a kernel
 *   call that returns nothing, lkmmv2);
 * - cas: the read, and the write only if the read returned `expected`; a failed cas is its
 *   lone read, tagged like the cas and RMW, as symbolic.ts tags a litmus file's failed
 *   cmpxchg (herd7's FailedRMW, which linux-kernel.bell makes relaxed).
 *
 * No dependency is recorded inside the code: it is a black box, so no address, data or
 * control dependency is assumed, which only adds executions (the model's ppo loses its
 * dependency terms). A caller that branches on what the code returned says so with
 * {@link RecordingCells.branch}: the branch's events are then control dependent on every read
 * the code made. `plain(...)` records a plain C access (no tag) for the page contents.
 *
 * A run that reaches `maxEvents` events is cut: the next access throws {@link TraceCut}, and
 * the caller keeps the prefix as a cut trace (a loop unrolled past the bound, as herd7
 * unrolls).
 */

import type { Cells, CasOrder, LoadOrder, Order, RmwOrder, StoreOrder } from '../cells/cells.js';
import { STRONGEST, toInt32 } from '../cells/cells.js';
import { LKMM_TAG } from '../cells/kernelAtomics.js';
import { stepKey, type WalkNode } from './cellWalk.js';
import type { Choose } from './choices.js';
import type { TraceEvent } from './events.js';

/** Thrown at the access past the event bound. */
export class TraceCut extends Error {
  constructor(readonly bound: number) {
    super(`the trace reached the bound of ${bound} events`);
    this.name = 'TraceCut';
  }
}

/**
 * Thrown where a run ended normally (or with its own error) after the cells had stopped it
 * with one of their signals ({@link TraceCut}, {@link TraceInfeasible}, {@link TraceFrontier}):
 * the code caught the signal and went on, so its trace is not what it ran. Kept by the cells,
 * as the SC explorer keeps a swallowed pause (src/explore/modelCells.ts), so no `catch` can
 * turn a cut or impossible run into a complete one.
 */
export class SignalSwallowed extends Error {
  constructor(readonly signal: Error) {
    super(
      `the code caught the exception the checker throws through the cells to stop a run (${signal.message}) and went on: code under the checker must not catch exceptions from the cells (rethrow what you do not handle)`,
    );
    this.name = 'SignalSwallowed';
  }
}

/**
 * Thrown at a read whose thread is at a point of its accesses to the location that no
 * interleaving reaches (cellWalk.ts): the run is impossible, and is kept nowhere.
 */
export class TraceInfeasible extends Error {
  constructor(readonly loc: string) {
    super(`no interleaving of the accesses to ${loc} reaches this run`);
    this.name = 'TraceInfeasible';
  }
}

/**
 * Thrown at a read of a location where the run has left its tree of accesses there (a step
 * the last walk did not know): the run stops, its prefix grows the tree, and the next round
 * of the fixpoint goes on from there with the walk's answer (codeTraces.ts).
 */
export class TraceFrontier extends Error {
  constructor(readonly loc: string) {
    super(`the run left the known accesses to ${loc}`);
    this.name = 'TraceFrontier';
  }
}

const NONE: readonly number[] = [];

/** The signals these cells threw: code can construct the classes, never join this set. */
const SIGNALS = new WeakSet<object>();

/**
 * Whether `e` is a signal the recording cells themselves threw, by identity: a forged
 * `new TraceCut()` from the code under test is not one, and a revoked Proxy thrown by it
 * is answered without running any of its traps.
 */
export function isCellsSignal(e: unknown): boolean {
  return typeof e === 'object' && e !== null && SIGNALS.has(e);
}

export interface RecordingOptions {
  /** The location's name of cell `i` (`p0`, `type[p0]`). */
  cellName(i: number): string;
  /**
   * The values a read of `loc` may return from the initial write or another thread's writes
   * (a fixpoint's current domain). A read may also return this run's own last write to
   * `loc`, which these cells add: coherence forbids reading an own later write, or an own
   * write that an own later one overwrote.
   */
  valuesOf(loc: string): readonly number[];
  /** Events in one run before it is cut. */
  maxEvents: number;
  /**
   * How many times this thread's observations of `loc` may change value: at most the
   * writes to `loc` that other threads make in one execution (see codeTraces.ts). Default:
   * no limit.
   */
  changesOf?(loc: string): number;
  /**
   * The length of the shortest chain of writes to `loc` that produces `value` there (0: the
   * initial value), for {@link RecordingCells.depths}. Default 0.
   */
  depthOf?(loc: string, value: number): number;
  /**
   * Rewrites the ordering of an access before it is recorded (an audit's weakening):
   * `n` counts the Cells calls of this run, from 0. Default: as the code says.
   */
  reorder?: (method: string, order: Order, n: number) => Order;
  /**
   * Where this thread's accesses to each location start in the trees of cellWalk.ts, and
   * the values current at each point of them in the last walk: a read at a known point
   * returns only those, one at a point no walk reached stops the run
   * ({@link TraceInfeasible}), and one off the trees stops it too ({@link TraceFrontier}).
   * Default: no such restriction.
   */
  walk?: {
    root(loc: string): WalkNode | undefined;
    valuesAt: ReadonlyMap<WalkNode, ReadonlySet<number>>;
  };
}

export class RecordingCells implements Cells {
  /** This run's events, in program order. */
  events: TraceEvent[] = [];
  /**
   * The reads (event indices) that the events recorded now are control dependent on: the
   * caller sets it around a branch it takes on values read (see {@link branch}).
   */
  ctrl: readonly number[] = NONE;
  /**
   * For each write of this run (by event index), the chain of writes to its location that
   * its value may need: one more than the deepest value this run observed there before it.
   * A value computed only from what the code read from the same cell (and constants) needs
   * no more (codeTraces.ts).
   */
  depths = new Map<number, number>();
  /** This run's deepest observation of each location. */
  private deepest = new Map<string, number>();
  private choose: Choose = () => 0;
  private calls = 0;
  /** This run's last write to each location. */
  private own = new Map<string, number>();
  /** This run's last observation (read or write) of each location, and how often it changed. */
  private seen = new Map<string, { value: number; changes: number }>();
  /** This run's point in its tree of accesses to each location (null: off the tree). */
  private at = new Map<string, WalkNode | null>();
  /** A read not yet known to be an RMW's or a lone one. */
  private pending: { loc: string; value: number } | undefined;
  /**
   * The signal that stopped this run, if one did: every later call throws it again, and
   * {@link swallowed} tells a run that ended after it.
   */
  private stoppedBy: Error | undefined;
  /** The code called the cells again after a signal stopped the run: it caught the signal. */
  private calledAfterStop = false;

  constructor(private readonly options: RecordingOptions) {}

  /** Starts a new run whose reads are answered by `choose`. */
  reset(choose: Choose): void {
    this.events = [];
    this.choose = choose;
    this.calls = 0;
    this.own.clear();
    this.seen.clear();
    this.depths = new Map();
    this.deepest.clear();
    this.ctrl = NONE;
    this.at.clear();
    this.pending = undefined;
    this.stoppedBy = undefined;
    this.calledAfterStop = false;
  }

  /**
   * The run's end: `undefined` if no signal stopped it, or the signal it ended by; a
   * {@link SignalSwallowed} if one stopped it and the code went on to return or throw
   * something else. `thrown` is what the run threw, if anything.
   */
  ended(thrown?: unknown): Error | undefined {
    if (!this.stoppedBy) return undefined;
    if (thrown === this.stoppedBy && !this.calledAfterStop) return this.stoppedBy;
    return new SignalSwallowed(this.stoppedBy);
  }

  /** Stops the run with a signal, kept so that a caught one is thrown again and noticed. */
  private stop(signal: Error): never {
    this.guard();
    this.stoppedBy = signal;
    SIGNALS.add(signal);
    throw signal;
  }

  /** Called first by every access: a stopped run stays stopped, and one called again swallowed. */
  private guard(): void {
    if (!this.stoppedBy) return;
    this.calledAfterStop = true;
    throw this.stoppedBy;
  }

  private nodeOf(loc: string): WalkNode | null {
    const known = this.at.get(loc);
    return known !== undefined ? known : (this.options.walk?.root(loc) ?? null);
  }

  private advance(loc: string, key: string): void {
    const node = this.nodeOf(loc);
    this.at.set(loc, node?.next.get(key)?.node ?? null);
  }

  /** A read that no RMW write followed is a lone read step. */
  private flush(): void {
    if (!this.pending) return;
    this.advance(this.pending.loc, stepKey(this.pending.value, undefined));
    this.pending = undefined;
  }

  /** The values the walk allows a read of `loc` to return here, or undefined: no restriction. */
  private allowed(loc: string): ReadonlySet<number> | undefined {
    const walk = this.options.walk;
    if (!walk) return undefined;
    const node = this.nodeOf(loc);
    if (!node) this.stop(new TraceFrontier(loc));
    const values = walk.valuesAt.get(node);
    if (!values || values.size === 0) this.stop(new TraceInfeasible(loc));
    return values;
  }

  /**
   * Runs `decide` (code that reads), and if it returns true, `then` with every event it
   * records control dependent on the reads `decide` made, as herd7 makes the events in the
   * branches of an `if` on them (a loop unrolled into nested ifs included). @returns decide's
   */
  branch(decide: () => boolean, then: () => void): boolean {
    const from = this.events.length;
    const taken = decide();
    if (!taken) return false;
    const reads: number[] = [];
    for (let i = from; i < this.events.length; i++) if (this.events[i]!.kind === 'R') reads.push(i);
    const outer = this.ctrl;
    this.ctrl = [...new Set([...outer, ...reads])].sort((a, b) => a - b);
    try {
      then();
    } finally {
      this.ctrl = outer;
    }
    return true;
  }

  /**
   * Records an observation of `loc`: a read that sees another value than the last
   * observation (read or own write) reads a strictly co-later write of another thread, and
   * counts as a change; an own write only sets the value.
   */
  private observe(loc: string, value: number, read: boolean): void {
    const last = this.seen.get(loc);
    if (!last) this.seen.set(loc, { value, changes: 0 });
    else if (last.value !== value)
      this.seen.set(loc, { value, changes: last.changes + (read ? 1 : 0) });
  }

  /** The value a read of `loc` returns: one of those it may, chosen from outside. */
  private pick(loc: string): number {
    this.guard();
    this.flush();
    const allowed = this.allowed(loc);
    const all = this.valuesOf(loc);
    const values = allowed ? all.filter((v) => allowed.has(v)) : all;
    const last = this.seen.get(loc);
    // out of changes: the read sees the same write as the last observation
    if (last && this.options.changesOf && last.changes >= this.options.changesOf(loc)) {
      if (!all.includes(last.value)) throw new Error(`recording cells: ${loc} lost a value`);
      if (!values.includes(last.value)) this.stop(new TraceInfeasible(loc));
      return last.value;
    }
    if (values.length === 0) this.stop(new TraceInfeasible(loc));
    return values[this.choose(values.length)]!;
  }

  /** The values a read of `loc` may return now. */
  private valuesOf(loc: string): readonly number[] {
    const values = this.options.valuesOf(loc);
    const own = this.own.get(loc);
    return own === undefined || values.includes(own) ? values : [...values, own];
  }

  private order(method: string, given: Order | undefined, strongest: Order): Order {
    const o = given ?? strongest;
    return this.options.reorder ? this.options.reorder(method, o, this.calls++) : o;
  }

  private push(e: Omit<TraceEvent, 'addr' | 'data' | 'ctrl' | 'at'>): number {
    this.guard();
    if (this.events.length >= this.options.maxEvents)
      this.stop(new TraceCut(this.options.maxEvents));
    if (e.kind === 'W') this.own.set(e.loc!, e.value as number);
    if (e.kind !== 'F') this.observe(e.loc!, e.value as number, e.kind === 'R');
    if (e.kind === 'R') {
      this.flush();
      this.pending = { loc: e.loc!, value: e.value as number };
    } else if (e.kind === 'W' && e.rmwRead !== undefined && this.pending) {
      this.advance(e.loc!, stepKey(this.pending.value, e.value as number));
      this.pending = undefined;
    } else {
      this.flush();
      if (e.kind === 'W') this.advance(e.loc!, stepKey(undefined, e.value as number));
    }
    const loc = e.loc!;
    const deepest = this.deepest.get(loc) ?? 0;
    if (e.kind === 'W') {
      this.depths.set(this.events.length, deepest + 1);
      this.deepest.set(loc, deepest + 1);
    } else if (e.kind === 'R') {
      const d =
        this.own.get(loc) === e.value
          ? deepest
          : (this.options.depthOf?.(loc, e.value as number) ?? 0);
      this.deepest.set(loc, Math.max(deepest, d));
    }
    this.events.push({
      ...e,
      addr: NONE,
      data: NONE,
      ctrl: this.ctrl,
      at: { line: this.events.length + 1, column: 0 },
    });
    return this.events.length - 1;
  }

  private read(loc: string, tags: string[]): { value: number; id: number } {
    // room for the whole access (an RMW's write too) before choosing: a cut never splits one
    this.guard();
    if (this.events.length >= this.options.maxEvents)
      this.stop(new TraceCut(this.options.maxEvents));
    const value = this.pick(loc);
    return { value, id: this.push({ kind: 'R', loc, value, tags }) };
  }

  /** A plain C read (`r = *x`): no tag, the model's Plain. */
  plainLoad(i: number): number {
    return this.read(this.options.cellName(i), []).value;
  }

  /** A plain C write (`*x = v`). */
  plainStore(i: number, value: number): void {
    this.push({ kind: 'W', loc: this.options.cellName(i), value: value | 0, tags: [] });
  }

  /**
   * A fence (`smp_wmb()` is `wmb`, `smp_mb()` is `MB`): an F event with herd7's tag. No
   * strategy has one; the page's publication (src/check/lkmm) and a client that puts strategy
   * code between other accesses (src/barriers) do.
   */
  fence(tag: string): void {
    this.push({ kind: 'F', tags: [tag] });
  }

  load(i: number, order?: LoadOrder): number {
    const o = this.order('load', order, STRONGEST.load);
    return this.read(this.options.cellName(i), [LKMM_TAG[o]]).value;
  }

  store(i: number, value: number, order?: StoreOrder): void {
    const o = this.order('store', order, STRONGEST.store);
    const v = toInt32(value); // as Atomics converts it, everywhere below too
    this.push({ kind: 'W', loc: this.options.cellName(i), value: v, tags: [LKMM_TAG[o]] });
  }

  add(i: number, delta: number, order?: RmwOrder): number {
    return this.rmw(i, toInt32(delta), this.order('add', order, STRONGEST.add));
  }

  sub(i: number, delta: number, order?: RmwOrder): number {
    return this.rmw(i, -toInt32(delta), this.order('sub', order, STRONGEST.sub));
  }

  private rmw(i: number, delta: number, o: Order): number {
    const loc = this.options.cellName(i);
    const tags = [LKMM_TAG[o], 'RMW'];
    if (this.events.length + 2 > this.options.maxEvents)
      this.stop(new TraceCut(this.options.maxEvents));
    const old = this.read(loc, tags);
    this.push({ kind: 'W', loc, value: (old.value + delta) | 0, tags, rmwRead: old.id });
    return old.value;
  }

  cas(i: number, expected: number, replacement: number, order?: CasOrder): number {
    const o = this.order('cas', order, STRONGEST.cas);
    const loc = this.options.cellName(i);
    if (this.events.length + 2 > this.options.maxEvents)
      this.stop(new TraceCut(this.options.maxEvents));
    const value = this.pick(loc);
    const tags = [LKMM_TAG[o], 'RMW'];
    if (value !== toInt32(expected)) {
      // failed: the lone read, tagged as litmus files tag it; linux-kernel.bell makes it
      // relaxed (FailedRMW = RMW \ (domain(rmw) | range(rmw)), Mb = MB \ FailedRMW, ...)
      this.push({ kind: 'R', loc, value, tags });
      return value;
    }
    const id = this.push({ kind: 'R', loc, value, tags });
    this.push({ kind: 'W', loc, value: toInt32(replacement), tags, rmwRead: id });
    return value;
  }
}
