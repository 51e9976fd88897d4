import type { ModelCells } from './modelCells.js';
import { emptyLog, type ThreadLog } from './threadLog.js';
import { Violation, type ExploreFault } from './violation.js';
import { runStep } from './step.js';
import type { Exploration, Program, Step } from './explore.js';

/** A path run again: its steps, and where it ended. */
export interface Replayed<W> {
  steps: Step[];
  memory: Int32Array;
  world: W;
  logs: ThreadLog[];
  /** Set if a step did not go as it did in the search: the body is not deterministic. */
  diverged?: Violation;
}

/**
 * Rebuilds the steps of a path from the threads that ran, by running them again from the
 * initial state: the search keeps only parent links (stateTable.ts), so a counterexample
 * costs its length in steps when printed, and nothing while searching. A deterministic
 * body gives the same accesses and notes; one that is not may fail or go elsewhere, which
 * is reported as a `nondeterministic` violation, never as a crash (the caller also checks
 * that the path ends in the state the search reached).
 */
export function replayPath<W>(
  program: Program<W>,
  cells: ModelCells,
  start: { memory: Int32Array; world: W },
  threads: readonly number[],
): Replayed<W> {
  const r: Replayed<W> = {
    steps: [],
    memory: start.memory,
    world: start.world,
    logs: program.threads.map(() => emptyLog()),
  };
  for (const t of threads) {
    const s = runStep(program, cells, r.memory, r.world, r.logs[t]!, t);
    r.steps.push(s.step);
    if (s.violation !== undefined) {
      r.diverged = nondeterministic(`T${t} did not step as it did before: ${s.violation.message}`);
      return r;
    }
    r.memory = s.memory;
    r.world = s.world;
    r.logs[t] = s.log;
  }
  return r;
}

/** The fault of a path that does not replay as it ran. */
export function nondeterministic(what: string): Violation<ExploreFault> {
  return new Violation<ExploreFault>(
    'nondeterministic',
    `the counterexample, run again from the start, went otherwise (${what}). Is the body deterministic? (It may depend only on what the cells return: no Math.random(), clocks, or state kept between calls.)`,
  );
}

/** A violation a search found: at a step from state `node` (thread -1: its final check). */
export interface Found {
  violation: Violation;
  node: number;
  step: Step;
}

/** What a counterexample needs of the search's table of states. */
export interface Paths<W> {
  readonly size: number;
  /** The threads that ran, in order, on the path from the initial state to state `id`. */
  threadsTo(id: number): number[];
  /** Whether a state rebuilt by replay is state `id`: a check that bodies are deterministic. */
  reaches(id: number, memory: Int32Array, world: W, logs: readonly ThreadLog[]): boolean;
}

/**
 * The violation's counterexample: the parent links give the threads that ran, and the steps
 * are rebuilt by running them again from the initial state (the search keeps no steps).
 */
export function counterexample<W>(
  program: Program<W>,
  cells: ModelCells,
  table: Paths<W>,
  v: Found,
  start: { memory: Int32Array; world: W },
): Omit<Extract<Exploration<W>, { kind: 'violation' }>, 'steps' | 'reached'> {
  const path = replayPath(program, cells, start, table.threadsTo(v.node));
  let diverged = path.diverged;
  if (!diverged && !table.reaches(v.node, path.memory, path.world, path.logs))
    diverged = nondeterministic('it reached another state');
  const trace = path.steps;
  if (!diverged && v.step.thread >= 0) trace.push(v.step);
  // A body already caught being nondeterministic keeps that verdict's own message.
  const shown = diverged && v.violation.kind !== 'nondeterministic' ? diverged : v.violation;
  const { kind, message } = shown;
  return { kind: 'violation', states: table.size, violation: kind, message, trace };
}
