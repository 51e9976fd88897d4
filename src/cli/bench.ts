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
import { UsageError } from './usageError.js';

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
      listOf('--workers', positive),
    )
    .option(
      '--workload <list>',
      `workloads: ${WORKLOADS.join(', ')} (default: all)`,
      listOf('--workload', oneOf('workload', WORKLOADS)),
    )
    .option(
      '--strategy <list>',
      `strategies: ${BENCH_STRATEGIES.join(', ')} (default: all)`,
      listOf('--strategy', oneOf('strategy', BENCH_STRATEGIES)),
    )
    .addOption(
      new Option('--duration <ms>', 'counted time per measurement')
        .default(2000)
        .argParser(positiveFor('--duration')),
    )
    .addOption(
      new Option('--warmup <ms>', 'JIT warm-up before counting')
        .default(300)
        .argParser(positiveFor('--warmup')),
    )
    .addOption(
      new Option('--reps <n>', 'repetitions per cell, strategies interleaved')
        .default(5)
        .argParser(positiveFor('--reps')),
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

function positive(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`a positive integer, got ${JSON.stringify(v)}`);
  return n;
}
function positiveFor(flag: string) {
  return (v: string) => {
    try {
      return positive(v);
    } catch (e) {
      throw new UsageError(`${flag} must be ${(e as Error).message}`);
    }
  };
}
function oneOf<T extends string>(what: string, allowed: readonly T[]) {
  return (v: string): T => {
    if (!(allowed as readonly string[]).includes(v)) {
      throw new Error(
        `unknown ${what} ${JSON.stringify(v)}: expected one of ${allowed.join(', ')}`,
      );
    }
    return v as T;
  };
}
function listOf<T>(flag: string, parse: (v: string) => T) {
  return (v: string): T[] => {
    try {
      const items = v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (items.length === 0) throw new Error('a comma-separated list');
      return items.map(parse);
    } catch (e) {
      throw new UsageError(`${flag}: ${(e as Error).message}`);
    }
  };
}
