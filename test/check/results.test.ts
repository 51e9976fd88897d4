/**
 * What a strategy returns is read once, one way, and what it touches is its own page's
 * counter only: the two ways a broken strategy was called safe because the checker and real
 * memory disagreed about what the code did.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOG, scenarioByName } from '../../src/check/catalog.js';
import { runScenario, type Scenario, type ScenarioResult } from '../../src/check/scenario.js';
import { runCatalog } from '../../src/check/runCatalog.js';
import { frozenBit } from '../../src/refcount/frozenBit.js';
import { classic } from '../../src/refcount/classic.js';
import type { Strategy } from '../../src/refcount/strategy.js';
import { X } from '../../src/check/world.js';
import { cx } from './counterexample.js';

const run = (scenario: string | Scenario, strategy: Strategy): ScenarioResult =>
  runScenario(typeof scenario === 'string' ? scenarioByName(scenario)! : scenario, strategy, false);

const FROZEN = 1 << 31;

describe('results of the wrong type are badResult, never a branch', () => {
  it('a tryAdd that returns the new count (5) instead of true: badResult, with the value', () => {
    const s: Strategy = {
      ...frozenBit,
      name: 'count-returning',
      tryAdd: (c, p, nr) => {
        const v = (c.add(p, nr) + nr) | 0;
        return (v & FROZEN ? false : v) as boolean;
      },
    };
    const r = run('large-folio-pin', s);
    assert.equal(r.verdict, 'violation');
    assert.equal(cx(r).kind, 'badResult');
    assert.match(
      cx(r).message,
      /T1's tryAdd \(pin p0 ×4\) returned 5, where the page_ref API returns true or false/,
    );
  });

  it('so the unpin path is explored: a subAndTest that drops one reference whatever nr is', () => {
    const s: Strategy = {
      ...frozenBit,
      name: 'drops-one',
      subAndTest: (c, p) => frozenBit.subAndTest(c, p, 1),
    };
    const r = run('large-folio-pin', s);
    assert.equal(r.verdict, 'violation');
    assert.notEqual(cx(r).kind, 'badResult');
  });

  it('a correct freeze that returns its count: badResult, not leftFrozen', () => {
    const s: Strategy = {
      ...frozenBit,
      name: 'freeze-count',
      freeze: (c, p, count) =>
        (c.cas(p, count, FROZEN) === count ? count : 0) as unknown as boolean,
    };
    const r = run('inc-freeze', s);
    assert.equal(cx(r).kind, 'badResult');
    assert.match(cx(r).message, /freeze \(freeze p0 at 3\) returned 3/);
  });

  it('table: each function, each wrong type', () => {
    const cases: [keyof Strategy, unknown, string, RegExp][] = [
      ['tryGet', 1, 'inc-free', /tryGet \(get p0\) returned 1,/],
      ['tryGet', 'yes', 'inc-free', /returned "yes",/],
      ['tryGet', undefined, 'inc-free', /returned undefined,/],
      ['decAndTest', 0, 'inc-free', /decAndTest \(put p0\) returned 0,/],
      ['isFrozen', null, 'inc-free', /isFrozen returned null,/],
      [
        'count',
        1.5,
        'count-frozen',
        /count \(count p0\) returned 1.5, where the page_ref API returns an Int32 integer/,
      ],
      ['count', 2 ** 31, 'count-frozen', /returned 2147483648,/],
      ['count', '1', 'count-frozen', /returned "1",/],
      ['count', true, 'count-frozen', /returned true,/],
      ['incReturn', 2n, 'add-sub-return', /incReturn \(incReturn p0\) returned 2n,/],
      [
        'decReturn',
        { valueOf: () => 1 },
        'add-sub-return',
        /decReturn \(decReturn p0\) returned an object,/,
      ],
    ];
    for (const [fn, value, scenario, message] of cases) {
      const inner = frozenBit[fn] as (...a: unknown[]) => unknown;
      const s = {
        ...frozenBit,
        name: `bad-${String(fn)}`,
        [fn]: (...a: unknown[]) => (inner(...a), value),
      } as Strategy;
      const r = run(scenario, s);
      assert.equal(r.verdict, 'violation', `${String(fn)} → ${String(value)}`);
      assert.equal(cx(r).kind, 'badResult', cx(r).message);
      assert.match(cx(r).message, message);
    }
  });

  it('void functions may return anything (an arrow around a cell call returns its value)', () => {
    const s: Strategy = {
      ...frozenBit,
      name: 'arrows',
      inc: (c, p) => c.add(p, 1) as unknown as void,
      dec: (c, p) => c.sub(p, 1) as unknown as void,
    };
    assert.equal(run('debug-inc-live', s).verdict, 'safe');
  });

  it('every built-in returns the right types in every scenario (the catalog stays as expected)', () => {
    const results = runCatalog(CATALOG, [{ strategy: classic, builtIn: true }]);
    for (const r of results) assert.equal(r.verdict, 'safe', r.scenario);
  });
});

describe('a strategy function touches only the counter of its page', () => {
  it("the page's type cell (cell p + pages): outOfRange, named", () => {
    const s: Strategy = {
      ...frozenBit,
      name: 'reads-type',
      tryGet: (c, p) => c.load(p + 1) >= 0 && frozenBit.tryGet(c, p),
    };
    const r = run('inc-free', s);
    assert.equal(cx(r).kind, 'outOfRange');
    assert.match(
      cx(r).message,
      /T1's tryGet \(get p0\) made a load of type\[p0\], which is not the counter of p0/,
    );
  });

  it("the free-list cell, written: outOfRange (on real memory: another page's counter)", () => {
    const s: Strategy = {
      ...frozenBit,
      name: 'writes-free',
      unfreeze: (c, p, count) => (c.store(p + 2, 0), frozenBit.unfreeze(c, p, count)),
    };
    const r = run('inc-unfreeze', s);
    assert.equal(cx(r).kind, 'outOfRange');
    assert.match(cx(r).message, /made a store of free\[p0\]/);
  });

  it("another page's counter: outOfRange", () => {
    const twoPages: Scenario = {
      name: 'two-pages',
      description: 'two live pages, a get and a put on page 1',
      seed: 'test',
      pages: 2,
      violates: [],
      setup: (s) => {
        for (const p of [0, 1]) {
          s.refs.init(p);
          s.live(p, X, [1]);
        }
      },
      threads: [
        { name: 'putter', body: (o) => void (o.put(0), o.put(1)) },
        { name: 'getter', body: (o) => void (o.get(1) && o.put(1)) },
      ],
    };
    assert.equal(run(twoPages, frozenBit).verdict, 'safe');
    const s: Strategy = {
      ...frozenBit,
      name: 'touches-neighbour',
      tryGet: (c, p) => (c.load(p ^ 1), frozenBit.tryGet(c, p)),
    };
    const r = run(twoPages, s);
    assert.equal(cx(r).kind, 'outOfRange');
    assert.match(cx(r).message, /made a load of p0, which is not the counter of p1/);
  });

  it('isFrozenCount, given no cells, may touch none (cells kept from an earlier call)', () => {
    let kept: Parameters<Strategy['tryGet']>[0] | undefined;
    const s: Strategy = {
      ...frozenBit,
      name: 'keeps-cells',
      init: (c, p) => ((kept = c), frozenBit.init(c, p)), // the setup's call
      isFrozenCount: (raw) => (kept?.load(0), frozenBit.isFrozenCount(raw)),
    };
    const r = run('debug-inc-live', s);
    assert.equal(r.verdict, 'violation');
    assert.equal(cx(r).kind, 'outOfRange');
    assert.match(cx(r).message, /isFrozenCount .*but this function is given no cells/);
  });
});
