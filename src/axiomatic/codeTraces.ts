/**
 * From code to a Program (events.ts): each thread is a black box that runs over recording
 * cells (recordingCells.ts), once per combination of values its reads may return
 * (choices.ts), and its traces are handed to the model exactly as a litmus file's are.
 *
 * The values a read may return are a fixpoint, as for litmus files (src/litmus/traces.ts):
 * start from the initial values, run every thread, add every value written to each location,
 * and run again until nothing changes. A value that an execution produces without a cycle
 * of self-justifying values comes from a chain of distinct write events of that execution,
 * so (the most writes an execution can hold + 1) rounds find them all; that most is the sum,
 * over threads, of the most writes one of its traces makes, recomputed each round. When the
 * code computes what it writes to a cell only from what it read from that cell (and
 * constants), as every built-in strategy and the page operations do, the chain stays on one
 * cell, and the most writes to one cell is enough. A strategy that is not built in is held to
 * that too: its door (src/check/lkmm/guardedLkmm.ts) lets it touch only its page's counter. Values
 * that only a cycle could justify (out of thin air: the code is a black box, so no
 * dependency forbids them in the model) are not explored: the kernel's dependencies forbid
 * them.
 *
 * Each thread's observations of one cell may change value at most as many times as other
 * threads write that cell in one execution (each change reads a strictly co-later write:
 * coherence), so a retry loop cannot read an endless sequence of values: the bound on
 * changes is the sum over the other threads of the most writes to the cell one run makes.
 *
 * A run cut by the per-thread event bound is kept apart (`cut`): its prefix, up to the cut,
 * is a trace too, and a caller that finds the model allows an execution through it knows the
 * search is bounded there.
 */

import type { Order } from '../cells/cells.js';
import { CellWalks, type WalkResult } from './cellWalk.js';
import { forEachChoice, type Choose } from './choices.js';
import type { Program, ThreadTrace, TraceEvent, Value } from './events.js';
import { LimitReached } from './limits.js';
import type { MemoryModel } from './models/model.js';
import { runModel, type ModelResult, type RunModelOptions } from './run.js';
import {
  RecordingCells,
  SignalSwallowed,
  TraceFrontier,
  TraceInfeasible,
} from './recordingCells.js';

/** A thread: runs its code over `cells` and returns its registers (what it observed). */
export type CodeThread = (cells: RecordingCells) => Record<string, Value>;

export interface CodeProgramOptions {
  /** The location's name of cell `i`. */
  cellName(i: number): string;
  /** Events in one run of a thread before it is cut. */
  maxEvents: number;
  /** Refuse a thread with more runs than this in one round. Default 100,000. */
  maxTraces?: number;
  /** Checked before each run; throws LimitReached to stop. */
  budget?: { check(): void };
  /**
   * Run each run twice with the same values read and compare what the two did (events,
   * registers, how they ended): code that is not deterministic given what it reads gives the
   * choice loop traces that no run made and hides others, so a difference is a
   * {@link CodeNondeterministic}. For code not known to be deterministic (a user's
   * strategy). Default false.
   */
  runTwice?: boolean;
  /** An audit's weakening, per thread (RecordingOptions.reorder). */
  reorder?: (thread: number, method: string, order: Order, n: number) => Order;
}

export interface CodeProgram {
  program: Program;
  /** Per thread, its runs cut by the event bound: each a prefix, with no registers. */
  cut: ThreadTrace[][];
  /** Rounds of the value fixpoint. */
  rounds: number;
}

/**
 * The traces of every thread over `init` (every location the code may touch, with its
 * initial value). @throws LimitReached past maxTraces or the budget; whatever a thread throws
 * other than a cut passes through.
 */
export function codeProgram(
  init: ReadonlyMap<string, number>,
  threads: readonly CodeThread[],
  options: CodeProgramOptions,
): CodeProgram {
  // per location, each value and the threads that write it (-1: the initial write), and the
  // shortest chain of writes to the location that produces it
  const domain = new Map<string, Map<number, Set<number>>>();
  const depth = new Map<string, Map<number, number>>();
  for (const [loc, v] of init) {
    domain.set(loc, new Map([[v, new Set([-1])]]));
    depth.set(loc, new Map([[v, 0]]));
  }
  const maxTraces = options.maxTraces ?? 100_000;
  let result: { traces: ThreadTrace[][]; cut: ThreadTrace[][] } | undefined;
  // per thread, per location: the most writes one of its runs makes there (last round's)
  let most: Map<string, number>[] = threads.map(() => new Map());
  let rounds = 0;
  // the trees of each thread's accesses to each location, over every round, and their walk
  const walks = new CellWalks(init, threads.length);
  let walked: WalkResult | undefined;
  for (;;) {
    if (++rounds > 1000)
      throw new LimitReached('max-rounds=1000', 'the value fixpoint does not settle');
    // this round's domains, fixed (and sorted) so that every run asks the same questions;
    // thread t reads the initial value or another thread's writes (its own: RecordingCells)
    const valuesFor = (t: number) =>
      new Map(
        [...domain].map(([loc, m]) => [
          loc,
          [...m]
            .filter(([, writers]) => [...writers].some((w) => w !== t))
            .map(([v]) => v)
            .sort((a, b) => a - b),
        ]),
      );
    const traces: ThreadTrace[][] = [];
    const cut: ThreadTrace[][] = [];
    const frontiers: ThreadTrace[][] = [];
    let grew = false;
    const mostNow: Map<string, number>[] = [];
    const found: { loc: string; value: number; writer: number; depth: number }[] = [];
    threads.forEach((body, t) => {
      const values = valuesFor(t);
      const cells = new RecordingCells({
        cellName: options.cellName,
        maxEvents: options.maxEvents,
        depthOf: (loc, v) => depth.get(loc)?.get(v) ?? 0,
        changesOf: (loc) => most.reduce((a, m, u) => (u === t ? a : a + (m.get(loc) ?? 0)), 0),
        valuesOf: (loc) => {
          const vs = values.get(loc);
          if (!vs) throw new Error(`recording cells: no initial value for location ${loc}`);
          return vs;
        },
        ...(options.reorder
          ? { reorder: (m: string, o: Order, n: number) => options.reorder!(t, m, o, n) }
          : {}),
        ...(walked
          ? {
              walk: {
                root: (loc: string) => walks.roots.get(loc)?.[t],
                valuesAt: walked.valuesAt,
              },
            }
          : {}),
      });
      const done: ThreadTrace[] = [];
      const cutHere: ThreadTrace[] = [];
      // runs stopped where they left their trees: they grow the trees, nothing else
      const edge: ThreadTrace[] = [];
      const mostAt = new Map<string, number>();
      /** One run of the thread with the reads answered by `choose`. */
      const runOnce = (choose: Choose) => {
        cells.reset(choose);
        let registers: Record<string, Value> | undefined;
        let thrown: unknown;
        let threw = false;
        try {
          registers = body(cells);
        } catch (e) {
          thrown = e;
          threw = true;
        }
        // a signal the code caught and went on from is the code's fault, never a run
        const signal = cells.ended(thrown);
        if (signal instanceof SignalSwallowed) throw signal;
        if (threw && thrown !== signal) throw thrown;
        return { registers, signal, events: cells.events, depths: cells.depths };
      };
      forEachChoice(
        (choose) => {
          const run = options.runTwice ? runTwice(t, runOnce, choose) : runOnce(choose);
          if (run.signal instanceof TraceInfeasible) return;
          const frontier = run.signal instanceof TraceFrontier;
          const { registers, events } = run;
          (frontier ? edge : registers ? done : cutHere).push({
            events,
            registers: registers ?? {},
          });
          const at = new Map<string, number>();
          events.forEach((e, i) => {
            if (e.kind !== 'W') return;
            at.set(e.loc!, (at.get(e.loc!) ?? 0) + 1);
            found.push({
              loc: e.loc!,
              value: e.value as number,
              writer: t,
              depth: run.depths.get(i)!,
            });
          });
          for (const [loc, n] of at) mostAt.set(loc, Math.max(mostAt.get(loc) ?? 0, n));
          if (done.length + cutHere.length + edge.length > maxTraces)
            throw new LimitReached(
              `max-traces=${maxTraces}`,
              `T${t} has more than ${maxTraces} runs (its reads may return too many values)`,
            );
        },
        () => options.budget?.check(),
      );
      mostNow.push(mostAt);
      traces.push(done);
      cut.push(cutHere);
      frontiers.push(edge);
    });
    result = { traces, cut };
    // the longest chain of writes to one location that one execution can hold
    const chainOf = (loc: string) => mostNow.reduce((a, m) => a + (m.get(loc) ?? 0), 0);
    // the values an interleaving of the threads' accesses to one location reaches (cellWalk.ts)
    traces.forEach((ts, t) => {
      if (walks.add(t, [...ts, ...cut[t]!, ...frontiers[t]!])) grew = true;
    });
    walked = walks.walk(() => options.budget?.check());
    const reached = walked.reached;
    for (const f of found) {
      if (f.depth > chainOf(f.loc)) continue;
      if (!reached.get(f.loc)!.has(`${f.writer} ${f.value}`)) continue;
      const d = domain.get(f.loc)!;
      const writers = d.get(f.value) ?? new Set<number>();
      if (!writers.has(f.writer)) {
        d.set(f.value, writers.add(f.writer));
        grew = true;
      }
      const known = depth.get(f.loc)!.get(f.value);
      if (known === undefined || f.depth < known) {
        depth.get(f.loc)!.set(f.value, f.depth);
        grew = true;
      }
    }
    const same = (a: Map<string, number>, b: Map<string, number>) =>
      a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
    if (!mostNow.every((m, t) => same(m, most[t]!))) grew = true;
    most = mostNow;
    if (!grew) break;
  }
  return {
    program: {
      init: new Map([...init].map(([loc, v]) => [loc, v as Value])),
      traces: result!.traces,
    },
    cut: result!.cut,
    rounds,
  };
}

/**
 * Every prefix of `trace` that does not split an RMW (its read without its write), the empty
 * one included, with no registers: what a thread may have done by some point of an execution.
 */
export function prefixes(trace: ThreadTrace): ThreadTrace[] {
  const out: ThreadTrace[] = [];
  const events = trace.events;
  for (let k = 0; k <= events.length; k++) {
    const next = events[k];
    if (next?.rmwRead !== undefined && next.rmwRead === k - 1) continue;
    out.push({ events: events.slice(0, k), registers: {} });
  }
  return out;
}

/**
 * Every choice of one trace per thread in which each read's value is written by some chosen
 * trace or is the initial value: the combinations runModel's valuesCanMatch would keep, found
 * without walking the whole product. Depth-first over the threads; a trace is tried only if
 * what it reads can still come from the initial values, the traces chosen so far, or some
 * trace of the threads not chosen yet. Traces are grouped by what they read and write, so a
 * thread with thousands of runs is tried a group at a time.
 *
 * Shortest first, as far as the walk allows: each group's traces are taken shortest first
 * and each thread's groups in the order of their shortest trace (equal lengths keep the
 * order of `traces`), so a fixed input always gives the same order. Only the choices with
 * fewer events in all than `below()` are made; `below` is read as the walk goes, so a caller
 * that lowers it (a counterexample found) prunes what is left: a group whose shortest trace
 * cannot fit, with the shortest traces of the threads after it, ends its thread's loop.
 */
export function* matchingCombinations(
  init: ReadonlyMap<string, Value>,
  traces: readonly (readonly ThreadTrace[])[],
  tick: () => void = () => {},
  below: () => number = () => Infinity,
): Generator<ThreadTrace[]> {
  const key = (loc: string, v: Value) => `${loc}\u0000${typeof v}${String(v)}`;
  const initial = new Set([...init].map(([loc, v]) => key(loc, v)));
  interface Group {
    needs: string[];
    writes: string[];
    /** Shortest first. */
    members: ThreadTrace[];
  }
  const length = (t: ThreadTrace) => t.events.length;
  const groups: Group[][] = traces.map((ts) => {
    const byKey = new Map<string, Group>();
    // a stable sort: equal lengths keep their order, so each group's members and the
    // groups (made in the order of their first member) come shortest first
    for (const t of [...ts].sort((a, b) => length(a) - length(b))) {
      const writes = new Set<string>();
      const needs = new Set<string>();
      for (const e of t.events) {
        if (e.loc === undefined || e.value === undefined) continue;
        if (e.kind === 'W') writes.add(key(e.loc, e.value));
      }
      for (const e of t.events) {
        if (e.kind !== 'R' || e.loc === undefined || e.value === undefined) continue;
        const k = key(e.loc, e.value);
        if (!initial.has(k)) needs.add(k);
      }
      const n = [...needs].sort();
      const w = [...writes].sort();
      const id = `${n.join('\u0001')}\u0002${w.join('\u0001')}`;
      const g = byKey.get(id);
      if (g) g.members.push(t);
      else byKey.set(id, { needs: n, writes: w, members: [t] });
    }
    return [...byKey.values()];
  });
  // the fewest events the threads from k on can add (Infinity: one of them has no trace)
  const fewest: number[] = [0];
  for (let k = traces.length - 1; k >= 0; k--)
    fewest.unshift(
      fewest[0]! + (groups[k]!.length ? length(groups[k]![0]!.members[0]!) : Infinity),
    );
  const tooLong = (events: number) => events >= below();
  // what the threads from k on may write, over all their traces
  const later: Set<string>[] = [];
  for (let k = traces.length; k >= 0; k--) {
    const s = new Set<string>(k < traces.length ? later[k + 1] : []);
    for (const g of groups[k] ?? []) for (const w of g.writes) s.add(w);
    later[k] = s;
  }
  const chosen: Group[] = [];
  const written = new Map<string, number>();
  const available = (k: string, from: number) => (written.get(k) ?? 0) > 0 || later[from]!.has(k);
  // events: the shortest member of each group chosen so far, in all
  function* walk(k: number, events: number): Generator<Group[]> {
    tick();
    if (k === traces.length) {
      if (chosen.every((g) => g.needs.every((n) => (written.get(n) ?? 0) > 0))) yield chosen;
      return;
    }
    for (const g of groups[k]!) {
      const shortest = length(g.members[0]!);
      // the groups come shortest first: no later one fits either
      if (tooLong(events + shortest + fewest[k + 1]!)) break;
      for (const w of g.writes) written.set(w, (written.get(w) ?? 0) + 1);
      const ok =
        g.needs.every((n) => available(n, k + 1)) &&
        chosen.every((c) => c.needs.every((n) => available(n, k + 1)));
      if (ok) {
        chosen.push(g);
        yield* walk(k + 1, events + shortest);
        chosen.pop();
      }
      for (const w of g.writes) written.set(w, written.get(w)! - 1);
    }
  }
  for (const gs of walk(0, 0)) {
    // the groups' product, each group's members shortest first
    const lists = gs.map((g) => g.members);
    // the fewest events the groups from j on can add
    const rest: number[] = [0];
    for (let j = lists.length - 1; j >= 0; j--) rest.unshift(rest[0]! + length(lists[j]![0]!));
    const pick: ThreadTrace[] = [];
    function* members(j: number, events: number): Generator<ThreadTrace[]> {
      tick();
      if (j === lists.length) {
        yield [...pick];
        return;
      }
      for (const t of lists[j]!) {
        if (tooLong(events + length(t) + rest[j + 1]!)) break;
        pick.push(t);
        yield* members(j + 1, events + length(t));
        pick.pop();
      }
    }
    yield* members(0, 0);
  }
}

/**
 * The loop every caller of the model over one trace per thread runs: each matching choice
 * (matchingCombinations, `below` included) whose RMW chains are possible, run through
 * `model` with the options `optionsFor` gives it, yielded with its result. A caller stops
 * where it needs (a limit, a violation): the generator is lazy.
 */
export function* modelRuns(
  program: Program,
  model: MemoryModel,
  optionsFor: (combo: readonly ThreadTrace[]) => RunModelOptions,
  tick: () => void = () => {},
  below?: () => number,
): Generator<{ combo: ThreadTrace[]; result: ModelResult }> {
  for (const combo of matchingCombinations(program.init, program.traces, tick, below)) {
    if (!rmwChainsPossible(program.init, combo)) continue;
    const single: Program = { init: program.init, traces: combo.map((t) => [t]) };
    yield { combo, result: runModel(single, model, optionsFor(combo)) };
  }
}

/**
 * Whether the RMWs of each location can form a coherence order: where every write to a
 * location (the initial one aside) is the write of an RMW, coherence and RMW atomicity
 * (each RMW reads its immediate co-predecessor; one thread's writes are co-ordered as in
 * program order) make co one chain from the initial value in which each RMW reads the value
 * the previous one wrote. A choice of traces with no such chain has no consistent execution
 * under any model that requires coherence (LKMM, SC): a cheap test before building it.
 */
export function rmwChainsPossible(
  init: ReadonlyMap<string, Value>,
  traces: readonly ThreadTrace[],
): boolean {
  const perLoc = new Map<string, { read: Value; wrote: Value }[][]>();
  const other = new Set<string>();
  traces.forEach((t, i) => {
    t.events.forEach((e) => {
      if (e.kind !== 'W' || e.loc === undefined) return;
      if (e.rmwRead === undefined) {
        other.add(e.loc);
        return;
      }
      const lists = perLoc.get(e.loc) ?? traces.map(() => []);
      perLoc.set(e.loc, lists);
      lists[i]!.push({ read: t.events[e.rmwRead]!.value!, wrote: e.value! });
    });
  });
  for (const [loc, lists] of perLoc) {
    if (other.has(loc)) continue;
    const total = lists.reduce((a, l) => a + l.length, 0);
    const dead = new Set<string>();
    const at = lists.map(() => 0);
    const walk = (value: Value, done: number): boolean => {
      if (done === total) return true;
      const key = `${String(value)} ${at.join(',')}`;
      if (dead.has(key)) return false;
      for (let i = 0; i < lists.length; i++) {
        const next = lists[i]![at[i]!];
        if (next === undefined || next.read !== value) continue;
        at[i]!++;
        const ok = walk(next.wrote, done + 1);
        at[i]!--;
        if (ok) return true;
      }
      dead.add(key);
      return false;
    };
    if (!walk(init.get(loc)!, 0)) return false;
  }
  return true;
}

/**
 * Thrown where a thread's code did not do the same twice with the same values read (it keeps
 * state between runs, or reads a clock or `Math.random()`): its traces cannot be trusted.
 */
export class CodeNondeterministic extends Error {
  constructor(
    readonly thread: number,
    what: string,
  ) {
    super(
      `T${thread}'s code ran twice with the same values read and ${what}. Is it deterministic? (It may depend only on what the cells return: no Math.random(), clocks, or state kept between calls.)`,
    );
    this.name = 'CodeNondeterministic';
  }
}

interface Run {
  registers: Record<string, Value> | undefined;
  signal: Error | undefined;
  events: TraceEvent[];
  depths: ReadonlyMap<number, number>;
}

/** `run` with `choose`, then again with the same answers; throws if the two differ. */
function runTwice(thread: number, run: (choose: Choose) => Run, choose: Choose): Run {
  const asked: [alternatives: number, answer: number][] = [];
  const first = run((n) => {
    const answer = choose(n);
    asked.push([n, answer]);
    return answer;
  });
  let i = 0;
  let differs: string | undefined;
  // never throws inside the code: the code could catch it
  const second = run((n) => {
    const q = asked[i++];
    if (q?.[0] === n) return q[1];
    differs ??= q
      ? `read ${i}'s choice of values differed (${q[0]} then ${n})`
      : `read more (${i} reads, ${asked.length} before)`;
    return 0;
  });
  if (!differs && i < asked.length) differs = `read less (${i} reads, ${asked.length} before)`;
  if (!differs && JSON.stringify(first.events) !== JSON.stringify(second.events))
    differs = 'made other accesses';
  if (!differs && JSON.stringify(first.registers) !== JSON.stringify(second.registers))
    differs = 'returned other values';
  if (!differs && first.signal?.constructor !== second.signal?.constructor)
    differs = `ended otherwise (${first.signal?.name ?? 'returned'}, then ${second.signal?.name ?? 'returned'})`;
  if (differs) throw new CodeNondeterministic(thread, differs);
  return first;
}
