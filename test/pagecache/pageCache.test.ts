import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PageCache, MISS } from '../../src/pagecache/pageCache.js';
import { fillPattern, verifyPattern } from '../../src/torture/pattern.js';

const bytes = (...xs: number[]) => Uint8Array.from(xs);

describe('PageCache, one thread', () => {
  it('insert, read, miss', () => {
    const cache = new PageCache({ pages: 2, pageSize: 64 });
    assert.deepEqual(cache.insert(7, 1, bytes(1, 2, 3)), { kind: 'inserted', page: 0 });
    const into = new Uint8Array(4).fill(9);
    assert.equal(cache.read(7, 1, 3, into), 3);
    assert.deepEqual([...into], [2, 3, 0, 9]); // the rest of the page is zeroed
    assert.equal(cache.read(8, 0, 1, into), MISS);
    assert.equal(cache.refs.count(0), 1); // the cache's own reference, and no reader's
  });

  it('exists and full are return values, not errors', () => {
    const cache = new PageCache({ pages: 1, pageSize: 64 });
    cache.insert(1, 0, bytes());
    assert.deepEqual(cache.insert(1, 0, bytes()), { kind: 'exists', page: 0 });
    assert.deepEqual(cache.insert(2, 0, bytes()), { kind: 'full' });
  });

  it('evict freezes at the expected count: busy while held, then evicted, page frozen and free', () => {
    const freed: number[] = [];
    const cache = new PageCache({
      pages: 1,
      pageSize: 64,
      destructors: { 5: (_b, key) => freed.push(key) },
    });
    cache.insert(3, 5, bytes(1));
    const p = cache.get(3);
    assert.equal(p, 0);
    assert.equal(cache.evict(3), 'busy');
    assert.equal(cache.read(3, 0, 1, new Uint8Array(1)), 1);
    assert.equal(cache.put(p), false);
    assert.equal(cache.evict(3), 'evicted');
    assert.deepEqual(freed, [3]);
    assert.equal(cache.refs.isFrozen(0), true);
    assert.equal(cache.evict(3), 'missing');
    assert.deepEqual(cache.audit(), []);
    assert.deepEqual(cache.insert(4, 5, bytes()), { kind: 'inserted', page: 0 }); // recycled
  });

  it('remove drops the cache reference; the last put frees through the page type destructor', () => {
    const freed: string[] = [];
    const destructors = { 1: () => freed.push('type 1'), 2: () => freed.push('type 2') };
    const cache = new PageCache({ pages: 2, pageSize: 64, destructors });
    cache.insert(10, 2, bytes());
    const p = cache.get(10);
    assert.equal(cache.remove(10), true);
    assert.equal(cache.read(10, 0, 1, new Uint8Array(1)), MISS);
    assert.deepEqual(freed, []);
    assert.equal(cache.put(p), true);
    assert.deepEqual(freed, ['type 2']);
    assert.deepEqual(cache.audit(), []);
  });

  it('audit finds a leak: a page held that nobody accounts for', () => {
    const cache = new PageCache({ pages: 2, pageSize: 64 });
    cache.insert(1, 0, bytes());
    cache.get(1);
    assert.deepEqual(cache.audit(), ["page 0's count is 2, expected 1 (raw 0x2)"]);
    assert.deepEqual(cache.audit(new Map([[0, 1]])), []);
  });

  it('open() from the buffer alone sees the same pages', () => {
    const a = new PageCache({ pages: 4, pageSize: 128, strategy: 'classic' });
    a.insert(99, 1, (page, generation) => fillPattern(page, 99, generation));
    const b = PageCache.open(a.buffer);
    assert.equal(b.refs.strategy, 'classic');
    const p = b.get(99);
    assert.equal(verifyPattern(b.view(p), 99), undefined);
    assert.equal(b.generationOf(p), 1);
    b.put(p);
  });

  it('the index survives many inserts and removals (tombstones and cleared slots)', () => {
    const cache = new PageCache({ pages: 4, pageSize: 64 });
    for (let round = 0; round < 200; round++) {
      const key = (round * 7919) >>> 0;
      assert.equal(cache.insert(key, 0, bytes(round & 0xff)).kind, 'inserted');
      const into = new Uint8Array(1);
      assert.equal(cache.read(key, 0, 1, into), 1);
      assert.equal(into[0], round & 0xff);
      if (round >= 3) assert.equal(cache.remove(((round - 3) * 7919) >>> 0), true);
    }
    assert.deepEqual(cache.audit(), []);
  });
});

describe('PageCache: bad input', () => {
  const cache = new PageCache({ pages: 1, pageSize: 64 });
  const cases: [string, () => unknown, RegExp][] = [
    [
      'key -1',
      () => cache.read(-1, 0, 1, new Uint8Array(1)),
      /key must be an integer from 0 to 4294967295, got -1/,
    ],
    ['key 2^32', () => cache.insert(2 ** 32, 0, bytes()), /key must be an integer/],
    [
      'read past the page',
      () => cache.read(1, 60, 8, new Uint8Array(8)),
      /read of 8 bytes at offset 60 is outside the 64-byte page/,
    ],
    [
      'read into too small a buffer',
      () => cache.read(1, 0, 8, new Uint8Array(4)),
      /no room for 8 bytes/,
    ],
    ['insert more than a page', () => cache.insert(1, 0, new Uint8Array(65)), /at most 64 bytes/],
    [
      'page size 100',
      () => new PageCache({ pages: 1, pageSize: 100 }),
      /pageSize must be a multiple of 8/,
    ],
    ['0 pages', () => new PageCache({ pages: 0 }), /pages must be an integer from 1/],
    [
      'open a foreign buffer',
      () => PageCache.open(new SharedArrayBuffer(4096)),
      /not a page cache buffer/,
    ],
    [
      'open an ArrayBuffer',
      () => PageCache.open(new ArrayBuffer(4096) as unknown as SharedArrayBuffer),
      /expected a SharedArrayBuffer/,
    ],
  ];
  for (const [what, call, message] of cases) {
    it(what, () => assert.throws(call, { message }));
  }
  it('leaves the cache intact', () => assert.deepEqual(cache.audit(), []));
});
