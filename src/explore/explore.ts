import { ModelCells, PAUSE, type Access } from './modelCells.js';
import { copyLog, emptyLog, logKey, type ThreadLog } from './threadLog.js';

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
 */

/** A thrown Violation ends the step: an invariant of the world model was broken. */
export class Violation extends Error {
  override readonly name = 'Violation';
}

/** What a thread body gets. */
export interface ThreadContext<W> {
  readonly thread: number;
  readonly cells: ModelCells;
  /**
   * Applies a ghost update to the world (bookkeeping the real code does not have), once:
   * on replay it is skipped. `note` is shown in counterexamples.
   */
  ghost(note: string, update: (world: W) => void): void;
  /** Runs `fn` as one operation: see ModelCells.operation. */
  operation(fn: () => number): number;
}

export interface Program<W> {
  threads: readonly { name: string; body: (ctx: ThreadContext<W>) => void }[];
  /** The initial memory and world. */
  init(): { memory: Int32Array; world: W };
  cloneWorld(world: W): W;
  /** A string that identifies the world's state; equal keys mean equal futures. */
  worldKey(world: W): string;
  /** Checked when every thread has finished; returns a violation message or undefined. */
  final?(memory: Int32Array, world: W): string | undefined;
}

export interface ExploreOptions {
  /** Give up (verdict incomplete) after this many distinct states. Default 1,000,000. */
  maxStates?: number;
  /** Give up after this many steps on one path. Default 10,000. */
  maxDepth?: number;
  /** Give up after this many milliseconds. Default 60,000. */
  maxMs?: number;
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
  | { kind: 'violation'; states: number; message: string; trace: Step[] }
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
  const deadline = Date.now() + (options.maxMs ?? 60_000);
  const stopAtViolation = options.stopAtViolation ?? true;
  const cells = new ModelCells();
  const n = program.threads.length;

  const start = program.init();
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
  let firstViolation: { message: string; node: number; step: Step } | undefined;

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
        const child = runStep(program, cells, node, t);
        if (child.violation !== undefined) {
          if (!firstViolation) {
            firstViolation = { message: child.violation, node: index, step: child.step };
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
        const message = program.final?.(node.memory, node.world);
        if (message !== undefined) {
          const v = { message, node: index, step: { thread: -1, access: undefined, notes: [] } };
          if (!firstViolation) firstViolation = v;
          if (stopAtViolation) return violation(nodes, v, states);
        }
        finals.push({ memory: node.memory, world: node.world, paths: node.paths });
      }
    }
    if (Date.now() > deadline)
      return { kind: 'incomplete', states, limit: `${options.maxMs ?? 60_000} ms` };
    layer = next;
  }
  if (firstViolation) return violation(nodes, firstViolation, states);
  return { kind: 'safe', states, finals };
}

function runStep<W>(
  program: Program<W>,
  cells: ModelCells,
  node: Node<W>,
  t: number,
): { node: Node<W>; violation?: string; step: Step } {
  const memory = node.memory.slice();
  const world = program.cloneWorld(node.world);
  const threads = node.threads.slice();
  const mine = copyLog(node.threads[t]!);
  threads[t] = mine;
  const notes: string[] = [];
  const ctx: ThreadContext<W> = {
    thread: t,
    cells,
    ghost(note, update) {
      if (cells.ghost(() => update(world))) notes.push(note);
    },
    operation: (fn) => cells.operation(fn),
  };
  cells.begin(memory, mine);
  let message: string | undefined;
  try {
    program.threads[t]!.body(ctx);
    mine.done = true;
  } catch (e) {
    if (e !== PAUSE)
      message =
        e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
  }
  const step: Step = { thread: t, access: cells.access, notes };
  return { node: { memory, world, threads, paths: 0, parent: -1, step }, violation: message, step };
}

function stateKey<W>(program: Program<W>, node: Node<W>): string {
  let key = node.memory.join(',') + '|' + program.worldKey(node.world);
  for (const t of node.threads) key += `|${logKey(t)}`;
  return key;
}

function violation<W>(
  nodes: Node<W>[],
  v: { message: string; node: number; step: Step },
  states: number,
): Exploration<W> {
  const trace: Step[] = [];
  for (let i = v.node; nodes[i]!.step; i = nodes[i]!.parent) trace.push(nodes[i]!.step!);
  trace.reverse();
  if (v.step.thread >= 0) trace.push(v.step);
  return { kind: 'violation', states, message: v.message, trace };
}
