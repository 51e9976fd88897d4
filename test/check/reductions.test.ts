import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOG } from '../../src/check/catalog.js';
import { parametricScenario } from '../../src/check/parametric.js';
import { runScenario } from '../../src/check/scenario.js';
import { STRATEGIES, STRATEGY_NAMES } from '../../src/refcount/strategies.js';

/**
 * The reductions against the unreduced search, on every catalog scenario × strategy and on
 * small parametric ones: the same verdict and a counterexample of the same length (symmetry:
 * the very same one); sleep sets visit every state the search without them visits.
 */
const UNREDUCED = { symmetry: false, sleepSets: false };
const scenarios = [
  ...CATALOG,
  ...['getters:3x1', 'getters:2x2', 'putters:3x1', 'freezers:2x1'].map((n) =>
    parametricScenario(n)!,
  ),
];

describe('reduced and unreduced searches agree', () => {
  for (const s of scenarios) {
    for (const name of STRATEGY_NAMES) {
      it(`${s.name} × ${name}`, () => {
        const st = STRATEGIES[name];
        const base = runScenario(s, st, true, UNREDUCED);
        const symmetry = runScenario(s, st, true, { symmetry: true });
        const sleep = runScenario(s, st, true, { symmetry: false, sleepSets: true });
        const both = runScenario(s, st, true, { symmetry: true, sleepSets: true });
        for (const r of [symmetry, sleep, both]) {
          assert.equal(r.verdict, base.verdict);
          assert.equal(r.counterexample?.steps.length, base.counterexample?.steps.length);
          assert.equal(r.counterexample?.message, base.counterexample?.message);
        }
        assert.deepEqual(symmetry.counterexample, base.counterexample);
        assert.ok(symmetry.states <= base.states);
        if (base.verdict === 'safe') {
          assert.equal(sleep.states, base.states);
          assert.equal(both.states, symmetry.states);
        }
      });
    }
  }
  it('symmetry merges states where threads share a body (getters:3x2 × classic)', () => {
    const s = parametricScenario('getters:3x2')!;
    const base = runScenario(s, STRATEGIES.classic, true, UNREDUCED);
    const reduced = runScenario(s, STRATEGIES.classic, true);
    assert.equal(base.states, 64_660);
    assert.ok(reduced.states * 4 < base.states, `${reduced.states}`);
  });
});
