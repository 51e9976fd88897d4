/**
 * The checker's worker (see isolated.ts): loads the user's strategy module, if any, then
 * runs the selected scenarios × strategies from `startAt` on, reporting each result as it
 * is found and its progress in the shared `status` cells, which the watchdog reads.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { STRATEGIES } from '../refcount/strategies.js';
import type { Strategy, StrategyName } from '../refcount/strategy.js';
import { findScenario } from './parametric.js';
import { runScenario } from './scenario.js';
import { strategyOfModule, whyNotLoaded } from './strategyModule.js';
import { runScenarioParallel } from './scenarioSource.js';
import {
  PROGRESS_MS,
  STATUS,
  reportStrategyCalls,
  runsOf,
  type ToMain,
  type WorkerRequest,
} from './isolated.js';

const request = workerData as WorkerRequest;
const status = new Int32Array(request.status);
const post = (m: ToMain) => parentPort!.postMessage(m);

async function main(): Promise<void> {
  let user: Strategy | undefined;
  if (request.file) {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(request.file.path).href)) as Record<string, unknown>;
    } catch (e) {
      const message = `could not load strategy file ${request.file.name}: ${whyNotLoaded(e, request.file.path)}`;
      return post({ type: 'loadError', message });
    }
    const s = strategyOfModule(mod, request.file.name);
    if (typeof s === 'string') return post({ type: 'loadError', message: s });
    user = s;
  }
  post({ type: 'loaded', name: user?.name });
  const runs = runsOf(request, user?.name);
  for (let i = request.startAt; i < runs.length; i++) {
    const run = runs[i]!;
    Atomics.store(status, STATUS.run, i);
    const strategy = run.builtIn ? STRATEGIES[run.strategy as keyof typeof STRATEGIES] : user!;
    const started = Date.now();
    let reported = started;
    const options = {
      ...request.options,
      heartbeat: status,
      onLayer: ({ depth, states }: { depth: number; states: number }) => {
        const now = Date.now();
        if (now - reported < PROGRESS_MS) return;
        reported = now;
        post({ type: 'progress', index: i, states, depth, ms: now - started });
      },
    };
    const result =
      request.jobs > 1
        ? await runScenarioParallel(
            {
              scenario: run.scenario,
              strategy: run.builtIn
                ? { builtIn: run.strategy as StrategyName }
                : { file: request.file!.path },
              status: request.status,
            },
            strategy.name,
            { ...options, jobs: request.jobs },
          )
        : runScenario(findScenario(run.scenario)!, strategy, run.builtIn, {
            ...options,
            onStrategyCall: reportStrategyCalls(request.status),
          });
    post({ type: 'result', index: i, result });
  }
  post({ type: 'done' });
}

await main();
