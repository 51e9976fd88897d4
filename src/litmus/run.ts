/**
 * The SC runner: a litmus test on the checker's explorer, every interleaving of its shared
 * accesses under sequential consistency. Positive and negative count interleavings (paths
 * to each final state), as the explorer counts them.
 */
import { explore, type ExploreOptions, type Program } from '../explore/explore.js';
import type { LitmusTest } from './ast.js';
import {
  compareStates,
  finalState,
  isVacuousOverValues,
  observedPlaces,
  passesFilter,
  satisfies,
  type FinalState,
  type Outcome,
} from './condition.js';
import { observation, validated } from './format.js';
import { interpret, refuseUnderSc, type Regs, type World } from './interpret.js';
import { validate } from './validate.js';

export { validate };

/** A final state and the interleavings that end in it. */
export interface LitmusState {
  state: FinalState;
  /** The state by place: `{ '0:r0': 1, '[x]': 2 }`. */
  values: Record<string, number>;
  paths: number;
  satisfies: boolean;
}

export type LitmusResult =
  | {
      kind: 'complete';
      states: LitmusState[];
      /** Interleavings whose final state satisfies the condition's proposition. */
      positive: number;
      negative: number;
      observation: 'Never' | 'Sometimes' | 'Always';
      /** Whether the condition is validated (herd's Ok) given its quantifier. */
      ok: boolean;
      /**
       * No combination of the values each observed place takes could satisfy it; undefined
       * when that search ran out of budget.
       */
      vacuous: boolean | undefined;
      explored: number;
    }
  | { kind: 'incomplete'; limit: string; explored: number };

/**
 * Runs a validated test under SC.
 * @throws LitmusSyntaxError for what only the axiomatic model runs (locks, pointers, RCU grace periods)
 */
export function runLitmus(
  test: LitmusTest,
  options: ExploreOptions = {},
  file = '<litmus>',
): LitmusResult {
  refuseUnderSc(test, file);
  const names = [
    ...new Set([
      ...test.init.map((i) => i.name),
      ...test.processes.flatMap((p) => p.params.map((q) => q.name)),
    ]),
  ];
  const cellOf = new Map(names.map((name, i) => [name, i]));
  const initialRegs = (thread: number): Regs =>
    Object.fromEntries(
      test.registerInit.filter((r) => r.thread === thread).map((r) => [r.name, r.value as number]),
    );
  const program: Program<World> = {
    threads: test.processes.map((proc, i) => ({
      name: `P${proc.id}`,
      body: (ctx) => interpret(proc.body, ctx, cellOf, initialRegs(i)),
    })),
    init: () => ({
      memory: Int32Array.from(
        names,
        (name) => (test.init.find((i) => i.name === name)?.value as number) ?? 0,
      ),
      world: { regs: test.processes.map((_, i) => initialRegs(i)) },
    }),
    cloneWorld: (w) => ({ regs: w.regs.map((r) => ({ ...r })) }),
    worldKey: (w) => JSON.stringify(w.regs),
  };
  // Witness counts are interleavings: no reduction may merge or prune paths here.
  const result = explore(program, {
    ...options,
    stopAtViolation: false,
    symmetry: false,
    sleepSets: false,
  });
  if (result.kind === 'incomplete')
    return { kind: 'incomplete', limit: result.limit, explored: result.states };
  if (result.kind === 'violation')
    throw new Error(`[checker bug] litmus run reported: ${result.message}`);

  const places = observedPlaces(test);
  const byKey = new Map<string, LitmusState>();
  for (const f of result.finals) {
    // registers a process declared but never reached read 0, as herd7's do
    const outcome: Outcome = {
      registers: test.processes.map((_, i) => ({ ...declaredZero(test, i), ...f.world.regs[i] })),
      memory: new Map(names.map((n, i) => [n, f.memory[i]!])),
    };
    if (!passesFilter(test, outcome)) continue;
    const state = finalState(places, outcome);
    const known = byKey.get(state.key);
    if (known) known.paths += f.paths;
    else {
      byKey.set(state.key, {
        state,
        values: Object.fromEntries(state.places.map((p, i) => [p, state.values[i] as number])),
        paths: f.paths,
        satisfies: satisfies(test, outcome),
      });
    }
  }
  const states = [...byKey.values()].sort((a, b) => compareStates(a.state, b.state));
  const positive = states.filter((s) => s.satisfies).reduce((n, s) => n + s.paths, 0);
  const negative = states.filter((s) => !s.satisfies).reduce((n, s) => n + s.paths, 0);
  return {
    kind: 'complete',
    states,
    positive,
    negative,
    observation: observation(positive, negative),
    ok: validated(test, positive, negative),
    vacuous: isVacuousOverValues(
      test,
      states.map((s) => s.state),
    ),
    explored: result.states,
  };
}

function declaredZero(test: LitmusTest, i: number): Regs {
  const out: Regs = {};
  const walk = (ss: LitmusTest['processes'][number]['body']): void => {
    for (const s of ss) {
      if (s.kind === 'decl') out[s.name] = 0;
      if (s.kind === 'if') {
        walk(s.then);
        walk(s.else);
      }
    }
  };
  walk(test.processes[i]!.body);
  return out;
}
