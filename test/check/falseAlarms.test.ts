/**
 * Correct strategies written in ways that work on real memory are safe here too, and the
 * checker's own failures are never blamed on the strategy.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOG, scenarioByName } from '../../src/check/catalog.js';
import { runScenario } from '../../src/check/scenario.js';
import { runCatalog } from '../../src/check/runCatalog.js';
import { frozenBit } from '../../src/refcount/frozenBit.js';
import type { Strategy } from '../../src/refcount/strategy.js';
import type { Cells } from '../../src/cells/cells.js';
import { ModelCells, PAUSE, STACK_FAULT } from '../../src/explore/modelCells.js';

const FROZEN = 1 << 31;

describe('model cells behave like real cells', () => {
  it('a strategy that destructures its cells (const { add, cas } = c) is safe, as on real memory', () => {
    const destructuring: Strategy = {
      ...frozenBit,
      name: 'destructuring',
      tryGet: (c, p) => {
        const { add, cas } = c;
        let val = (add(p, 1) + 1) | 0;
        const ok = (val & FROZEN) === 0;
        while (val >>> 0 >= 0xc0000000) val = cas(p, val, FROZEN);
        return ok;
      },
      decAndTest: (c, p) => {
        const { sub, cas } = c;
        return sub(p, 1) === 1 && cas(p, 0, FROZEN) === 0;
      },
      count: (c, p) => {
        const { load } = c;
        const v = load(p);
        return v & FROZEN ? 0 : v;
      },
      unfreeze: (c, p, count) => {
        const { store } = c;
        store(p, count);
      },
    };
    const results = runCatalog(
      CATALOG.filter((s) => s.name !== 'aba-caller-dtor'),
      [{ strategy: destructuring, builtIn: false }],
    );
    for (const r of results)
      assert.equal(r.verdict, 'safe', `${r.scenario}: ${r.counterexample?.message}`);
  });
});

describe("the checker's own failures are never the strategy's", () => {
  it('a stack overflow inside the model cells is kept as STACK_FAULT, whatever the caller catches', () => {
    const cells = new ModelCells();
    cells.beginProbe(Int32Array.of(1), 'the test');
    const overflowing = {
      valueOf: () => {
        throw new RangeError('Maximum call stack size exceeded');
      },
    } as unknown as number;
    for (const call of [
      () => cells.add(0, overflowing),
      () => cells.sub(0, overflowing),
      () => cells.store(0, overflowing),
      () => cells.cas(0, overflowing, 1),
      () => cells.load(overflowing),
    ]) {
      cells.beginProbe(Int32Array.of(1), 'the test');
      let caught: unknown;
      try {
        call();
      } catch (e) {
        caught = e; // a strategy catching RangeError sees no RangeError: only the pause
      }
      assert.equal(caught, PAUSE);
      assert.equal(cells.fault, STACK_FAULT);
      assert.throws(
        () => cells.load(0),
        (e) => e === PAUSE,
      ); // and cannot go on
      assert.equal(cells.end(true, undefined), STACK_FAULT);
    }
  });

  it('a correct strategy that gets from deep in a recursion and catches RangeError: never a violation', () => {
    // recurses until the stack is full, then does its get from the deepest frame that can
    const deep = (c: Cells, p: number): boolean => {
      const down = (n: number): boolean => {
        try {
          return down(n + 1);
        } catch (e) {
          if (e instanceof RangeError) return frozenBit.tryGet(c, p);
          throw e;
        }
      };
      return down(0);
    };
    const s: Strategy = { ...frozenBit, name: 'deep', tryGet: deep };
    for (let i = 0; i < 3; i++) {
      const r = runScenario(scenarioByName('inc-free')!, s, false);
      assert.notEqual(r.verdict, 'violation', r.counterexample?.message);
      if (r.verdict === 'incomplete')
        assert.match(r.limit, /^the stack: T1 called the model cells/);
    }
  });
});
