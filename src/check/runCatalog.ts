import type { Strategy } from '../refcount/strategy.js';
import {
  STRATEGY_FAULTS,
  runScenario,
  type Scenario,
  type ScenarioOptions,
  type ScenarioResult,
} from './scenario.js';

/** Every scenario against every strategy, in catalog order. */
export function runCatalog(
  scenarios: readonly Scenario[],
  strategies: readonly { strategy: Strategy; builtIn: boolean }[],
  options: ScenarioOptions = {},
): ScenarioResult[] {
  return scenarios.flatMap((s) =>
    strategies.map(({ strategy, builtIn }) => runScenario(s, strategy, builtIn, options)),
  );
}

/**
 * True if the run's verdict is as the catalog expects: complete, as predicted where the
 * catalog predicts, and never a fault of the strategy's code (which no design excuses).
 */
export function asExpected(r: ScenarioResult): boolean {
  if (r.verdict === 'incomplete') return false;
  if (r.counterexample && STRATEGY_FAULTS.includes(r.counterexample.kind))
    return r.expected === 'violation' && r.verdict === 'violation';
  return r.expected === undefined || r.verdict === r.expected;
}

/** True if there was something to check and every verdict is as the catalog expects. */
export function allAsExpected(results: readonly ScenarioResult[]): boolean {
  return results.length > 0 && results.every(asExpected);
}
