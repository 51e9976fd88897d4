import { Command, Option } from 'commander';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import {
  BENCH_STRATEGIES,
  defaultWorkers,
  runExperiment,
  type BenchConfig,
} from '../bench/experiment.js';
import { WORKLOADS, type Workload } from '../bench/workloads.js';
import { formatTables } from '../bench/report.js';
import { renderChart } from '../bench/chart.js';
import { integerOption, listOption, oneOf } from './options.js';

interface BenchOptions {
  workers?: number[];
  workload?: Workload[];
  strategy?: string[];
  duration: number;
  warmup: number;
  reps: number;
  quick?: boolean;
  json?: string;
  svg?: string;
}

/** The configuration `--quick` and the defaults stand for. */
export function benchConfig(o: BenchOptions): BenchConfig {
  const quick = o.quick === true;
  return {
    workloads: o.workload ?? [...WORKLOADS],
    strategies: o.strategy ?? [...BENCH_STRATEGIES],
    workers: o.workers ?? (quick ? [1, 2] : defaultWorkers()),
    durationMs: quick ? 250 : o.duration,
    warmupMs: quick ? 100 : o.warmup,
    repetitions: quick ? 2 : o.reps,
  };
}

export function benchCommand(): Command {
  return new Command('bench')
    .description(
      "The seeds' will-it-scale experiment on worker_threads: ops/s summed over N workers.",
    )
    .option(
      '--workers <list>',
      `worker counts, e.g. 1,2,4 (default: 1…cores, then 2×cores: ${defaultWorkers().join(',')})`,
      listOption('--workers', (v) => integerOption('worker count')(v)),
    )
    .option(
      '--workload <list>',
      `workloads: ${WORKLOADS.join(', ')} (default: all)`,
      listOption('--workload', oneOf('workload', WORKLOADS)),
    )
    .option(
      '--strategy <list>',
      `strategies: ${BENCH_STRATEGIES.join(', ')} (default: all)`,
      listOption('--strategy', oneOf('strategy', BENCH_STRATEGIES)),
    )
    .addOption(
      new Option('--duration <ms>', 'counted time per measurement')
        .default(2000)
        .argParser(integerOption('--duration')),
    )
    .addOption(
      new Option('--warmup <ms>', 'JIT warm-up before counting')
        .default(300)
        .argParser(integerOption('--warmup')),
    )
    .addOption(
      new Option('--reps <n>', 'repetitions per cell, strategies interleaved')
        .default(5)
        .argParser(integerOption('--reps')),
    )
    .option('--quick', 'a short run: 1,2 workers, 250 ms × 2 repetitions (under 30 s)')
    .option('--json <file>', 'write the results as JSON')
    .option('--svg <file>', 'write a chart of ops/s against workers')
    .action(async (o: BenchOptions) => {
      const config = benchConfig(o);
      const cores = availableParallelism();
      process.stderr.write(
        `pageref bench: ${config.workloads.join(', ')} × ${config.strategies.join(', ')} × workers ${config.workers.join(',')}; ${config.repetitions} × ${config.durationMs} ms each (${cores} cores)\n`,
      );
      const result = await runExperiment(config, (line) => process.stderr.write(`${line}\n`));
      console.log(formatTables(result));
      if (o.json) writeFileSync(o.json, JSON.stringify(result, null, 2) + '\n');
      if (o.svg) writeFileSync(o.svg, await renderChart(result));
    });
}
