import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { KeySet } from '../../src/explore/keySet.js';

describe('KeySet: fixed-width Int32 keys, ids in order of addition', () => {
  it('agrees with a Map of strings on random keys, through growth and rehashing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 3, maxLength: 3 }), {
          maxLength: 3000,
        }),
        (keys) => {
          const set = new KeySet(3);
          const model = new Map<string, number>();
          for (const k of keys) {
            const key = Int32Array.from(k);
            const expected = model.get(k.join(','));
            assert.equal(set.get(key), expected ?? -1);
            if (expected === undefined) {
              model.set(k.join(','), model.size);
              assert.equal(set.add(key), model.size - 1);
            }
          }
          assert.equal(set.size, model.size);
        },
      ),
      { numRuns: 50, seed: 7 },
    );
  });
  it('tells apart keys that differ in one word only, including the extremes', () => {
    const set = new KeySet(2);
    const values = [0, 1, -1, 2 ** 31 - 1, -(2 ** 31)];
    for (const a of values) for (const b of values) set.add(Int32Array.of(a, b));
    assert.equal(set.size, 25);
    values.forEach((a, i) =>
      values.forEach((b, j) => assert.equal(set.get(Int32Array.of(a, b)), i * 5 + j)),
    );
    assert.equal(set.get(Int32Array.of(3, 3)), -1);
  });
});
