/**
 * A litmus file under a memory model: the front end's program (src/litmus/traces.ts), the
 * model's executions (run.ts), and herd7's tallies: states, Positive/Negative over allowed
 * executions, flags, and vacuity over the candidates.
 */

import type { LitmusTest } from '../litmus/ast.js';
import { readLitmusFile } from '../litmus/checkFile.js';
import {
  compareStates,
  finalState,
  isVacuous,
  observedPlaces,
  passesFilter,
  satisfies,
  type FinalState,
} from '../litmus/condition.js';
import { formatHerd, observation, validated, type HerdResult } from '../litmus/format.js';
import { programOf } from '../litmus/traces.js';
import type { MemoryModel } from './models/model.js';
import { runModel, type RunModelOptions } from './run.js';

export type ModelVerdict =
  | ({ kind: 'complete' } & HerdResult & { explored: number })
  | { kind: 'incomplete'; limit: string; explored: number };

export interface ModelLitmusRun {
  file: string;
  test: LitmusTest;
  model: string;
  result: ModelVerdict;
  ms: number;
}

export type LitmusModelOptions = Pick<RunModelOptions, 'maxExecutions' | 'timeoutMs'>;

/** Runs `test` under `model` and tallies as herd7 does. */
export function runLitmusModel(
  test: LitmusTest,
  model: MemoryModel,
  options: LitmusModelOptions = {},
  file = '<litmus>',
): ModelVerdict {
  const program = programOf(test, file);
  const places = observedPlaces(test);
  const observed = new Set(places.filter((p) => p.kind === 'loc').map((p) => p.name));
  const res = runModel(program, model, {
    ...options,
    observed,
    filter: (o) => passesFilter(test, o),
  });
  if (res.kind === 'incomplete') return res;
  const states = new Map<string, FinalState>();
  let positive = 0;
  let negative = 0;
  for (const a of res.allowed) {
    const s = finalState(places, a.outcome);
    states.set(s.key, s);
    if (satisfies(test, a.outcome)) positive += a.executions;
    else negative += a.executions;
  }
  const vacuous = isVacuous(test, res.candidates);
  return {
    kind: 'complete',
    states: [...states.values()].sort(compareStates),
    positive,
    negative,
    flags: res.flags,
    vacuous,
    explored: res.explored,
  };
}

/** Reads, validates and runs one litmus file under `model`. @throws as readLitmusFile */
export function checkLitmusModel(
  file: string,
  model: MemoryModel,
  options: LitmusModelOptions = {},
): ModelLitmusRun {
  const test = readLitmusFile(file);
  const started = performance.now();
  const result = runLitmusModel(test, model, options, file);
  return { file, test, model: model.name, result, ms: performance.now() - started };
}

/** herd7's block with its Time line, or a line saying the run stopped with no verdict. */
export function formatModelRun(r: ModelLitmusRun): string {
  if (r.result.kind === 'incomplete') {
    const kind = { exists: 'Allowed', '~exists': 'Forbidden', forall: 'Required' }[
      r.test.quantifier
    ];
    return `Test ${r.test.name} ${kind}\nIncomplete: stopped at ${r.result.limit} after ${r.result.explored} executions; no verdict\n`;
  }
  return formatHerd(r.test, r.result) + `Time ${r.test.name} ${(r.ms / 1000).toFixed(2)}\n`;
}

/** The `--json` shape of one run: herd7's fields plus the model's name. */
export function modelRunJson(r: ModelLitmusRun) {
  const done = r.result.kind === 'complete' ? r.result : undefined;
  return {
    file: r.file,
    name: r.test.name,
    model: r.model,
    observation: done ? observation(done.positive, done.negative) : null,
    ok: done ? validated(r.test, done.positive, done.negative) : null,
    positive: done?.positive ?? null,
    negative: done?.negative ?? null,
    states:
      done?.states.map((s) => Object.fromEntries(s.places.map((p, i) => [p, s.values[i]]))) ?? null,
    flags: done?.flags ?? null,
    vacuous: done?.vacuous ?? null,
    explored: r.result.explored,
    ...(r.result.kind === 'incomplete' ? { limit: r.result.limit } : {}),
    ms: Math.round(r.ms * 100) / 100,
  };
}
