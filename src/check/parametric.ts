import type { Scenario } from './scenario.js';
import { scenarioByName } from './catalog.js';
import type { PageOps } from './pageOps.js';
import { X } from './world.js';

/**
 * Scenarios a user can scale: `family:TxR` runs T identical threads for R rounds each on
 * one page. The threads of one scenario share one body function, so the explorer treats
 * them as interchangeable (symmetry.ts) and the state space grows far more slowly with T.
 * All three families are correct uses of the API: every strategy that keeps its contract
 * is safe in them (v2-inverted's broken debug check fires in putters).
 */
export interface Family {
  name: string;
  /** One line, for T threads and R rounds (`--help` shows it with the letters). */
  description(t: number | 'T', r: number | 'R'): string;
  /** The thread's name in counterexamples. */
  thread: string;
  /** Built-in strategies expected to violate it, as in Scenario.violates. */
  violates: readonly string[];
  /** Each of T threads holds one reference to page 0 at the start (count T). */
  body(rounds: number, threads: number): (o: PageOps) => void;
  /** One more thread, of another kind, holding no reference at the start. */
  extra?: { name: string; body(rounds: number): (o: PageOps) => void };
}

/** The families, as `--help` lists them. */
export const FAMILIES: readonly Family[] = [
  {
    name: 'getters',
    description: (t, r) =>
      `${t} threads each hold a reference, then ${r} times get, use and put; then put their own`,
    thread: 'getter',
    violates: [],
    body: (rounds) => (o) => {
      for (let i = 0; i < rounds; i++) {
        if (!o.get(0)) continue;
        o.touch(0);
        o.put(0);
      }
      o.put(0);
    },
  },
  {
    name: 'putters',
    description: (t, r) =>
      `${t} threads each hold a reference, take ${r} more (inc), then drop them all with puts`,
    thread: 'putter',
    // v2's inverted debug check fires on every inc of a live page (seed 004)
    violates: ['v2-inverted'],
    body: (rounds) => (o) => {
      for (let i = 0; i < rounds; i++) o.inc(0);
      for (let i = 0; i <= rounds; i++) o.put(0);
    },
  },
  {
    name: 'freezers',
    description: (t, r) =>
      `${t} threads each hold a reference and ${r} times freeze the page at ${t}, use it and unfreeze it; one more thread ${r} times gets, uses and puts it`,
    thread: 'freezer',
    violates: [],
    body: (rounds, threads) => (o) => {
      for (let i = 0; i < rounds; i++) {
        if (!o.freeze(0, threads)) continue;
        o.touch(0);
        o.unfreeze(0, threads);
      }
    },
    extra: {
      name: 'getter',
      body: (rounds) => (o) => {
        for (let i = 0; i < rounds; i++) {
          if (!o.get(0)) continue;
          o.touch(0);
          o.put(0);
        }
      },
    },
  },
];

/**
 * Largest T and R accepted: beyond them even the reduced state space is out of reach (and
 * the symmetry memo numbers arrangements of at most 8 threads).
 */
export const MAX_THREADS = 8;
export const MAX_ROUNDS = 16;

/**
 * The scenario named `family:TxR`, or undefined if the name is not of that form.
 * @throws RangeError if T or R is out of range (the CLI reports it as a usage error).
 */
export function parametricScenario(name: string): Scenario | undefined {
  const m = /^([a-z]+):(\d+)x(\d+)$/.exec(name);
  const family = m && FAMILIES.find((f) => f.name === m[1]);
  if (!m || !family) return undefined;
  const threads = Number(m[2]);
  const rounds = Number(m[3]);
  if (!(threads >= 1 && threads <= MAX_THREADS && rounds >= 1 && rounds <= MAX_ROUNDS)) {
    throw new RangeError(
      `scenario ${name}: expected 1 to ${MAX_THREADS} threads and 1 to ${MAX_ROUNDS} rounds`,
    );
  }
  const body = family.body(rounds, threads); // one function: the threads are symmetric
  const symmetric = Array.from({ length: threads }, () => ({ name: family.thread, body }));
  const extra = family.extra && { name: family.extra.name, body: family.extra.body(rounds) };
  return {
    name,
    description: family.description(threads, rounds),
    seed: 'parametric',
    pages: 1,
    rounds,
    violates: family.violates,
    setup: (s) => (s.refs.set(0, threads), s.live(0, X, Array<number>(threads).fill(1))),
    threads: extra ? [...symmetric, extra] : symmetric,
  };
}

/** A catalog scenario or a parametric one, by name. */
export function findScenario(name: string): Scenario | undefined {
  return scenarioByName(name) ?? parametricScenario(name);
}
