import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBenchMemory, type Workload } from './workloads.js';
import type { StrategyName } from '../refcount/strategy.js';

/**
 * One measurement: N fresh workers on one shared memory, released together, warmed up,
 * then counted for the duration asked, or longer: until every worker has counted at least
 * one batch (see countBatches.ts), so that a worker the machine did not schedule in time
 * never makes a cell report 0 operations. The rate divides by the time the counting phase
 * really lasted. A worker that throws or exits early fails the measurement with its error;
 * nothing waits forever.
 */

/**
 * The cells of the control array shared with the workers: the phase; how many workers are
 * at the start line; how many have counted a batch.
 */
export const CONTROL = { phase: 0, ready: 1, counting: 2 } as const;
/** The values of CONTROL.phase, in order. */
export const PHASE = { waiting: 0, warming: 1, counting: 2, stopped: 3 } as const;

export interface WorkerResult {
  counted: number;
  checksum: number;
}

/**
 * The most workers one measurement may start: 64, or 4 × cores on a machine with more than
 * 16 (past that, workers only queue for the cores, and thousands do not even start).
 */
export function maxWorkers(cores = availableParallelism()): number {
  return Math.max(64, 4 * cores);
}

/** The longest warm-up or counted time of one measurement: 10 minutes. */
export const MAX_DURATION_MS = 600_000;

/**
 * How long the harness waits for the workers to start, to count their first batch, or to
 * stop, before it gives up: a safety net against a hang, far past what a busy machine takes.
 */
const HANG_MS = 60_000;

export interface MeasureOptions {
  workload: Workload;
  strategy: StrategyName;
  workers: number;
  durationMs: number;
  warmupMs: number;
  /** The worker script; tests pass a failing one. */
  workerUrl?: URL;
}

export class BenchError extends Error {
  override readonly name = 'BenchError';
}

/**
 * @returns the operations per second summed over the workers.
 * @throws RangeError if `workers` is not 1 … maxWorkers(), or a duration not 1 … MAX_DURATION_MS.
 */
export async function measure(o: MeasureOptions): Promise<number> {
  const { seconds, workers } = await measureWorkers(o);
  return workers.reduce((n, r) => n + r.counted, 0) / seconds;
}

/**
 * {@link measure}, worker by worker.
 * @returns how long the counting phase lasted, and each worker's result (every `counted`
 *   at least one batch).
 */
export async function measureWorkers(
  o: MeasureOptions,
): Promise<{ seconds: number; workers: WorkerResult[] }> {
  const most = maxWorkers();
  if (!Number.isInteger(o.workers) || o.workers < 1 || o.workers > most)
    throw new RangeError(`workers must be 1 to ${most}, got ${o.workers}`);
  for (const [what, ms] of [
    ['durationMs', o.durationMs],
    ['warmupMs', o.warmupMs],
  ] as const) {
    if (!Number.isInteger(ms) || ms < 1 || ms > MAX_DURATION_MS)
      throw new RangeError(`${what} must be 1 to ${MAX_DURATION_MS}, got ${ms}`);
  }
  const memory = createBenchMemory(o.strategy, o.workers);
  const control = new SharedArrayBuffer(4 * 3);
  const phase = new Int32Array(control);
  const url = o.workerUrl ?? new URL('./worker.js', import.meta.url);
  const workers = Array.from(
    { length: o.workers },
    (_, worker) =>
      new Worker(url, { workerData: { workload: o.workload, memory, control, worker } }),
  );
  let failed: Error | undefined;
  const results = workers.map(
    (w, i) =>
      new Promise<WorkerResult>((resolve, reject) => {
        let answered = false;
        w.once('message', (r: WorkerResult) => ((answered = true), resolve(r)));
        w.once('error', (e) =>
          reject((failed ??= new BenchError(`worker ${i} failed: ${e.message}`))),
        );
        w.once('exit', (code) => {
          if (!answered)
            reject((failed ??= new BenchError(`worker ${i} exited early (code ${code})`)));
        });
      }),
  );
  results.forEach((r) => r.catch(() => {})); // a failure is reported through `failed`
  /** Polls `done` every `ms` (without blocking the event loop); a worker's failure ends it. */
  const until = async (done: () => boolean, ms: number, what: string) => {
    const deadline = Date.now() + HANG_MS;
    while (!done()) {
      if (failed) throw failed;
      if (Date.now() > deadline)
        throw new BenchError(`workers did not ${what} within ${HANG_MS / 1000} s`);
      await sleep(ms);
    }
  };
  const stopAll = () => {
    Atomics.store(phase, CONTROL.phase, PHASE.stopped);
    Atomics.notify(phase, CONTROL.phase);
  };
  try {
    // every worker at the start line
    await until(() => Atomics.load(phase, CONTROL.ready) >= o.workers, 5, 'start');
    Atomics.store(phase, CONTROL.phase, PHASE.warming);
    Atomics.notify(phase, CONTROL.phase);
    await sleep(o.warmupMs);
    if (failed) throw failed;
    Atomics.store(phase, CONTROL.phase, PHASE.counting);
    const start = performance.now();
    await sleep(o.durationMs);
    // a worker counts only the batches it starts now: keep counting until each has one
    await until(() => Atomics.load(phase, CONTROL.counting) >= o.workers, 1, 'count a batch');
    stopAll();
    const seconds = (performance.now() - start) / 1000;
    if (failed) throw failed;
    const done = await withTimeout(
      Promise.all(results),
      HANG_MS,
      `workers did not stop within ${HANG_MS / 1000} s`,
    );
    return { seconds, workers: done };
  } catch (e) {
    stopAll();
    throw e;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new BenchError(message)), ms)),
    ),
  ]);
}
