import { MAX_OP_STEPS, ModelCells, accessText, type Access } from './modelCells.js';
import { copyLog, emptyLog, logKey, type ThreadLog } from './threadLog.js';
import { Violation, describeThrown, type ExploreFault } from './violation.js';

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
 * unaffected.
 *
 * Deterministic: threads are tried in index order, so the same program gives the same
 * verdict, counts and counterexample.
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
  /** A string that identifies the world's state; equal keys mean equal futures. */
  worldKey(world: W): string;
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
  /** Stop at the first violation (default) or explore everything (litmus tests). */
  stopAtViolation?: boolean;
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

export type Exploration<W> =
  | { kind: 'safe'; states: number; finals: FinalState<W>[] }
  | {
      kind: 'violation';
      states: number;
      /** Which invariant: an {@link ExploreFault} or a kind of the program's own. */
      violation: string;
      message: string;
      trace: Step[];
    }
  | { kind: 'incomplete'; states: number; limit: string };

interface Node<W> {
  memory: Int32Array;
  world: W;
  threads: ThreadLog[];
  paths: number;
  parent: number;
  step: Step | undefined;
}

export function explore<W>(program: Program<W>, options: ExploreOptions = {}): Exploration<W> {
  const maxStates = options.maxStates ?? 1_000_000;
  const maxDepth = options.maxDepth ?? 10_000;
  const maxMs = options.maxMs ?? 60_000;
  const deadline = Date.now() + maxMs;
  const maxMemoryMB = options.maxMemoryMB ?? 2_048;
  const stopAtViolation = options.stopAtViolation ?? true;
  const heartbeat = options.heartbeat;
  const cells = new ModelCells();
  cells.maxOpSteps = options.maxOpSteps ?? MAX_OP_STEPS;
  if (program.cellName) cells.cellName = (cell) => program.cellName!(cell);
  const n = program.threads.length;

  let start: { memory: Int32Array; world: W } | undefined;
  const setup = outside(program, cells, () => void (start = program.init(cells)));
  if (setup) {
    return {
      kind: 'violation',
      states: 0,
      violation: setup.kind,
      message: setup.message,
      trace: [],
    };
  }
  if (!start) throw new Error('[checker bug] init returned no state');
  const nodes: Node<W>[] = [];
  const root: Node<W> = {
    memory: start.memory,
    world: start.world,
    threads: Array.from({ length: n }, emptyLog),
    paths: 1,
    parent: -1,
    step: undefined,
  };
  nodes.push(root);
  let layer = [0];
  const visited = new Map<string, number>([[stateKey(program, root), 0]]);
  const finals: FinalState<W>[] = [];
  let states = 1;
  let steps = 0;
  let firstViolation: Found | undefined;
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
    if (depth > maxDepth) return { kind: 'incomplete', states, limit: `depth ${maxDepth}` };
    const next: number[] = [];
    const firstInNext = nodes.length;
    for (const index of layer) {
      const node = nodes[index]!;
      let anyRunnable = false;
      for (let t = 0; t < n; t++) {
        if (node.threads[t]!.done) continue;
        anyRunnable = true;
        if (heartbeat) Atomics.add(heartbeat, 0, 1);
        if ((++steps & 255) === 0) {
          const limit = overLimit((steps & 8191) === 0);
          if (limit) return { kind: 'incomplete', states, limit };
        }
        const child = runStep(program, cells, node, t);
        if (options.replayTwice && child.violation === undefined)
          child.violation = runAgain(program, cells, node, t, child.node);
        if (child.violation !== undefined) {
          if (!firstViolation) {
            firstViolation = { violation: child.violation, node: index, step: child.step };
            if (stopAtViolation) return violation(nodes, firstViolation, states);
          }
          continue;
        }
        const key = stateKey(program, child.node);
        const seen = visited.get(key);
        if (seen !== undefined) {
          if (seen >= firstInNext) nodes[seen]!.paths += node.paths;
          continue;
        }
        child.node.paths = node.paths;
        child.node.parent = index;
        nodes.push(child.node);
        visited.set(key, nodes.length - 1);
        next.push(nodes.length - 1);
        if (++states > maxStates)
          return { kind: 'incomplete', states, limit: `${maxStates} states` };
      }
      if (!anyRunnable) {
        const v = finalCheck(program, cells, node);
        if (v !== undefined) {
          const found = {
            violation: v,
            node: index,
            step: { thread: -1, access: undefined, notes: [] },
          };
          if (!firstViolation) firstViolation = found;
          if (stopAtViolation) return violation(nodes, found, states);
        }
        finals.push({ memory: node.memory, world: node.world, paths: node.paths });
      }
    }
    const limit = overLimit(false);
    if (limit) return { kind: 'incomplete', states, limit };
    layer = next;
  }
  if (firstViolation) return violation(nodes, firstViolation, states);
  return { kind: 'safe', states, finals };
}

interface Found {
  violation: Violation;
  node: number;
  step: Step;
}

function runStep<W>(
  program: Program<W>,
  cells: ModelCells,
  node: Node<W>,
  t: number,
): { node: Node<W>; violation?: Violation; step: Step } {
  const memory = node.memory.slice();
  const world = program.cloneWorld(node.world);
  const threads = node.threads.slice();
  const mine = copyLog(node.threads[t]!);
  threads[t] = mine;
  const ctx: ThreadContext<W> = {
    thread: t,
    cells,
    ghost: (note, update) => void cells.ghost(() => update(world), note),
    ghostAtWrite: (cell, note, update) => cells.ghostAtWrite(cell, note, () => update(world)),
    operation: (fn) => cells.operation(fn),
  };
  cells.begin(memory, mine, t);
  let returned = false;
  let thrown: unknown;
  try {
    program.threads[t]!.body(ctx);
    returned = true;
  } catch (e) {
    thrown = e;
  }
  const end = cells.end(returned, thrown);
  const step: Step = { thread: t, access: cells.access, notes: cells.notes };
  const result = { node: { memory, world, threads, paths: 0, parent: -1, step }, step };
  if (end === 'done') mine.done = true;
  if (end === 'done' || end === 'paused') return result;
  return {
    ...result,
    violation: end instanceof Violation ? end : asViolation(program, end.error, t),
  };
}

/** Runs thread t's step from `node` again: a violation if it does not end as `first` did. */
function runAgain<W>(
  program: Program<W>,
  cells: ModelCells,
  node: Node<W>,
  t: number,
  first: Node<W>,
): Violation | undefined {
  const again = runStep(program, cells, node, t);
  if (again.violation === undefined && stateKey(program, again.node) === stateKey(program, first))
    return undefined;
  const what = (n: Node<W>) => {
    const a = n.step?.access;
    return a ? accessText(a.op, cells.cellName(a.cell)) : 'no access';
  };
  const label = first.step?.access?.label;
  const who = `T${t}${label ? `'s ${label}` : ''}`;
  return new Violation<ExploreFault>(
    'nondeterministic',
    `${who}: the same step, run twice from the same state, made ${what(first)}, then ${again.violation ? `the violation "${again.violation.message}"` : what(again.node)}${again.violation || what(first) !== what(again.node) ? '' : ' and went on differently'}. Is the body deterministic? (It may depend only on what the cells return: no Math.random(), clocks, or state kept between calls.)`,
  );
}

/** The final check, over a copy of the final memory, under the same limits as a step. */
function finalCheck<W>(
  program: Program<W>,
  cells: ModelCells,
  node: Node<W>,
): Violation | undefined {
  const final = program.final;
  if (!final) return undefined;
  let found: Violation | undefined;
  const world = program.cloneWorld(node.world);
  cells.beginProbe(node.memory.slice(), 'the final check');
  return outside(program, cells, () => void (found = final(cells, world))) ?? found;
}

/** Runs `fn` (setup or final check, which may run code under test over probe cells). */
function outside<W>(program: Program<W>, cells: ModelCells, fn: () => void): Violation | undefined {
  let returned = false;
  let thrown: unknown;
  try {
    fn();
    returned = true;
  } catch (e) {
    thrown = e;
  }
  const end = cells.end(returned, thrown);
  if (end === 'done') return undefined;
  if (end === 'paused') throw new Error('[checker bug] probe cells paused');
  return end instanceof Violation ? end : asViolation(program, end.error, -1);
}

/** An error that is not a Violation: the program's to classify, or a checker bug. */
function asViolation<W>(program: Program<W>, e: unknown, thread: number): Violation {
  if (e instanceof Violation) return e;
  const v = program.classify?.(e, thread);
  if (v) return v;
  const who = thread >= 0 ? `T${thread}` : 'the setup or final check';
  throw new Error(`[checker bug] ${who} threw ${describeThrown(e)}`, { cause: e });
}

function stateKey<W>(program: Program<W>, node: Node<W>): string {
  let key = node.memory.join(',') + '|' + program.worldKey(node.world);
  for (const t of node.threads) key += `|${logKey(t)}`;
  return key;
}

function violation<W>(nodes: Node<W>[], v: Found, states: number): Exploration<W> {
  const trace: Step[] = [];
  for (let i = v.node; nodes[i]!.step; i = nodes[i]!.parent) trace.push(nodes[i]!.step!);
  trace.reverse();
  if (v.step.thread >= 0) trace.push(v.step);
  const { kind, message } = v.violation;
  return { kind: 'violation', states, violation: kind, message, trace };
}
