import { MAX_OP_STEPS, ModelCells, STACK_FAULT, type Access } from './modelCells.js';
import { Violation, describeThrown, type ExploreFault } from './violation.js';
import { finalCheck, outside, runStep } from './step.js';
import { StateTable } from './stateTable.js';
import { counterexample, type Found } from './trace.js';
import { childSleep, footprint, intersect, mask, type Sleep } from './sleepSets.js';
import { Frontier, type Node } from './frontier.js';

export { Violation, describeThrown, type ExploreFault };

/**
 * The explorer: every interleaving of the threads' shared accesses under sequential
 * consistency, breadth-first over program states, pruning states already seen.
 *
 * A state is (memory, ghost world, each thread's log and whether it has finished); two
 * interleavings that reach the same state have the same futures, so each state is expanded
 * once. Breadth-first order makes the first violation found a shortest one.
 *
 * Interleavings are counted by summing over predecessors. The count is exact when every
 * step is one logged access (litmus tests): then the number of steps to a state is fixed by
 * the state, the graph is layered, and every predecessor of a state is in the layer before
 * it. Operations (ThreadContext.operation) collapse their accesses, so paths of different
 * lengths may meet; the count then covers the shortest paths only, and the verdict is
 * unaffected. The reductions below merge or prune paths, so counts are exact only without
 * them: the litmus runner declares no symmetry and asks for no sleep sets.
 *
 * Deterministic: threads are tried in index order, so the same program gives the same
 * verdict, counts and counterexample.
 *
 * Memory grows with the number of states, not with their depth: the search keeps each
 * state's compact key and parent link (stateTable.ts), holds in full only the layer being
 * expanded and the next, packed (frontier.ts), and rebuilds a counterexample by replay
 * (trace.ts). Two reductions
 * shrink the search without changing verdicts or shortest counterexamples: symmetry
 * (symmetry.ts) and sleep sets (sleepSets.ts).
 *
 * What ends a step, and what becomes of it: a {@link Violation} (thrown by the program's
 * ghost updates, or raised by the model cells: a swallowed pause, a replay that diverges,
 * an operation over its step budget, an access out of range) is a violation of the
 * program under test; so is any other error the program's `classify` turns into one (the
 * scenario checker: an error thrown by strategy code). Anything else is a bug of the
 * checker and is thrown, as an Error whose message starts `[checker bug]`.
 *
 * Limits (states, depth, time, memory) are checked as states are made, not only between
 * layers, and end in `incomplete`: never `safe` unless everything was explored.
 */

/** What a thread body gets. */
export interface ThreadContext<W> {
  readonly thread: number;
  readonly cells: ModelCells;
  /**
   * Applies a ghost update to the world (bookkeeping the real code does not have), once:
   * on replay it is skipped. `note` is shown in counterexamples.
   */
  ghost(note: string, update: (world: W) => void): void;
  /**
   * Applies a ghost update at the first access of the current operation that changes
   * `cell` (see ModelCells.ghostAtWrite): a put drops its reference at its sub.
   */
  ghostAtWrite(cell: number, note: string, update: (world: W) => void): void;
  /** Runs `fn` as one operation: see ModelCells.operation. */
  operation(fn: () => number): number;
}

export interface Program<W> {
  threads: readonly { name: string; body: (ctx: ThreadContext<W>) => void }[];
  /**
   * The initial memory and world. Code under test that the setup runs should run over
   * `probe` (after `probe.beginProbe(memory, 'the setup')`), so that it keeps the limits.
   */
  init(probe: ModelCells): { memory: Int32Array; world: W };
  cloneWorld(world: W): W;
  /**
   * A string that identifies the world's state; equal keys mean equal futures. With
   * `rename`, the key of the world in which thread t is called rename[t] (symmetry.ts).
   */
  worldKey(world: W, rename?: readonly number[]): string;
  /** Names a cell in messages (`p0`); default `cell 0`. */
  cellName?(cell: number): string;
  /**
   * Checked when every thread has finished; returns or throws a Violation, or returns
   * undefined. `cells` holds a copy of the final memory (so probes cannot change the
   * explored state) and keeps the step budget, so strategy code it runs cannot spin.
   */
  final?(cells: ModelCells, world: W): Violation | undefined;
  /**
   * Turns an error a thread body threw into a violation of the program (for instance an
   * error thrown by code under test), or returns undefined: a checker bug.
   */
  classify?(error: unknown, thread: number): Violation | undefined;
  /**
   * Symmetry classes, one per thread: threads with the same class run the same body and are
   * interchangeable (symmetry.ts says when that is sound). Leave it out to count
   * interleavings exactly: merging permutations merges their counts.
   */
  symmetry?: readonly number[];
  /**
   * Cells 0 … counters − 1 hold the program's counters: the search reports the largest
   * value they hold in any state it reached ({@link Reach}), so that a verdict can say the
   * size it was checked at. Default 0.
   */
  counters?: number;
}

/**
 * The largest value (0 … INT_MAX; negative values are not counts) any counter cell held in
 * a state the search reached: what a `safe` covers. 0 when the program declares none.
 */
export interface Reach {
  reached: number;
}

/** Raises `reach.reached` to the largest counter of `memory`'s first `counters` cells. */
export function reachOf(reach: Reach, memory: ArrayLike<number>, counters: number, at = 0): void {
  for (let c = 0; c < counters; c++) {
    const v = memory[at + c]!;
    if (v > reach.reached) reach.reached = v;
  }
}

export interface ExploreOptions {
  /** Give up (verdict incomplete) after this many distinct states. Default 1,000,000. */
  maxStates?: number;
  /** Give up after this many steps on one path. Default 10,000. */
  maxDepth?: number;
  /** Give up after this many milliseconds. Default 60,000. */
  maxMs?: number;
  /** Give up when the JS heap in use exceeds this many MiB. Default 2,048. */
  maxMemoryMB?: number;
  /**
   * Most shared accesses (and ghost updates) one operation may make: past it the verdict
   * is a `spins` violation. Code outside operations has no budget. Default
   * {@link MAX_OP_STEPS}.
   */
  maxOpSteps?: number;
  /**
   * Run each step twice and compare: a body that is not deterministic (Math.random(),
   * state kept between calls) is then caught even where replay alone would not notice
   * (an operation that finishes in one step is never replayed). Doubles the cost; the
   * checker turns it on for strategies that are not built in. Default false.
   */
  replayTwice?: boolean;
  /** If given, cell 0 is incremented at every step: a watchdog's heartbeat. */
  heartbeat?: Int32Array;
  /** Called after each layer of the search: for progress reports on long searches. */
  onLayer?: (progress: { depth: number; states: number; steps: number }) => void;
  /** Stop at the first violation (default) or explore everything (litmus tests). */
  stopAtViolation?: boolean;
  /** Merge states that differ by a permutation of symmetric threads (default true). */
  symmetry?: boolean;
  /**
   * Do not step a thread whose step commutes with the one that led here (sleepSets.ts).
   * Default false: it keeps every state but not the interleaving counts.
   */
  sleepSets?: boolean;
}

/** One step of a counterexample: the thread, its access (if any), its ghost notes. */
export interface Step {
  thread: number;
  access: Access | undefined;
  notes: string[];
}

export interface FinalState<W> {
  memory: Int32Array;
  world: W;
  /** How many interleavings end in this state. */
  paths: number;
}

/** How a search ended; `steps` counts the thread steps it ran (each runs one body once). */
export type Exploration<W> = (
  | { kind: 'safe'; states: number; steps: number; finals: FinalState<W>[] }
  | {
      kind: 'violation';
      states: number;
      steps: number;
      /** Which invariant: an {@link ExploreFault} or a kind of the program's own. */
      violation: string;
      message: string;
      trace: Step[];
    }
  | { kind: 'incomplete'; states: number; steps: number; limit: string }
) &
  Reach;

/**
 * A search stopped between two layers to go on elsewhere (parallel/exploreParallel.ts):
 * the states seen, the layer to expand next, and what the rest needs to answer alike.
 */
export interface Handover<W> {
  kind: 'handover';
  table: StateTable<W>;
  layer: Frontier<W>;
  depth: number;
  steps: number;
  start: { memory: Int32Array; world: W };
  cells: ModelCells;
  /** The counters' largest value so far. */
  reached: number;
}

/** A search's result without its final states: what a verdict needs. */
export type SearchOutcome =
  | Exclude<Exploration<unknown>, { kind: 'safe' }>
  | { kind: 'safe'; states: number; reached: number };

export function explore<W>(program: Program<W>, options: ExploreOptions = {}): Exploration<W> {
  return exploreOrHandOver(program, options, Infinity) as Exploration<W>;
}

/**
 * explore(), but handing the search over at the first layer of at least `layerStates`
 * states (never with sleep sets, whose bookkeeping is not handed over).
 */
export function exploreOrHandOver<W>(
  program: Program<W>,
  options: ExploreOptions,
  layerStates: number,
): Exploration<W> | Handover<W> {
  const maxStates = options.maxStates ?? 1_000_000;
  const maxDepth = options.maxDepth ?? 10_000;
  const maxMs = options.maxMs ?? 60_000;
  const deadline = Date.now() + maxMs;
  const maxMemoryMB = options.maxMemoryMB ?? 2_048;
  const stopAtViolation = options.stopAtViolation ?? true;
  const n = program.threads.length;
  // sleep sets keep threads as bits of an Int32 (an optimization: without them, no loss)
  const sleepSets = (options.sleepSets ?? false) && n <= 31;
  const heartbeat = options.heartbeat;
  const cells = new ModelCells();
  cells.maxOpSteps = options.maxOpSteps ?? MAX_OP_STEPS;
  if (program.cellName) cells.cellName = (cell) => program.cellName!(cell);

  let start: { memory: Int32Array; world: W } | undefined;
  const setup = outside(program, cells, () => void (start = program.init(cells)));
  if (setup?.kind === STACK_FAULT.kind) {
    return { kind: 'incomplete', states: 0, steps: 0, limit: stackLimit('the setup'), reached: 0 };
  }
  if (setup) {
    return {
      kind: 'violation',
      states: 0,
      steps: 0,
      violation: setup.kind,
      message: setup.message,
      trace: [],
      reached: 0,
    };
  }
  if (!start) throw new Error('[checker bug] init returned no state');
  const initial = start;
  const counters = program.counters ?? 0;
  const reach: Reach = { reached: 0 };
  reachOf(reach, start.memory, counters);
  const table = new StateTable(program, start, options.symmetry ?? true);
  const frontier = () =>
    new Frontier<W>(
      start!.memory.length,
      n,
      (w) => table.worldAt(w),
      (w) => table.worldIndex(w),
    );
  const root: Node<W> = {
    id: 0,
    memory: start.memory,
    world: start.world,
    logs: new Int32Array(n).fill(table.emptyLog),
    paths: 1,
  };
  table.add(table.key(root.memory, root.world, root.logs), -1, -1);
  /** Sleep sets: the threads each expanded state was not stepped on, by state id. */
  const slept: number[] = [0];
  let layer = frontier();
  layer.push(root);
  const finals: FinalState<W>[] = [];
  let firstViolation: Found | undefined;
  let steps = 0;
  const found = (v: Found): Exploration<W> => ({
    ...counterexample(program, cells, table, v, initial),
    steps,
    reached: reach.reached,
  });
  const incomplete = (limit: string): Exploration<W> => ({
    kind: 'incomplete',
    states: table.size,
    steps,
    limit,
    reached: reach.reached,
  });
  /**
   * A limit reached, checked every 256 steps inside a layer and between layers; memory only
   * every 8,192 steps (process.memoryUsage() is slow next to a step).
   */
  const overLimit = (memoryToo: boolean): string | undefined => {
    if (Date.now() > deadline) return `${maxMs} ms`;
    if (memoryToo && typeof process !== 'undefined') {
      if (process.memoryUsage().heapUsed > maxMemoryMB * 2 ** 20)
        return `${maxMemoryMB} MiB of memory`;
    }
    return undefined;
  };

  for (let depth = 0; layer.length > 0; depth++) {
    if (depth > maxDepth) return incomplete(`depth ${maxDepth}`);
    if (layer.length >= layerStates && !sleepSets)
      return { kind: 'handover', table, layer, depth, steps, start: initial, cells, ...reach };
    const next = frontier();
    const firstInNext = table.links;
    const firstInLayer = layer.id(0);
    for (let index = 0; index < layer.length; index++) {
      const node = layer.at(index);
      let anyRunnable = false;
      const explored: Sleep = new Map();
      if (sleepSets) slept[node.id] = node.only !== undefined ? 0 : mask(node.sleep);
      for (let t = 0; t < n; t++) {
        const log = table.log(node.logs[t]!);
        if (log.done) continue;
        anyRunnable = true;
        if (node.sleep?.has(t) || (node.only !== undefined && !(node.only & (1 << t)))) continue;
        if (heartbeat) Atomics.add(heartbeat, 0, 1);
        if ((++steps & 255) === 0) {
          const limit = overLimit((steps & 8191) === 0);
          if (limit) return incomplete(limit);
        }
        const twice = options.replayTwice ?? false;
        const child = runStep(program, cells, node.memory, node.world, log, t, twice);
        const fp = sleepSets ? footprint(child) : undefined;
        if (child.violation?.kind === STACK_FAULT.kind) return incomplete(stackLimit(`T${t}`));
        if (child.violation !== undefined) {
          if (!firstViolation) {
            firstViolation = { violation: child.violation, node: node.id, step: child.step };
            if (stopAtViolation) return found(firstViolation);
          }
          if (fp) explored.set(t, fp);
          continue;
        }
        const logs = node.logs.slice();
        logs[t] = table.internLog(child.log, t);
        const world = table.internWorld(child.world);
        const sleep = fp && childSleep(node.sleep, explored, fp);
        if (fp) explored.set(t, fp);
        const concrete =
          sleep && table.symmetric ? table.concreteKey(child.memory, world, logs) : undefined;
        const key = table.key(child.memory, world, logs);
        const seen = table.idOf(key);
        if (seen !== undefined) {
          if (seen >= firstInNext) {
            next.addPaths(seen - firstInNext, node.paths);
            if (sleep) merge(next, seen - firstInNext, sleep, concrete);
          } else if (sleep) {
            // Reached again by a longer path: the threads asleep when it was expanded but
            // awake now must be stepped from it after all (Godefroid 1996, §5.3).
            if (seen > node.id && seen >= firstInLayer) {
              merge(layer, seen - firstInLayer, sleep, concrete); // not yet expanded
              continue;
            }
            // Under symmetry this arrival may be a permutation of the stored state: step all.
            const awake = concrete === undefined ? slept[seen]! & ~mask(sleep) : slept[seen]!;
            if (awake === 0) continue;
            slept[seen] = slept[seen]! & ~awake;
            const id = table.add(undefined, node.id, t);
            next.push({ id, memory: child.memory, world, logs, paths: 0, only: awake });
          }
          continue;
        }
        const id = table.add(key, node.id, t);
        next.push({ id, memory: child.memory, world, logs, paths: node.paths, sleep, concrete });
        reachOf(reach, child.memory, counters);
        if (table.size > maxStates) return incomplete(`${maxStates} states`);
      }
      if (!anyRunnable) {
        const v = finalCheck(program, cells, node.memory, node.world);
        if (v?.kind === STACK_FAULT.kind) return incomplete(stackLimit('the final check'));
        if (v !== undefined) {
          const f = {
            violation: v,
            node: node.id,
            step: { thread: -1, access: undefined, notes: [] },
          };
          if (!firstViolation) firstViolation = f;
          if (stopAtViolation) return found(f);
        }
        if (node.only === undefined)
          finals.push({ memory: node.memory.slice(), world: node.world, paths: node.paths });
      }
    }
    const limit = overLimit(false);
    if (limit) return incomplete(limit);
    layer = next;
    options.onLayer?.({ depth: depth + 1, states: table.size, steps });
  }
  if (firstViolation) return found(firstViolation);
  return { kind: 'safe', states: table.size, steps, finals, reached: reach.reached };
}

/**
 * The limit a search ends at when the checker's own code ran out of stack under the code it
 * runs (STACK_FAULT): the checker's failure, so neither safe nor the program's violation.
 */
export const stackLimit = (who: string): string =>
  `the stack: ${who} called the model cells from so deep a recursion that the checker's own code ran out of stack (run node with a larger --stack-size)`;

/**
 * Sleep sets: a second arrival at state i of a layer, by the same concrete state, leaves
 * asleep only the threads asleep on both arrivals; an arrival by a permutation of it
 * (symmetry) cannot be compared thread by thread, so it wakes every thread.
 */
function merge<W>(layer: Frontier<W>, i: number, sleep: Sleep, concrete?: string): void {
  const other = layer.extra(i);
  layer.setSleep(
    i,
    other?.concrete === concrete && other?.sleep ? intersect(other.sleep, sleep) : new Map(),
  );
}
