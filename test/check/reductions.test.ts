import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOG } from '../../src/check/catalog.js';
import { parametricScenario } from '../../src/check/parametric.js';
import { runScenario } from '../../src/check/scenario.js';
import { STRATEGIES, STRATEGY_NAMES } from '../../src/refcount/strategies.js';
import { frozenBit } from '../../src/refcount/frozenBit.js';
import { classic } from '../../src/refcount/classic.js';
import { FROZEN_BIT } from '../../src/refcount/layout.js';
import type { Strategy } from '../../src/refcount/strategy.js';

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

/** Broken strategies, so that the comparison also covers searches that end in a violation. */
const MUTANTS: Strategy[] = [
  { ...frozenBit, name: 'no-cmpxchg', decAndTest: (c, p) => c.sub(p, 1) === 1 },
  { ...classic, name: 'naive', tryGet: (c, p) => c.add(p, 1) !== 0 },
  { ...frozenBit, name: 'store-freeze', freeze: (c, p) => (c.store(p, FROZEN_BIT), true) },
  { ...frozenBit, name: 'no-bit-test', tryGet: (c, p) => (c.add(p, 1), true) },
  { ...classic, name: 'add-unfreeze', unfreeze: (c, p, n) => void c.add(p, n + 1) },
];

describe('reduced and unreduced searches agree on broken strategies in parametric scenarios', () => {
  const names = ['getters:2x2', 'getters:3x1', 'putters:2x2', 'freezers:2x2', 'freezers:3x1'];
  for (const name of names) {
    it(name, () => {
      const s = parametricScenario(name)!;
      let violations = 0;
      for (const m of MUTANTS) {
        // built-in: true, so that symmetry applies (these mutants cannot tell threads apart)
        const base = runScenario(s, m, true, UNREDUCED);
        const symmetry = runScenario(s, m, true, { symmetry: true });
        const both = runScenario(s, m, true, { symmetry: true, sleepSets: true });
        assert.deepEqual(
          [symmetry.verdict, symmetry.counterexample],
          [base.verdict, base.counterexample],
          m.name,
        );
        assert.equal(both.verdict, base.verdict, m.name);
        assert.equal(both.counterexample?.steps.length, base.counterexample?.steps.length);
        if (base.verdict === 'violation') violations++;
      }
      assert.ok(violations > 0, 'no mutant failed: the comparison would prove little');
    });
  }
});
