import { PAUSE, type ModelCells } from './modelCells.js';
import { copyLog, type ThreadLog } from './threadLog.js';
import type { Program, Step, ThreadContext } from './explore.js';

/**
 * One step of one thread: its body replayed from the start against its log, one new access
 * applied, and the body unwound at the access after it (see modelCells.ts). The inputs are
 * never changed: memory, world and the thread's log are copied first, so the same state can
 * be stepped by each thread in turn, and a path can be rebuilt later by stepping again from
 * the root (trace.ts).
 */
export interface Stepped<W> {
  memory: Int32Array;
  world: W;
  /** The thread's log after the step (a fresh copy; the other threads' logs are unchanged). */
  log: ThreadLog;
  step: Step;
  /** Whether the step applied a ghost update (else `world` is the input world itself). */
  ghosted: boolean;
  /** The message of a violation the step raised (a throw other than PAUSE). */
  violation: string | undefined;
}

export function runStep<W>(
  program: Program<W>,
  cells: ModelCells,
  memory0: Int32Array,
  world0: W,
  log0: ThreadLog,
  t: number,
): Stepped<W> {
  const memory = memory0.slice();
  // Copied on the first ghost update only: most steps leave the world alone, and then the
  // child shares its parent's world (worlds are never changed once stored).
  let world = world0;
  const log = copyLog(log0);
  const notes: string[] = [];
  let ghosted = false;
  const ctx: ThreadContext<W> = {
    thread: t,
    cells,
    ghost(note, update) {
      const apply = () => {
        if (!ghosted) world = program.cloneWorld(world0);
        ghosted = true;
        update(world);
      };
      if (cells.ghost(apply)) notes.push(note);
    },
    operation: (fn) => cells.operation(fn),
  };
  cells.begin(memory, log);
  let violation: string | undefined;
  try {
    program.threads[t]!.body(ctx);
    log.done = true;
  } catch (e) {
    if (e !== PAUSE)
      violation =
        e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
  }
  const step: Step = { thread: t, access: cells.access, notes };
  return { memory, world, log, step, ghosted, violation };
}
