import { Worker } from 'node:worker_threads';
import { resolve } from 'node:path';
import type { StrategyName } from '../refcount/strategy.js';
import type { ExploreOptions } from '../explore/explore.js';
import { findScenario } from './parametric.js';
import { expectation, type ScenarioResult } from './scenario.js';
import { STRATEGY_FUNCTIONS } from './strategyModule.js';

/**
 * The catalog run in a worker, under a watchdog: what `pageref check` uses.
 *
 * Why a worker: strategy code written by someone else can do what no check inside the
 * thread that runs it can stop. A loop that touches memory is stopped by the step budget
 * (ModelCells), but a loop that never touches memory never returns to the checker, and
 * JavaScript cannot interrupt a running function on its own thread; a module may call
 * `process.exit()` as it loads. So the checker loads the module and explores in a worker
 * thread. Each step beats a heartbeat in shared memory; the main thread, idle meanwhile,
 * terminates the worker when the heartbeat stops for `stallMs` (V8 interrupts even a
 * `for (;;) {}`), records the run in progress as `spins`, and starts a fresh worker for the
 * runs after it. The stall is timed on the process's CPU clock as well as the wall clock,
 * and must pass `stallMs` on both: a spinning thread burns CPU time, while a thread that a
 * busy machine does not run burns none, so no load on the machine makes correct code spin. A worker that exits by itself is the module's doing, reported as such.
 * The worker's heap is capped a little above the explorer's memory limit, as a backstop.
 * (Counting iterations through the cells cannot see a loop that does not use them, and
 * instrumenting the user's source would check something else than the code as written.)
 */

/** Cells of the shared status array. */
export const STATUS = { beat: 0, run: 1, fn: 2, thread: 3 } as const;

export interface WorkerRequest {
  scenarios: string[];
  builtIns: StrategyName[];
  file?: { name: string; path: string };
  options: ExploreOptions;
  /** Worker threads for a search past ParallelOptions.soloLayer (scenarioSource.ts). */
  jobs: number;
  startAt: number;
  status: SharedArrayBuffer;
}

export type ToMain =
  | { type: 'loadError'; message: string }
  | { type: 'progress'; index: number; states: number; depth: number; ms: number }
  | { type: 'loaded'; name: string | undefined }
  | { type: 'result'; index: number; result: ScenarioResult }
  | { type: 'done' };

/**
 * The hook that keeps the status cells told which strategy function runs, in which thread:
 * what the watchdog names when it stops a spin. The checker's worker and the search
 * workers under it (scenarioSource.ts) each make their own over the same cells.
 */
export function reportStrategyCalls(
  status: SharedArrayBuffer,
): (fn: string | undefined, thread: number) => void {
  const cells = new Int32Array(status);
  return (fn, thread) => {
    Atomics.store(cells, STATUS.fn, fn ? STRATEGY_FUNCTIONS.indexOf(fn as never) + 1 : 0);
    Atomics.store(cells, STATUS.thread, thread + 2);
  };
}

/** The runs, in catalog order: each scenario against each built-in, then the user's. */
export function runsOf(
  r: Pick<WorkerRequest, 'scenarios' | 'builtIns'>,
  userName: string | undefined,
): { scenario: string; strategy: string; builtIn: boolean }[] {
  const strategies = [
    ...r.builtIns.map((name) => ({ strategy: name as string, builtIn: true })),
    ...(userName === undefined ? [] : [{ strategy: userName, builtIn: false }]),
  ];
  return r.scenarios.flatMap((scenario) => strategies.map((s) => ({ scenario, ...s })));
}

export interface IsolatedOptions {
  scenarios: string[];
  builtIns: StrategyName[];
  /** A user's strategy module, as named on the command line. */
  strategyFile?: string;
  options?: ExploreOptions;
  /** Worker threads for one search, once its layers are wide. Default 1. */
  jobs?: number;
  /**
   * Strategy code that runs this long without a shared access is stopped as `spins`: this
   * long on the wall clock and in CPU time (the process's), so that a thread the machine did
   * not run is never taken for a spin. Default 1,000 ms (a step takes microseconds). The checker's own code, between strategy
   * calls, gets ten times as long: it is trusted, and a long garbage collection is not a
   * spin.
   */
  stallMs?: number;
  /** Loading the module may take this long. Default 10,000 ms. */
  loadMs?: number;
  /** Told of a run's progress every few seconds, once it has run for a few. */
  onProgress?: (p: Progress) => void;
}

export interface Progress {
  scenario: string;
  strategy: string;
  states: number;
  depth: number;
  ms: number;
}

/** How often a long run reports its progress (and how long it runs before the first). */
export const PROGRESS_MS = 5_000;

export type Isolated =
  { kind: 'done'; results: ScenarioResult[] } | { kind: 'loadError'; message: string };

/** Runs the selection in a worker under the watchdog (see above). */
export async function runIsolated(o: IsolatedOptions): Promise<Isolated> {
  const results: ScenarioResult[] = [];
  let startAt = 0;
  for (;;) {
    const outcome = await runWorker(o, startAt, results);
    if (outcome.kind !== 'continue') return outcome;
    startAt = outcome.next;
  }
}

type Outcome = Isolated | { kind: 'continue'; next: number };

function runWorker(
  o: IsolatedOptions,
  startAt: number,
  results: ScenarioResult[],
): Promise<Outcome> {
  const stallMs = o.stallMs ?? 1_000;
  const loadMs = o.loadMs ?? 10_000;
  const maxMemoryMB = o.options?.maxMemoryMB ?? 2_048;
  const status = new Int32Array(new SharedArrayBuffer(16));
  const file = o.strategyFile;
  const request: WorkerRequest = {
    scenarios: o.scenarios,
    builtIns: o.builtIns,
    ...(file ? { file: { name: file, path: resolve(file) } } : {}),
    options: o.options ?? {},
    jobs: o.jobs ?? 1,
    startAt,
    status: status.buffer as SharedArrayBuffer,
  };
  const worker = new Worker(new URL('./checkWorker.js', import.meta.url), {
    workerData: request,
    resourceLimits: { maxOldGenerationSizeMb: maxMemoryMB + 512 },
    stdout: false,
  });
  let userName: string | undefined;
  let loaded = false;
  let index = startAt; // the run in progress
  return new Promise<Outcome>((resolvePromise, reject) => {
    let settled = false;
    let beat = -1;
    // when the last beat or message was seen, on both clocks (see the header)
    let since = Date.now();
    let cpuSince = cpuMs();
    const heard = () => ((since = Date.now()), (cpuSince = cpuMs()));
    const POLL_MS = 50;
    const finish = (outcome: Outcome | Error) => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      void worker.terminate();
      if (outcome instanceof Error) reject(outcome);
      else resolvePromise(outcome);
    };
    /** A result for the run in progress, which the worker could not finish. */
    const stopped = (verdict: 'spins' | 'violation' | 'incomplete', message: string) => {
      const run = runsOf(o, userName)[index];
      if (!run) return finish(new Error(`[checker bug] no run ${index} to stop`));
      const s = findScenario(run.scenario)!;
      const base = {
        scenario: run.scenario,
        strategy: run.strategy,
        expected: expectation(s, run.strategy, run.builtIn),
        states: 0,
        ms: 0,
        pages: s.pages,
      };
      results.push(
        verdict === 'incomplete'
          ? { ...base, verdict, limit: message }
          : {
              ...base,
              verdict,
              counterexample: {
                kind: verdict === 'spins' ? 'spins' : 'threw',
                message,
                threads: s.threads.map((t) => t.name),
                steps: [],
              },
            },
      );
      finish({ kind: 'continue', next: index + 1 });
    };
    const who = () => {
      const fn = STRATEGY_FUNCTIONS[Atomics.load(status, STATUS.fn) - 1];
      const thread = Atomics.load(status, STATUS.thread) - 2;
      const t = thread >= 0 ? `T${thread}` : thread === -1 ? 'the setup or final check' : '';
      return fn ? `${t ? `${t}'s ` : ''}${fn}` : t || 'the strategy';
    };
    const timer = setInterval(() => {
      const now = Atomics.load(status, STATUS.beat);
      if (now !== beat) {
        beat = now;
        heard();
        return;
      }
      const waited = Math.min(Date.now() - since, cpuMs() - cpuSince);
      if (!loaded && waited > loadMs) {
        finish({
          kind: 'loadError',
          message: `strategy file ${file} did not finish loading in ${loadMs / 1000} s (does it loop as it is imported?)`,
        });
      } else if (loaded && waited > stallMs * (Atomics.load(status, STATUS.fn) ? 1 : 10)) {
        stopped(
          'spins',
          `${who()} ran ${stallMs / 1000} s without a shared access and was stopped (it spins)`,
        );
      }
    }, POLL_MS);
    worker.on('message', (m: ToMain) => {
      heard();
      if (m.type === 'loadError') finish({ kind: 'loadError', message: m.message });
      else if (m.type === 'loaded') {
        loaded = true;
        userName = m.name;
      } else if (m.type === 'progress') {
        const run = runsOf(o, userName)[m.index];
        if (run) o.onProgress?.({ ...run, states: m.states, depth: m.depth, ms: m.ms });
      } else if (m.type === 'result') {
        results.push(m.result);
        index = m.index + 1;
      } else finish({ kind: 'done', results });
    });
    worker.on('error', (e: Error & { code?: string }) => {
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY')
        stopped('incomplete', `${maxMemoryMB} MiB of memory`);
      else if (/\[checker bug\]/.test(e.message)) finish(e);
      else if (!loaded)
        finish({
          kind: 'loadError',
          message: `could not load strategy file ${file}: ${e.name}: ${e.message}`,
        });
      else finish(new Error(`[checker bug] the checker's worker failed: ${e.stack ?? e.message}`));
    });
    worker.on('exit', (code) => {
      if (settled) return;
      if (!loaded)
        finish({
          kind: 'loadError',
          message: `strategy file ${file} ended the checker's thread while it was loading (process.exit(${code})): a strategy module must not exit`,
        });
      else stopped('violation', `${who()} ended the checker's thread (process.exit(${code}))`);
    });
  });
}

/** The CPU time this process has used, all its threads together, in milliseconds. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
