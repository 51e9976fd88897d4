import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { SharedKeySet } from '../../src/explore/parallel/sharedKeySet.js';
import { SharedInterner, sharedInterners } from '../../src/explore/parallel/sharedInterner.js';
import { decodeLog, encodeLog, type ThreadLog } from '../../src/explore/threadLog.js';
import type { SharedWork } from './fixtures/sharedWorker.js';

/**
 * The parallel explorer's shared memory (src/explore/parallel/): the visited set and the
 * interners, alone, by two instances over the same buffers (two workers' views of them)
 * and by two real workers at once; and the log codec the interners store logs with.
 */

const key = (...words: number[]) => Int32Array.from(words);

/** Runs two workers of fixtures/sharedWorker.ts at once; @returns the ids each got. */
async function twoWorkers(a: SharedWork, b: SharedWork): Promise<[number[], number[]]> {
  const run = (work: SharedWork) =>
    new Promise<number[]>((resolve, reject) => {
      const w = new Worker(new URL('./fixtures/sharedWorker.js', import.meta.url), {
        workerData: work,
      });
      w.once('message', resolve);
      w.once('error', reject);
    });
  return Promise.all([run(a), run(b)]) as Promise<[number[], number[]]>;
}

describe('SharedKeySet', () => {
  it('gives ids in order of insertion, finds them again, and says which call added', () => {
    const set = SharedKeySet.create(3, 16);
    assert.equal(set.findOrAdd(key(1, 2, 3), 7), 0);
    assert.equal(set.added, true);
    assert.equal(set.findOrAdd(key(3, 2, 1), 5), 1);
    assert.equal(set.added, true);
    assert.equal(set.findOrAdd(key(1, 2, 3), 1), 0);
    assert.equal(set.added, false);
    assert.equal(set.size, 2);
    assert.equal(set.get(key(3, 2, 1)), 1);
    assert.equal(set.get(key(0, 0, 0)), -1);
    assert.equal(set.get(key(1, 2, 4)), -1);
    // a found key keeps its first tag: only lowerTag changes it
    assert.equal(set.tag(0), 7);
  });

  it('lowers a tag only downward, and says whether it did', () => {
    const set = SharedKeySet.create(1, 4);
    set.findOrAdd(key(9), 100);
    assert.equal(set.lowerTag(0, 200), false);
    assert.equal(set.tag(0), 100);
    assert.equal(set.lowerTag(0, 100), false);
    assert.equal(set.lowerTag(0, 40), true);
    assert.equal(set.tag(0), 40);
    assert.equal(set.lowerTag(0, 41), false);
    assert.equal(set.tag(0), 40);
  });

  it('returns -1 when full, adds nothing, and still finds what it holds', () => {
    const set = SharedKeySet.create(2, 3);
    for (let i = 0; i < 3; i++) assert.equal(set.findOrAdd(key(i, -i), i), i);
    assert.equal(set.findOrAdd(key(3, -3), 3), -1);
    assert.equal(set.added, false);
    assert.equal(set.size, 3);
    assert.equal(set.get(key(3, -3)), -1);
    assert.equal(set.findOrAdd(key(2, -2), 0), 2);
    assert.equal(set.added, false);
  });

  it('grownFor: the same set if it holds enough; else a larger one with the same ids, keys and tags', () => {
    const set = SharedKeySet.create(2, 1024);
    for (let i = 0; i < 1000; i++) set.findOrAdd(key(i, i * 7), 1000 - i);
    assert.equal(set.grownFor(1024, 1 << 20), set);
    assert.equal(set.grownFor(5000, 1000), set, 'already at the limit');
    const grown = set.grownFor(3000, 1 << 20);
    assert.notEqual(grown, set);
    assert.ok(grown.capacity >= 3000, `capacity ${grown.capacity}`);
    assert.equal(grown.size, 1000);
    for (let i = 0; i < 1000; i++) {
      assert.equal(grown.get(key(i, i * 7)), i);
      assert.equal(grown.tag(i), 1000 - i);
    }
    // and it goes on at the next id, until its own capacity
    assert.equal(grown.findOrAdd(key(-1, -1), 0), 1000);
    assert.equal(grown.added, true);
    // capped at the limit: the coordinator's maxStates + 1
    assert.equal(set.grownFor(100_000, 2500).capacity, 2500);
  });

  it('a second instance over the same buffers (another worker) sees the same keys and tags', () => {
    const a = SharedKeySet.create(2, 64);
    const b = new SharedKeySet(a.buffers);
    assert.equal(a.findOrAdd(key(1, 1), 10), 0);
    assert.equal(b.findOrAdd(key(2, 2), 20), 1);
    assert.equal(b.findOrAdd(key(1, 1), 5), 0);
    assert.equal(b.added, false);
    assert.equal(b.lowerTag(0, 5), true);
    assert.equal(a.tag(0), 5);
    assert.equal(a.get(key(2, 2)), 1);
    assert.equal(a.size, 2);
  });

  it('two workers inserting the same 20,000 keys at once, in opposite orders: each key once, the smaller tag', async () => {
    const n = 20_000;
    const width = 3;
    const set = SharedKeySet.create(width, n);
    const keys = new Int32Array(n * width);
    for (let i = 0; i < n; i++) keys.set([i % 97, Math.imul(i, 2654435761), i >> 3], i * width);
    // each key's smaller tag is 2i, given by one worker or the other
    const tagsA = Array.from({ length: n }, (_, i) => (i % 2 ? 2 * i : 2 * i + 1));
    const tagsB = Array.from({ length: n }, (_, i) => (i % 2 ? 2 * i + 1 : 2 * i));
    const [a, b] = await twoWorkers(
      { kind: 'keys', buffers: set.buffers, keys, tags: tagsA, backward: false },
      { kind: 'keys', buffers: set.buffers, keys, tags: tagsB, backward: true },
    );
    assert.deepEqual(a, b, 'both workers got the same id for each key');
    assert.equal(set.size, n);
    assert.deepEqual(
      [...a].sort((x, y) => x - y),
      Array.from({ length: n }, (_, i) => i),
      'ids 0 … n-1, each once',
    );
    for (let i = 0; i < n; i++) {
      assert.equal(set.get(keys.subarray(i * width, (i + 1) * width)), a[i]);
      assert.equal(set.tag(a[i]!), 2 * i, `key ${i}'s tag`);
    }
  });
});

describe('SharedInterner', () => {
  it('two instances over the same buffers agree on ids, and read back each other’s values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary', maxLength: 20 }), { maxLength: 60 }),
        (strings) => {
          const buffers = SharedInterner.buffers();
          const encode = (v: { s: string }) => JSON.stringify(v);
          const decode = (t: string) => JSON.parse(t) as { s: string };
          const a = new SharedInterner(buffers, encode, decode);
          const b = new SharedInterner(buffers, encode, decode);
          const first = new Map<string, number>();
          strings.forEach((s, i) => {
            const id = (i % 2 ? a : b).id(s, { s });
            if (!first.has(s)) first.set(s, first.size);
            assert.equal(id, first.get(s), 'dense ids, in order of first appearance');
            assert.equal((i % 2 ? b : a).id(s, { s }), id, 'the other instance agrees');
          });
          assert.equal(a.size, first.size);
          for (const [s, id] of first) {
            assert.deepEqual(a.value(id), { s });
            assert.deepEqual(b.value(id), { s });
          }
        },
      ),
      { numRuns: 50, seed: 0x5eed },
    );
  });

  it('values longer than one read of the arena (4,096 code units) come back whole', () => {
    const buffers = SharedInterner.buffers();
    const a = new SharedInterner<string>(
      buffers,
      (v) => v,
      (t) => t,
    );
    const b = new SharedInterner<string>(
      buffers,
      (v) => v,
      (t) => t,
    );
    const long = Array.from({ length: 10_000 }, (_, i) =>
      String.fromCharCode(32 + (i % 9000)),
    ).join('');
    assert.equal(a.id('long', long), 0);
    assert.equal(b.id('short', 'x'), 1);
    assert.equal(b.value(0), long);
    assert.equal(a.value(1), 'x');
  });

  it('two workers interning the same strings at once, in opposite orders: one id each', async () => {
    const buffers = SharedInterner.buffers();
    const strings = Array.from({ length: 5000 }, (_, i) => `s${i % 4000}:${'x'.repeat(i % 13)}`);
    const [a, b] = await twoWorkers(
      { kind: 'strings', buffers, strings, backward: false },
      { kind: 'strings', buffers, strings, backward: true },
    );
    assert.deepEqual(a, b);
    const reader = new SharedInterner<string>(
      buffers,
      (v) => v,
      (t) => t,
    );
    const distinct = new Set(strings).size;
    assert.equal(reader.size, distinct);
    assert.equal(new Set(a).size, distinct);
    strings.forEach((s, i) => {
      assert.equal(reader.id(s, 'unused'), a[i]);
      assert.equal(reader.value(a[i]!), s.toUpperCase());
    });
  });

  it('sharedInterners: logs and worlds by value, across instances', () => {
    const buffers = {
      logs: SharedInterner.buffers(),
      worlds: SharedInterner.buffers(),
      canonicalWorlds: SharedInterner.buffers(),
    };
    const a = sharedInterners<{ held: number[] }>(buffers);
    const b = sharedInterners<{ held: number[] }>(buffers);
    const log: ThreadLog = { values: [3, -1], kinds: 'ao', sites: [0, 4], done: true };
    const id = a.logs.id('k', log);
    assert.deepEqual(b.logs.value(id), log);
    const w = a.worlds.id('w', { held: [1, 0] });
    assert.deepEqual(b.worlds.value(w), { held: [1, 0] });
  });
});

describe('the log codec (encodeLog, decodeLog)', () => {
  const log: fc.Arbitrary<ThreadLog> = fc.record({
    values: fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 12 }),
    kinds: fc.stringMatching(/^[agdbo]{0,12}$/),
    sites: fc.array(fc.integer({ min: -1, max: 10_000 }), { maxLength: 12 }),
    done: fc.boolean(),
  });
  it('round-trips every log', () => {
    fc.assert(
      fc.property(log, (l) => assert.deepEqual(decodeLog(encodeLog(l)), { ...l })),
      { numRuns: 1000, seed: 0x5eed },
    );
  });
  it('round-trips the empty log, and logs without values or sites', () => {
    for (const l of [
      { values: [], kinds: '', sites: [], done: false },
      { values: [], kinds: '', sites: [], done: true },
      { values: [0], kinds: 'a', sites: [], done: false },
      { values: [], kinds: 'g', sites: [-1], done: false },
    ])
      assert.deepEqual(decodeLog(encodeLog(l)), l);
  });
});
