import {
  MessageChannel,
  Worker,
  receiveMessageOnPort,
  type MessagePort,
} from 'node:worker_threads';
import { fork } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StrategyName } from '../refcount/strategy.js';
import type { ExploreOptions } from '../explore/explore.js';
import { findScenario } from './parametric.js';
import { checkedSize, expectation, type ScenarioResult } from './scenario.js';
import { STRATEGY_FUNCTIONS } from './strategyModule.js';
import { LKMM_DEFAULTS, type LkmmOptions } from './lkmm/lkmmOptions.js';
import type { LkmmResult } from './lkmm/lkmmResult.js';

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
 * busy machine does not run burns none, so no load on the machine makes correct code spin.
 * A worker that exits by itself is the module's doing, reported as such.
 * The worker's heap is capped a little above the explorer's memory limit, as a backstop.
 * (Counting iterations through the cells cannot see a loop that does not use them, and
 * instrumenting the user's source would check something else than the code as written.)
 *
 * Whatever the worker does, each run ends within its time limit plus {@link GRACE_MS}: past
 * it, the watchdog stops the worker and records the run as `incomplete`, wherever the time
 * went (strategy code that sleeps in a getter the checker reads, a step that takes seconds,
 * a search worker that never answers). The same when the process holds more memory than
 * the limit plus {@link MEMORY_HEADROOM_MB}, counted as the operating system counts it
 * (resident memory: the heap, ArrayBuffers, shared buffers, every thread): resource
 * pressure is `incomplete`, never a verdict about the strategy.
 *
 * Threat model, for a user's strategy module (docs/strategy-interface.md says it for
 * users): the module runs with the user's rights, in the checker's worker, and the checker
 * is no sandbox. What it defends is the verdict against what JavaScript lets a module do:
 * post on the worker's parentPort (closed before the module loads: results go on a
 * private port), read or write the watchdog's cells (taken off workerData before it
 * loads), change the builtins or the checker's own classes and catalog (frozen: see
 * lockdown.ts), end its thread (a violation), block in a system call, sleep, spin or
 * hoard memory (the limits above), leave a promise rejected (a violation). It does not
 * defend against the operating system's means: a module that writes the process's memory
 * (/proc/self/mem), loads native code, signals or debugs the process, or removes the
 * checker's listeners from `process` can make the checker say anything, as any program
 * the user runs can. A module that may block in a system call is run in a child process
 * (runInChild), because a thread blocked in the kernel cannot be stopped and keeps its
 * process from exiting: the child is killed once it has answered.
 *
 * The same runner runs a strategy module under LKMM (`lkmm`, for runStrategyFileLkmm): the
 * worker runs runScenarioLkmm instead of the explorer, under the same watchdogs, load limits
 * and messages. Its heartbeat is the LKMM run's budget checks (limits.ts), which the checker
 * makes in every inner loop, and strategy code that never returns to the checker stops it.
 * LKMM has no `spins` verdict: a run stopped so is `incomplete`, with the watchdog's message.
 */

/**
 * Cells of the shared status array: the heartbeat, the run in progress (its index + 1; 0
 * while the module loads), the strategy function running (STRATEGY_FUNCTIONS index + 1)
 * and its thread (+ 2; 1: the setup or final check), the states the run has seen.
 */
export const STATUS = { beat: 0, run: 1, fn: 2, thread: 3, states: 4 } as const;
const STATUS_CELLS = 5;

/** How far past its time limit a run may go before the watchdog stops it. */
export const GRACE_MS = 1_000;

/** How far past the memory limit the process may go before the watchdog stops the run. */
export const MEMORY_HEADROOM_MB = 512;

/** The LKMM options a run in a worker takes: those that cross a thread (no functions). */
export type LkmmRunOptions = Omit<LkmmOptions, 'model' | 'reorder'>;

/** What one run answers: the explorer's result, or LKMM's where the request has `lkmm`. */
export type RunResult = ScenarioResult | LkmmResult;

export interface WorkerRequest {
  scenarios: string[];
  builtIns: StrategyName[];
  file?: { name: string; path: string };
  options: ExploreOptions;
  /** Run under LKMM with these options, not the explorer (`options` and `jobs` unused). */
  lkmm?: LkmmRunOptions;
  /** Worker threads for a search past ParallelOptions.soloLayer (scenarioSource.ts). */
  jobs: number;
  startAt: number;
  status: SharedArrayBuffer;
  /** Where the worker posts its results: a port the strategy module cannot reach. */
  port: MessagePort;
}

export type ToMain =
  | { type: 'loadError'; message: string }
  | { type: 'progress'; index: number; states: number; depth: number; ms: number }
  | { type: 'loaded'; name: string | undefined }
  | { type: 'result'; index: number; result: RunResult }
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
  /** Run under LKMM with these options instead of the explorer (see the header). */
  lkmm?: LkmmRunOptions;
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
  /**
   * Loading the module may take this long, on the wall clock and in CPU time, as for
   * `stallMs`: a module that computes as it is imported is stopped after this much of both.
   * Default 10,000 ms.
   */
  loadMs?: number;
  /**
   * A module whose import waits (a top-level await that never settles, an `Atomics.wait`)
   * uses no CPU time, so only the wall clock can end it: after this long. It is far longer
   * than `loadMs` because a busy machine stretches the wall clock of an honest import (a
   * module that imports a large library) many times over. Default 6 × `loadMs`.
   */
  loadWaitMs?: number;
  /** Told of a run's progress every few seconds, once it has run for a few. */
  onProgress?: (p: Progress) => void;
  /** Told when the strategy module has loaded, and of each result as it is found. */
  onLoaded?: (name: string | undefined) => void;
  onResult?: (r: RunResult) => void;
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

/** What runSupervised answers: each run's result, the explorer's or LKMM's. */
export type Supervised =
  { kind: 'done'; results: RunResult[] } | { kind: 'loadError'; message: string };

/** Runs the selection under the SC explorer (runSupervised without `lkmm`). */
export async function runIsolated(o: Omit<IsolatedOptions, 'lkmm'>): Promise<Isolated> {
  // without `lkmm`, every result is the explorer's
  return (await runSupervised(o)) as Isolated;
}

/**
 * Runs the selection in a worker under the watchdog (see above); with a strategy module,
 * in a child process that runs it so (runInChild).
 */
export async function runSupervised(o: IsolatedOptions): Promise<Supervised> {
  return o.strategyFile === undefined ? runHere(o) : runInChild(o);
}

/** runSupervised in this process. */
export async function runHere(o: IsolatedOptions, from = 0): Promise<Supervised> {
  const results: RunResult[] = [];
  const record = (r: RunResult) => {
    results.push(r);
    o.onResult?.(r);
  };
  let startAt = from;
  for (let first = true; ; first = false) {
    const outcome = await runWorker(o, startAt, record, first ? o.onLoaded : undefined);
    if (outcome.kind === 'loadError') return outcome;
    if (outcome.kind === 'done') return { kind: 'done', results };
    startAt = outcome.next;
  }
}

type Outcome =
  { kind: 'done' } | { kind: 'loadError'; message: string } | { kind: 'continue'; next: number };

function runWorker(
  o: IsolatedOptions,
  startAt: number,
  record: (r: RunResult) => void,
  onLoaded: ((name: string | undefined) => void) | undefined,
): Promise<Outcome> {
  const stallMs = o.stallMs ?? 1_000;
  const loadMs = o.loadMs ?? 10_000;
  const loadWaitMs = o.loadWaitMs ?? 6 * loadMs;
  const maxMemoryMB = o.lkmm
    ? (o.lkmm.maxMemoryMB ?? LKMM_DEFAULTS.maxMemoryMB)
    : (o.options?.maxMemoryMB ?? 2_048);
  const maxMs = o.lkmm
    ? (o.lkmm.maxSeconds ?? LKMM_DEFAULTS.maxSeconds) * 1000
    : (o.options?.maxMs ?? 60_000);
  const status = new Int32Array(new SharedArrayBuffer(STATUS_CELLS * 4));
  const file = o.strategyFile;
  const { port1: port, port2 } = new MessageChannel();
  const request: WorkerRequest = {
    scenarios: o.scenarios,
    builtIns: o.builtIns,
    ...(file ? { file: { name: file, path: resolve(file) } } : {}),
    options: o.options ?? {},
    ...(o.lkmm ? { lkmm: o.lkmm } : {}),
    jobs: o.jobs ?? 1,
    startAt,
    status: status.buffer as SharedArrayBuffer,
    port: port2,
  };
  const worker = new Worker(new URL('./checkWorker.js', import.meta.url), {
    workerData: request,
    transferList: [port2],
    resourceLimits: { maxOldGenerationSizeMb: maxMemoryMB + MEMORY_HEADROOM_MB },
    // what strategy code prints goes to stderr, never into the verdicts (or the JSON)
    stdout: true,
  });
  worker.stdout.pipe(process.stderr, { end: false });
  let userName: string | undefined;
  let loaded = false;
  let index = startAt; // the first run without a result: the one in progress
  const started = Date.now();
  // the run the status cells last showed in progress (+ 1), and since when
  let running = 0;
  let runSince = started;
  return new Promise<Outcome>((resolvePromise, reject) => {
    let settled = false;
    let beat = -1;
    // when the last beat or message was seen, on both clocks (see the header)
    let since = Date.now();
    let cpuSince = cpuMs();
    const seen = () => ((since = Date.now()), (cpuSince = cpuMs()));
    const POLL_MS = 50;
    const finish = (outcome: Outcome | Error) => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      port.close();
      // A worker blocked in a system call never ends: it must not keep the process alive.
      void worker.terminate();
      worker.unref();
      if (outcome instanceof Error) reject(outcome);
      else resolvePromise(outcome);
    };
    /** A result for the run in progress, which the worker could not finish. */
    const stopped = (verdict: 'spins' | 'violation' | 'incomplete', message: string) => {
      drain();
      if (settled) return;
      const r = stoppedRun(o, userName, index, verdict, message);
      if (!r) return finish(new Error(`[checker bug] no run ${index} to stop`));
      if ('states' in r && Atomics.load(status, STATUS.run) === index + 1)
        r.states = Atomics.load(status, STATUS.states);
      record(r);
      finish({ kind: 'continue', next: index + 1 });
    };
    const who = () => {
      const fn = STRATEGY_FUNCTIONS[Atomics.load(status, STATUS.fn) - 1];
      const thread = Atomics.load(status, STATUS.thread) - 2;
      const t = thread >= 0 ? `T${thread}` : thread === -1 ? 'the setup or final check' : '';
      return fn ? `${t ? `${t}'s ` : ''}${fn}` : t || 'the strategy';
    };
    // strategy code gets stallMs; the checker's own code (no strategy function named), ten
    // times as long
    const stallLimit = () => stallMs * (Atomics.load(status, STATUS.fn) ? 1 : 10);
    const timer = setInterval(() => {
      const run = Atomics.load(status, STATUS.run);
      if (run !== running) {
        running = run;
        runSince = Date.now();
      }
      if (!loaded && Date.now() - started > loadWaitMs + GRACE_MS) {
        return finish({
          kind: 'loadError',
          message: `strategy file ${file} did not finish loading in ${loadWaitMs / 1000} s (does it wait as it is imported?)`,
        });
      }
      if (loaded && running > 0 && Date.now() - runSince > maxMs + GRACE_MS)
        return stopped('incomplete', `${maxMs} ms`);
      if (process.memoryUsage.rss() > (maxMemoryMB + MEMORY_HEADROOM_MB) * 2 ** 20)
        return stopped('incomplete', `${maxMemoryMB} MiB of memory`);
      const now = Atomics.load(status, STATUS.beat);
      if (now !== beat) {
        beat = now;
        seen();
        return;
      }
      const waited = Math.min(Date.now() - since, cpuMs() - cpuSince);
      if (!loaded && waited > loadMs) {
        finish({
          kind: 'loadError',
          message: `strategy file ${file} did not finish loading in ${loadMs / 1000} s (does it loop as it is imported?)`,
        });
      } else if (loaded && waited > stallLimit()) {
        const limit = stallLimit();
        stopped(
          'spins',
          `${who()} ran ${limit / 1000} s without a shared access and was stopped (it spins)`,
        );
      }
    }, POLL_MS);
    // Only the private port is read: the worker's own (parentPort) is closed, and what
    // strategy code posts there is never seen.
    const heard = (m: ToMain) => {
      seen();
      if (m.type === 'loadError') finish({ kind: 'loadError', message: m.message });
      else if (m.type === 'loaded') {
        loaded = true;
        userName = m.name;
        onLoaded?.(m.name);
      } else if (m.type === 'progress') {
        const run = runsOf(o, userName)[m.index];
        if (run) o.onProgress?.({ ...run, states: m.states, depth: m.depth, ms: m.ms });
      } else if (m.type === 'result') {
        record(m.result);
        index = m.index + 1;
      } else finish({ kind: 'done' });
    };
    port.on('message', heard);
    /** Takes what the worker posted before it stopped, which is on the port already. */
    const drain = () => {
      for (let m = receiveMessageOnPort(port); m && !settled; m = receiveMessageOnPort(port))
        heard(m.message as ToMain);
    };
    worker.on('error', (e: Error & { code?: string }) => {
      drain();
      if (settled) return;
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
      drain();
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

/** What the child process (checkProcess.ts) says to this one. */
export type FromChild =
  | { type: 'loaded'; name: string | undefined }
  | { type: 'progress'; progress: Progress }
  | { type: 'result'; result: RunResult }
  | { type: 'done'; outcome: Supervised }
  /** runHere threw: a bug of the checker's, which the parent throws in turn. */
  | { type: 'failed'; message: string };

/** What this process asks of the child: runHere over these options, from run `startAt`. */
export interface ChildRequest {
  options: Omit<IsolatedOptions, 'onProgress' | 'onLoaded' | 'onResult'>;
  startAt: number;
}

/**
 * runHere in a child process, for a strategy module: a worker blocked in a system call
 * cannot be stopped, and a process whose thread is blocked so cannot exit, but a child
 * process can always be killed. It is, once it has answered. A child that ends before it
 * answers (killed by the system, or by the module) leaves the run in progress
 * `incomplete` (not a verdict: the checker cannot tell why), and a new child goes on with
 * the next.
 */
async function runInChild(o: IsolatedOptions): Promise<Supervised> {
  const results: RunResult[] = [];
  const { onProgress, onLoaded, onResult, ...options } = o;
  let userName: string | undefined;
  for (let loaded = false; ;) {
    const startAt = results.length;
    const child = fork(fileURLToPath(new URL('./checkProcess.js', import.meta.url)), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    const ended = await new Promise<Supervised | string>((resolvePromise, reject) => {
      child.on('message', (m: FromChild) => {
        if (m.type === 'loaded') {
          if (!loaded) onLoaded?.(m.name);
          loaded = true;
          userName = m.name;
        } else if (m.type === 'progress') onProgress?.(m.progress);
        else if (m.type === 'result') {
          results.push(m.result);
          onResult?.(m.result);
        } else if (m.type === 'failed') reject(new Error(m.message));
        else resolvePromise(m.outcome);
      });
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        // what it sent before it ended is read before the channel closes
        const ended = () => resolvePromise(signal ? `signal ${signal}` : `exit code ${code}`);
        if (child.connected) child.once('disconnect', ended);
        else ended();
      });
      child.send({ options, startAt } satisfies ChildRequest);
    }).finally(() => child.kill('SIGKILL'));
    if (typeof ended !== 'string') {
      return ended.kind === 'loadError' ? ended : { kind: 'done', results };
    }
    const why = `the checker's process ended (${ended}) before it answered`;
    if (!loaded)
      return {
        kind: 'loadError',
        message: `strategy file ${o.strategyFile}: ${why}, as the module loaded`,
      };
    const r = stoppedRun(o, userName, results.length, 'incomplete', why);
    if (!r) return { kind: 'done', results };
    results.push(r);
    onResult?.(r);
  }
}

/**
 * The result of run `index`, which its worker or process could not finish: `spins`, a
 * `threw` violation (it ended its thread), or `incomplete` (a limit, or the process ended).
 */
function stoppedRun(
  o: Pick<IsolatedOptions, 'scenarios' | 'builtIns' | 'lkmm'>,
  userName: string | undefined,
  index: number,
  verdict: 'spins' | 'violation' | 'incomplete',
  message: string,
): RunResult | undefined {
  const run = runsOf(o, userName)[index];
  if (!run) return undefined;
  if (o.lkmm) {
    const threw = verdict === 'violation';
    return {
      scenario: run.scenario,
      strategy: run.strategy,
      model: 'lkmm',
      // no `spins` under LKMM: code that never returns leaves no execution to judge
      verdict: threw ? 'violation' : 'incomplete',
      ...(threw ? { kind: 'threw' as const } : {}),
      message: threw ? message : `stopped by the watchdog: ${message}`,
      traces: [],
      cut: [],
      rounds: 0,
      executions: 0,
      maxEvents: o.lkmm.maxEvents ?? LKMM_DEFAULTS.maxEvents,
      ms: 0,
    };
  }
  const s = findScenario(run.scenario)!;
  const base = {
    scenario: run.scenario,
    strategy: run.strategy,
    expected: expectation(s, run.strategy, run.builtIn),
    states: 0,
    ms: 0,
    pages: s.pages,
    size: checkedSize(s, 0), // stopped: what it reached is not known, and no verdict is safe
  };
  if (verdict === 'incomplete') return { ...base, verdict, limit: message };
  const kind = verdict === 'spins' ? 'spins' : 'threw';
  const threads = s.threads.map((t) => t.name);
  return { ...base, verdict, counterexample: { kind, message, threads, steps: [] } };
}

/** The CPU time this process has used, all its threads together, in milliseconds. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
