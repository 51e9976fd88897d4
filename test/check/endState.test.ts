/**
 * The end-state checks (src/check/endState.ts) are one rule and one message under both
 * engines: a broken strategy whose fault shows only in the final state gets the same kind
 * and the same words from the SC explorer and from LKMM. Each run takes well under a second.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scenarioByName } from '../../src/check/catalog.js';
import { runScenario } from '../../src/check/scenario.js';
import { runScenarioLkmm } from '../../src/check/lkmm/lkmmScenario.js';
import { classic } from '../../src/refcount/classic.js';
import type { Strategy } from '../../src/refcount/strategy.js';
import { cx } from './counterexample.js';

const cases: [what: string, strategy: Strategy, scenario: string, kind: string][] = [
  [
    'a fetch_add try-get leaves a free page unfrozen',
    { ...classic, name: 'naive', tryGet: (c, p) => c.add(p, 1) !== 0 },
    'free-page-get',
    'freeNotFrozen',
  ],
  [
    'an unfreeze that adds one too many counts more than is held',
    { ...classic, name: 'add-unfreeze', unfreeze: (c, p, n) => void c.add(p, n + 1) },
    'inc-unfreeze',
    'wrongCount',
  ],
  [
    'a tryAdd that adds 1 instead of nr leaks the page',
    {
      ...classic,
      name: 'try-add-one',
      tryAdd: (c, p) => classic.tryAdd(c, p, 1),
    },
    'large-folio-pin',
    'leak',
  ],
];

describe('the end-state checks: one rule, one message, under SC and LKMM', () => {
  for (const [what, strategy, scenario, kind] of cases) {
    it(`${what}: ${kind} in ${scenario}, in the same words`, () => {
      const s = scenarioByName(scenario)!;
      const sc = cx(runScenario(s, strategy, false));
      const lkmm = runScenarioLkmm(s, strategy);
      assert.equal(sc.kind, kind, sc.message);
      assert.equal(lkmm.verdict, 'violation');
      assert.equal(lkmm.kind, kind, lkmm.message);
      assert.equal(lkmm.message, sc.message);
    });
  }
});
