import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { PageCache, MISS } from '../../src/pagecache/pageCache.js';
import { STRATEGY_NAMES } from '../../src/refcount/strategies.js';
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
    ['no options', () => new PageCache(null as never), /expected an options object/],
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

describe('PageCache: callbacks that throw leak nothing (issue 9 item 13)', () => {
  it('a fill function that throws: the page goes back to the pool, the error propagates', () => {
    const cache = new PageCache({ pages: 2, pageSize: 64 });
    const boom = () => {
      throw new Error('fill failed');
    };
    assert.throws(() => cache.insert(1, 0, boom), /fill failed/);
    assert.throws(() => cache.insert(2, 0, boom), /fill failed/);
    assert.deepEqual(cache.audit(), []);
    assert.equal(cache.read(1, 0, 1, new Uint8Array(1)), MISS);
    assert.equal(cache.insert(3, 0, bytes(1)).kind, 'inserted');
    assert.equal(cache.insert(4, 0, bytes(2)).kind, 'inserted'); // both pages were free again
  });

  const throwing = {
    7: () => {
      throw new Error('dtor failed');
    },
  };
  const freedAnyway =
    /destructor for type 7 threw while freeing page 0 \(key 5\); the page was freed/;
  it('a destructor that throws in evict: wrapped error with its cause, page freed', () => {
    const cache = new PageCache({ pages: 1, pageSize: 64, destructors: throwing });
    cache.insert(5, 7, bytes(1));
    assert.throws(
      () => cache.evict(5),
      (e: unknown) => {
        assert.match((e as Error).message, freedAnyway);
        assert.match(((e as Error).cause as Error).message, /dtor failed/);
        return true;
      },
    );
    assert.deepEqual(cache.audit(), []);
    assert.equal(cache.evict(5), 'missing');
    assert.equal(cache.insert(6, 0, bytes()).kind, 'inserted');
  });
  it('a destructor that throws in remove and in the last put: page freed each time', () => {
    const cache = new PageCache({ pages: 1, pageSize: 64, destructors: throwing });
    cache.insert(5, 7, bytes(1));
    assert.throws(() => cache.remove(5), freedAnyway);
    assert.deepEqual(cache.audit(), []);
    cache.insert(5, 7, bytes(1));
    const p = cache.get(5);
    assert.equal(cache.remove(5), true); // the reader's reference is the last
    assert.throws(() => cache.put(p), freedAnyway);
    assert.deepEqual(cache.audit(), []);
  });
  const badDestructors: [string, unknown, RegExp][] = [
    ["'x'", 'x', /destructors must be an object mapping type tags to functions, got "x"/],
    ['null', null, /destructors must be an object/],
    ['{ 1: "x" }', { 1: 'x' }, /destructors\[1\] must be a function, got string/],
    ['{ a: fn }', { a: () => {} }, /type tag "a" is not an Int32/],
  ];
  for (const [what, destructors, message] of badDestructors) {
    it(`destructors ${what}: TypeError at construction and at open`, () => {
      assert.throws(() => new PageCache({ pages: 1, destructors } as never), {
        name: 'TypeError',
        message,
      });
      const cache = new PageCache({ pages: 1, pageSize: 64 });
      assert.throws(() => PageCache.open(cache.buffer, { destructors } as never), {
        name: 'TypeError',
        message,
      });
    });
  }
});

describe('PageCache: a buffer that disagrees with itself is refused (issue 9 item 13)', () => {
  it('open() does not let options override the header', () => {
    const cache = new PageCache({ pages: 2, pageSize: 128 });
    for (const key of ['pageSize', 'pages']) {
      assert.throws(() => PageCache.open(cache.buffer, { [key]: 64 } as never), {
        name: 'TypeError',
        message: new RegExp(`${key} is read from the buffer's header`),
      });
    }
    assert.throws(() => PageCache.open(cache.buffer, { strategy: 'classic' }), {
      name: 'RangeError',
      message: /uses strategy 'frozen-bit', but "classic" was asked for/,
    });
    assert.throws(() => PageCache.open(cache.buffer, null as never), /expected an options object/);
  });

  it("open() checks the header's page count against the PageRefs region", () => {
    const cache = new PageCache({ pages: 4, pageSize: 64 });
    new Int32Array(cache.buffer)[3] = 3; // the header's `pages`
    assert.throws(() => PageCache.open(cache.buffer), {
      name: 'RangeError',
      message: /header says 3 pages, but its PageRefs region has 4/,
    });
  });

  it('a corrupted free-stack top: insert refuses, nothing changes', () => {
    const cache = new PageCache({ pages: 2, pageSize: 64 });
    cache.insert(1, 0, bytes(9));
    const header = new Int32Array(cache.buffer, 0, 16);
    header[6] = 2; // freeTop: claims both pages free, though page 0 holds key 1
    assert.throws(() => cache.insert(2, 0, bytes(7)), {
      message: /buffer is corrupted: page 0 is on the free stack but live/,
    });
    const into = new Uint8Array(1);
    assert.equal(cache.read(1, 0, 1, into), 1);
    assert.equal(into[0], 9); // the live page was not overwritten
    for (const top of [-1, 3]) {
      header[6] = top;
      assert.throws(() => cache.insert(2, 0, bytes()), /free-stack top .* outside/);
    }
    header[6] = 1;
    assert.deepEqual(cache.audit(), []);
  });

  it('with debug on, a put of a free page throws before any change', () => {
    const cache = new PageCache({ pages: 1, pageSize: 64, debug: true });
    cache.insert(1, 0, bytes());
    const p = cache.get(1);
    cache.put(p);
    assert.equal(cache.evict(1), 'evicted');
    const raw = cache.refs.raw(p);
    assert.throws(() => cache.put(p), { name: 'PageRefDebugError', message: /^decAndTest/ });
    assert.equal(cache.refs.raw(p), raw);
    assert.deepEqual(cache.audit(), []);
  });
});

describe('PageCache.read copies every alignment and length', () => {
  it('property: read equals the bytes of the page, on every copy path', () => {
    // 8-byte words, 4-byte words, bytes, and set() past 512 bytes
    const cache = new PageCache({ pages: 2, pageSize: 1024 });
    const page = Uint8Array.from({ length: 1024 }, (_, i) => (i * 7 + 3) & 0xff);
    cache.insert(9, 0, page);
    const backing = new Uint8Array(2048);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1024 }),
        fc.oneof(fc.integer({ min: 0, max: 80 }), fc.integer({ min: 0, max: 1024 })),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 0, max: 16 }),
        (offset, length, viewShift, intoOffset) => {
          fc.pre(offset + length <= 1024);
          const into = new Uint8Array(backing.buffer, viewShift, 1100);
          into.fill(0xee);
          assert.equal(cache.read(9, offset, length, into, intoOffset), length);
          assert.deepEqual(
            into.subarray(intoOffset, intoOffset + length),
            page.subarray(offset, offset + length),
          );
          assert.equal(into[intoOffset + length], 0xee); // nothing past the end
          if (intoOffset > 0) assert.equal(into[intoOffset - 1], 0xee);
        },
      ),
      { numRuns: 1000 },
    );
    assert.deepEqual(cache.audit(), []);
  });
  it('a destination that is not a Uint8Array: RangeError', () => {
    const cache = new PageCache({ pages: 1, pageSize: 64 });
    assert.throws(() => cache.read(1, 0, 1, [0] as never), /destination must be a Uint8Array/);
  });
});

describe('PageCache with every strategy', () => {
  for (const strategy of STRATEGY_NAMES) {
    it(`${strategy}: insert, read, evict, reinsert`, () => {
      const cache = new PageCache({ pages: 2, pageSize: 64, strategy });
      for (let round = 0; round < 3; round++) {
        assert.equal(cache.insert(round, 0, bytes(round + 1)).kind, 'inserted');
        const into = new Uint8Array(4);
        assert.equal(cache.read(round, 0, 4, into), 4);
        assert.deepEqual([...into], [round + 1, 0, 0, 0]);
        assert.equal(cache.evict(round), 'evicted');
      }
    });
  }
});

describe('PageCache: callbacks run under the writers lock (issue 20, item 10)', () => {
  for (const writer of ['insert', 'evict', 'remove'] as const) {
    it(`a fill that calls ${writer}: an Error, not a deadlock; nothing leaks`, () => {
      const cache = new PageCache({ pages: 2, pageSize: 64 });
      cache.insert(1, 0, bytes(1));
      const call = {
        insert: () => cache.insert(2, 0, bytes()),
        evict: () => cache.evict(1),
        remove: () => cache.remove(1),
      }[writer];
      assert.throws(
        () => cache.insert(3, 0, () => void call()),
        new RegExp(`^Error: PageCache.${writer}: called from a fill or a destructor`),
      );
      assert.equal(cache.read(3, 0, 1, new Uint8Array(1)), MISS);
      assert.deepEqual(cache.audit(), []);
      assert.equal(cache.insert(3, 0, bytes(3)).kind, 'inserted'); // the lock was let go
    });
  }
  it('a destructor that calls insert: the put that freed says so; the page is freed', () => {
    let cache: PageCache | undefined = undefined;
    cache = new PageCache({
      pages: 2,
      pageSize: 64,
      destructors: { 5: () => void cache!.insert(9, 0, bytes()) },
    });
    cache.insert(1, 5, bytes(1));
    const p = cache.get(1);
    cache.remove(1);
    assert.throws(
      () => cache.put(p),
      (e: Error) =>
        /destructor for type 5 threw/.test(e.message) &&
        /called from a fill or a destructor/.test((e.cause as Error).message),
    );
    assert.deepEqual(cache.audit(), []);
  });
  it('a fill may get and put pages, even the put that frees one', () => {
    const cache = new PageCache({ pages: 2, pageSize: 64 });
    cache.insert(1, 0, bytes(7));
    const p = cache.get(1);
    cache.remove(1); // now only p's holder keeps page p
    const result = cache.insert(2, 0, (page) => {
      page[0] = cache.read(1, 0, 1, new Uint8Array(1)) === MISS ? 1 : 0;
      assert.equal(cache.put(p), true); // frees page p, under the lock this thread holds
    });
    assert.equal(result.kind, 'inserted');
    assert.deepEqual(cache.audit(), []);
  });
});

describe('PageCache: misuse that the docs say throws (issue 20, item 21)', () => {
  it("with debug on, a put twice (the cache's own reference) throws before any change", () => {
    const cache = new PageCache({ pages: 1, pageSize: 64, debug: true });
    cache.insert(1, 0, bytes(4));
    const p = cache.get(1);
    assert.equal(cache.put(p), false);
    const raw = cache.refs.raw(p);
    assert.throws(() => cache.put(p), {
      name: 'PageRefDebugError',
      message: /^decAndTest.*a put twice/,
    });
    assert.equal(cache.refs.raw(p), raw);
    assert.equal(cache.read(1, 0, 1, new Uint8Array(1)), 1); // still cached
    assert.deepEqual(cache.audit(), []);
    // the last put of a removed page still frees it
    const q = cache.get(1);
    cache.remove(1);
    assert.equal(cache.put(q), true);
    assert.deepEqual(cache.audit(), []);
  });
  it('read into undefined: RangeError, as for any destination that is not a Uint8Array', () => {
    const cache = new PageCache({ pages: 1, pageSize: 64 });
    assert.throws(() => cache.read(1, 0, 1, undefined as never), {
      name: 'RangeError',
      message: /destination must be a Uint8Array, got undefined/,
    });
  });
  it('audit with a held map that is not one: an error that says so, not a report', () => {
    const cache = new PageCache({ pages: 2, pageSize: 64 });
    cache.insert(1, 0, bytes());
    assert.throws(() => cache.audit(new Map([[0, 'x' as never]])), {
      name: 'RangeError',
      message: /^audit: held must map pages \(0 … 1\) to counts \(integers ≥ 0\), got 0 → x$/,
    });
    assert.throws(() => cache.audit(new Map([[5, 1]])), { name: 'RangeError' });
    assert.throws(() => cache.audit({} as never), {
      name: 'TypeError',
      message: /held must be a Map/,
    });
  });
});
