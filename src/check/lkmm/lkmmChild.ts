/**
 * The child process that runs the catalog under LKMM with a user's strategy module
 * (runStrategyFileLkmm in isolatedLkmm.ts): it freezes the checker's modules and the
 * builtins (lockdown.ts), loads the module as the SC check's worker does, runs each scenario
 * and sends each result back as it comes. The process that started it kills it when a run
 * passes its deadline: strategy code that never returns cannot be stopped from inside.
 */
import type { LkmmResult } from './lkmmResult.js';
import { pathToFileURL } from 'node:url';
import { findScenario } from '../parametric.js';
import { lockDown } from '../lockdown.js';
import { strategyOfModule, whyNotLoaded } from '../strategyModule.js';
import { runScenarioLkmm } from './lkmmScenario.js';
import type { FromLkmmChild, LkmmChildRequest } from './isolatedLkmm.js';

const send = (m: FromLkmmChild) => process.send!(m);

process.once('message', (request: LkmmChildRequest) => {
  void main(request).catch((e: Error) => send({ type: 'failed', message: e.stack ?? e.message }));
});

async function main(request: LkmmChildRequest): Promise<void> {
  await lockDown(import.meta.url);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(request.path).href)) as Record<string, unknown>;
  } catch (e) {
    const message = `could not load strategy file ${request.name}: ${whyNotLoaded(e, request.path)}`;
    send({ type: 'loadError', message });
    return;
  }
  const strategy = strategyOfModule(mod, request.name);
  if (typeof strategy === 'string') {
    send({ type: 'loadError', message: strategy });
    return;
  }
  for (let i = request.startAt; i < request.scenarios.length; i++) {
    send({ type: 'start', index: i, strategy: strategy.name });
    const result = sendable(
      runScenarioLkmm(findScenario(request.scenarios[i]!)!, strategy, request.options),
    );
    send({ type: 'result', index: i, result });
  }
  send({ type: 'done' });
}

/**
 * A result as it can cross to the parent process: without its witness (the execution as
 * relations, for a drawing), which holds closures; its text (`execution`) says the same.
 */
const sendable = ({ witness: _witness, ...result }: LkmmResult) => result;
