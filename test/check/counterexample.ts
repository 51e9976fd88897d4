import assert from 'node:assert/strict';
import type { Counterexample, ScenarioResult } from '../../src/check/scenario.js';

/** The counterexample of a result that must have one (narrows the union, no `!`). */
export function cx(r: ScenarioResult): Counterexample {
  assert.ok(r.verdict === 'violation' || r.verdict === 'spins', `verdict ${r.verdict}`);
  return r.counterexample;
}
