/**
 * Forced schedules: a checker counterexample's interleaving, run exactly on real worker
 * threads and real shared memory (batonCells.ts), with the torture's detector: a ghost word
 * that says whether the page is free, and a count of frees.
 *
 * The page-cache torture (torture.ts) finds a bug only when the machine happens to
 * interleave the threads badly; a race whose window is two adjacent atomic operations may
 * never show there. Here the window is opened by handshakes, so the outcome is certain:
 * the broken strategy is caught every run, and a correct strategy, under the same schedule,
 * is not. Each scenario names the catalog scenario (`pageref check`) whose counterexample it
 * replays.
 *
 * @module
 */

import { Worker } from 'node:worker_threads';
import { AtomicCells } from '../cells/atomicCells.js';
import { PageRefs } from '../refcount/pageRefs.js';
import { FROZEN_BIT } from '../refcount/layout.js';
import type { StrategyName } from '../refcount/strategy.js';
import { BATON, batonWords, type BatonAccess } from './batonCells.js';
import { GHOST } from './control.js';

/** What one thread does to page 0. */
export type ForcedRole =
  /** tryGet, up to `attempts` times; once it holds the page, put it if `thenPut`. */
  | { kind: 'getter'; attempts: number; thenPut: boolean }
  /**
   * Holds a reference from the setup (to a page of type X), and puts it (decAndTest; the
   * winner frees), running the destructor of the page's own type, or of the type it
   * believed in (`caller`: seed 003's bug).
   */
  | { kind: 'putter'; destructor: 'page' | 'caller' }
  /** If the page is free, allocates it as type Y (init), then puts it. */
  | { kind: 'allocator' }
  /** Holds a reference from the setup, and takes one more (folio_get: inc). */
  | { kind: 'sharer' };

/** A forced scenario: the page's state, each thread's role, and the interleaving. */
export interface ForcedScenario {
  /** The catalog scenario whose counterexample this replays. */
  readonly name: string;
  readonly about: string;
  /** The page before the threads start, and whether the ghost says it is free. */
  readonly setup: 'pool' | 'evicted-drifted' | 'held';
  readonly roles: readonly ForcedRole[];
  /** One thread number per shared access, in order: the checker's counterexample. */
  readonly schedule: readonly number[];
  /** Run the kernel's debug checks (not the library's guards: they add accesses). */
  readonly debug: boolean;
  /** How many times the page must be freed, if the scenario says. */
  readonly frees?: number;
}

/** The forced scenarios, by the catalog name they replay. */
export const FORCED: readonly ForcedScenario[] = [
  {
    name: 'free-page-get',
    about: "a speculative get of a page in the allocator's pool (set_page_count_frozen)",
    setup: 'pool',
    roles: [{ kind: 'getter', attempts: 1, thenPut: false }],
    schedule: [0],
    debug: false,
  },
  {
    name: 'overflow-guard',
    about:
      'two getters on a page frozen by its eviction, whose counter failed gets have carried to 4 below the wrap',
    setup: 'evicted-drifted',
    roles: [
      { kind: 'getter', attempts: 2, thenPut: false },
      { kind: 'getter', attempts: 2, thenPut: false },
    ],
    // T0 add, T1 add, T0 cas, T0 add, T1 cas, T1 add
    schedule: [0, 1, 0, 0, 1, 1],
    debug: false,
  },
  {
    name: 'inc-free',
    about: "a put to zero, and a speculative get inside the put's window",
    setup: 'held',
    roles: [
      { kind: 'putter', destructor: 'page' },
      { kind: 'getter', attempts: 1, thenPut: true },
    ],
    // T0 sub, T1 add (revives the transitional zero), T0 cas, T1 sub, T1 cas
    schedule: [0, 1, 0, 1, 1],
    debug: false,
    frees: 1,
  },
  ...(['caller', 'page'] as const).map((destructor): ForcedScenario => ({
    name: `aba-${destructor}-dtor`,
    about: `the ABA race; a stalled put that wins runs the destructor ${destructor === 'caller' ? 'it believed in' : 'of the page itself (the rule)'}`,
    setup: 'held',
    roles: [
      { kind: 'putter', destructor },
      { kind: 'getter', attempts: 1, thenPut: true },
      { kind: 'allocator' },
    ],
    // T0 sub; T1 add (revives), sub, cas (frees X); T2 looks, allocates Y (init), sub;
    // T0 cas (frees Y); T2 cas
    schedule: [0, 1, 1, 1, 2, 2, 2, 0, 2],
    debug: false,
    frees: 2,
  })),
  {
    name: 'debug-inc-live',
    about: 'an inc of a page the thread holds, with the debug checks on',
    setup: 'held',
    roles: [{ kind: 'sharer' }],
    schedule: [0],
    debug: true,
  },
];

/** The forced scenarios' names. */
export const FORCED_NAMES = FORCED.map((s) => s.name);

/** The buffers a forced run shares with its workers. */
export interface ForcedJob {
  scenario: string;
  strategy: StrategyName;
  thread: number;
  /** The words of {@link MEMORY}. */
  memory: SharedArrayBuffer;
  baton: SharedArrayBuffer;
}

/** The page types of the ABA scenarios, as the ghost holds them (0 is free). */
export const TYPE = { X: GHOST.allocated, Y: GHOST.allocated + 1 } as const;

/** The words of a forced run's memory. */
export const MEMORY = { counter: 0, ghost: 1, frees: 2, freedBy: 3, gets: 4 } as const;

export interface ForcedResult {
  scenario: string;
  strategy: StrategyName;
  schedule: readonly number[];
  violations: string[];
  /** Every access, scheduled ones in the schedule's order, then the free-running rest. */
  trace: BatonAccess[];
  /** The counter at the end, unsigned. */
  raw: number;
  /** Successful tryGets, and frees (with the thread that freed last, or -1). */
  gets: number;
  frees: number;
  freedBy: number;
}

/** The forced scenario called `name`. @throws RangeError naming the known ones. */
export function forcedScenario(name: string): ForcedScenario {
  const s = FORCED.find((f) => f.name === name);
  if (!s)
    throw new RangeError(
      `unknown forced scenario ${JSON.stringify(name)}: expected one of ${FORCED_NAMES.join(', ')}`,
    );
  return s;
}

/** Runs `scenario` under `strategy` on one worker per role, in the scenario's schedule. */
export async function runForced(
  scenario: string,
  strategy: StrategyName,
  workerUrl: URL = new URL('./forcedWorker.js', import.meta.url),
): Promise<ForcedResult> {
  const s = forcedScenario(scenario);
  const memory = new SharedArrayBuffer(4 * Object.keys(MEMORY).length);
  const words = new Int32Array(memory);
  const baton = new SharedArrayBuffer(4 * batonWords(s.roles.length));
  const refs = PageRefs.over(new AtomicCells(words.subarray(0, 1)), { pages: 1, strategy });
  if (s.setup === 'pool') {
    refs.setFrozen(0); // the allocator's free page
    words[MEMORY.ghost] = GHOST.free;
  } else if (s.setup === 'evicted-drifted') {
    refs.init(0);
    refs.freeze(0, 1); // evicted: frozen at count 1
    words[MEMORY.ghost] = GHOST.free;
    // the residue of 2^31 − 4 failed gets, in a counter whose failed gets leave any
    if ((words[MEMORY.counter]! & FROZEN_BIT) !== 0) words[MEMORY.counter] = 0xfffffffc | 0;
  } else {
    refs.init(0); // thread 0 holds it
    words[MEMORY.ghost] = TYPE.X;
  }
  words[MEMORY.freedBy] = -1;
  const byThread: string[][] = s.roles.map(() => []);
  const trace: BatonAccess[] = [];
  const batonView = new Int32Array(baton);
  await Promise.all(
    s.roles.map((_, thread) => {
      const job: ForcedJob = { scenario, strategy, thread, memory, baton };
      const w = new Worker(workerUrl, { workerData: job });
      return new Promise<void>((resolve) => {
        w.once('message', (m: { violations: string[]; accesses: BatonAccess[] }) => {
          byThread[thread]!.push(...m.violations);
          trace.push(...m.accesses);
        });
        w.once('error', (e) => byThread[thread]!.push(`thread ${thread} crashed: ${e.message}`));
        w.once('exit', () => {
          // a thread that died before finish(): its turns are skipped, nobody waits for it
          Atomics.store(batonView, BATON.firstDone + thread, 1);
          Atomics.notify(batonView, BATON.step);
          resolve();
        });
      });
    }),
  );
  const violations = byThread.flat(); // by thread, whatever order they finished in
  const frees = words[MEMORY.frees]!;
  if (s.frees !== undefined && frees !== s.frees)
    violations.push(`page 0 was freed ${frees} times, expected ${s.frees}`);
  // scheduled accesses by step; the unscheduled ones after them, by thread (stable sort)
  const rank = (a: BatonAccess) => (a.step < 0 ? Infinity : a.step);
  trace.sort((a, b) => rank(a) - rank(b) || a.thread - b.thread);
  return {
    scenario,
    strategy,
    schedule: s.schedule,
    violations,
    trace,
    raw: words[MEMORY.counter]! >>> 0,
    gets: words[MEMORY.gets]!,
    frees,
    freedBy: words[MEMORY.freedBy]!,
  };
}
