import { Command, Option } from 'commander';
import { CATALOG, scenarioByName } from '../check/catalog.js';
import { FAMILIES, parametricScenario } from '../check/parametric.js';
import type { ScenarioResult } from '../check/scenario.js';
import { allAsExpected } from '../check/runCatalog.js';
import { runIsolated } from '../check/isolated.js';
import { describeStep, formatCatalogRun } from '../check/format.js';
import { STRATEGY_NAMES, isStrategyName } from '../refcount/strategies.js';
import type { StrategyName } from '../refcount/strategy.js';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { SOLO_LAYER } from '../explore/parallel/exploreParallel.js';
import {
  checkLitmusModel,
  formatModelRun,
  modelRunJson,
  type ModelLitmusRun,
} from '../litmus/modelRun.js';
import { MODEL_NAMES, modelByName } from '../axiomatic/models/index.js';
import { UsageError } from './usageError.js';
import { STRATEGIES } from '../refcount/strategies.js';
import { formatLkmmRun, lkmmResultJson, runCatalogLkmm } from '../check/lkmm/runLkmm.js';
import type { LkmmResult } from '../check/lkmm/lkmmScenario.js';
import { integerOption, unknownStrategy } from './options.js';

interface CheckOptions {
  scenario?: string;
  strategy?: string;
  strategyFile?: string;
  maxStates: number;
  maxSeconds: number;
  jobs: number;
  model: string;
  maxEvents: number;
  json?: boolean;
}

export function checkCommand(): Command {
  return new Command('check')
    .description(
      'Explore every interleaving of the scenario catalog against each strategy, or run herd7 C litmus files.',
    )
    .argument('[files...]', 'C litmus files to run instead of the catalog')
    .option(
      '--scenario <names>',
      `comma-separated scenarios, or family:TxR (default: all ${CATALOG.length})`,
    )
    .option(
      '--strategy <names>',
      `comma-separated strategies (default: ${STRATEGY_NAMES.join(', ')})`,
    )
    .option('--strategy-file <path>', 'check your own strategy module against the catalog')
    .addOption(
      new Option(
        '--max-states <n>',
        'give up (verdict incomplete) after this many states (litmus files: executions)',
      )
        .default(1_000_000)
        .argParser(integerOption('--max-states')),
    )
    .addOption(
      new Option(
        '--max-seconds <n>',
        'give up (verdict incomplete) on a scenario or a litmus file after this many seconds',
      )
        .default(60)
        .argParser(integerOption('--max-seconds')),
    )
    .addOption(
      new Option(
        '--jobs <n>',
        `worker threads for a search once a layer of it holds ${SOLO_LAYER.toLocaleString('en-US')} states (1: all on one thread)`,
      )
        .default(availableParallelism(), 'the number of cores')
        .argParser(integerOption('--jobs')),
    )
    .option(
      '--model <name>',
      `memory model: ${MODEL_NAMES.join(' or ')} (lkmm: herd7's linux-kernel.cfg); litmus files default to lkmm, the catalog to sc (lkmm runs the strategies' own code under LKMM)`,
      'lkmm',
    )
    .addOption(
      new Option(
        '--max-events <n>',
        'catalog under --model lkmm: events in one run of a thread before it is cut (verdict bounded)',
      )
        .default(24)
        .argParser(integerOption('--max-events')),
    )
    .option('--json', 'print one JSON object instead of text')
    .addHelpText(
      'after',
      `\nScenarios:\n${CATALOG.map((s) => `  ${s.name.padEnd(16)} ${s.description} (seed ${s.seed})`).join('\n')}\n\nParametric scenarios (T threads × R rounds, e.g. --scenario getters:3x3):\n${FAMILIES.map((f) => `  ${`${f.name}:TxR`.padEnd(16)} ${f.description('T', 'R')}`).join('\n')}\n\nA strategy file is loaded and checked in a worker thread: an operation that makes more than 100\nshared accesses, or strategy code that runs 1 s without one, is stopped with the verdict SPINS.\n\nExit code: 0 if every verdict is as the catalog expects, 1 if not, 2 on bad input.\nLitmus files: 0 if every test ran to completion (whatever herd7's Ok/No), 1 if one stopped\nat a limit (incomplete: --max-states, --max-seconds, 1,024 MiB of memory, or 10,000\ntraces of one process), 2 on bad input.`,
    )
    .action(async (files: string[], options: CheckOptions, command: Command) => {
      if (files.length > 0) {
        if (command.getOptionValueSource('maxEvents') === 'cli')
          throw new UsageError(
            '--max-events bounds the catalog under --model lkmm; it does not apply to litmus files',
          );
        if (command.getOptionValueSource('jobs') === 'cli')
          throw new UsageError(
            "--jobs sets the catalog search's workers; it does not apply to litmus files",
          );
        // the catalog's options mean nothing to a litmus file: say so rather than ignore them
        const flags = {
          scenario: '--scenario',
          strategy: '--strategy',
          strategyFile: '--strategy-file',
        };
        for (const [key, flag] of Object.entries(flags))
          if (options[key as keyof typeof flags] !== undefined)
            throw new UsageError(
              `${flag} selects from the catalog; it does not apply to litmus files`,
            );
      }
      const catalogModel = command.getOptionValueSource('model') === 'cli' ? options.model : 'sc';
      if (files.length === 0 && catalogModel !== 'sc' && catalogModel !== 'lkmm')
        throw new UsageError(
          `unknown model ${JSON.stringify(catalogModel)} for the catalog: expected sc or lkmm`,
        );
      const ok =
        files.length > 0
          ? runLitmusFiles(files, options)
          : catalogModel === 'lkmm'
            ? checkCatalogLkmm(options)
            : await checkCatalog(options);
      process.exitCode = ok ? 0 : 1;
    });
}

/** A comma-separated selection; an empty one (`,` or '') is a usage error. */
function list(flag: string, value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0)
    throw new UsageError(
      `${flag}: expected a comma-separated list of names, got ${JSON.stringify(value)}`,
    );
  return items;
}

function selectStrategies(options: { strategy?: string; strategyFile?: string }): StrategyName[] {
  const names = list('--strategy', options.strategy);
  for (const n of names ?? []) {
    if (!isStrategyName(n)) throw unknownStrategy(n);
  }
  return (options.strategyFile && !names ? [] : (names ?? STRATEGY_NAMES)) as StrategyName[];
}

/**
 * Runs the catalog under LKMM; prints the verdict table and each violation's execution.
 * @returns true if every verdict is safe or unsupported.
 */
function checkCatalogLkmm(options: CheckOptions): boolean {
  if (options.strategyFile !== undefined)
    throw new UsageError('--strategy-file is not supported with --model lkmm yet');
  const names = list('--scenario', options.scenario);
  const scenarios = names
    ? names.map(
        (n) =>
          scenarioByName(n) ??
          parametric(n) ??
          fail(
            `unknown scenario ${JSON.stringify(n)}: expected one of ${CATALOG.map((s) => s.name).join(', ')}`,
          ),
      )
    : CATALOG;
  const strategies = selectStrategies(options).map((n) => STRATEGIES[n]);
  const results: LkmmResult[] = runCatalogLkmm(scenarios, strategies, {
    maxStates: options.maxStates,
    maxSeconds: options.maxSeconds,
    maxEvents: options.maxEvents,
  });
  console.log(
    options.json
      ? JSON.stringify({ model: 'lkmm', results: results.map(lkmmResultJson) }, null, 2)
      : formatLkmmRun(results),
  );
  return results.every((r) => r.verdict === 'safe' || r.verdict === 'unsupported');
}

/** Runs the catalog; prints the table and counterexamples. @returns true if all as expected. */
async function checkCatalog(options: CheckOptions): Promise<boolean> {
  const names = list('--scenario', options.scenario);
  const scenarios = names
    ? names.map(
        (n) =>
          scenarioByName(n) ??
          parametric(n) ??
          fail(
            `unknown scenario ${JSON.stringify(n)}: expected one of ${CATALOG.map((s) => s.name).join(', ')}, or ${FAMILIES.map((f) => `${f.name}:TxR`).join(', ')}`,
          ),
      )
    : CATALOG;
  const builtIns = selectStrategies(options);
  const file = options.strategyFile;
  if (file !== undefined && !existsSync(file)) fail(`strategy file not found: ${file}`);
  const run = await runIsolated({
    scenarios: scenarios.map((s) => s.name),
    builtIns,
    ...(file !== undefined ? { strategyFile: file } : {}),
    options: { maxStates: options.maxStates, maxMs: options.maxSeconds * 1000 },
    jobs: options.jobs,
    onProgress: (p) =>
      process.stderr.write(
        `check: ${p.scenario} × ${p.strategy}: ${p.states.toLocaleString('en-US')} states, ${p.depth} steps deep, after ${Math.round(p.ms / 1000)} s\n`,
      ),
  });
  if (run.kind === 'loadError') throw new UsageError(run.message);
  const results = run.results;
  console.log(
    options.json
      ? JSON.stringify({ results: results.map(toJson) }, null, 2)
      : formatCatalogRun(results),
  );
  return allAsExpected(results);
}

function toJson(r: ScenarioResult) {
  const cx = r.counterexample;
  return {
    model: 'sc',
    scenario: r.scenario,
    strategy: r.strategy,
    verdict: r.verdict,
    expected: r.expected ?? null,
    states: r.states,
    ms: r.ms,
    pages: r.pages,
    ...(r.limit ? { limit: r.limit } : {}),
    counterexample: cx
      ? {
          kind: cx.kind,
          message: cx.message,
          threads: cx.threads,
          steps: cx.steps.map((s) => ({
            thread: s.thread,
            ...(s.access ?? {}),
            notes: s.notes,
            text: describeStep(s, r.pages),
          })),
        }
      : null,
  };
}

/**
 * Runs litmus files under the chosen model; prints herd7's block for each (or one JSON object).
 * @returns true if every test ran to completion.
 */
function runLitmusFiles(files: string[], options: CheckOptions): boolean {
  const model =
    modelByName(options.model) ??
    fail(
      `unknown model ${JSON.stringify(options.model)}: expected one of ${MODEL_NAMES.join(', ')}`,
    );
  const runs: ModelLitmusRun[] = [];
  for (const file of files) {
    let run: ModelLitmusRun;
    try {
      run = checkLitmusModel(file, model, {
        maxExecutions: options.maxStates,
        maxSeconds: options.maxSeconds,
      });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    runs.push(run);
    if (!options.json) process.stdout.write(formatModelRun(run) + '\n');
  }
  if (options.json)
    console.log(JSON.stringify({ model: model.name, litmus: runs.map(modelRunJson) }, null, 2));
  return runs.every((r) => r.result.kind === 'complete');
}

/** A family:TxR scenario; a size out of range is a usage error. */
function parametric(name: string) {
  try {
    return parametricScenario(name);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function fail(message: string): never {
  throw new UsageError(message);
}
