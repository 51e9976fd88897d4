import { pathToFileURL } from 'node:url';
import { STRATEGIES } from '../refcount/strategies.js';
import type { Strategy, StrategyName } from '../refcount/strategy.js';
import type { Program } from '../explore/explore.js';
import {
  exploreParallel,
  type ParallelExploration,
  type ParallelOptions,
} from '../explore/parallel/exploreParallel.js';
import type { ProgramSource } from '../explore/parallel/protocol.js';
import { findScenario } from './parametric.js';
import { scenarioProgram, scenarioResult, type ScenarioResult } from './scenario.js';
import { strategyOfModule } from './strategyModule.js';
import { reportStrategyCalls } from './isolated.js';
import type { World } from './world.js';

/**
 * A scenario run on several workers (`pageref check --jobs N`): each worker of the parallel
 * explorer builds the scenario's program itself, from its name and the strategy's, here.
 */

export interface ScenarioSourceArgs {
  scenario: string;
  /** A built-in strategy's name, or a strategy module's path. */
  strategy: { builtIn: StrategyName } | { file: string };
  /** The watchdog's status cells, told of each strategy call (see isolated.ts). */
  status?: SharedArrayBuffer;
}

/** The program of a scenario: what each worker of a parallel search calls. */
export async function programOfSource(args: ScenarioSourceArgs): Promise<Program<World>> {
  const scenario = findScenario(args.scenario);
  if (!scenario) throw new Error(`no scenario named ${args.scenario}`);
  let strategy: Strategy;
  if ('builtIn' in args.strategy) strategy = STRATEGIES[args.strategy.builtIn];
  else {
    const file = args.strategy.file;
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const s = strategyOfModule(mod, file);
    if (typeof s === 'string') throw new Error(s);
    strategy = s;
  }
  const onStrategyCall = args.status && reportStrategyCalls(args.status);
  return scenarioProgram(scenario, strategy, { onStrategyCall });
}

export function scenarioSource(args: ScenarioSourceArgs): ProgramSource {
  return { module: import.meta.url, name: programOfSource.name, args };
}

/** runScenario on `jobs` workers: the same result, but for the time. */
export async function runScenarioParallel(
  args: ScenarioSourceArgs,
  strategyName: string,
  options: ParallelOptions = {},
): Promise<ScenarioResult & { steps: number; workers: number }> {
  const builtIn = 'builtIn' in args.strategy;
  const started = performance.now();
  const result: ParallelExploration = await exploreParallel(scenarioSource(args), {
    replayTwice: !builtIn,
    symmetry: builtIn,
    ...options,
  });
  const ms = performance.now() - started;
  const s = findScenario(args.scenario)!;
  const { steps, workers } = result;
  return { ...scenarioResult(s, strategyName, builtIn, result, ms), steps, workers };
}
