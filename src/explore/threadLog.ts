/**
 * A thread's local state under replay: the log of what its body has seen so far.
 *
 * Entries are of three kinds:
 * - `a`: the result of a shared access;
 * - `g`: a ghost update already applied to the world;
 * - `b`: the beginning of an operation still in progress;
 * - `o`: the result of a completed *operation* (see ModelCells.operation), which stands for
 *   all the entries the operation made. Collapsing them is what lets two paths that differ
 *   only inside an operation (a CAS loop that retried once, or not) reach the same state.
 */
export interface ThreadLog {
  values: number[];
  kinds: string;
  done: boolean;
}

export const emptyLog = (): ThreadLog => ({ values: [], kinds: '', done: false });

export const copyLog = (l: ThreadLog): ThreadLog => ({
  values: l.values.slice(),
  kinds: l.kinds,
  done: l.done,
});

export const logKey = (l: ThreadLog): string =>
  `${l.kinds}:${l.values.join(',')}${l.done ? '.' : ''}`;
