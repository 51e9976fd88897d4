import { STACK_FAULT, accessText, type ModelCells } from './modelCells.js';
import { copyLog, logKey, type ThreadLog } from './threadLog.js';
import { Violation, describeThrown, type ExploreFault } from './violation.js';
import type { Program, Step, ThreadContext } from './explore.js';

/**
 * One step of one thread: its body replayed from the start against its log, one new access
 * applied, and the body unwound at the access after it (see modelCells.ts). The inputs are
 * never changed: memory and the thread's log are copied first, and the world is copied at
 * its first ghost update, so the same state can be stepped by each thread in turn, and a
 * path can be rebuilt later by stepping again from the root (trace.ts).
 */
export interface Stepped<W> {
  memory: Int32Array;
  /** The world after the step: the input world itself if the step made no ghost update. */
  world: W;
  /** The thread's log after the step (a fresh copy; the other threads' logs are unchanged). */
  log: ThreadLog;
  step: Step;
  /** Whether the step applied a ghost update. */
  ghosted: boolean;
  /** A violation the step raised. */
  violation: Violation | undefined;
}

/**
 * With `twice`, a step that raised nothing is run again and must end alike (runAgain,
 * ExploreOptions.replayTwice).
 */
export function runStep<W>(
  program: Program<W>,
  cells: ModelCells,
  memory0: Int32Array,
  world0: W,
  log0: ThreadLog,
  t: number,
  twice = false,
): Stepped<W> {
  const memory = memory0.slice();
  // Copied on the first ghost update only: most steps leave the world alone, and then the
  // child shares its parent's world (worlds are never changed once stored).
  let world = world0;
  let ghosted = false;
  const writable = () => {
    if (!ghosted) world = program.cloneWorld(world0);
    ghosted = true;
    return world;
  };
  const log = copyLog(log0);
  const ctx: ThreadContext<W> = {
    thread: t,
    cells,
    ghost: (note, update) => void cells.ghost(() => update(writable()), note),
    ghostAtWrite: (cell, note, update) => cells.ghostAtWrite(cell, note, () => update(writable())),
    operation: (fn) => cells.operation(fn),
  };
  cells.begin(memory, log, t);
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
  if (end === 'done') log.done = true;
  const violation =
    end === 'done' || end === 'paused'
      ? undefined
      : end instanceof Violation
        ? end
        : asViolation(program, end.error, t);
  const stepped = { memory, world, log, step, ghosted, violation };
  if (twice && violation === undefined)
    stepped.violation = runAgain(program, cells, memory0, world0, log0, t, stepped);
  return stepped;
}

/**
 * Runs thread t's step again from the same state: a violation if it does not end as
 * `first` did (ExploreOptions.replayTwice).
 */
function runAgain<W>(
  program: Program<W>,
  cells: ModelCells,
  memory: Int32Array,
  world: W,
  log: ThreadLog,
  t: number,
  first: Stepped<W>,
): Violation | undefined {
  const again = runStep(program, cells, memory, world, log, t);
  if (again.violation === STACK_FAULT) return STACK_FAULT; // the checker's, not the body's
  const key = (s: Stepped<W>) =>
    `${s.memory.join(',')}|${program.worldKey(s.world)}|${logKey(s.log)}`;
  if (again.violation === undefined && key(again) === key(first)) return undefined;
  const what = (s: Stepped<W>) => {
    const a = s.step.access;
    return a ? accessText(a.op, cells.cellName(a.cell)) : 'no access';
  };
  const label = first.step.access?.label;
  const who = `T${t}${label ? `'s ${label}` : ''}`;
  return new Violation<ExploreFault>(
    'nondeterministic',
    `${who}: the same step, run twice from the same state, made ${what(first)}, then ${again.violation ? `the violation "${again.violation.message}"` : what(again)}${again.violation || what(first) !== what(again) ? '' : ' and went on differently'}. Is the body deterministic? (It may depend only on what the cells return: no Math.random(), clocks, or state kept between calls.)`,
  );
}

/** Runs `fn` (setup or final check, which may run code under test over probe cells). */
export function outside<W>(
  program: Program<W>,
  cells: ModelCells,
  fn: () => void,
): Violation | undefined {
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
  const who = thread >= 0 ? `T${thread}` : 'the setup or final check';
  let v: Violation | undefined;
  try {
    v = program.classify?.(e, thread);
  } catch {
    // Only a value made by code under test can fail to be classified (the checker's own
    // errors are plain Errors): one that throws when its prototype is read.
    return new Violation<ExploreFault>('threw', `${who} threw ${describeThrown(e)}`);
  }
  if (v) return v;
  throw new Error(`[checker bug] ${who} threw ${describeThrown(e)}`, { cause: e });
}

/** The final check, over a copy of the final memory, under the same limits as a step. */
export function finalCheck<W>(
  program: Program<W>,
  cells: ModelCells,
  memory: Int32Array,
  world: W,
): Violation | undefined {
  const final = program.final;
  if (!final) return undefined;
  let found: Violation | undefined;
  const copy = program.cloneWorld(world);
  cells.beginProbe(memory.slice(), 'the final check');
  return outside(program, cells, () => void (found = final(cells, copy))) ?? found;
}
