import { PageRefs } from '../refcount/pageRefs.js';
import { PageRefDebugError } from '../refcount/debugChecks.js';
import type { Strategy } from '../refcount/strategy.js';
import {
  Violation,
  describeThrown,
  explore,
  type ExploreFault,
  type ExploreOptions,
  type Program,
  type SearchOutcome,
  type Step,
} from '../explore/explore.js';
import { NO_CELL, PAUSE, type ModelCells } from '../explore/modelCells.js';
import { PageOps, pageCells, type PageCells } from './pageOps.js';
import {
  RESULT_TYPES,
  STRATEGY_FUNCTIONS,
  badResultMessage,
  isResultOf,
} from './strategyModule.js';
import { cellsDoor } from './cellsDoor.js';
import { cloneWorld, ghost, worldKey, type World, type WorldViolation } from './world.js';
import { freeNotFrozen, leftFrozen, liveWrong } from './endState.js';

/**
 * `spins`: an operation did not finish within its step budget (or, under the CLI's
 * watchdog, ran without touching memory for too long): a verdict of its own, because it is
 * not a broken invariant but neither is it safe.
 */
export type Verdict = 'safe' | 'violation' | 'spins' | 'incomplete';

/** What the setup of a scenario may do: real calls on the initial memory, and ghost state. */
export interface Setup {
  /** The library over the initial memory (debug off: setup is not under test). */
  refs: PageRefs;
  /** Page p is live as `type`, with holders[t] references held by thread t. */
  live(p: number, type: number, holders: number[]): void;
  /** Page p sits free in the allocator; its last incarnation was `type`. */
  free(p: number, type: number): void;
  /** Page p is frozen by thread t (give t its references with live() first). */
  frozenBy(p: number, t: number): void;
  /** Writes a raw counter value: for states no sequence of calls reaches quickly. */
  raw(p: number, value: number): void;
}

export interface Scenario {
  name: string;
  /** One line. */
  description: string;
  /** The mail it comes from. */
  seed: string;
  pages: number;
  /** How many rounds each thread runs, for scenarios that have rounds (`getters:3x2`). */
  rounds?: number;
  /**
   * Built-in strategies expected to violate; the others are expected safe. The catalog
   * derives it from each scenario's `expectedViolations`, which give every one its reason.
   */
  violates: readonly string[];
  /**
   * Whether a user's strategy is expected safe here (the default), or the outcome depends
   * on the design and the catalog cannot say (aba-caller-dtor: any design with a revivable
   * zero loses it).
   */
  userExpectation?: 'safe' | 'depends';
  setup(s: Setup): void;
  threads: readonly { name: string; body: (ops: PageOps) => void }[];
}

/**
 * What a scenario's run can find, one kind each: a world invariant, a debug check that
 * fired on correct use, or a fault of the strategy's code that the explorer detected (see
 * ExploreFault: it swallowed the checker's pause, is not deterministic, spins, reached
 * outside the cells, or threw), or a result of the wrong type (`badResult`: see
 * RESULT_TYPES).
 */
export type ViolationKind = WorldViolation | ExploreFault | 'debugCheck' | 'badResult';

/** A violation's shortest counterexample. */
export interface Counterexample {
  kind: ViolationKind;
  message: string;
  /** The threads' names, T0 first. */
  threads: string[];
  steps: Step[];
}

interface RunInfo {
  scenario: string;
  strategy: string;
  /** The verdict the catalog expects, or undefined for a user's strategy where it depends. */
  expected: Verdict | undefined;
  states: number;
  ms: number;
  /** The scenario's page count (its memory holds CELLS_PER_PAGE cells per page). */
  pages: number;
  /**
   * The size the verdict was checked at, and no larger: the threads, the rounds (where the
   * scenario has them), and the largest count any page's counter held in a state the
   * search reached (see Reach).
   */
  size: CheckedSize;
  // Absent unless the verdict has them, so that `r.counterexample` reads on any result.
  counterexample?: undefined;
  limit?: undefined;
}

/** What a verdict covers: see RunInfo.size. */
export interface CheckedSize {
  threads: number;
  rounds?: number;
  countsUpTo: number;
}

/** The size of a run of `s` whose counters reached `countsUpTo`. */
export const checkedSize = (s: Scenario, countsUpTo: number): CheckedSize => ({
  threads: s.threads.length,
  ...(s.rounds === undefined ? {} : { rounds: s.rounds }),
  countsUpTo,
});

/** One scenario against one strategy, tagged by its verdict. */
export type ScenarioResult =
  | (RunInfo & { verdict: 'safe' })
  | (Omit<RunInfo, 'limit'> & {
      verdict: 'incomplete';
      /** Why exploration stopped early. */
      limit: string;
    })
  | (Omit<RunInfo, 'counterexample'> & {
      verdict: 'violation' | 'spins';
      counterexample: Counterexample;
    });

/** Faults of strategy code: never as a catalog expects, whatever the scenario. */
export const STRATEGY_FAULTS: readonly ViolationKind[] = [
  'pauseSwallowed',
  'nondeterministic',
  'spins',
  'outOfRange',
  'threw',
  'badResult',
];

/** Expected verdict of a scenario for a strategy, or undefined if the catalog cannot say. */
export function expectation(s: Scenario, strategy: string, builtIn: boolean): Verdict | undefined {
  if (!builtIn) return s.userExpectation === 'depends' ? undefined : 'safe';
  return s.violates.includes(strategy) ? 'violation' : 'safe';
}

/**
 * The strategy as the checker runs it: each function records its name (for messages and
 * the watchdog) and turns an error it throws into a violation of kind `threw`: strategy
 * code that throws is the strategy's bug. The checker's own exceptions pass through.
 */
export function guardedStrategy(
  strategy: Strategy,
  cells: ModelCells,
  onCall?: (fn: string | undefined, thread: number) => void,
  debugChecks = false,
): Strategy {
  const guarded: Record<string, unknown> = { name: strategy.name };
  const door = cellsDoor(cells);
  for (const key of STRATEGY_FUNCTIONS) {
    const fn = strategy[key]; // own or inherited: a strategy may be a class instance
    const type = RESULT_TYPES[key];
    guarded[key] = (...args: unknown[]): unknown => {
      const outer = { callee: cells.callee, page: cells.page };
      cells.callee = key;
      // isFrozenCount is given a raw value, not cells: it may touch none
      cells.page = key === 'isFrozenCount' ? NO_CELL : (args[1] as number);
      onCall?.(key, cells.thread);
      let result: unknown;
      try {
        if (args[0] === cells) args[0] = door; // never the model cells themselves
        result = (fn as (...a: unknown[]) => unknown).apply(strategy, args);
      } catch (e) {
        if (e === PAUSE || e instanceof Violation) throw e;
        // a strategy's own debug checks (Strategy.checked) fire as the ports' wrapper does
        if (debugChecks && e instanceof PageRefDebugError) throw e;
        throw new Violation<ExploreFault>('threw', `${cells.who()} threw ${describeThrown(e)}`);
      } finally {
        cells.callee = outer.callee;
        cells.page = outer.page;
        onCall?.(outer.callee || undefined, cells.thread);
      }
      if (!isResultOf(type, result)) {
        cells.callee = key; // named in the message
        const message = badResultMessage(cells.who(), result, key);
        cells.callee = outer.callee;
        throw new Violation<ViolationKind>('badResult', message);
      }
      return result;
    };
  }
  // a strategy's own debug-checked variant is run as guarded as the strategy itself
  if (strategy.checked) guarded.checked = guardedStrategy(strategy.checked, cells, onCall, true);
  return guarded as unknown as Strategy;
}

/** Options of a scenario run: the explorer's, and a hook the watchdog uses. */
export interface ScenarioOptions extends ExploreOptions {
  /**
   * Called as strategy code is entered and left, with the function now running (or none)
   * and the thread (-1: the setup or the final check).
   */
  onStrategyCall?: (fn: string | undefined, thread: number) => void;
}

export function scenarioProgram(
  s: Scenario,
  strategy: Strategy,
  options: ScenarioOptions = {},
): Program<World> {
  const layout: PageCells = pageCells(s.pages);
  const threads = s.threads.length;
  // The library under test, debug checks on, over the explorer's model cells; it keeps no
  // state of its own, so one per model serves every thread and step.
  // (Debug checks off for the setup and the final check, which are not under test.)
  let model: { cells: ModelCells; checked: PageRefs; unchecked: PageRefs } | undefined;
  const refsOver = (cells: ModelCells, debug = true): PageRefs => {
    if (model?.cells !== cells) {
      const guarded = guardedStrategy(strategy, cells, options.onStrategyCall);
      const over = (debug: boolean) =>
        PageRefs.over(cells, { pages: s.pages, strategy: guarded, debug });
      model = { cells, checked: over(true), unchecked: over(false) };
    }
    return debug ? model.checked : model.unchecked;
  };
  return {
    init(probe) {
      const memory = new Int32Array(layout.cells);
      const world: World = { pages: [], incarnations: [] };
      probe.beginProbe(memory, 'the setup');
      const refs = refsOver(probe, false); // setup is not under test: debug off
      const holders = (h: number[]) => Array.from({ length: threads }, (_, t) => h[t] ?? 0);
      s.setup({
        refs,
        live(p, type, h) {
          memory[layout.typeCell(p)] = type;
          ghost.begin(world, p, type, holders(h));
        },
        free(p, type) {
          refs.setFrozen(p);
          memory[layout.typeCell(p)] = type;
          memory[layout.freeCell(p)] = 1;
          ghost.begin(world, p, type, holders([]));
          world.incarnations.at(-1)!.destroyedBy = -2; // destroyed before the scenario began
          world.pages[p]!.free = true;
        },
        frozenBy(p, t) {
          world.pages[p]!.frozenBy = t;
        },
        raw(p, value) {
          memory[p] = value;
        },
      });
      return { memory, world };
    },
    threads: s.threads.map(({ name, body }) => ({
      name,
      body: (ctx) => body(new PageOps(ctx, refsOver(ctx.cells), layout, threads)),
    })),
    cloneWorld,
    worldKey,
    // Threads that share a body function are interchangeable: a body sees its thread only
    // through PageOps's ghost bookkeeping, which worldKey renames consistently.
    symmetry: s.threads.map(({ body }) => s.threads.findIndex((u) => u.body === body)),
    cellName: (cell) => layout.name(cell),
    counters: s.pages,
    final: (cells, world) => finalCheck(cells, world, refsOver(cells, false), s.pages),
    classify: (e) =>
      e instanceof PageRefDebugError ? new Violation('debugCheck', describeThrown(e)) : undefined,
  };
}

/**
 * The end-state invariants (endState.ts): nothing leaked, free pages frozen, counts equal
 * holders. `refs` runs the strategy over probe cells on a copy of the final memory, so
 * probes cannot change the explored state, and keep the step budget. A page left frozen is
 * checked first, free or not: a free page's freezer is cleared by whichever thread frees
 * it, so one still set froze the page after it was freed.
 */
function finalCheck(
  cells: ModelCells,
  world: World,
  refs: PageRefs,
  pages: number,
): Violation | undefined {
  for (let p = 0; p < pages; p++) {
    const page = world.pages[p]!;
    const raw = cells.memory[p]!;
    const found =
      page.frozenBy >= 0
        ? leftFrozen(p, `T${page.frozenBy}`)
        : page.free
          ? freeNotFrozen(p, refs, raw)
          : liveWrong(
              p,
              world.incarnations[page.incarnation]!.holders.reduce((a, b) => a + b, 0),
              refs,
              raw,
            );
    if (found) return new Violation<WorldViolation>(found.kind, found.message);
  }
  return undefined;
}

export function runScenario(
  s: Scenario,
  strategy: Strategy,
  builtIn: boolean,
  options: ScenarioOptions = {},
): ScenarioResult {
  const started = performance.now();
  const result = explore(scenarioProgram(s, strategy, options), {
    replayTwice: !builtIn, // a user's code may not be deterministic: run each step twice
    // Symmetry assumes the code under test cannot tell threads apart; the built-ins cannot,
    // but a user's module could read the model cells' internals (which thread is stepped).
    symmetry: builtIn,
    ...options,
  });
  return scenarioResult(s, strategy.name, builtIn, result, performance.now() - started);
}

/** A search's result as the scenario's: its verdict, and the counterexample named. */
export function scenarioResult(
  s: Scenario,
  strategy: string,
  builtIn: boolean,
  result: SearchOutcome,
  ms: number,
): ScenarioResult {
  const base = {
    scenario: s.name,
    strategy,
    expected: expectation(s, strategy, builtIn),
    states: result.states,
    ms: Math.round(ms * 10) / 10,
    pages: s.pages,
    size: checkedSize(s, result.reached),
  };
  if (result.kind === 'incomplete') return { ...base, verdict: 'incomplete', limit: result.limit };
  if (result.kind === 'safe') return { ...base, verdict: 'safe' };
  const kind = result.violation as ViolationKind;
  return {
    ...base,
    verdict: kind === 'spins' ? 'spins' : 'violation',
    counterexample: {
      kind,
      message: result.message,
      threads: s.threads.map((t) => t.name),
      steps: result.trace,
    },
  };
}
