/**
 * A thread's local state under replay: the log of what its body has seen so far.
 *
 * Entries are of these kinds:
 * - `a`: the result of a shared access;
 * - `g`: a ghost update already applied to the world;
 * - `d`: a ghost update applied together with the access just before it, or inside the
 *   completed operation just before it, nested in another (see ModelCells.ghostAtWrite);
 * - `b`: the beginning of an operation still in progress;
 * - `o`: the result of a completed *operation* (see ModelCells.operation), which stands for
 *   all the entries the operation made. Collapsing them is what lets two paths that differ
 *   only inside an operation (a CAS loop that retried once, or not) reach the same state.
 *
 * `sites` holds, for each entry, which access it was (cell and operation, see
 * ModelCells) or -1: replay compares the body's accesses with it to catch a body that is
 * not deterministic. It is a function of the other fields for a deterministic body, so it
 * is not part of the key.
 */
export interface ThreadLog {
  values: number[];
  kinds: string;
  sites: number[];
  done: boolean;
}

export const emptyLog = (): ThreadLog => ({ values: [], kinds: '', sites: [], done: false });

export const copyLog = (l: ThreadLog): ThreadLog => ({
  values: l.values.slice(),
  kinds: l.kinds,
  sites: l.sites.slice(),
  done: l.done,
});

export const logKey = (l: ThreadLog): string =>
  `${l.kinds}:${l.values.join(',')}${l.done ? '.' : ''}`;

/**
 * A log as text and back, for workers that share logs (parallel/sharedInterner.ts): the
 * four fields joined by `|`, the numbers by commas.
 */
export const encodeLog = (l: ThreadLog): string =>
  `${l.kinds}|${l.done ? 1 : 0}|${l.values.join(',')}|${l.sites.join(',')}`;

export function decodeLog(text: string): ThreadLog {
  const [kinds, done, values, sites] = text.split('|') as [string, string, string, string];
  const numbers = (s: string): number[] => (s === '' ? [] : s.split(',').map((x) => Number(x)));
  return { values: numbers(values), kinds, sites: numbers(sites), done: done === '1' };
}
