/**
 * runModel: every candidate execution of a program, checked against a memory model, counted
 * as herd7 counts them: one execution per choice of traces, rf and co, grouped by final
 * state, with the flags of the allowed ones.
 *
 * The limits (limits.ts) are checked inside every loop, building candidates included; past
 * one the answer is `incomplete`, names the limit and carries no outcome at all, so a caller
 * can never print Never or Always over a partial enumeration.
 */

import {
  assemble,
  coherentLocationChoices,
  locationChoices,
  product,
  type LocationChoice,
} from './candidates.js';
import type { Program, ThreadTrace, Value } from './events.js';
import { buildStructure, valuesCanMatch, type Execution, type Structure } from './execution.js';
import { Budget, LimitReached, withBudget } from './limits.js';
import { lockStructure } from './lock.js';
import type { MemoryModel } from './models/model.js';

/** A final state: each process's registers, each location's value. */
export interface Outcome {
  /** registers[i]: the final registers of process i. */
  registers: readonly Readonly<Record<string, Value>>[];
  /** The co-last write's value of each location (its initial value when none). */
  memory: ReadonlyMap<string, Value>;
}

export interface RunModelOptions {
  /**
   * Give up (incomplete) past this many candidate executions, or this many steps of building
   * them (trace combinations, per-location choices): the CLI's `--max-states`. Default
   * 1,000,000.
   */
  maxExecutions?: number;
  /** Give up (incomplete) past this many milliseconds. Default 60,000. Ignored with `budget`. */
  timeoutMs?: number;
  /** Give up (incomplete) past this much memory in use (heap and array buffers, MiB). Default 1,024. Ignored with `budget`. */
  maxMemoryMB?: number;
  /**
   * Time and memory shared with what ran before (runLitmusModel's programOf): the deadline
   * then covers the whole run. Default: a new one from timeoutMs and maxMemoryMB.
   */
  budget?: Budget;
  /**
   * The locations the condition (or a `locations` line) observes: their co-last writes form
   * herd7's FW, which lock.cat's lock-final flag reads; candidate outcomes vary only their
   * values. Default: none.
   */
  observed?: ReadonlySet<string>;
  /** herd7's `filter`: executions whose outcome fails it are dropped before any count. */
  filter?: (o: Outcome) => boolean;
  /**
   * Called with each execution the model allows, its outcome and flags (a caller that needs
   * the execution itself, to print a counterexample); returning true stops the run, which
   * then ends complete with what it has counted so far.
   */
  onAllowed?: (x: Execution, outcome: Outcome, flags: readonly string[]) => boolean | void;
  /**
   * Build only the candidates that pass coherence and atomicity (candidates.ts,
   * coherentLocationChoices), for a model that requires both, and leave `candidates` (the
   * outcomes before the axioms, for vacuity) empty: the code engine's way (src/check/lkmm),
   * which never reports vacuity. The allowed executions and `explored` are the same. Default
   * false.
   */
  coherentOnly?: boolean;
}

/** The allowed executions that end in one outcome. */
export interface AllowedOutcome {
  outcome: Outcome;
  executions: number;
  /** The flags any of these executions raised, sorted. */
  flags: string[];
}

export type ModelResult =
  | {
      kind: 'complete';
      model: string;
      allowed: AllowedOutcome[];
      /** Outcomes of candidate executions before the axioms (after the filter), for vacuity. */
      candidates: Outcome[];
      /** Flags of allowed executions, sorted as herd7 prints them. */
      flags: string[];
      /** Candidate executions checked against the model. */
      explored: number;
    }
  | {
      kind: 'incomplete';
      model: string;
      /** The limit reached, as `option=value` with the CLI's names: `max-seconds=2`. */
      limit: string;
      explored: number;
    };

/** Runs `model` over every candidate execution of `program`. */
export function runModel(
  program: Program,
  model: MemoryModel,
  options: RunModelOptions = {},
): ModelResult {
  const maxExecutions = options.maxExecutions ?? 1_000_000;
  const budget =
    options.budget ??
    new Budget({
      maxSeconds: (options.timeoutMs ?? 60_000) / 1000,
      maxMemoryMB: options.maxMemoryMB,
    });
  const observed = options.observed ?? new Set<string>();
  const allowed = new Map<string, AllowedOutcome>();
  const candidates = new Map<string, Outcome>();
  let explored = 0;
  const stop = (limit: string): ModelResult => ({
    kind: 'incomplete',
    model: model.name,
    limit,
    explored,
  });

  // Building candidates counts against the same limits: 10 writes to one location are 3.6
  // million coherence orders before the first execution, and traces may not combine at all.
  let built = 0;
  const tick = () => {
    if (++built > maxExecutions) throw new LimitReached(`max-states=${maxExecutions}`);
    budget.check();
  };
  try {
    // the relation algebra checks the same budget inside its operators
    return withBudget(budget, enumerate);
  } catch (e) {
    if (e instanceof LimitReached) return stop(e.limit);
    throw e;
  }

  function enumerate(): ModelResult {
    for (const traces of product(program.traces.map(distinct))) {
      tick();
      if (!valuesCanMatch(program, traces)) continue;
      const s = buildStructure(program, traces);
      const lock = lockStructure(s);
      if (options.coherentOnly && model.requiresCoherence) {
        const usable: LocationChoice[][] = [];
        for (const loc of s.locations) {
          const c = coherentLocationChoices(s, lock, loc, tick);
          if (c.length === 0) break;
          usable.push(c);
        }
        if (usable.length < s.locations.length) continue;
        const r = check(s, usable);
        if (r) return r;
        continue;
      }
      const choices = s.locations.map((loc) => locationChoices(s, lock, loc, tick));
      if (choices.some((c) => c.length === 0)) continue;
      for (const o of candidateOutcomes(s, choices, observed, tick))
        if (!options.filter || options.filter(o)) candidates.set(outcomeKey(o), o);
      const usable = model.requiresCoherence
        ? choices.map((c) => c.filter((k) => k.consistent))
        : choices;
      const r = check(s, usable);
      if (r) return r;
    }
    return done();
  }

  /** Checks every execution of one choice per location; a result if the run ends here. */
  function check(s: Structure, usable: readonly LocationChoice[][]): ModelResult | undefined {
    for (const pick of product(usable)) {
      if (explored >= maxExecutions) return stop(`max-states=${maxExecutions}`);
      explored++;
      budget.check();
      const x = assemble(s, pick, observed);
      const outcome = finalOutcome(s, pick);
      if (options.filter && !options.filter(outcome)) continue;
      const verdict = model.check(x);
      if (!verdict.allowed) continue;
      const halt = options.onAllowed?.(x, outcome, verdict.flags) === true;
      const key = outcomeKey(outcome);
      const entry = allowed.get(key) ?? { outcome, executions: 0, flags: [] };
      entry.executions++;
      entry.flags = [...new Set([...entry.flags, ...verdict.flags])].sort(herdOrder);
      allowed.set(key, entry);
      if (halt) return done();
    }
    return undefined;
  }

  function done(): ModelResult {
    const flags = [...new Set([...allowed.values()].flatMap((a) => a.flags))].sort(herdOrder);
    return {
      kind: 'complete',
      model: model.name,
      allowed: [...allowed.values()],
      candidates: [...candidates.values()],
      flags,
      explored,
    };
  }
}

function finalOutcome(s: Structure, pick: readonly LocationChoice[]): Outcome {
  const memory = new Map<string, Value>();
  s.locations.forEach((loc, i) => {
    const order = pick[i]!.order;
    memory.set(loc, s.events[order[order.length - 1]!]!.value!);
  });
  return { registers: s.traces.map((t) => t.registers), memory };
}

/**
 * The outcomes of the candidates of one trace choice: the registers, and for each observed
 * location every value its co-last write can have (the others as in the first choice).
 */
function candidateOutcomes(
  s: Structure,
  choices: readonly (readonly LocationChoice[])[],
  observed: ReadonlySet<string>,
  /** Called once per outcome: many observed locations with many values multiply. */
  tick: () => void,
): Outcome[] {
  const valuesAt = s.locations.map((loc, i) => {
    const lasts = choices[i]!.map((c) => s.events[c.order[c.order.length - 1]!]!.value!);
    return observed.has(loc) ? [...new Set(lasts)] : lasts.slice(0, 1);
  });
  const out: Outcome[] = [];
  for (const values of product(valuesAt)) {
    tick();
    out.push({
      registers: s.traces.map((t) => t.registers),
      memory: new Map(s.locations.map((loc, i) => [loc, values[i]!])),
    });
  }
  return out;
}

/** A process's traces, each once: two equal traces are one event structure to herd7. */
function distinct(traces: readonly ThreadTrace[]): ThreadTrace[] {
  if (traces.length < 2) return [...traces];
  const seen = new Map<string, ThreadTrace>();
  for (const t of traces) seen.set(JSON.stringify(t), t);
  return [...seen.values()];
}

/** A key identifying an outcome (registers in process order, memory in location order). */
function outcomeKey(o: Outcome): string {
  return JSON.stringify([o.registers, [...o.memory]]);
}

/** herd7 sorts flags with OCaml's `compare` on strings: by bytes. */
const herdOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
