import { AtomicCells } from '../cells/atomicCells.js';
import { PageRefs } from '../refcount/pageRefs.js';
import type { Strategy } from '../refcount/strategy.js';
import { explore, type ExploreOptions, type Program, type Step } from '../explore/explore.js';
import { PageOps, pageCells, type PageCells } from './pageOps.js';
import type { ModelCells } from '../explore/modelCells.js';
import { cloneWorld, ghost, worldKey, type World } from './world.js';

export type Verdict = 'safe' | 'violation' | 'incomplete';

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
  /** Built-in strategies expected to violate; the others are expected safe. */
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

export interface ScenarioResult {
  scenario: string;
  strategy: string;
  verdict: Verdict;
  /** The verdict the catalog expects, or undefined for a user's strategy. */
  expected: Verdict | undefined;
  states: number;
  ms: number;
  /** Why exploration stopped early (verdict incomplete). */
  limit?: string;
  counterexample?: { message: string; threads: string[]; steps: Step[] };
}

/** Expected verdict of a scenario for a strategy, or undefined if the catalog cannot say. */
export function expectation(s: Scenario, strategy: string, builtIn: boolean): Verdict | undefined {
  if (!builtIn) return s.userExpectation === 'depends' ? undefined : 'safe';
  return s.violates.includes(strategy) ? 'violation' : 'safe';
}

export function scenarioProgram(s: Scenario, strategy: Strategy): Program<World> {
  const layout: PageCells = pageCells(s.pages);
  const threads = s.threads.length;
  const cellsPerPage = 3;
  // The library under test, debug checks on, over the explorer's model cells; it keeps no
  // state of its own, so one per model serves every thread and step.
  let model: { cells: ModelCells; refs: PageRefs } | undefined;
  const refsOver = (cells: ModelCells): PageRefs => {
    if (model?.cells !== cells)
      model = { cells, refs: PageRefs.over(cells, { pages: s.pages, strategy, debug: true }) };
    return model.refs;
  };
  return {
    init() {
      const memory = new Int32Array(cellsPerPage * s.pages);
      const world: World = { pages: [], incarnations: [] };
      const refs = PageRefs.over(new AtomicCells(memory), { pages: s.pages, strategy });
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
    final: (memory, world) => finalCheck(memory, world, strategy, s.pages),
  };
}

/** The end-state invariants: nothing leaked, free pages frozen, counts equal holders. */
function finalCheck(
  memory: Int32Array,
  world: World,
  strategy: Strategy,
  pages: number,
): string | undefined {
  for (let p = 0; p < pages; p++) {
    const page = world.pages[p]!;
    const copy = memory.slice(); // probes must not change the explored state
    const cells = new AtomicCells(copy);
    const raw = `raw 0x${(memory[p]! >>> 0).toString(16)}`;
    if (page.frozenBy >= 0) return `page p${p} is left frozen by T${page.frozenBy} at the end`;
    if (page.free) {
      if (strategy.tryGet(cells, p))
        return `free page p${p} is not frozen: a try-get would succeed (${raw})`;
      continue;
    }
    const held = world.incarnations[page.incarnation]!.holders.reduce((a, b) => a + b, 0);
    if (held === 0) return `page p${p} leaked: live with no holder and never freed (${raw})`;
    const count = strategy.count(cells, p);
    if (count !== held)
      return `page p${p}'s count is ${count}, but ${held} reference(s) are held (${raw})`;
  }
  return undefined;
}

export function runScenario(
  s: Scenario,
  strategy: Strategy,
  builtIn: boolean,
  options: ExploreOptions = {},
): ScenarioResult {
  const started = performance.now();
  const result = explore(scenarioProgram(s, strategy), options);
  const base = {
    scenario: s.name,
    strategy: strategy.name,
    verdict: result.kind,
    expected: expectation(s, strategy.name, builtIn),
    states: result.states,
    ms: Math.round((performance.now() - started) * 10) / 10,
  };
  if (result.kind === 'incomplete') return { ...base, limit: result.limit };
  if (result.kind === 'safe') return base;
  return {
    ...base,
    counterexample: {
      message: result.message,
      threads: s.threads.map((t) => t.name),
      steps: result.trace,
    },
  };
}
