import type { Strategy } from '../refcount/strategy.js';
import type { ExploreOptions } from '../explore/explore.js';
import { runScenario, type Scenario, type ScenarioResult } from './scenario.js';

/** Every scenario against every strategy, in catalog order. */
export function runCatalog(
  scenarios: readonly Scenario[],
  strategies: readonly { strategy: Strategy; builtIn: boolean }[],
  options: ExploreOptions = {},
): ScenarioResult[] {
  return scenarios.flatMap((s) =>
    strategies.map(({ strategy, builtIn }) => runScenario(s, strategy, builtIn, options)),
  );
}

/** True if no run is incomplete and every verdict the catalog can predict is as predicted. */
export function allAsExpected(results: readonly ScenarioResult[]): boolean {
  return results.every(
    (r) => r.verdict !== 'incomplete' && (r.expected === undefined || r.verdict === r.expected),
  );
}
