/**
 * The argument and option checks of `PageRefs` (src/refcount/checks.ts, and their use in
 * pageRefs.ts and header.ts), each at its boundary: the value just inside is accepted, the
 * one just outside refused with the right error, and a refused call changes nothing.
 * Mutation testing found these unexercised (issue 19 item 10).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_PAGES, PageRefs } from '../../src/refcount/pageRefs.js';
import { PageRefDebugError } from '../../src/refcount/debugChecks.js';
import { REFS_HEADER, REFS_HEADER_BYTES } from '../../src/refcount/header.js';
import { FROZEN_BIT as F, MAX_COUNT } from '../../src/refcount/layout.js';
import { PAGE_REF_FUNCTIONS } from '../../src/refcount/pageRefApi.js';
import { PRODUCTION_STRATEGIES, STRATEGY_NAMES } from '../../src/refcount/strategies.js';
import { frozenBit } from '../../src/refcount/frozenBit.js';
import { AtomicCells } from '../../src/cells/atomicCells.js';
import type { Strategy, StrategyName } from '../../src/refcount/strategy.js';

/** A buffer whose every byte is 0x5a: what a check refused must leave as it is. */
const scribbled = (bytes: number) => {
  const buffer = new SharedArrayBuffer(bytes);
  new Uint8Array(buffer).fill(0x5a);
  return buffer;
};
const untouched = (buffer: SharedArrayBuffer) => new Uint8Array(buffer).every((b) => b === 0x5a);

describe('new PageRefs: the buffer, byteOffset and pages, at their boundaries', () => {
  const fits = PageRefs.bytesFor(2);
  const refused: [string, () => Record<string, unknown>, string, RegExp][] = [
    [
      'a non-shared buffer (its counters would not be shared)',
      () => ({ pages: 2, buffer: new ArrayBuffer(fits) }),
      'TypeError',
      /^new PageRefs: buffer must be a SharedArrayBuffer, got ArrayBuffer$/,
    ],
    [
      'a view instead of its buffer',
      () => ({ pages: 2, buffer: new Int32Array(scribbled(fits)) }),
      'TypeError',
      /buffer must be a SharedArrayBuffer, got Int32Array$/,
    ],
    ['buffer null', () => ({ pages: 2, buffer: null }), 'TypeError', /got null$/],
    [
      'byteOffset -4',
      () => ({ pages: 2, buffer: scribbled(fits + 8), byteOffset: -4 }),
      'RangeError',
      /^new PageRefs: byteOffset must be a non-negative multiple of 4, got -4$/,
    ],
    [
      'byteOffset "8"',
      () => ({ pages: 2, buffer: scribbled(fits + 8), byteOffset: '8' }),
      'TypeError',
      /byteOffset must be a non-negative multiple of 4, got "8"$/,
    ],
    [
      'byteOffset 4.5',
      () => ({ pages: 2, buffer: scribbled(fits + 8), byteOffset: 4.5 }),
      'TypeError',
      /got 4.5$/,
    ],
    [
      'a buffer 4 bytes short',
      () => ({ pages: 2, buffer: scribbled(fits - 4) }),
      'RangeError',
      new RegExp(
        `^new PageRefs: ${fits} bytes from byteOffset 0 do not fit a buffer of ${fits - 4} bytes$`,
      ),
    ],
    [
      'a byteOffset 4 bytes too far',
      () => ({ pages: 2, buffer: scribbled(fits + 8), byteOffset: 12 }),
      'RangeError',
      new RegExp(`${fits} bytes from byteOffset 12 do not fit a buffer of ${fits + 8} bytes$`),
    ],
    [
      '2^28 pages (the most) in a small buffer: refused by the size, not the count',
      () => ({ pages: 2 ** 28, buffer: scribbled(fits) }),
      'RangeError',
      new RegExp(`^new PageRefs: ${REFS_HEADER_BYTES + 4 * 2 ** 28} bytes from byteOffset 0`),
    ],
    [
      '2^28 + 1 pages',
      () => ({ pages: 2 ** 28 + 1, buffer: scribbled(fits) }),
      'RangeError',
      /^pages must be an integer from 1 to 268435456, got 268435457$/,
    ],
    ['pages "2"', () => ({ pages: '2', buffer: scribbled(fits) }), 'TypeError', /got "2"$/],
  ];
  for (const [what, options, name, message] of refused) {
    it(`${what}: ${name}, nothing written`, () => {
      const o = options();
      assert.throws(() => new PageRefs(o as never), { name, message });
      if (o.buffer instanceof SharedArrayBuffer) assert.ok(untouched(o.buffer));
    });
  }

  for (const options of [null, [], 'pages: 2']) {
    it(`options ${JSON.stringify(options)}: TypeError naming what it got`, () => {
      assert.throws(() => new PageRefs(options as never), {
        name: 'TypeError',
        message: new RegExp(
          `^new PageRefs: expected an options object \\{ pages, strategy\\?, debug\\?, buffer\\?, byteOffset\\? \\}, got ${options === null ? 'null' : Array.isArray(options) ? 'Array' : '"pages: 2"'}$`,
        ),
      });
    });
  }

  it('a buffer that fits exactly, at byteOffset 0 and at 64: every page free, the rest untouched', () => {
    for (const byteOffset of [0, 64]) {
      const buffer = scribbled(byteOffset + fits);
      const refs = new PageRefs({ pages: 2, buffer, byteOffset, strategy: 'classic' });
      assert.equal(refs.byteOffset, byteOffset);
      assert.equal(refs.buffer, buffer);
      assert.deepEqual([refs.raw(0), refs.raw(1)], [0, 0]); // the old contents are overwritten
      assert.ok(new Uint8Array(buffer, 0, byteOffset).every((b) => b === 0x5a));
      assert.equal(PageRefs.attach(buffer, { byteOffset }).pages, 2);
    }
    assert.equal(new PageRefs({ pages: 1 }).byteOffset, 0);
  });

  it('bytesFor: 2^28 pages is the most (1 GiB of counters and the header), 2^28 + 1 is refused', () => {
    assert.equal(MAX_PAGES, 2 ** 28);
    assert.equal(PageRefs.bytesFor(1), REFS_HEADER_BYTES + 4);
    assert.equal(PageRefs.bytesFor(2 ** 28), REFS_HEADER_BYTES + 2 ** 30);
    for (const [pages, name] of [
      [2 ** 28 + 1, 'RangeError'],
      [0, 'RangeError'],
      [1.5, 'TypeError'],
      ['1', 'TypeError'],
    ] as const) {
      assert.throws(() => PageRefs.bytesFor(pages as number), { name, message: /^pages must be/ });
    }
  });
});

describe('every method checks its page, nr and count before it touches a counter', () => {
  /** Each method with its arguments after the page (an nr or count of 1, or none). */
  const rest = (fn: string): number[] =>
    ['set', 'add', 'sub', 'subReturn', 'subAndTest', 'tryAdd', 'freeze', 'unfreeze'].includes(fn)
      ? [1]
      : [];
  const call = (refs: PageRefs, fn: string, ...args: unknown[]) =>
    (refs as unknown as Record<string, (...a: unknown[]) => unknown>)[fn]!(...args);
  const fresh = () => {
    const refs = new PageRefs({ pages: 2, strategy: 'frozen-bit' });
    refs.set(0, 5);
    return refs;
  };
  const unchanged = (refs: PageRefs) => assert.deepEqual([refs.raw(0), refs.raw(1)], [5, F]);

  for (const fn of [...PAGE_REF_FUNCTIONS, 'raw']) {
    it(`${fn}: page 2 of 2 and page -1 are RangeErrors, page 0.5 and "0" TypeErrors`, () => {
      const refs = fresh();
      for (const [page, name, message] of [
        [2, 'RangeError', /^page index 2 out of range: expected 0 to 1$/],
        [-1, 'RangeError', /^page index -1 out of range/],
        [0.5, 'TypeError', /^page index must be an integer from 0 to 1, got 0.5$/],
        ['0', 'TypeError', /got "0"$/],
      ] as const) {
        assert.throws(() => call(refs, fn, page, ...rest(fn)), { name, message });
        unchanged(refs);
      }
      assert.doesNotThrow(() => call(fresh(), fn, 1, ...rest(fn))); // the last page is legal
    });
  }

  for (const fn of ['add', 'sub', 'subReturn', 'subAndTest', 'tryAdd']) {
    it(`${fn}: nr 0 and 2^31 are RangeErrors, nr 1.5 and "1" TypeErrors`, () => {
      const refs = fresh();
      for (const [nr, name] of [
        [0, 'RangeError'],
        [2 ** 31, 'RangeError'],
        [1.5, 'TypeError'],
        ['1', 'TypeError'],
      ] as const) {
        assert.throws(() => call(refs, fn, 0, nr), {
          name,
          message: /^nr must be a positive integer ≤ INT_MAX, got /,
        });
        unchanged(refs);
      }
    });
  }

  for (const fn of ['set', 'freeze', 'unfreeze']) {
    it(`${fn}: count 0 and 2^31 are RangeErrors, 1.5 a TypeError; only set's names setFrozen()`, () => {
      const refs = fresh();
      for (const [count, name] of [
        [0, 'RangeError'],
        [2 ** 31, 'RangeError'],
        [1.5, 'TypeError'],
      ] as const) {
        const hint = fn === 'set' && count === 0 ? '; use setFrozen() to mark a page free' : '';
        assert.throws(() => call(refs, fn, 0, count), {
          name,
          message: `${fn} count must be an integer from 1 to ${MAX_COUNT}${hint}, got ${count}`,
        });
        unchanged(refs);
      }
    });
  }
});

describe('PageRefs.over: its options and its strategy object', () => {
  const cells = () => new AtomicCells(new Int32Array(1));
  const refused: [string, unknown, string, RegExp][] = [
    [
      'options null',
      null,
      'TypeError',
      /^PageRefs.over: expected an options object \{ pages, strategy, debug\?, guards\? \}, got null$/,
    ],
    ['options []', [], 'TypeError', /^PageRefs.over: expected an options object .* got Array$/],
    [
      'a strategy object without a name',
      { pages: 1, strategy: { ...frozenBit, name: undefined } },
      'TypeError',
      /^strategy object is missing name$/,
    ],
    ['strategy null', { pages: 1, strategy: null }, 'TypeError', /a strategy object, got null$/],
    ['strategy 7', { pages: 1, strategy: 7 }, 'TypeError', /a strategy object, got 7$/],
    ['strategy "lockless"', { pages: 1, strategy: 'lockless' }, 'RangeError', /unknown strategy/],
    [
      'guards "yes"',
      { pages: 1, strategy: 'classic', guards: 'yes' },
      'TypeError',
      /^guards must be a boolean, got yes$/,
    ],
    ['guards 1', { pages: 1, strategy: 'classic', guards: 1 }, 'TypeError', /got 1$/],
    ['pages 0', { pages: 0, strategy: 'classic' }, 'RangeError', /^pages must be/],
    ['debug 1', { pages: 1, strategy: 'classic', debug: 1 }, 'TypeError', /^debug must be/],
  ];
  for (const [what, options, name, message] of refused) {
    it(`${what}: ${name}`, () => {
      assert.throws(() => PageRefs.over(cells(), options as never), { name, message });
    });
  }

  it('has no buffer: reading .buffer throws, naming the model cells', () => {
    const refs = PageRefs.over(cells(), { pages: 1, strategy: 'classic' });
    assert.throws(() => refs.buffer, {
      name: 'Error',
      message: /^PageRefs.buffer: these counters live in model cells, not a buffer$/,
    });
  });

  it("takes a strategy by name, or a user's object under its own name", () => {
    assert.equal(PageRefs.over(cells(), { pages: 1, strategy: 'classic' }).strategy, 'classic');
    const mine: Strategy = { ...frozenBit, name: 'mine' };
    assert.equal(PageRefs.over(cells(), { pages: 1, strategy: mine }).strategy, 'mine');
  });

  it('debug runs the guards only with guards: true (a decAndTest of a free page)', () => {
    const free = (guards?: boolean) => {
      const mem = Int32Array.of(F);
      const refs = PageRefs.over(new AtomicCells(mem), {
        pages: 1,
        strategy: 'frozen-bit',
        debug: true,
        ...(guards === undefined ? {} : { guards }),
      });
      return { refs, mem };
    };
    for (const guards of [undefined, false]) {
      const { refs } = free(guards);
      assert.equal(refs.debug, true);
      assert.doesNotThrow(() => refs.decAndTest(0)); // the kernel has no check there
    }
    const { refs, mem } = free(true);
    assert.throws(() => refs.decAndTest(0), { name: 'PageRefDebugError', operation: 'decAndTest' });
    assert.equal(mem[0], F);
  });
});

describe('debug: true runs the guards in new PageRefs and attach, as the kernel checks', () => {
  it('a decAndTest of a free page, which only a guard catches, throws and changes nothing', () => {
    const refs = new PageRefs({ pages: 1, strategy: 'frozen-bit', debug: true });
    assert.throws(() => refs.decAndTest(0), { name: 'PageRefDebugError', operation: 'decAndTest' });
    assert.equal(refs.raw(0), F);
    const attached = PageRefs.attach(refs.buffer, { debug: true });
    assert.throws(() => attached.decAndTest(0), { name: 'PageRefDebugError' });
    assert.equal(attached.raw(0), F);
  });
});

describe('PageRefs.attach: its options, and the header it reads', () => {
  for (const strategy of STRATEGY_NAMES) {
    it(`${strategy}: attach(buffer, { strategy: '${strategy}' }) opens its own strategy`, () => {
      const a = new PageRefs({ pages: 1, strategy });
      assert.equal(PageRefs.attach(a.buffer, { strategy }).strategy, strategy);
    });
  }

  it('without options, debug stays off: misuse is not checked, as with new PageRefs', () => {
    const a = new PageRefs({ pages: 1, strategy: 'frozen-bit' }); // page 0 free
    const b = PageRefs.attach(a.buffer);
    assert.equal(b.debug, false);
    assert.doesNotThrow(() => b.inc(0));
    assert.throws(() => PageRefs.attach(a.buffer, { debug: true }).inc(0), PageRefDebugError);
  });

  /** [what, the options, the page count to write into the header (if any), error, message] */
  const refused: [string, unknown, number | undefined, string, RegExp][] = [
    ['options []', [], undefined, 'TypeError', /^PageRefs.attach: expected an options object/],
    ['byteOffset "0"', { byteOffset: '0' }, undefined, 'TypeError', /got "0"$/],
    ['byteOffset -64', { byteOffset: -64 }, undefined, 'RangeError', /multiple of 4, got -64$/],
    ['byteOffset 2', { byteOffset: 2 }, undefined, 'RangeError', /multiple of 4, got 2$/],
    ['a header of 2^28 + 1 pages', {}, 2 ** 28 + 1, 'RangeError', /^pages must .* 268435457$/],
    ['a header of 0 pages', {}, 0, 'RangeError', /^pages must be .* got 0$/],
  ];
  for (const [what, options, headerPages, name, message] of refused) {
    it(`${what}: ${name}`, () => {
      const a = new PageRefs({ pages: 1 });
      if (headerPages !== undefined) new Int32Array(a.buffer)[REFS_HEADER.pages] = headerPages;
      assert.throws(() => PageRefs.attach(a.buffer, options as never), { name, message });
    });
  }

  it('a buffer that is no SharedArrayBuffer is named by what it is', () => {
    for (const [buffer, got] of [
      [Object.create(null), 'object'],
      [() => 1, 'Function'],
      ['buffer', '"buffer"'],
      [undefined, 'undefined'],
    ] as const) {
      assert.throws(() => PageRefs.attach(buffer as never), {
        name: 'TypeError',
        message: `PageRefs.attach: expected a SharedArrayBuffer, got ${got}`,
      });
    }
  });
});

describe("the guards' boundary: a legal call next to INT_MAX never throws", () => {
  /** A PageRefs with debug on (guards included) whose page 0 holds `raw`. */
  const at = (strategy: StrategyName, raw: number) => {
    const a = new PageRefs({ pages: 1, strategy });
    new Int32Array(a.buffer, REFS_HEADER_BYTES, 1)[0] = raw;
    return PageRefs.attach(a.buffer, { debug: true });
  };
  for (const strategy of PRODUCTION_STRATEGIES) {
    it(`${strategy}: tryGet at INT_MAX − 1 and tryAdd(p, 2) at INT_MAX − 2 reach INT_MAX; one more throws`, () => {
      const get = at(strategy, MAX_COUNT - 1);
      assert.equal(get.tryGet(0), true);
      assert.equal(get.count(0), MAX_COUNT);
      const add = at(strategy, MAX_COUNT - 2);
      assert.equal(add.tryAdd(0, 2), true);
      assert.equal(add.count(0), MAX_COUNT);
      assert.throws(() => at(strategy, MAX_COUNT - 1).tryAdd(0, 2), {
        name: 'PageRefDebugError',
        message: /^tryAdd\(page 0\): adding 2 would pass INT_MAX/,
      });
      assert.equal(at(strategy, MAX_COUNT - 1).incReturn(0), MAX_COUNT);
    });
  }
});
