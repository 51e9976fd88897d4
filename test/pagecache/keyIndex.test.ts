import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  findPage,
  findPageSeqCst,
  findSlot,
  homeSlot,
  insertSlot,
  unpublish,
} from '../../src/pagecache/keyIndex.js';
import { EMPTY, META, META_WORDS, TOMBSTONE } from '../../src/pagecache/layout.js';

describe('keyIndex', () => {
  it('homeSlot is the multiplicative hash modulo the slots (the format of version 1)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 3, max: 20 }),
        (key, bits) => {
          const slots = 1 << bits;
          assert.equal(homeSlot(key, slots), (Math.imul(key, 0x9e3779b1) >>> 0) % slots);
        },
      ),
    );
  });

  it('property: against a Map, under random inserts and removals', () => {
    const PAGES = 6;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 11 })), { maxLength: 60 }),
        (steps) => {
          const index = new Int32Array(16).fill(EMPTY);
          const meta = new Int32Array(META_WORDS * PAGES);
          const model = new Map<number, number>();
          const free = [0, 1, 2, 3, 4, 5];
          for (const [insert, key] of steps) {
            if (insert && !model.has(key) && free.length > 0) {
              const p = free.pop()!;
              meta[p * META_WORDS + META.key] = key;
              index[insertSlot(index, key)] = p;
              model.set(key, p);
            } else if (!insert && model.has(key)) {
              const slot = findSlot(index, meta, key);
              assert.equal(index[slot], model.get(key));
              unpublish(index, slot);
              free.push(model.get(key)!);
              model.delete(key);
            }
            for (let k = 0; k < 12; k++) {
              assert.equal(findPage(index, meta, k), model.get(k) ?? -1);
              assert.equal(findPageSeqCst(index, meta, k), model.get(k) ?? -1);
              assert.equal(findSlot(index, meta, k) >= 0, model.has(k));
            }
          }
        },
      ),
    );
  });

  it('unpublish leaves a TOMBSTONE when the next slot is in use, EMPTY otherwise', () => {
    const index = Int32Array.from([0, 1, EMPTY, EMPTY]);
    unpublish(index, 0);
    assert.equal(index[0], TOMBSTONE);
    unpublish(index, 1);
    assert.equal(index[1], EMPTY);
  });
});
