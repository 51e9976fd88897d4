import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rawRefs } from '../helpers/rawRefs.js';
import { FROZEN_BIT as F, FROZEN_LIMIT, MAX_COUNT } from '../../src/refcount/layout.js';
import type { StrategyName } from '../../src/refcount/strategy.js';
import type { PageRefApi } from '../../src/refcount/pageRefApi.js';
import type { Cells } from '../../src/cells/cells.js';

/** A page_ref function, or 'raw' for the counter's word itself. */
type Method = keyof PageRefApi | 'raw';

/** [method, raw before, extra args, expected return, raw after] */
type Row = [Method, number, number[], unknown, number];

const LIMIT = FROZEN_LIMIT | 0; // as Int32
const MIN = -0x80000000;

// What every strategy does the same way (mainline page_ref.h).
const common: Row[] = [
  ['set', 9, [7], undefined, 7],
  ['init', 0, [], undefined, 1],
  ['add', 3, [2], undefined, 5],
  ['sub', 5, [2], undefined, 3],
  ['inc', 1, [], undefined, 2],
  ['dec', 2, [], undefined, 1],
  ['incReturn', 1, [], 2, 2],
  ['decReturn', 2, [], 1, 1],
  ['subReturn', 5, [3], 2, 2],
  ['subAndTest', 3, [2], false, 1],
  ['decAndTest', 2, [], false, 1],
  ['tryAdd', 2, [3], true, 5],
  ['tryGet', 1, [], true, 2],
  ['freeze', 3, [2], false, 3],
  ['raw', 42, [], 42, 42],
  ['isFrozen', 1, [], false, 1],
  // 32-bit wrap-around is the hardware's, not guarded (the kernel does not guard it either)
  ['incReturn', MAX_COUNT, [], MIN, MIN],
  ['add', MAX_COUNT, [2], undefined, MIN + 1],
  ['subReturn', MIN, [1], MAX_COUNT, MAX_COUNT],
];

const mainlineRows: Row[] = [
  ['count', 5, [], 5, 5],
  ['count', 0, [], 0, 0],
  ['setFrozen', 5, [], undefined, 0],
  ['subAndTest', 2, [2], true, 0],
  ['decAndTest', 1, [], true, 0],
  ['tryGet', 0, [], false, 0],
  ['tryAdd', 0, [4], false, 0],
  ['freeze', 2, [2], true, 0],
  ['unfreeze', 0, [4], undefined, 4],
  ['isFrozen', 0, [], true, 0],
];

const frozenBitRows: Row[] = [
  ['count', 5, [], 5, 5],
  ['count', F, [], 0, F],
  ['count', F + 3, [], 0, F + 3],
  ['count', 0, [], 0, 0],
  ['setFrozen', 5, [], undefined, F],
  ['init', F + 9, [], undefined, 1],
  ['subAndTest', 2, [2], true, F],
  ['decAndTest', 1, [], true, F],
  // the transitional zero is live: a get may revive it before decAndTest's cmpxchg
  ['tryGet', 0, [], true, 1],
  // a failed get leaves its increment in the frozen counter
  ['tryGet', F, [], false, F + 1],
  ['tryAdd', F + 5, [3], false, F + 8],
  // the overflow guard, at its boundary
  ['tryGet', LIMIT - 2, [], false, LIMIT - 1],
  ['tryGet', LIMIT - 1, [], false, F],
  ['tryAdd', LIMIT - 1, [5], false, F],
  ['freeze', 2, [2], true, F],
  ['unfreeze', F + 2, [4], undefined, 4],
  ['isFrozen', F, [], true, F],
  ['isFrozen', F + 7, [], true, F + 7],
  ['isFrozen', 0, [], false, 0],
  // wrapping INT_MAX -> INT_MIN sets the frozen bit: a count this high is already a bug
  ['count', MAX_COUNT, [], MAX_COUNT, MAX_COUNT],
  ['tryGet', MAX_COUNT, [], false, F],
];

const table: Record<StrategyName, Row[]> = {
  classic: [...common, ...mainlineRows],
  'classic-optimistic': [...common, ...mainlineRows],
  'frozen-bit': [...common, ...frozenBitRows],
  'v2-inverted': [
    ...common,
    ...frozenBitRows.filter(([m]) => m !== 'setFrozen'),
    // v2's allocator, too, leaves free pages at a plain 0 (found by its C, kernel/)
    ['setFrozen', 5, [], undefined, 0],
  ],
  'rfc-v1': [
    ...common,
    ...frozenBitRows.filter(([m, raw]) => !(m === 'tryGet' || m === 'tryAdd') || raw >= 0),
    // the RFC's allocator leaves free pages at a plain 0 ...
    ['setFrozen', 5, [], undefined, 0],
    // ... a one-shot undo with no limit ...
    ['tryGet', F, [], false, F],
    ['tryGet', LIMIT - 1, [], false, F],
    ['tryAdd', F + 5, [3], false, F],
  ],
};
// rfc-v1's own setFrozen row replaces frozen-bit's.
table['rfc-v1'] = table['rfc-v1'].filter((r) => !(r[0] === 'setFrozen' && r[4] === F));

for (const [strategy, rows] of Object.entries(table) as [StrategyName, Row[]][]) {
  describe(`${strategy}: every method, table-driven`, () => {
    for (const [method, before, args, expected, after] of rows) {
      const hex = (v: number) => `0x${(v >>> 0).toString(16)}`;
      it(`${method}(${args.join(', ')}) on ${hex(before)} returns ${String(expected)}, leaves ${hex(after)}`, () => {
        const { refs, mem } = rawRefs(strategy, [before]);
        const fn = refs[method] as (p: number, ...a: number[]) => unknown;
        assert.equal(fn.call(refs, 0, ...args), expected);
        assert.equal(mem[0], after);
      });
    }
  });
}

/** Cells that run `interpose` just before the first cas: another thread getting in between. */
function beforeFirstCas(interpose: (c: Cells) => void): (c: Cells) => Cells {
  return (c) => {
    let done = false;
    return {
      load: (i) => c.load(i),
      store: (i, v) => c.store(i, v),
      add: (i, d) => c.add(i, d),
      sub: (i, d) => c.sub(i, d),
      cas: (i, e, r) => {
        if (!done) {
          done = true;
          interpose(c);
        }
        return c.cas(i, e, r);
      },
    };
  };
}

describe('frozen-bit: the transitional zero inside decAndTest', () => {
  for (const strategy of ['frozen-bit', 'rfc-v1', 'v2-inverted'] as const) {
    it(`${strategy}: a get between the sub and the cmpxchg keeps the page alive`, () => {
      const { refs, mem } = rawRefs(
        strategy,
        [1],
        false,
        beforeFirstCas((c) => c.add(0, 1)),
      );
      assert.equal(refs.decAndTest(0), false);
      assert.equal(mem[0], 1);
      assert.equal(refs.count(0), 1);
    });
  }
  it('classic: there is no window; the sub alone frees', () => {
    const { refs, mem } = rawRefs(
      'classic',
      [1],
      false,
      beforeFirstCas((c) => c.add(0, 1)),
    );
    assert.equal(refs.decAndTest(0), true);
    assert.equal(mem[0], 0);
  });
});

describe('classic-optimistic: the CAS loop starts assuming a count of 1', () => {
  function counting(c: Cells, log: string[]): Cells {
    return {
      load: (i) => (log.push('load'), c.load(i)),
      store: (i, v) => (log.push('store'), c.store(i, v)),
      add: (i, d) => (log.push('add'), c.add(i, d)),
      sub: (i, d) => (log.push('sub'), c.sub(i, d)),
      cas: (i, e, r) => (log.push(`cas ${e}->${r}`), c.cas(i, e, r)),
    };
  }
  const cases: [number, string[]][] = [
    [1, ['cas 1->2']],
    [3, ['cas 1->2', 'cas 3->4']],
    [0, ['cas 1->2']],
  ];
  for (const [raw, ops] of cases) {
    it(`on ${raw}: ${ops.join(', ')}`, () => {
      const log: string[] = [];
      const { refs } = rawRefs('classic-optimistic', [raw], false, (c) => counting(c, log));
      refs.tryGet(0);
      assert.deepEqual(log, ops);
    });
  }
  it('classic reads first', () => {
    const log: string[] = [];
    const { refs } = rawRefs('classic', [1], false, (c) => counting(c, log));
    refs.tryGet(0);
    assert.deepEqual(log, ['load', 'cas 1->2']);
  });
});
