import { Command, Option } from 'commander';
import { CATALOG, scenarioByName } from '../check/catalog.js';
import { mailName } from '../check/seeds.js';
import { FAMILIES, parametricScenario } from '../check/parametric.js';
import type { Scenario, ScenarioResult } from '../check/scenario.js';
import { allAsExpected } from '../check/runCatalog.js';
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
import type { LkmmResult } from '../check/lkmm/lkmmResult.js';
import { integerOption, unknownStrategy } from './options.js';
import { checkKernelHeader } from './checkKernel.js';
import { showLkmmResults, showText } from './show.js';
import { plural } from '../text/plural.js';
import { LKMM_DEFAULTS } from '../check/lkmm/lkmmOptions.js';
import { BUDGET_DEFAULTS } from '../axiomatic/limits.js';

/**
 * The most states (litmus files: executions) --max-states takes. A search keeps each state's
 * key, and past about this many the memory limit (2 GiB) ends any search first: a larger
 * number would only promise what no run can keep.
 */
export const MAX_STATES = 100_000_000;

/**
 * The most workers --jobs takes: twice the cores, and 4 at least. More workers than cores
 * only queue for them, each with its own heap and its own copy of the code (measured:
 * --jobs 1000 took 4.7 GB on 2 cores).
 */
export function maxJobs(cores = availableParallelism()): number {
  return Math.max(4, 2 * cores);
}

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
  kernelHeader?: string;
  patch?: string[];
  beside?: string;
  show?: boolean;
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
        .default(LKMM_DEFAULTS.maxStates)
        .argParser(integerOption('--max-states', 1, MAX_STATES)),
    )
    .addOption(
      new Option(
        '--max-seconds <n>',
        'give up (verdict incomplete) on a scenario or a litmus file after this many seconds',
      )
        .default(LKMM_DEFAULTS.maxSeconds)
        .argParser(integerOption('--max-seconds')),
    )
    .addOption(
      new Option(
        '--jobs <n>',
        `worker threads for a search once a layer of it holds ${SOLO_LAYER.toLocaleString('en-US')} states (1: all on one thread)`,
      )
        .default(availableParallelism(), 'the number of cores')
        .argParser(integerOption('--jobs', 1, maxJobs())),
    )
    .option(
      '--model <name>',
      `memory model: ${MODEL_NAMES.join(' or ')} (lkmm: herd7's linux-kernel.cfg); litmus files default to lkmm, the catalog to sc (lkmm runs the strategies' own code under LKMM; sc,lkmm runs both and prints their verdicts side by side)`,
      'lkmm',
    )
    .addOption(
      new Option(
        '--max-events <n>',
        'catalog under --model lkmm: events in one run of a thread before it is cut (verdict bounded)',
      )
        .default(LKMM_DEFAULTS.maxEvents)
        .argParser(integerOption('--max-events')),
    )
    .option(
      '--kernel-header <file>',
      "check a page_ref.h's own functions (C, patched by --patch) against the catalog, under SC (docs/kernel-header.md)",
    )
    .option('--patch <mails...>', 'with --kernel-header: patch mails to apply first, in order')
    .option(
      '--beside <strategy>',
      'with --kernel-header: run this port too and list every difference',
    )
    .option('--json', 'print one JSON object instead of text')
    .option(
      '--show',
      "draw executions: a litmus file's witness (or a forbidden candidate and its cycle), as herd7's -show prop; under --model lkmm, each violation",
    )
    .addHelpText(
      'after',
      `\nScenarios, under the mail of the thread each comes from:\n${scenariosByMail()}\n\nParametric scenarios (T threads × R rounds, e.g. --scenario getters:3x3):\n${FAMILIES.map((f) => `  ${`${f.name}:TxR`.padEnd(16)} ${f.description('T', 'R')}`).join('\n')}\n\nA strategy file is loaded and checked on one thread (whatever --jobs says), in a worker of a child\nprocess: an operation that makes more than 100 shared accesses, or strategy code that runs 1 s\nwithout one, is stopped with the verdict SPINS; a run past --max-seconds + 1 s, or a process\npast the memory limit, is stopped as incomplete.\n\nExit code: 0 if every verdict is as the catalog expects, 1 if not, 2 on bad input.\n\nLitmus files run one after another, as herd7 runs them: a file that is refused prints its\nfile:line:column error on stderr and the run goes on; with several files a last line counts\nthe answered, refused and incomplete ones. Exit code: 0 if every test ran to completion\n(whatever herd7's Ok/No), 1 if one stopped at a limit (incomplete: --max-states,\n--max-seconds, ${BUDGET_DEFAULTS.maxMemoryMB.toLocaleString('en-US')} MiB of memory, or 10,000 traces of one process), 2 if a file was\nrefused or on bad input.`,
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
      if (files.length === 0 && !['sc', 'lkmm', 'sc,lkmm'].includes(catalogModel))
        throw new UsageError(
          `unknown model ${JSON.stringify(catalogModel)} for the catalog: expected sc, lkmm or sc,lkmm`,
        );
      if (options.kernelHeader === undefined && (options.patch ?? options.beside) !== undefined)
        throw new UsageError('--patch and --beside go with --kernel-header');
      if (options.show && files.length === 0 && catalogModel !== 'lkmm')
        throw new UsageError(
          '--show draws executions under LKMM: litmus files, or the catalog with --model lkmm',
        );
      if (files.length > 0) process.exitCode = runLitmusFiles(files, options);
      else if (options.kernelHeader !== undefined) {
        if (
          catalogModel !== 'sc' ||
          options.strategy !== undefined ||
          options.strategyFile !== undefined
        )
          throw new UsageError(
            '--kernel-header runs under --model sc, without --strategy or --strategy-file',
          );
        const o = {
          kernelHeader: options.kernelHeader,
          patch: options.patch,
          beside: options.beside,
        };
        const ok = await checkKernelHeader(selectScenarios(options), o, options.json === true);
        process.exitCode = ok ? 0 : 1;
      } else {
        const ok =
          catalogModel === 'lkmm'
            ? await checkCatalogLkmm(options)
            : catalogModel === 'sc,lkmm'
              ? await checkCatalogBoth(options)
              : await checkCatalog(options);
        process.exitCode = ok ? 0 : 1;
      }
    });
}

/** The catalog's scenarios in order, under a heading for each mail they come from. */
function scenariosByMail(): string {
  const lines: string[] = [];
  let seed: string | undefined;
  for (const s of CATALOG) {
    if (s.seed !== seed) lines.push(` ${mailName((seed = s.seed))}:`);
    lines.push(`  ${s.name.padEnd(16)} ${s.description}`);
  }
  return lines.join('\n');
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

/** The scenarios --scenario names (catalog or `family:TxR`), or the whole catalog. */
function selectScenarios(options: { scenario?: string }): Scenario[] {
  const names = list('--scenario', options.scenario);
  if (!names) return [...CATALOG];
  return names.map(
    (n) =>
      scenarioByName(n) ??
      parametric(n) ??
      fail(
        `unknown scenario ${JSON.stringify(n)}: expected one of ${CATALOG.map((s) => s.name).join(', ')}, or ${FAMILIES.map((f) => `${f.name}:TxR`).join(', ')}`,
      ),
  );
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
 * @returns true if every verdict is safe.
 */
async function checkCatalogLkmm(options: CheckOptions): Promise<boolean> {
  const { formatLkmmRun, lkmmResultJson } = await import('../check/lkmm/runLkmm.js');
  const results = await lkmmResults(options);
  console.log(
    options.json
      ? JSON.stringify({ model: 'lkmm', results: results.map(lkmmResultJson) }, null, 2)
      : formatLkmmRun(results),
  );
  if (options.show && !options.json) console.log(showLkmmResults(results));
  return lkmmOk(results);
}

/** Every LKMM verdict is safe (what exit code 0 means under LKMM). */
const lkmmOk = (results: readonly LkmmResult[]) => results.every((r) => r.verdict === 'safe');

/**
 * The catalog under both models (`--model sc,lkmm`): the side-by-side table, then the LKMM
 * details; with --json, every result of both, each naming its model.
 * @returns true if every SC verdict is as expected and every LKMM one safe.
 */
async function checkCatalogBoth(options: CheckOptions): Promise<boolean> {
  // imported here, not at the top: a litmus run need not load them (start-up, src/cli/main.ts)
  const { formatLkmmRun, lkmmResultJson } = await import('../check/lkmm/runLkmm.js');
  const { formatSideBySide } = await import('../check/lkmm/sideBySide.js');
  const sc = await scResults(options);
  const lkmm = await lkmmResults(options);
  console.log(
    options.json
      ? JSON.stringify(
          { models: ['sc', 'lkmm'], results: [...sc.map(toJson), ...lkmm.map(lkmmResultJson)] },
          null,
          2,
        )
      : `${formatSideBySide(sc, lkmm)}\n\n${formatLkmmRun(lkmm)}`,
  );
  return allAsExpected(sc) && lkmmOk(lkmm);
}

/** The selected scenarios × strategies (and a user's module) under LKMM. */
async function lkmmResults(options: CheckOptions): Promise<LkmmResult[]> {
  const scenarios = selectScenarios(options);
  const strategies = selectStrategies(options).map((n) => STRATEGIES[n]);
  const limits = {
    maxStates: options.maxStates,
    maxSeconds: options.maxSeconds,
    maxEvents: options.maxEvents,
  };
  const { runCatalogLkmm } = await import('../check/lkmm/runLkmm.js');
  const results: LkmmResult[] = runCatalogLkmm(scenarios, strategies, limits);
  const file = options.strategyFile;
  if (file !== undefined) {
    // a user's module runs in a child process under a watchdog (isolatedLkmm.ts)
    if (!existsSync(file)) fail(`strategy file not found: ${file}`);
    const { runStrategyFileLkmm } = await import('../check/lkmm/isolatedLkmm.js');
    const run = await runStrategyFileLkmm(
      file,
      scenarios.map((s) => s.name),
      limits,
    );
    if (run.kind === 'loadError') throw new UsageError(run.message);
    // each scenario's row: the built-ins, then the user's strategy
    const all = scenarios.flatMap((s) => [
      ...results.filter((r) => r.scenario === s.name),
      ...run.results.filter((r) => r.scenario === s.name),
    ]);
    results.splice(0, results.length, ...all);
  }
  return results;
}

/** Runs the catalog; prints the table and counterexamples. @returns true if all as expected. */
async function checkCatalog(options: CheckOptions): Promise<boolean> {
  const results = await scResults(options);
  console.log(
    options.json
      ? JSON.stringify({ results: results.map(toJson) }, null, 2)
      : formatCatalogRun(results),
  );
  return allAsExpected(results);
}

/** The selected scenarios × strategies (and a user's module) under SC, in the worker. */
async function scResults(options: CheckOptions): Promise<ScenarioResult[]> {
  const scenarios = selectScenarios(options);
  const builtIns = selectStrategies(options);
  const file = options.strategyFile;
  if (file !== undefined && !existsSync(file)) fail(`strategy file not found: ${file}`);
  const { runIsolated } = await import('../check/isolated.js');
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
  return run.results;
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

/** One litmus file's fate in a run of many: answered (complete), incomplete, or refused. */
type FileOutcome =
  { kind: 'run'; run: ModelLitmusRun } | { kind: 'refused'; file: string; error: string };

/**
 * Runs litmus files under the chosen model, as herd7 runs a list of files: each answered file
 * prints herd7's block; a refused file prints its located error on stderr and the run goes on
 * with the next file. With more than one file, a summary line counts answered, refused and
 * incomplete files (in --json, a `summary` object; a refused file is an entry with `status`
 * 'refused' and its `error`).
 * @returns the exit code: 2 if some file was refused, else 1 if some run was incomplete, else 0
 */
function runLitmusFiles(files: string[], options: CheckOptions): number {
  const model =
    modelByName(options.model) ??
    fail(
      `unknown model ${JSON.stringify(options.model)}: expected one of ${MODEL_NAMES.join(', ')}`,
    );
  const outcomes: FileOutcome[] = [];
  for (const file of files) {
    let run: ModelLitmusRun;
    try {
      run = checkLitmusModel(file, model, {
        maxExecutions: options.maxStates,
        maxSeconds: options.maxSeconds,
      });
    } catch (e) {
      // the checker's own failure is not the file's: stop, with the stack
      if (!(e instanceof Error) || e.message.startsWith('[checker bug]')) throw e;
      process.stderr.write(`pageref: ${e.message}\n`);
      outcomes.push({ kind: 'refused', file, error: e.message });
      continue;
    }
    for (const w of run.warnings) process.stderr.write(`pageref: warning: ${w}\n`);
    outcomes.push({ kind: 'run', run });
    if (!options.json) process.stdout.write(formatModelRun(run) + '\n');
    if (options.show && !options.json) process.stdout.write(showText(run.test, model, file) + '\n');
  }
  const count = (kind: 'complete' | 'incomplete') =>
    outcomes.filter((o) => o.kind === 'run' && o.run.result.kind === kind).length;
  const summary = {
    files: files.length,
    answered: count('complete'),
    refused: outcomes.filter((o) => o.kind === 'refused').length,
    incomplete: count('incomplete'),
  };
  if (options.json) {
    const litmus = outcomes.map((o) =>
      o.kind === 'run' ? modelRunJson(o.run) : refusedJson(o.file, o.error, model.name),
    );
    console.log(
      JSON.stringify(
        { model: model.name, litmus, ...(files.length > 1 ? { summary } : {}) },
        null,
        2,
      ),
    );
  } else if (files.length > 1) {
    console.log(
      `pageref: ${plural(summary.files, 'file')}: ${summary.answered} answered, ${summary.refused} refused, ${summary.incomplete} incomplete`,
    );
  }
  return summary.refused > 0 ? 2 : summary.incomplete > 0 ? 1 : 0;
}

/** The --json entry of a refused file: modelRunJson's keys, its status and the error. */
function refusedJson(file: string, error: string, model: string) {
  return { file, name: null, model, status: 'refused', error };
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
