import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FAMILIES, parametricScenario } from '../../src/check/parametric.js';
import { runScenario } from '../../src/check/scenario.js';
import { STRATEGIES, STRATEGY_NAMES } from '../../src/refcount/strategies.js';
import { frozenBit } from '../../src/refcount/frozenBit.js';
import type { Strategy } from '../../src/refcount/strategy.js';

describe('parametric scenarios: family:TxR', () => {
  it('builds T threads sharing one body (so symmetry applies), plus the family extra', () => {
    const g = parametricScenario('getters:4x2')!;
    assert.equal(g.threads.length, 4);
    assert.ok(g.threads.every((t) => t.body === g.threads[0]!.body));
    assert.match(g.description, /^4 threads .* 2 times/);
    const f = parametricScenario('freezers:3x1')!;
    assert.deepEqual(
      f.threads.map((t) => t.name),
      ['freezer', 'freezer', 'freezer', 'getter'],
    );
  });
  it('rejects other names, and sizes out of range with the range', () => {
    assert.equal(parametricScenario('getters'), undefined);
    assert.equal(parametricScenario('nobody:2x2'), undefined);
    assert.equal(parametricScenario('getters:2by2'), undefined);
    assert.throws(() => parametricScenario('getters:0x1'), /1 to 8 threads and 1 to 16 rounds/);
    assert.throws(() => parametricScenario('putters:2x17'), RangeError);
  });
  for (const f of FAMILIES) {
    for (const name of STRATEGY_NAMES) {
      const expected = f.violates.includes(name) ? 'violation' : 'safe';
      it(`${f.name}:2x2 × ${name}: ${expected}`, () => {
        const r = runScenario(parametricScenario(`${f.name}:2x2`)!, STRATEGIES[name], true);
        assert.equal(r.verdict, expected, r.counterexample?.message);
      });
    }
  }
  it("symmetry is off for a user's strategy, and the model cells' internals are out of its reach", () => {
    // A strategy that could read which thread runs it (the model cells' `thread`) could tell
    // symmetric threads apart; it gets a door with the five methods only (cellsDoor.ts), and
    // its searches keep symmetry off all the same (state kept between calls is its own).
    let seen: unknown = 'never called';
    const sly: Strategy = {
      ...frozenBit,
      name: 'sly',
      decAndTest: (c, p) => {
        seen = (c as unknown as { thread?: number }).thread;
        return frozenBit.decAndTest(c, p);
      },
    };
    const s = parametricScenario('getters:3x1')!;
    const user = runScenario(s, sly, false);
    assert.equal(user.verdict, 'safe');
    assert.equal(seen, undefined);
    const builtIn = runScenario(s, frozenBit, true);
    assert.ok(
      user.states > builtIn.states,
      `${user.states} states; ${builtIn.states} with symmetry`,
    );
  });
  it('a broken strategy fails in them: decAndTest without the cmpxchg, in getters:2x1', () => {
    const mutant: Strategy = {
      ...frozenBit,
      name: 'no-cmpxchg',
      decAndTest: (c, p) => c.sub(p, 1) === 1,
    };
    const r = runScenario(parametricScenario('getters:2x1')!, mutant, false);
    assert.equal(r.verdict, 'violation');
  });
});
