/**
 * The checker's worker (see isolated.ts): loads the user's strategy module, if any, then
 * runs the selected scenarios × strategies from `startAt` on, reporting each result as it
 * is found and its progress in the shared `status` cells, which the watchdog reads. With
 * `lkmm` in the request, each run is runScenarioLkmm's, its budget checks the heartbeat.
 *
 * What decides verdicts shares nothing writable with the module: before it loads, the
 * results port and the status cells are taken off `workerData` (kept here, in module
 * variables, which no other module can reach), the worker's `parentPort` is closed (what
 * the module posts there goes nowhere), and the builtins and the checker's own modules are
 * frozen (lockdown.ts).
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { STRATEGIES } from '../refcount/strategies.js';
import type { Strategy, StrategyName } from '../refcount/strategy.js';
import { describeThrown } from '../explore/violation.js';
import { findScenario } from './parametric.js';
import { runScenario } from './scenario.js';
import { strategyOfModule, whyNotLoaded } from './strategyModule.js';
import { runScenarioParallel } from './scenarioSource.js';
import { lockDown } from './lockdown.js';
import { beatOnBudgetChecks } from '../axiomatic/limits.js';
import { runScenarioLkmm } from './lkmm/lkmmScenario.js';
import { sendable } from './lkmm/lkmmResult.js';
import {
  PROGRESS_MS,
  STATUS,
  reportStrategyCalls,
  runsOf,
  type RunResult,
  type ToMain,
  type WorkerRequest,
} from './isolated.js';

const request = { ...(workerData as WorkerRequest) };
const results: MessagePort = request.port;
const status = new Int32Array(request.status);
if (request.lkmm) beatOnBudgetChecks(status);
delete (workerData as Partial<WorkerRequest>).port;
delete (workerData as Partial<WorkerRequest>).status;
parentPort?.close();
// The closed parentPort no longer keeps this thread alive while it awaits (an import): this
// does, until the watchdog ends the thread.
setInterval(() => {}, 2 ** 30);
const post = (m: ToMain) => results.postMessage(m);

/**
 * The first promise left rejected with no handler, by strategy code (the checker's own
 * promises are all awaited). Looked at when the module has loaded and when each run ends,
 * after its microtasks and one turn of the event loop: a promise rejected in a call is
 * always seen at the end of the run that made the call.
 */
let rejected: { reason: unknown } | undefined;
process.on('unhandledRejection', (reason) => void (rejected ??= { reason }));
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

async function main(): Promise<void> {
  let user: Strategy | undefined;
  if (request.file) {
    await lockDown(import.meta.url);
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(request.file.path).href)) as Record<string, unknown>;
    } catch (e) {
      const message = `could not load strategy file ${request.file.name}: ${whyNotLoaded(e, request.file.path)}`;
      return post({ type: 'loadError', message });
    }
    const s = strategyOfModule(mod, request.file.name);
    if (typeof s === 'string') return post({ type: 'loadError', message: s });
    await settle();
    if (rejected) {
      const message = `strategy file ${request.file.name} left a promise rejected with no handler as it loaded: ${describeThrown(rejected.reason)}`;
      return post({ type: 'loadError', message });
    }
    user = s;
  }
  post({ type: 'loaded', name: user?.name });
  const runs = runsOf(request, user?.name);
  for (let i = request.startAt; i < runs.length; i++) {
    const run = runs[i]!;
    Atomics.store(status, STATUS.run, i + 1);
    Atomics.store(status, STATUS.states, 0);
    const strategy = run.builtIn ? STRATEGIES[run.strategy as keyof typeof STRATEGIES] : user!;
    const started = Date.now();
    let reported = started;
    const options = {
      ...request.options,
      heartbeat: status,
      onLayer: ({ depth, states }: { depth: number; states: number }) => {
        Atomics.store(status, STATUS.states, Math.min(states, 0x7fffffff));
        const now = Date.now();
        if (now - reported < PROGRESS_MS) return;
        reported = now;
        post({ type: 'progress', index: i, states, depth, ms: now - started });
      },
    };
    // A user's module is searched on this thread whatever `jobs` says: each search worker
    // would load a copy of it, and state kept between calls would then differ with the
    // number of workers (docs/strategy-interface.md).
    const lkmm = request.lkmm;
    const result: RunResult = lkmm
      ? sendable(runScenarioLkmm(findScenario(run.scenario)!, strategy, lkmm))
      : request.jobs > 1 && run.builtIn
        ? await keptAlive(() =>
            runScenarioParallel(
              // (built-in code: its calls go untold, and the watchdog allows the checker's
              // own time; the search workers beat the heartbeat as they step)
              { scenario: run.scenario, strategy: { builtIn: run.strategy as StrategyName } },
              strategy.name,
              { ...options, jobs: request.jobs },
            ),
          )
        : runScenario(findScenario(run.scenario)!, strategy, run.builtIn, {
            ...options,
            onStrategyCall: reportStrategyCalls(request.status),
          });
    await settle();
    if (rejected && !user)
      throw new Error(
        `[checker bug] a promise was left rejected: ${describeThrown(rejected.reason)}`,
      );
    // (one that strategy code left for later, a timer's, goes to its next run)
    const blamed = rejected && !run.builtIn ? rejected : undefined;
    post({ type: 'result', index: i, result: blamed ? unhandled(result, blamed) : result });
    if (blamed) rejected = undefined;
  }
  post({ type: 'done' });
}

/**
 * Awaits `search` while beating the heartbeat: this thread waits for the search workers,
 * which beat it as they step, but may take long to start (each compiles the code), and a
 * wait is not a spin.
 */
async function keptAlive<T>(search: () => Promise<T>): Promise<T> {
  Atomics.store(status, STATUS.fn, 0);
  const timer = setInterval(() => Atomics.add(status, STATUS.beat, 1), 100);
  try {
    return await search();
  } finally {
    clearInterval(timer);
  }
}

/** A run whose strategy code left a promise rejected: a `threw` violation, whatever it found. */
function unhandled(result: RunResult, { reason }: { reason: unknown }): RunResult {
  const message = `strategy code left a promise rejected with no handler: ${describeThrown(reason)} (strategy functions are synchronous: nothing awaits their promises)`;
  if (!('states' in result)) return { ...result, verdict: 'violation', kind: 'threw', message };
  return {
    ...result,
    verdict: 'violation',
    limit: undefined,
    counterexample: {
      kind: 'threw',
      message,
      threads:
        result.counterexample?.threads ?? findScenario(result.scenario)!.threads.map((t) => t.name),
      steps: [],
    },
  };
}

await main();
