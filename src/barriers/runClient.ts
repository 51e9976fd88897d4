/**
 * One client (clients.ts) against one strategy under one model: each thread runs as code over
 * recording cells (src/axiomatic's code engine, as `check --model lkmm` runs a scenario), and
 * the model's allowed executions give the client's outcomes.
 *
 * An outcome is what the client observes, with the counter read through the strategy's own
 * meaning, so that two strategies can be compared: each READ_ONCE's value; each call's
 * result (a boolean as 0/1, `count` as it is, a raw counter value from a *Return call as
 * {@link counterValue}); the final values of x and y that it writes; the final counter as
 * {@link counterValue}. Each run also logs the Cells calls each page_ref call makes, which
 * litmusOut.ts writes out as kernel calls.
 *
 * @module
 */

import { AtomicCells } from '../cells/atomicCells.js';
import type { Cells, CasOrder, LoadOrder, Order, RmwOrder, StoreOrder } from '../cells/cells.js';
import { STRONGEST, toInt32 } from '../cells/cells.js';
import { codeProgram, modelRuns } from '../axiomatic/codeTraces.js';
import type { CodeThread } from '../axiomatic/codeTraces.js';
import type { Value } from '../axiomatic/events.js';
import { Budget, LimitReached } from '../axiomatic/limits.js';
import type { MemoryModel } from '../axiomatic/models/model.js';
import type { RecordingCells } from '../axiomatic/recordingCells.js';
import type { Strategy } from '../refcount/strategy.js';
import type { Client, CounterStart, PageRefFunction } from './clients.js';

/** The cells of a client: the page counter, then x and y. */
export const CELL_NAMES = ['c', 'x', 'y'] as const;
const C = 0;

/** One Cells call a page_ref call made, with what it returned. */
export interface CellsOp {
  method: 'load' | 'store' | 'add' | 'sub' | 'cas';
  /** The arguments after the cell index (value, delta, or expected and replacement). */
  args: readonly number[];
  order: Order;
  result: number | undefined;
}

/** One run of one page_ref call: its Cells calls in order, and what it returned. */
export interface CallRun {
  ops: readonly CellsOp[];
  returned: number | undefined;
}

/**
 * A client outcome: registers by thread (`0:r1`), the final `x` and `y` (where the client
 * writes them) and the final `c`, as numbers.
 */
export type ClientOutcome = Readonly<Record<string, number>>;

export type ClientResult =
  | {
      kind: 'complete';
      /** The allowed outcomes, each as a sorted key → outcome. */
      outcomes: ReadonlyMap<string, ClientOutcome>;
      /**
       * Per `thread:step` (a call's index in its thread), every way the call ran in the runs
       * of some execution the model allows.
       */
      calls: ReadonlyMap<string, readonly CallRun[]>;
      /** Runs cut by the event bound (then no verdict on this client). */
      cut: number;
      executions: number;
    }
  | { kind: 'incomplete'; limit: string };

export interface ClientOptions {
  /** Events per thread before a run is cut. Default 32. */
  maxEvents?: number;
  /** Seconds per client, a safety net. Default 60. */
  maxSeconds?: number;
  /** Candidate executions per client. Default 200,000. */
  maxStates?: number;
  /**
   * Choices of one trace per thread handed to the model, per client: a limit that does not
   * depend on the machine's load, unlike maxSeconds. Default 10,000.
   */
  maxCombinations?: number;
  /**
   * Rewrites an access's ordering in the function under test only: thread, method, order,
   * the Cells call's number in that call. For tests: a known weaker variant.
   */
  reorder?: (method: string, order: Order) => Order;
}

/** The raw counter value a strategy holds at a start. */
export function startValue(strategy: Strategy, start: CounterStart): number {
  const cells = new AtomicCells(new Int32Array(1));
  if (start === 'frozen') strategy.setFrozen(cells, 0);
  else strategy.set(cells, 0, start === 'live1' ? 1 : 2);
  return cells.load(0, 'once');
}

/** A raw counter value as the strategy means it: -1 if frozen, else the count. */
export function counterValue(strategy: Strategy, raw: number): number {
  return strategy.isFrozenCount(raw | 0) ? -1 : raw | 0;
}

/** The functions whose result is a raw counter value. */
const RAW_RESULT: ReadonlySet<PageRefFunction> = new Set<PageRefFunction>([
  'incReturn',
  'decReturn',
  'subReturn',
]);

/** A call's result as an outcome value. */
function resultValue(strategy: Strategy, fn: PageRefFunction, r: unknown): number | undefined {
  if (r === undefined) return undefined;
  if (typeof r === 'boolean') return r ? 1 : 0;
  if (typeof r === 'number') return RAW_RESULT.has(fn) ? counterValue(strategy, r) : r;
  throw new Error(`[checker bug] ${fn} returned ${String(r)}`);
}

/** Runs `client` against `strategy` under `model`. */
export function runClient(
  client: Client,
  strategy: Strategy,
  model: MemoryModel,
  options: ClientOptions = {},
): ClientResult {
  const budget = new Budget({ maxSeconds: options.maxSeconds });
  const maxCombinations = options.maxCombinations ?? 10_000;
  const maxStates = options.maxStates ?? 200_000;
  // every run of each thread: per call step, what the call did; a run's index is its
  // trace's hidden register RUN, so that the calls of the runs LKMM uses can be written out
  const runs: Map<number, CallRun>[][] = client.threads.map(() => []);
  const threads: CodeThread[] = client.threads.map((steps, t) => (rec) => {
    const regs: Record<string, Value> = { [RUN]: runs[t]!.length };
    const log = new Map<number, CallRun>();
    runs[t]!.push(log);
    steps.forEach((s, k) => {
      switch (s.op) {
        case 'write':
          rec.store(CELL_NAMES.indexOf(s.loc), s.value, s.order ?? 'once');
          return;
        case 'read':
          regs[s.reg] = rec.load(CELL_NAMES.indexOf(s.loc), s.order ?? 'once');
          return;
        case 'mb':
          rec.fence('MB');
          return;
        case 'call': {
          const logged = new LoggingCells(rec, s.test ? options.reorder : undefined);
          const fn = strategy[s.fn] as (c: Cells, p: number, ...a: number[]) => unknown;
          const returned = resultValue(strategy, s.fn, fn(logged, C, ...s.args));
          log.set(k, { ops: logged.ops, returned });
          if (s.reg !== undefined) regs[s.reg] = returned!;
          return;
        }
      }
    });
    return regs;
  });
  const init = new Map<string, number>([
    ['c', startValue(strategy, client.start)],
    ['x', 0],
    ['y', 0],
  ]);
  // the final x and y, where the client writes them
  const written = (['x', 'y'] as const).filter((loc) =>
    client.threads.some((t) => t.some((s) => s.op === 'write' && s.loc === loc)),
  );
  try {
    const code = codeProgram(init, threads, {
      cellName: (i) => CELL_NAMES[i]!,
      maxEvents: options.maxEvents ?? 32,
      budget,
    });
    const program = code.program;
    const outcomes = new Map<string, ClientOutcome>();
    let executions = 0;
    let combinations = 0;
    const used = client.threads.map(() => new Set<number>());
    const choices = modelRuns(
      program,
      model,
      () => ({ maxExecutions: maxStates - executions, budget }),
      () => budget.check(),
    );
    for (const { combo, result: r } of choices) {
      if (++combinations > maxCombinations)
        return { kind: 'incomplete', limit: `max-combinations=${maxCombinations}` };
      if (r.kind === 'incomplete') return { kind: 'incomplete', limit: r.limit };
      executions += r.explored;
      if (r.allowed.length > 0)
        combo.forEach((trace, t) => used[t]!.add(trace.registers[RUN] as number));
      for (const a of r.allowed) {
        const o: Record<string, number> = {};
        a.outcome.registers.forEach((regs, t) => {
          for (const [name, v] of Object.entries(regs))
            if (name !== RUN) o[`${t}:${name}`] = v as number;
        });
        for (const loc of written) o[loc] = a.outcome.memory.get(loc) as number;
        o.c = counterValue(strategy, a.outcome.memory.get('c') as number);
        outcomes.set(outcomeKey(o), o);
      }
    }
    // nothing allowed is nothing observed: two such runs would compare as the same
    if (outcomes.size === 0) return { kind: 'incomplete', limit: 'the model allowed no execution' };
    return {
      kind: 'complete',
      outcomes,
      calls: callsOf(runs, used),
      cut: code.cut.reduce((a, c) => a + c.length, 0),
      executions,
    };
  } catch (e) {
    if (e instanceof LimitReached) return { kind: 'incomplete', limit: e.limit };
    throw e;
  }
}

/** The hidden register that names a thread's run. */
const RUN = '__run';

/** Per `thread:step`, the distinct call runs among the runs `used`. */
function callsOf(
  runs: readonly Map<number, CallRun>[][],
  used: readonly ReadonlySet<number>[],
): Map<string, CallRun[]> {
  const out = new Map<string, Map<string, CallRun>>();
  runs.forEach((list, t) => {
    for (const i of used[t]!) {
      for (const [k, run] of list[i]!) {
        const key = `${t}:${k}`;
        const seen = out.get(key) ?? new Map<string, CallRun>();
        seen.set(JSON.stringify(run), run);
        out.set(key, seen);
      }
    }
  });
  return new Map([...out].map(([k, m]) => [k, [...m.values()]]));
}

/** An outcome as a key: its entries sorted by name. */
export function outcomeKey(o: ClientOutcome): string {
  return Object.keys(o)
    .sort()
    .map((k) => `${k}=${o[k]}`)
    .join(' ');
}

/** Cells over recording cells that log each call (and may reorder it: a test's variant). */
class LoggingCells implements Cells {
  ops: CellsOp[] = [];

  constructor(
    private readonly rec: RecordingCells,
    private readonly reorder?: (method: string, order: Order) => Order,
  ) {}

  private order<O extends Order>(method: string, given: O | undefined, strongest: O): O {
    const o = given ?? strongest;
    return (this.reorder ? this.reorder(method, o) : o) as O;
  }

  load(i: number, order?: LoadOrder): number {
    const o = this.order('load', order, STRONGEST.load);
    const r = this.rec.load(i, o);
    this.ops.push({ method: 'load', args: [], order: o, result: r });
    return r;
  }

  store(i: number, value: number, order?: StoreOrder): void {
    const o = this.order('store', order, STRONGEST.store);
    this.rec.store(i, value, o);
    this.ops.push({ method: 'store', args: [toInt32(value)], order: o, result: undefined });
  }

  add(i: number, delta: number, order?: RmwOrder): number {
    return this.rmw('add', i, delta, order);
  }

  sub(i: number, delta: number, order?: RmwOrder): number {
    return this.rmw('sub', i, delta, order);
  }

  private rmw(method: 'add' | 'sub', i: number, delta: number, order?: RmwOrder): number {
    const o = this.order<RmwOrder>(method, order, STRONGEST[method]);
    const r = this.rec[method](i, delta, o);
    // a call whose kernel form returns nothing (atomic_add) has no result to compare
    const result = o === 'noreturn' ? undefined : r;
    this.ops.push({ method, args: [toInt32(delta)], order: o, result });
    return r;
  }

  cas(i: number, expected: number, replacement: number, order?: CasOrder): number {
    const o = this.order<CasOrder>('cas', order, STRONGEST.cas);
    const r = this.rec.cas(i, expected, replacement, o);
    this.ops.push({
      method: 'cas',
      args: [toInt32(expected), toInt32(replacement)],
      order: o,
      result: r,
    });
    return r;
  }
}
