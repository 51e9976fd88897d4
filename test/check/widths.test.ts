/**
 * A `safe` says what it covers: width bugs live at bit boundaries, which races at counts of
 * 1 to 4 never reach; count-widths crosses each of them, and every verdict carries the size
 * it was checked at.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOG, scenarioByName } from '../../src/check/catalog.js';
import { runScenario } from '../../src/check/scenario.js';
import { runCatalog } from '../../src/check/runCatalog.js';
import { formatCount, formatVerdictTable } from '../../src/check/format.js';
import { parametricScenario } from '../../src/check/parametric.js';
import { frozenBit } from '../../src/refcount/frozenBit.js';
import { classic } from '../../src/refcount/classic.js';
import type { Strategy } from '../../src/refcount/strategy.js';
import { cx } from './counterexample.js';

const FROZEN = 1 << 31;

/**
 * A strategy broken at one width: its put tests the low `bits` bits of the new count where
 * the whole count belongs (on mainline, then frees; on frozen-bit, then freezes what it saw).
 */
const narrow = (base: Strategy, bits: number): Strategy => {
  const mask = 2 ** bits - 1;
  const frees =
    base === classic
      ? (v: number) => (v & mask) === 0
      : (v: number, c: Parameters<Strategy['decAndTest']>[0], p: number) =>
          (v & mask) === 0 && c.cas(p, v, FROZEN) === v;
  return {
    ...base,
    name: `${base.name}-${bits}-bit-put`,
    decAndTest: (c, p) => frees((c.sub(p, 1) - 1) | 0, c, p),
  };
};

describe('count-widths: the counts where width bugs live', () => {
  it('a put that tests only the low four bits frees at 17 → 16: safe everywhere else, caught here', () => {
    for (const base of [classic, frozenBit]) {
      const s = narrow(base, 4);
      const others = runCatalog(
        CATALOG.filter((c) => c.name !== 'count-widths' && c.name !== 'aba-caller-dtor'),
        [{ strategy: s, builtIn: false }],
      );
      for (const r of others) assert.equal(r.verdict, 'safe', r.scenario);
      const r = runScenario(scenarioByName('count-widths')!, s, false);
      assert.equal(r.verdict, 'violation');
      assert.match(cx(r).message, /p0/);
      assert.ok(cx(r).steps.some((step) => step.access?.before === 17 && step.access.after === 16));
    }
  });

  it('widths from 1 to 30 bits are caught', () => {
    for (const base of [classic, frozenBit]) {
      for (const bits of [1, 2, 4, 8, 15, 16, 24, 30]) {
        const r = runScenario(scenarioByName('count-widths')!, narrow(base, bits), false);
        assert.equal(r.verdict, 'violation', `${base.name}, ${bits} bits`);
      }
    }
  });

  it('the built-ins are safe and reach the largest live count, 2^31 − 1', () => {
    for (const s of [classic, frozenBit]) {
      const r = runScenario(scenarioByName('count-widths')!, s, true);
      assert.equal(r.verdict, 'safe');
      assert.equal(r.size.countsUpTo, 2 ** 31 - 1);
    }
  });
});

describe('every verdict carries the size it was checked at', () => {
  it('threads, rounds where the scenario has them, and the largest count reached', () => {
    const inc = runScenario(scenarioByName('inc-freeze')!, frozenBit, true);
    assert.deepEqual(inc.size, { threads: 2, countsUpTo: 4 });
    const getters = runScenario(parametricScenario('getters:2x3')!, frozenBit, true);
    assert.deepEqual(getters.size, { threads: 2, rounds: 3, countsUpTo: 4 });
  });

  it('the table prints it beside each row, for the safe verdicts', () => {
    const results = runCatalog(
      [scenarioByName('inc-free')!, scenarioByName('count-widths')!],
      [{ strategy: frozenBit, builtIn: true }],
    );
    const table = formatVerdictTable(results);
    assert.match(table, /checked at/);
    assert.match(table, /inc-free +safe +2 threads, counts ≤ 2\n/);
    assert.match(table, /count-widths +safe +2 threads, counts ≤ 2\^31−1$/);
  });

  it('counts read as people read them', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [3, '3'],
      [1023, '1,023'],
      [1024, '2^10'],
      [1025, '1,025'],
      [65535, '2^16−1'],
      [2 ** 31 - 1, '2^31−1'],
    ];
    for (const [n, text] of cases) assert.equal(formatCount(n), text);
  });
});
