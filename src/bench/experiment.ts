import { cpus, availableParallelism, loadavg, type, release } from 'node:os';
import { measure, type MeasureOptions } from './harness.js';
import { isCeiling, type Workload } from './workloads.js';
import type { StrategyName } from '../refcount/strategy.js';

/**
 * The experiment: every (workload, workers) cell measured `repetitions` times, with the
 * strategies interleaved A B C A B C inside each repetition, so that drift in the machine
 * (other load, thermal state) falls on all strategies alike.
 */
export const BENCH_STRATEGIES = [
  'classic',
  'classic-optimistic',
  'frozen-bit',
] as const satisfies readonly StrategyName[];
/** The ceilings have no strategy: they touch no refcount. */
export const NO_STRATEGY = 'none' as const;

export interface BenchConfig {
  workloads: Workload[];
  strategies: StrategyName[];
  workers: number[];
  durationMs: number;
  warmupMs: number;
  repetitions: number;
}

export interface BenchRun {
  workload: Workload;
  strategy: StrategyName | typeof NO_STRATEGY;
  workers: number;
  opsPerSec: number[];
}

/**
 * The machine's load average (os.loadavg(): runnable processes averaged over 1, 5 and 15
 * minutes) before the first measurement and after the last. Above the core count, workers
 * wait for a core, and the figures say more about the other load than about the strategies.
 */
export interface BenchLoad {
  before: number[];
  after: number[];
}

export interface BenchResult {
  machine: { cpu: string; cores: number; node: string; os: string };
  config: BenchConfig & { oversubscribedFrom: number };
  runs: BenchRun[];
  /** Absent in results recorded before the load was. */
  load?: BenchLoad;
}

export function machine(): BenchResult['machine'] {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    node: process.version,
    os: `${type()} ${release()}`,
  };
}

/** Default worker counts: 1 up to the cores, then twice the cores (oversubscribed). */
export function defaultWorkers(cores = availableParallelism()): number[] {
  const counts = new Set<number>();
  for (let n = 1; n < cores; n *= 2) counts.add(n);
  counts.add(cores);
  counts.add(2 * cores);
  return [...counts].sort((a, b) => a - b);
}

export async function runExperiment(
  config: BenchConfig,
  progress: (line: string) => void = () => {},
  measureOne: (o: MeasureOptions) => Promise<number> = measure,
): Promise<BenchResult> {
  const runs: BenchRun[] = [];
  const plan: Omit<BenchRun, 'opsPerSec'>[] = [];
  for (const workload of config.workloads) {
    for (const workers of config.workers) {
      for (const strategy of isCeiling(workload) ? [NO_STRATEGY] : config.strategies) {
        runs.push({ workload, strategy, workers, opsPerSec: [] });
        plan.push({ workload, strategy, workers });
      }
    }
  }
  const total = plan.length * config.repetitions;
  let done = 0;
  const before = loadavg();
  for (let rep = 0; rep < config.repetitions; rep++) {
    for (const [i, cell] of plan.entries()) {
      // a ceiling touches no refcount; any strategy will do to build the shared memory
      const strategy = cell.strategy === NO_STRATEGY ? 'frozen-bit' : cell.strategy;
      const ops = await measureOne({
        ...cell,
        strategy,
        durationMs: config.durationMs,
        warmupMs: config.warmupMs,
      });
      runs[i]!.opsPerSec.push(Math.round(ops));
      done++;
      progress(
        `[${String(done).padStart(String(total).length)}/${total}] ${cell.workload}${cell.strategy === NO_STRATEGY ? '' : ` ${cell.strategy}`} ×${cell.workers} rep ${rep + 1}: ${(ops / 1e6).toFixed(2)} M ops/s`,
      );
    }
  }
  const load = { before, after: loadavg() };
  const m = machine();
  return { machine: m, config: { ...config, oversubscribedFrom: m.cores + 1 }, runs, load };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
