/**
 * The torture's control buffer, shared by the main thread and the workers: the command, each
 * worker's tally, the pages each worker holds, and a ghost cell per page that says whether
 * the page is free.
 *
 *   word 0                         the command (see {@link COMMAND})
 *   then TALLY.length per worker   its tally, counted as it goes: a killed worker's tally
 *                                  is read here, up to its last finished operation
 *   then MAX_HELD per worker       the pages it holds, or -1
 *   then one per page              the ghost: GHOST.free or GHOST.allocated
 *
 * The ghost is written by the cache's own callbacks, which run under the writers' lock: a
 * fill marks its page allocated before `insert` publishes it (init), a destructor marks its
 * page free before the page goes back to the pool. So a reference taken by a correct
 * refcount, which only a live page grants, always finds its page allocated.
 *
 * @module
 */

/** The counters of a tally, in the order of their words; `flagged` counts violations. */
export const TALLY = [
  'ops',
  'reads',
  'hits',
  'inserts',
  'evicts',
  'busy',
  'removes',
  'gets',
  'scans',
  'scanHits',
  'shares',
  'aba',
  'flagged',
] as const;

/** One of a tally's counters. */
export type TallyField = (typeof TALLY)[number];

/** The most pages a worker holds at once. */
export const MAX_HELD = 4;

/** The values of the command word: run, stop, or park(w): worker w must park, to be killed. */
export const COMMAND = { run: 0, stop: 1, park: (worker: number) => 2 + worker } as const;

/** The values of a ghost cell. */
export const GHOST = { free: 0, allocated: 1 } as const;

/** The command word. */
export const COMMAND_SLOT = 0;

/** The layout of a control buffer for `workers` workers and `pages` pages. */
export interface ControlLayout {
  workers: number;
  pages: number;
}

/** The word of `worker`'s counter `field`. */
export const tallySlot = (worker: number, field: TallyField): number =>
  1 + worker * TALLY.length + TALLY.indexOf(field);

/** The word of the `i`th page `worker` holds (-1: none). */
export const heldSlot = (l: ControlLayout, worker: number, i: number): number =>
  1 + l.workers * TALLY.length + worker * MAX_HELD + i;

/** The ghost word of page `page`. */
export const ghostSlot = (l: ControlLayout, page: number): number =>
  1 + l.workers * (TALLY.length + MAX_HELD) + page;

/** The words a control buffer needs. */
export const controlWords = (l: ControlLayout): number =>
  1 + l.workers * (TALLY.length + MAX_HELD) + l.pages;

/** A worker's tally, read from the control buffer. */
export function readTally(words: Int32Array, worker: number): Record<TallyField, number> {
  return Object.fromEntries(
    TALLY.map((f) => [f, Atomics.load(words, tallySlot(worker, f))]),
  ) as Record<TallyField, number>;
}
