/**
 * The model cells compute what `Atomics` computes on an `Int32Array`, for every operation
 * and every operand a strategy can pass: property tests against the real thing. A model that
 * did its own arithmetic (`(old - d) | 0`) would call a strategy that subtracts `nr - 0.5`
 * safe, where on real memory it never frees.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { ModelCells, PAUSE } from '../../src/explore/modelCells.js';

const CELLS = 4;

/** Operands as strategy code might pass them, by mistake or not. */
const operand = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  fc.double(),
  fc.constantFrom(
    NaN,
    Infinity,
    -Infinity,
    -0,
    0.5,
    -0.5,
    1.5,
    2 ** 31,
    2 ** 32,
    2 ** 32 + 1,
    2 ** 53,
    -(2 ** 31) - 1,
    -(2 ** 32) - 3,
  ),
  fc.constantFrom('1', '-1', '0x10', '1e3', ' 7 ', '', 'x', '2147483648'),
  fc.constantFrom(true, false, null, undefined, 1n, [], [2], {}),
  fc.integer().map((n) => ({ valueOf: () => n })),
) as fc.Arbitrary<number>;

/** Indices: in range, at and past the ends, fractional, and not numbers at all. */
const index = fc.oneof(
  fc.integer({ min: -2, max: CELLS + 1 }),
  fc.constantFrom(0.5, -0.5, 2.9, NaN, Infinity, -Infinity, -0, 2 ** 32, '1', '3', '', null),
  fc.constantFrom(undefined, true, '0x2', '1.5', 'x', [1], {}),
) as fc.Arbitrary<number>;

type Op =
  | { op: 'load'; i: number }
  | { op: 'store' | 'add' | 'sub'; i: number; v: number }
  | { op: 'cas'; i: number; e: number; r: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('load' as const), i: index }),
  fc.record({
    op: fc.constantFrom('store' as const, 'add' as const, 'sub' as const),
    i: index,
    v: operand,
  }),
  fc.record({ op: fc.constant('cas' as const), i: index, e: operand, r: operand }),
  // a cas whose expected value is the cell's, written another way
  fc.record({
    op: fc.constant('cas' as const),
    i: fc.integer({ min: 0, max: CELLS - 1 }),
    e: fc.constantFrom(0, 0.5, '0', -0, 2 ** 32, null, false) as fc.Arbitrary<number>,
    r: operand,
  }),
);

/** What one operation gives: its result, or the kind of error it throws. */
type Outcome = { value: unknown } | { error: string };

function onAtomics(view: Int32Array, o: Op): Outcome {
  try {
    switch (o.op) {
      case 'load':
        return { value: Atomics.load(view, o.i) };
      case 'store':
        Atomics.store(view, o.i, o.v);
        return { value: undefined };
      case 'add':
        return { value: Atomics.add(view, o.i, o.v) };
      case 'sub':
        return { value: Atomics.sub(view, o.i, o.v) };
      case 'cas':
        return { value: Atomics.compareExchange(view, o.i, o.e, o.r) };
    }
  } catch (e) {
    return { error: (e as Error).name };
  }
}

/** The same operation on model cells (probe cells: applied at once); RangeError = outOfRange. */
function onModel(memory: Int32Array, o: Op): Outcome {
  const cells = new ModelCells();
  cells.beginProbe(memory, 'the test');
  try {
    switch (o.op) {
      case 'load':
        return { value: cells.load(o.i) };
      case 'store':
        cells.store(o.i, o.v);
        return { value: undefined };
      case 'add':
        return { value: cells.add(o.i, o.v) };
      case 'sub':
        return { value: cells.sub(o.i, o.v) };
      case 'cas':
        return { value: cells.cas(o.i, o.e, o.r) };
    }
  } catch (e) {
    if (e === PAUSE) {
      assert.equal(cells.fault?.kind, 'outOfRange', cells.fault?.message);
      return { error: 'RangeError' };
    }
    return { error: (e as Error).name };
  }
}

describe('ModelCells = Atomics on an Int32Array', () => {
  it('every operation, every operand: the same result, the same memory, the same errors', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), {
          minLength: CELLS,
          maxLength: CELLS,
        }),
        fc.array(op, { minLength: 1, maxLength: 8 }),
        (initial, ops) => {
          const real = Int32Array.from(initial);
          const model = Int32Array.from(initial);
          for (const o of ops) {
            const expected = onAtomics(real, o);
            // store returns nothing through Cells (Atomics returns its converted value)
            const got = onModel(model, o);
            if (!isDeepStrictEqual(got, expected) || !isDeepStrictEqual([...model], [...real]))
              assert.fail(
                `${fc.stringify(o)}: model ${fc.stringify(got)} → [${model.join()}], Atomics ${fc.stringify(expected)} → [${real.join()}]`,
              );
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('the cases a hand-written model got wrong', () => {
    const cases: [Op, number][] = [
      [{ op: 'sub', i: 0, v: 0.5 }, 5], // nr - 0.5: Atomics subtracts ToInt32(0.5) = 0
      [{ op: 'sub', i: 0, v: 1.5 }, 4],
      [{ op: 'add', i: 0, v: '1' as unknown as number }, 6], // not "51" | 0
      [{ op: 'add', i: 0, v: 2 ** 32 + 1 }, 6],
      [{ op: 'add', i: 0, v: Infinity }, 5],
      [{ op: 'store', i: 0, v: -0.9 }, 0],
      [{ op: 'store', i: '0' as unknown as number, v: 7 }, 7],
      [{ op: 'add', i: 0.7, v: 1 }, 6], // ToIndex(0.7) = 0
    ];
    for (const [o, after] of cases) {
      const model = Int32Array.of(5, 0, 0, 0);
      const real = Int32Array.of(5, 0, 0, 0);
      assert.deepEqual(onModel(model, o), onAtomics(real, o));
      assert.equal(model[0], after, fc.stringify(o));
      assert.equal(real[0], after);
    }
  });

  it('an operand is converted once per call, before the access, as Atomics does', () => {
    const calls: string[] = [];
    const cells = new ModelCells();
    cells.beginProbe(Int32Array.of(1), 'the test');
    const nr = {
      valueOf: () => {
        calls.push(`valueOf sees ${cells.load(0)}`);
        return 2;
      },
    } as unknown as number;
    assert.equal(cells.add(0, nr), 1);
    assert.deepEqual(calls, ['valueOf sees 1']);
    assert.equal(cells.memory[0], 3);
  });

  it('indices outside the cells: outOfRange, where real memory throws RangeError', () => {
    for (const i of [-1, 4, 4.5, 2 ** 32, Infinity, -Infinity]) {
      const cells = new ModelCells();
      cells.beginProbe(new Int32Array(4), 'the test');
      assert.throws(
        () => cells.load(i),
        (e) => e === PAUSE,
      );
      assert.equal(cells.fault?.kind, 'outOfRange');
      assert.match(cells.fault.message, /outside the 4 cells/);
      assert.throws(() => Atomics.load(new Int32Array(4), i), RangeError);
    }
  });
});
