import { Worker } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBenchMemory, type Workload } from './workloads.js';

/**
 * One measurement: N fresh workers on one shared memory, released together, warmed up,
 * then counted for a fixed duration. A worker that throws or exits early fails the
 * measurement with its error; nothing waits forever.
 */

/** The cells of the control array shared with the workers. */
export const CONTROL = { phase: 0, ready: 1 } as const;
/** The values of CONTROL.phase, in order. */
export const PHASE = { waiting: 0, warming: 1, counting: 2, stopped: 3 } as const;

export interface WorkerResult {
  counted: number;
  checksum: number;
}

export interface MeasureOptions {
  workload: Workload;
  strategy: string;
  workers: number;
  durationMs: number;
  warmupMs: number;
  /** The worker script; tests pass a failing one. */
  workerUrl?: URL;
}

export class BenchError extends Error {
  override readonly name = 'BenchError';
}

/** @returns the operations per second summed over the workers. */
export async function measure(o: MeasureOptions): Promise<number> {
  const memory = createBenchMemory(o.strategy, o.workers);
  const control = new SharedArrayBuffer(8);
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
  const stopAll = () => {
    Atomics.store(phase, CONTROL.phase, PHASE.stopped);
    Atomics.notify(phase, CONTROL.phase);
  };
  try {
    // wait (without blocking the event loop) until every worker is at the start line
    const deadline = Date.now() + 30_000;
    while (Atomics.load(phase, CONTROL.ready) < o.workers) {
      if (failed) throw failed;
      if (Date.now() > deadline) throw new BenchError('workers did not start within 30 s');
      await sleep(5);
    }
    Atomics.store(phase, CONTROL.phase, PHASE.warming);
    Atomics.notify(phase, CONTROL.phase);
    await sleep(o.warmupMs);
    if (failed) throw failed;
    Atomics.store(phase, CONTROL.phase, PHASE.counting);
    const start = performance.now();
    await sleep(o.durationMs);
    stopAll();
    if (failed) throw failed;
    const seconds = (performance.now() - start) / 1000;
    const done = await withTimeout(
      Promise.all(results),
      30_000,
      'workers did not stop within 30 s',
    );
    return done.reduce((n, r) => n + r.counted, 0) / seconds;
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
