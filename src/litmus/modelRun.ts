/**
 * A litmus file under a memory model: the front end's program (src/litmus/traces.ts), the
 * model's executions (run.ts), and herd7's tallies: states, Positive/Negative over allowed
 * executions, flags, and vacuity over the candidates.
 *
 * One Budget (limits.ts) covers building the traces and enumerating the candidates, so
 * `maxSeconds` bounds the whole run; past a limit the run is `incomplete` and names it.
 */

import type { LitmusTest } from './ast.js';
import { readLitmusFile } from './checkFile.js';
import {
  compareStates,
  finalState,
  isVacuous,
  observedPlaces,
  passesFilter,
  satisfies,
  type FinalState,
} from './condition.js';
import { sizedConstants, sizedMemory } from './sizedTypes.js';
import { formatHerd, observation, validated, VACUOUS_REMARK, type HerdResult } from './format.js';
import { CUTOFF_REGISTER } from './symbolic.js';
import { programOf } from './traces.js';
import { unorderedAccesses } from './unordered.js';
import { Budget, LimitReached } from '../axiomatic/limits.js';
import type { MemoryModel } from '../axiomatic/models/model.js';
import { runModel } from '../axiomatic/run.js';

export type ModelVerdict =
  | ({ kind: 'complete' } & HerdResult & { explored: number })
  | {
      kind: 'incomplete';
      /** The limit reached, `option=value`: `max-seconds=2`. */
      limit: string;
      /** Where, when the front end says (`P0 has more than 10000 traces`). */
      detail?: string;
      explored: number;
    };

export interface ModelLitmusRun {
  file: string;
  test: LitmusTest;
  model: string;
  /** The model in words (MemoryModel.title). */
  modelTitle: string;
  result: ModelVerdict;
  ms: number;
  /**
   * `file:line:column: …` for each construct that herd7 would refuse (LitmusTest.herd7Refuses),
   * two accesses in one expression (unordered.ts), then herd7's own warning when a while
   * loop reached its unrolling limit.
   */
  warnings: string[];
}

export interface LitmusModelOptions {
  /** Candidate executions (and building steps) before giving up: `--max-states`. */
  maxExecutions?: number;
  /** Seconds for the whole run, traces included: `--max-seconds`. Default 60. */
  maxSeconds?: number;
  /** The same limit in milliseconds; `maxSeconds` wins when both are given. */
  timeoutMs?: number;
  /** Memory in use (JS heap and array buffers), in MiB, before giving up. Default 1,024. */
  maxMemoryMB?: number;
}

/** Runs `test` under `model` and tallies as herd7 does. */
export function runLitmusModel(
  test: LitmusTest,
  model: MemoryModel,
  options: LitmusModelOptions = {},
  file = '<litmus>',
): ModelVerdict {
  const budget = new Budget({
    maxSeconds: options.maxSeconds ?? (options.timeoutMs ?? 60_000) / 1000,
    maxMemoryMB: options.maxMemoryMB,
  });
  let program;
  try {
    program = programOf(test, file, { budget });
  } catch (e) {
    if (!(e instanceof LimitReached)) throw e;
    return {
      kind: 'incomplete',
      limit: e.limit,
      explored: 0,
      ...(e.detail ? { detail: e.detail } : {}),
    };
  }
  const places = observedPlaces(test);
  const observed = new Set(places.filter((p) => p.kind === 'loc').map((p) => p.name));
  // herd7 drops the candidates that reach a while loop's unrolling limit (top_herd.ml,
  // check_failed_model_kont) before the filter and the model, and then says Loop
  let loop = false;
  const shown = sizedMemory(test);
  const asHerd = sizedConstants(test);
  const res = runModel(program, model, {
    maxExecutions: options.maxExecutions,
    budget,
    observed,
    filter: (o) => {
      if (o.registers.some((r) => CUTOFF_REGISTER in r)) {
        loop = true;
        return false;
      }
      return passesFilter(asHerd, shown(o));
    },
  });
  if (res.kind === 'incomplete')
    return { kind: 'incomplete', limit: res.limit, explored: res.explored };
  const states = new Map<string, FinalState>();
  let positive = 0;
  let negative = 0;
  for (const a of res.allowed) {
    const outcome = shown(a.outcome);
    const s = finalState(places, outcome);
    states.set(s.key, s);
    if (satisfies(asHerd, outcome)) positive += a.executions;
    else negative += a.executions;
  }
  const vacuous = isVacuous(asHerd, res.candidates.map(shown));
  return {
    kind: 'complete',
    states: [...states.values()].sort(compareStates),
    positive,
    negative,
    flags: res.flags,
    vacuous,
    explored: res.explored,
    ...(loop ? { loop } : {}),
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
  return {
    file,
    test,
    model: model.name,
    modelTitle: model.title,
    result,
    ms: performance.now() - started,
    warnings: [
      ...test.herd7Refuses.map(
        (n) =>
          `${file}:${n.at.line}:${n.at.column}: ${n.what} (herd7 refuses the file; pageref runs it)`,
      ),
      ...unorderedAccesses(test).map((n) => `${file}:${n.at.line}:${n.at.column}: ${n.what}`),
      // herd7's own warning (top_herd.ml), with where the limit comes from
      ...(result.kind === 'complete' && result.loop
        ? [
            `${file}: unrolling limit exceeded at While, legal outcomes may be missing (a while loop's body runs at most twice, as herd7 -unroll 2)`,
          ]
        : []),
    ],
  };
}

/**
 * herd7's block and its Time line, exactly as herd7 prints them (no Hash), then pageref's own
 * remarks, each line starting `pageref:` so that the block above stays herd7's line for line:
 * the model, and vacuity. An incomplete run prints the Test line and says which limit stopped
 * it: no States, no Observation, nothing that reads as a verdict.
 */
export function formatModelRun(r: ModelLitmusRun): string {
  const remarks = [`pageref: model ${r.model}: ${r.modelTitle}`];
  if (r.result.kind === 'incomplete') {
    const kind = { exists: 'Allowed', '~exists': 'Forbidden', forall: 'Required' }[
      r.test.quantifier
    ];
    remarks.unshift(
      `pageref: incomplete: stopped at the limit ${r.result.limit}${r.result.detail ? ` (${r.result.detail})` : ''} after ${r.result.explored} executions; no verdict (${raising(r.result.limit)})`,
    );
    return `Test ${r.test.name} ${kind}\n${remarks.join('\n')}\n`;
  }
  if (r.result.vacuous) remarks.push(VACUOUS_REMARK);
  return (
    formatHerd(r.test, r.result) +
    `Time ${r.test.name} ${(r.ms / 1000).toFixed(2)}\n` +
    `${remarks.join('\n')}\n`
  );
}

/** The CLI option that raises a limit (`max-seconds=2` → `--max-seconds`), if one does. */
export function limitOption(limit: string): string | null {
  const name = limit.split('=')[0]!;
  return name === 'max-seconds' || name === 'max-states' ? `--${name}` : null;
}

/** What to do about a limit, in words: the option that raises it, or that none does. */
function raising(limit: string): string {
  const option = limitOption(limit);
  if (option) return `raise ${option} to go further`;
  return limit.startsWith('max-memory-mb')
    ? 'a fixed limit that no option raises: make the test smaller'
    : 'a fixed limit that no option raises: give its reads fewer values to return';
}

/**
 * The `--json` shape of one run. Every count means what the same word means in herd7's text:
 * - `states`: herd7's `States N`, the number of distinct final states; the states themselves
 *   are `finalStates` (place → value, in herd7's order);
 * - `herdOk`: herd7's `Ok`/`No` line, i.e. whether the test's quantified condition holds
 *   (exists: some allowed execution satisfies it; ~exists: none does; forall: all do);
 * - `loop`: herd7's `Loop` before Ok/No: a while loop reached herd7's unrolling limit in some
 *   candidate, which was dropped, so legal outcomes may be missing;
 * - `positive`/`negative`: the Observation line's counts, allowed executions that satisfy the
 *   proposition and that do not (herd7's `Positive:` line shows them swapped for ~exists);
 * - `executions`: candidate executions checked against the model (not a herd7 line);
 * - `warnings`: `file:line:column: …` for each construct herd7 would refuse (the file runs here);
 * - `status` 'incomplete' with `limit` (`max-seconds=2`, `max-states=N`, `max-memory-mb=N`)
 *   when a limit stopped the run (`limitDetail`: where, when known; `limitOption`: the CLI
 *   option that raises it, null for a fixed limit): then every herd7 field is null.
 */
export function modelRunJson(r: ModelLitmusRun) {
  const done = r.result.kind === 'complete' ? r.result : undefined;
  return {
    file: r.file,
    name: r.test.name,
    model: r.model,
    modelTitle: r.modelTitle,
    status: r.result.kind,
    limit: r.result.kind === 'incomplete' ? r.result.limit : null,
    limitOption: r.result.kind === 'incomplete' ? limitOption(r.result.limit) : null,
    limitDetail: (r.result.kind === 'incomplete' && r.result.detail) || null,
    states: done ? done.states.length : null,
    finalStates:
      done?.states.map((s) => Object.fromEntries(s.places.map((p, i) => [p, s.values[i]]))) ?? null,
    herdOk: done ? (validated(r.test, done.positive, done.negative) ? 'Ok' : 'No') : null,
    loop: done ? done.loop === true : null,
    observation: done ? observation(done.positive, done.negative) : null,
    positive: done?.positive ?? null,
    negative: done?.negative ?? null,
    flags: done?.flags ?? null,
    condition: r.test.conditionText,
    vacuous: done?.vacuous ?? null,
    executions: r.result.explored,
    ms: Math.round(r.ms * 100) / 100,
    warnings: r.warnings,
  };
}
