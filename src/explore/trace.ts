import type { ModelCells } from './modelCells.js';
import { emptyLog, type ThreadLog } from './threadLog.js';
import { runStep } from './step.js';
import type { Program, Step } from './explore.js';

/**
 * Rebuilds the steps of a path from the threads that ran, by running them again from the
 * initial state: the search keeps only parent links (stateTable.ts), so a counterexample
 * costs its length in steps when printed, and nothing while searching. Bodies are
 * deterministic, so the same threads give the same accesses and notes.
 */
export function replayPath<W>(
  program: Program<W>,
  cells: ModelCells,
  start: { memory: Int32Array; world: W },
  threads: readonly number[],
): Step[] {
  let memory = start.memory;
  let world = start.world;
  const logs: ThreadLog[] = program.threads.map(emptyLog);
  return threads.map((t) => {
    const s = runStep(program, cells, memory, world, logs[t]!, t);
    if (s.violation !== undefined)
      throw new Error(
        `[checker bug] replay of a path diverged: ${s.violation.message}; is the thread body deterministic?`,
      );
    ({ memory, world } = s);
    logs[t] = s.log;
    return s.step;
  });
}
