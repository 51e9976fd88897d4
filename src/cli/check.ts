import { Command, Option } from 'commander';
import { readFileSync, existsSync } from 'node:fs';
import { CATALOG, scenarioByName } from '../check/catalog.js';
import { runScenario, type ScenarioResult } from '../check/scenario.js';
import { formatCounterexample, formatVerdictTable, describeStep } from '../check/format.js';
import { loadStrategy } from '../check/loadStrategy.js';
import { STRATEGIES, STRATEGY_NAMES, isStrategyName } from '../refcount/strategies.js';
import type { Strategy } from '../refcount/strategy.js';
import { parseLitmus, LitmusSyntaxError } from '../litmus/parse.js';
import { runLitmus, validate } from '../litmus/run.js';
import { formatLitmus } from '../litmus/format.js';
import { UsageError } from './usageError.js';

interface CheckOptions {
  scenario?: string;
  strategy?: string;
  strategyFile?: string;
  maxStates: number;
  json?: boolean;
}

export function checkCommand(): Command {
  return new Command('check')
    .description(
      'Explore every interleaving of the scenario catalog against each strategy, or run herd7 C litmus files.',
    )
    .argument('[files...]', 'C litmus files to run instead of the catalog')
    .option('--scenario <names>', `comma-separated scenarios (default: all ${CATALOG.length})`)
    .option(
      '--strategy <names>',
      `comma-separated strategies (default: ${STRATEGY_NAMES.join(', ')})`,
    )
    .option('--strategy-file <path>', 'check your own strategy module against the catalog')
    .addOption(
      new Option('--max-states <n>', 'give up (verdict incomplete) after this many states')
        .default(1_000_000)
        .argParser(positiveInteger('--max-states')),
    )
    .option('--json', 'print one JSON object instead of text')
    .addHelpText(
      'after',
      `\nScenarios:\n${CATALOG.map((s) => `  ${s.name.padEnd(16)} ${s.description} (seed ${s.seed})`).join('\n')}\n\nExit code: 0 if every verdict is as the catalog expects, 1 if not, 2 on bad input.`,
    )
    .action(async (files: string[], options: CheckOptions) => {
      const ok = files.length > 0 ? runLitmusFiles(files, options) : await runCatalog(options);
      process.exitCode = ok ? 0 : 1;
    });
}

function positiveInteger(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1)
      throw new UsageError(`${flag} must be a positive integer, got ${JSON.stringify(v)}`);
    return n;
  };
}

function list(value: string | undefined): string[] | undefined {
  return value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export async function selectStrategies(options: {
  strategy?: string;
  strategyFile?: string;
}): Promise<{ strategy: Strategy; builtIn: boolean }[]> {
  const names = list(options.strategy);
  for (const n of names ?? []) {
    if (!isStrategyName(n))
      throw new UsageError(
        `unknown strategy ${JSON.stringify(n)}: expected one of ${STRATEGY_NAMES.join(', ')}`,
      );
  }
  const chosen = options.strategyFile && !names ? [] : (names ?? STRATEGY_NAMES);
  const out = chosen.map((n) => ({
    strategy: STRATEGIES[n as keyof typeof STRATEGIES],
    builtIn: true,
  }));
  if (options.strategyFile)
    out.push({ strategy: await loadStrategy(options.strategyFile), builtIn: false });
  return out;
}

/** Runs the catalog; prints the table and counterexamples. @returns true if all as expected. */
export async function runCatalog(options: CheckOptions): Promise<boolean> {
  const names = list(options.scenario);
  const scenarios = names
    ? names.map(
        (n) =>
          scenarioByName(n) ??
          fail(
            `unknown scenario ${JSON.stringify(n)}: expected one of ${CATALOG.map((s) => s.name).join(', ')}`,
          ),
      )
    : CATALOG;
  const strategies = await selectStrategies(options);
  const results: ScenarioResult[] = [];
  for (const s of scenarios) {
    for (const { strategy, builtIn } of strategies) {
      results.push(runScenario(s, strategy, builtIn, { maxStates: options.maxStates }));
    }
  }
  const asExpected = results.every(
    (r) => r.verdict !== 'incomplete' && (r.expected === undefined || r.verdict === r.expected),
  );
  if (options.json) {
    console.log(JSON.stringify({ results: results.map(toJson) }, null, 2));
    return asExpected;
  }
  console.log(formatVerdictTable(results));
  const total = results.reduce((n, r) => n + r.states, 0);
  const ms = results.reduce((n, r) => n + r.ms, 0);
  console.log(`\n${results.length} runs, ${total} states, ${ms.toFixed(0)} ms of exploration.`);
  for (const r of results.filter((r) => r.counterexample)) {
    console.log(
      `\n${r.scenario} × ${r.strategy}: shortest counterexample (${r.counterexample!.steps.length} steps)`,
    );
    console.log(formatCounterexample(r));
  }
  for (const r of results.filter((r) => r.verdict === 'incomplete')) {
    console.log(`\n${r.scenario} × ${r.strategy}: incomplete, stopped at ${r.limit}`);
  }
  console.log(
    asExpected
      ? '\nEvery verdict is as the catalog expects.'
      : '\nSome verdicts differ from the catalog (marked ≠).',
  );
  return asExpected;
}

function toJson(r: ScenarioResult) {
  const cx = r.counterexample;
  return {
    scenario: r.scenario,
    strategy: r.strategy,
    verdict: r.verdict,
    expected: r.expected ?? null,
    states: r.states,
    ms: r.ms,
    ...(r.limit ? { limit: r.limit } : {}),
    counterexample: cx
      ? {
          message: cx.message,
          threads: cx.threads,
          steps: cx.steps.map((s) => ({
            thread: s.thread,
            ...(s.access ?? {}),
            notes: s.notes,
            text: describeStep(s, 1),
          })),
        }
      : null,
  };
}

/** Runs litmus files; prints herd7-style blocks. @returns true if every test ran to completion. */
function runLitmusFiles(files: string[], options: CheckOptions): boolean {
  const out = [];
  let complete = true;
  for (const file of files) {
    if (!existsSync(file)) throw new UsageError(`litmus file not found: ${file}`);
    let test;
    try {
      test = parseLitmus(readFileSync(file, 'utf8'), file);
      validate(test, file);
    } catch (e) {
      if (e instanceof LitmusSyntaxError) throw new UsageError(e.message);
      throw e;
    }
    const started = performance.now();
    const r = runLitmus(test, { maxStates: options.maxStates });
    const ms = performance.now() - started;
    complete &&= r.kind === 'complete';
    if (!options.json) process.stdout.write(formatLitmus(test, r, ms) + '\n');
    out.push({
      file,
      name: test.name,
      observation: r.kind === 'complete' ? r.observation : null,
      positive: r.kind === 'complete' ? r.positive : null,
      negative: r.kind === 'complete' ? r.negative : null,
      states: r.explored,
      vacuous: r.kind === 'complete' ? r.vacuous : null,
      ok: r.kind === 'complete' ? r.ok : null,
    });
  }
  if (options.json) console.log(JSON.stringify({ litmus: out }, null, 2));
  return complete;
}

function fail(message: string): never {
  throw new UsageError(message);
}
