import { Command, Option } from 'commander';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import {
  BENCH_STRATEGIES,
  defaultWorkers,
  runExperiment,
  type BenchConfig,
} from '../bench/experiment.js';
import { isCeiling, WORKLOADS, type Workload } from '../bench/workloads.js';
import { formatTables } from '../bench/report.js';
import { plural } from '../text/plural.js';
import { renderChart } from '../report/chart.js';
import { integerOption, listOption, oneOf, strategyOption } from './options.js';
import { MAX_DURATION_MS, maxWorkers } from '../bench/harness.js';
import type { StrategyName } from '../refcount/strategy.js';
import { checkOutputFile } from './outputPath.js';

interface BenchOptions {
  workers?: number[];
  workload?: Workload[];
  strategy?: StrategyName[];
  duration: number;
  warmup: number;
  reps: number;
  quick?: boolean;
  json?: string;
  svg?: string;
}

/**
 * The configuration `--quick` and the defaults stand for. `given(option)` says whether the
 * user gave that option: a value given wins over `--quick`'s.
 */
export function benchConfig(
  o: BenchOptions,
  given: (option: 'duration' | 'warmup' | 'reps') => boolean = () => false,
): BenchConfig {
  const quick = (option: 'duration' | 'warmup' | 'reps') => o.quick === true && !given(option);
  return {
    workloads: o.workload ?? [...WORKLOADS],
    strategies: o.strategy ?? [...BENCH_STRATEGIES],
    workers: o.workers ?? (o.quick ? [1, 2] : defaultWorkers()),
    durationMs: quick('duration') ? 250 : o.duration,
    warmupMs: quick('warmup') ? 100 : o.warmup,
    repetitions: quick('reps') ? 2 : o.reps,
  };
}

export function benchCommand(): Command {
  const most = maxWorkers();
  return new Command('bench')
    .description(
      "The seeds' will-it-scale experiment on worker_threads: ops/s summed over N workers.",
    )
    .option(
      '--workers <list>',
      `worker counts, e.g. 1,2,4, each at most ${most} (the larger of 64 and 4 × cores); default: 1…cores, then 2×cores: ${defaultWorkers().join(',')}`,
      listOption('--workers', (v) => integerOption('worker count', 1, most)(v)),
    )
    .option(
      '--workload <list>',
      `workloads: ${WORKLOADS.join(', ')} (default: all)`,
      listOption('--workload', oneOf('workload', WORKLOADS)),
    )
    .option(
      '--strategy <list>',
      `strategies: ${BENCH_STRATEGIES.join(', ')} (default: all)`,
      listOption('--strategy', strategyOption(BENCH_STRATEGIES)),
    )
    .addOption(
      new Option('--duration <ms>', `counted time per measurement, at most ${MAX_DURATION_MS}`)
        .default(2000)
        .argParser(integerOption('--duration', 1, MAX_DURATION_MS)),
    )
    .addOption(
      new Option('--warmup <ms>', `JIT warm-up before counting, at most ${MAX_DURATION_MS}`)
        .default(300)
        .argParser(integerOption('--warmup', 1, MAX_DURATION_MS)),
    )
    .addOption(
      new Option('--reps <n>', 'repetitions per cell, strategies interleaved (at most 1000)')
        .default(5)
        .argParser(integerOption('--reps', 1, 1000)),
    )
    .option(
      '--quick',
      'a short run (under 30 s): 1,2 workers, 250 ms × 2 repetitions, unless given otherwise',
    )
    .option('--json <file>', 'write the results as JSON')
    .option('--svg <file>', 'write a chart of ops/s against workers')
    .action(async (o: BenchOptions, command: Command) => {
      if (o.json !== undefined) checkOutputFile('--json', o.json);
      if (o.svg !== undefined) checkOutputFile('--svg', o.svg);
      const config = benchConfig(o, (option) => command.getOptionValueSource(option) === 'cli');
      const cores = availableParallelism();
      const strategies = config.workloads.every(isCeiling) ? [] : config.strategies;
      process.stderr.write(
        `pageref bench: ${[config.workloads, strategies]
          .map((l) => l.join(', '))
          .filter(Boolean)
          .join(
            ' × ',
          )} × workers ${config.workers.join(',')}; ${config.repetitions} × ${config.durationMs} ms each (${plural(cores, 'core')})\n`,
      );
      const result = await runExperiment(config, (line) => process.stderr.write(`${line}\n`));
      console.log(formatTables(result));
      if (o.json) writeFileSync(o.json, JSON.stringify(result, null, 2) + '\n');
      if (o.svg) writeFileSync(o.svg, await renderChart(result));
    });
}
