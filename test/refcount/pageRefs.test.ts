import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PageRefs } from '../../src/refcount/pageRefs.js';
import { PageRefDebugError } from '../../src/refcount/debugChecks.js';
import { FROZEN_BIT as F } from '../../src/refcount/layout.js';
import { REFS_HEADER_BYTES as HEADER_BYTES } from '../../src/refcount/header.js';
import { PRODUCTION_STRATEGIES, STRATEGY_NAMES } from '../../src/refcount/strategies.js';
import { FROZEN_LIMIT } from '../../src/refcount/layout.js';
import type { Strategy, StrategyName } from '../../src/refcount/strategy.js';
import { AtomicCells } from '../../src/cells/atomicCells.js';
import fc from 'fast-check';
import { rawRefs } from '../helpers/rawRefs.js';

describe('PageRefs: buffer, header, attach', () => {
  it('defaults to frozen-bit, debug off; every page starts free and frozen', () => {
    const refs = new PageRefs({ pages: 3 });
    assert.equal(refs.strategy, 'frozen-bit');
    assert.equal(refs.debug, false);
    for (let p = 0; p < 3; p++) {
      assert.equal(refs.isFrozen(p), true);
      assert.equal(refs.raw(p), F);
      assert.equal(refs.tryGet(p), false);
    }
  });

  for (const strategy of STRATEGY_NAMES) {
    it(`${strategy}: attach() sees the same counters`, () => {
      const a = new PageRefs({ pages: 4, strategy });
      a.init(2);
      const b = PageRefs.attach(a.buffer);
      assert.equal(b.strategy, strategy);
      assert.equal(b.pages, 4);
      assert.equal(b.tryGet(2), true);
      assert.equal(a.count(2), 2);
    });
  }

  it('attach() refuses a mismatching strategy', () => {
    const a = new PageRefs({ pages: 1, strategy: 'classic' });
    assert.throws(() => PageRefs.attach(a.buffer, { strategy: 'frozen-bit' }), {
      name: 'RangeError',
      message: /uses strategy 'classic', but 'frozen-bit' was asked for/,
    });
  });

  const badBuffers: [string, unknown, RegExp, string][] = [
    [
      'an ArrayBuffer',
      new ArrayBuffer(128),
      /expected a SharedArrayBuffer, got ArrayBuffer/,
      'TypeError',
    ],
    ['a number', 7, /expected a SharedArrayBuffer, got 7/, 'TypeError'],
    ['a tiny buffer', new SharedArrayBuffer(8), /too small for the 64-byte header/, 'RangeError'],
    ['a foreign buffer', new SharedArrayBuffer(256), /not a PageRefs buffer/, 'RangeError'],
  ];
  for (const [what, buffer, message, name] of badBuffers) {
    it(`attach() of ${what} throws ${name}`, () => {
      assert.throws(() => PageRefs.attach(buffer as SharedArrayBuffer), { name, message });
    });
  }

  it('attach() of a truncated buffer throws', () => {
    const a = new PageRefs({ pages: 8 });
    const short = new SharedArrayBuffer(HEADER_BYTES + 4);
    new Int32Array(short).set(new Int32Array(a.buffer, 0, HEADER_BYTES / 4 + 1));
    assert.throws(() => PageRefs.attach(short), {
      name: 'RangeError',
      message: /header says 8 pages/,
    });
  });
});

describe('PageRefs: bad input never touches a counter', () => {
  const refs = new PageRefs({ pages: 2, strategy: 'frozen-bit' });
  refs.set(0, 5);
  const calls: [string, () => unknown, string, RegExp][] = [
    [
      'page 2 of 2',
      () => refs.tryGet(2),
      'RangeError',
      /page index 2 out of range: expected 0 to 1/,
    ],
    ['page -1', () => refs.inc(-1), 'RangeError', /page index -1 out of range/],
    [
      'page 0.5',
      () => refs.count(0.5),
      'TypeError',
      /page index must be an integer from 0 to 1, got 0.5/,
    ],
    ['page "0"', () => refs.dec('0' as unknown as number), 'TypeError', /got "0"/],
    ['page NaN', () => refs.raw(NaN), 'TypeError', /got NaN/],
    ['nr 0', () => refs.add(0, 0), 'RangeError', /nr must be a positive integer ≤ INT_MAX, got 0/],
    ['nr -1', () => refs.subAndTest(0, -1), 'RangeError', /nr must be a positive integer/],
    ['nr 1.5', () => refs.tryAdd(0, 1.5), 'TypeError', /nr must be a positive integer/],
    ['nr 2^31', () => refs.sub(0, 2 ** 31), 'RangeError', /got 2147483648/],
    [
      'set 0',
      () => refs.set(0, 0),
      'RangeError',
      /set count must be .* got 0.*setFrozen|setFrozen.*got 0/,
    ],
    [
      'set 2^31',
      () => refs.set(0, 2 ** 31),
      'RangeError',
      /set count must be an integer from 1 to 2147483647/,
    ],
    ['freeze at 0', () => refs.freeze(0, 0), 'RangeError', /freeze count/],
    ['unfreeze to -3', () => refs.unfreeze(0, -3), 'RangeError', /unfreeze count/],
  ];
  for (const [what, call, name, message] of calls) {
    it(`${what}: ${name}`, () => {
      assert.throws(call, { name, message });
      assert.equal(refs.raw(0), 5);
      assert.equal(refs.raw(1), F);
    });
  }

  const ctor: [string, unknown, string, RegExp][] = [
    ['pages 0', { pages: 0 }, 'RangeError', /pages must be an integer from 1 to/],
    ['pages 1.5', { pages: 1.5 }, 'TypeError', /pages must be/],
    ['pages missing', {}, 'TypeError', /pages must be .* got undefined/],
    [
      'unknown strategy',
      { pages: 1, strategy: 'lockless' },
      'RangeError',
      /unknown strategy "lockless": expected one of classic, classic-optimistic, frozen-bit/,
    ],
    ['no options', undefined, 'TypeError', /expected an options object/],
    ['debug "yes"', { pages: 1, debug: 'yes' }, 'TypeError', /debug must be a boolean/],
  ];
  for (const [what, options, name, message] of ctor) {
    it(`new PageRefs(${what}): ${name}`, () => {
      assert.throws(() => new PageRefs(options as never), { name, message });
    });
  }
});

describe('debug checks (seed 002 patch 1/2)', () => {
  const checked: [string, (r: PageRefs) => unknown][] = [
    ['add', (r) => r.add(0, 2)],
    ['sub', (r) => r.sub(0, 1)],
    ['inc', (r) => r.inc(0)],
    ['dec', (r) => r.dec(0)],
    ['incReturn', (r) => r.incReturn(0)],
    ['decReturn', (r) => r.decReturn(0)],
    ['subReturn', (r) => r.subReturn(0, 1)],
  ];
  for (const strategy of ['classic', 'classic-optimistic', 'frozen-bit'] as const) {
    const frozen = strategy === 'frozen-bit' ? F + 3 : 0;
    for (const [op, call] of checked) {
      it(`${strategy}: ${op} on a frozen page throws PageRefDebugError naming it`, () => {
        const { refs } = rawRefs(strategy, [frozen], true);
        assert.throws(
          () => call(refs),
          (e: unknown) => {
            assert.ok(e instanceof PageRefDebugError);
            assert.equal(e.operation, op);
            assert.equal(e.page, 0);
            assert.equal(e.raw, frozen);
            assert.match(
              e.message,
              new RegExp(`^${op}\\(page 0\\): page (is|was) frozen \\(raw counter 0x`),
            );
            return true;
          },
        );
      });
      it(`${strategy}: ${op} on a live page passes; with debug off nothing is checked`, () => {
        assert.doesNotThrow(() => call(rawRefs(strategy, [5], true).refs));
        assert.doesNotThrow(() => call(rawRefs(strategy, [frozen], false).refs));
      });
    }
    it(`${strategy}: unfreeze of a live page throws`, () => {
      const { refs } = rawRefs(strategy, [2], true);
      assert.throws(() => refs.unfreeze(0, 2), {
        name: 'PageRefDebugError',
        message: /not frozen/,
      });
    });
  }
  it('v2-inverted: the inverted helper fires on every live page (syzbot, seed 004)', () => {
    const { refs } = rawRefs('v2-inverted', [1], true);
    assert.throws(() => refs.inc(0), { name: 'PageRefDebugError', message: /^inc\(page 0\)/ });
    // ... and misses the frozen page it was written to catch
    assert.doesNotThrow(() => rawRefs('v2-inverted', [F], true).refs.inc(0));
  });
  it('tryGet, decAndTest, freeze carry no check: speculative use of a frozen page is legal', () => {
    const { refs } = rawRefs('frozen-bit', [F], true);
    assert.equal(refs.tryGet(0), false);
    assert.equal(refs.freeze(0, 1), false);
  });
});

describe('debug guards: misuse is caught before any change (issue 9 item 12)', () => {
  const INT_MAX = 0x7fffffff;
  /** A PageRefs with debug on whose page 0 holds `raw`, and its counter's Int32 view. */
  const withRaw = (strategy: StrategyName, raw: number, debug = true) => {
    const a = new PageRefs({ pages: 1, strategy });
    const mem = new Int32Array(a.buffer, HEADER_BYTES, 1);
    mem[0] = raw;
    return { refs: PageRefs.attach(a.buffer, { debug }), mem };
  };
  const misuse: [string, string, (r: PageRefs) => unknown, 'free' | 'max'][] = [
    ['incReturn', 'incReturn', (r) => r.incReturn(0), 'free'],
    ['decReturn', 'decReturn', (r) => r.decReturn(0), 'free'],
    ['subReturn', 'subReturn', (r) => r.subReturn(0, 2), 'free'],
    ['decAndTest', 'decAndTest', (r) => r.decAndTest(0), 'free'],
    ['subAndTest', 'subAndTest', (r) => r.subAndTest(0, 2), 'free'],
    ['tryAdd(p, INT_MAX) on a live page', 'tryAdd', (r) => r.tryAdd(0, INT_MAX), 'max'],
    ['tryGet on a page at INT_MAX', 'tryAdd', (r) => r.tryGet(0), 'max'],
  ];
  for (const strategy of PRODUCTION_STRATEGIES) {
    const free = new PageRefs({ pages: 1, strategy }).raw(0);
    for (const [what, operation, call, state] of misuse) {
      it(`${strategy}: ${what} throws and leaves the counter as it was`, () => {
        const raw = state === 'free' ? free : what.startsWith('tryAdd') ? 1 : INT_MAX;
        const { refs, mem } = withRaw(strategy, raw);
        assert.throws(() => call(refs), { name: 'PageRefDebugError', operation });
        assert.equal(mem[0], raw);
      });
    }
    it(`${strategy}: tryGet of a free page is legal speculation: false, no throw`, () => {
      const { refs, mem } = withRaw(strategy, free);
      assert.equal(refs.tryGet(0), false);
      assert.equal(refs.isFrozen(0), true);
      assert.ok(mem[0] === free || strategy === 'frozen-bit'); // frozen-bit keeps the increment
    });
  }

  // What each does with debug off, as packages/pageref/docs/api.md says ("Misuse with debug off").
  it('debug off, frozen-bit: decAndTest of a free page turns it live at INT_MAX', () => {
    const { refs, mem } = withRaw('frozen-bit', F, false);
    assert.equal(refs.decAndTest(0), false);
    assert.equal(mem[0], INT_MAX);
  });
  it('debug off, frozen-bit: tryAdd(p, INT_MAX) on a live page returns false, page frozen', () => {
    const { refs, mem } = withRaw('frozen-bit', 1, false);
    assert.equal(refs.tryAdd(0, INT_MAX), false);
    assert.equal(mem[0], F);
  });
  it('debug off, classic: incReturn of a free page makes it live with count 1', () => {
    const { refs, mem } = withRaw('classic', 0, false);
    assert.equal(refs.incReturn(0), 1);
    assert.equal(mem[0], 1);
  });

  it('property: with debug on, an operation that throws PageRefDebugError changed nothing', () => {
    const ops: [string, (r: PageRefs, n: number) => unknown][] = [
      ['add', (r, n) => r.add(0, n)],
      ['sub', (r, n) => r.sub(0, n)],
      ['inc', (r) => r.inc(0)],
      ['dec', (r) => r.dec(0)],
      ['incReturn', (r) => r.incReturn(0)],
      ['decReturn', (r) => r.decReturn(0)],
      ['subReturn', (r, n) => r.subReturn(0, n)],
      ['subAndTest', (r, n) => r.subAndTest(0, n)],
      ['decAndTest', (r) => r.decAndTest(0)],
      ['tryAdd', (r, n) => r.tryAdd(0, n)],
      ['tryGet', (r) => r.tryGet(0)],
      ['unfreeze', (r, n) => r.unfreeze(0, n)],
    ];
    const raw = fc.oneof(
      fc.integer({ min: -0x80000000, max: 0x7fffffff }),
      fc.constantFrom(0, 1, 2, F, F + 1, -1, INT_MAX, INT_MAX - 1, FROZEN_LIMIT | 0),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...PRODUCTION_STRATEGIES),
        raw,
        fc.constantFrom(...ops),
        fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constant(INT_MAX)),
        (strategy, before, [, call], n) => {
          const { refs, mem } = withRaw(strategy, before);
          try {
            call(refs, n);
          } catch (e) {
            if (!(e instanceof PageRefDebugError)) throw e;
            assert.equal(mem[0], before, `${e.message}: the counter changed`);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('bad options never touch a buffer (issue 9 item 13)', () => {
  const cases: [string, unknown, string, RegExp][] = [
    ['strategy {}', {}, 'RangeError', /unknown strategy {}/],
    ['strategy null', null, 'RangeError', /unknown strategy null: expected one of/],
    ['strategy 7', 7, 'RangeError', /unknown strategy 7/],
  ];
  for (const [what, strategy, name, message] of cases) {
    it(`new PageRefs({ pages, buffer, ${what} }): ${name}, the buffer still all zeros`, () => {
      const buffer = new SharedArrayBuffer(PageRefs.bytesFor(2));
      assert.throws(() => new PageRefs({ pages: 2, buffer, strategy } as never), { name, message });
      assert.ok(new Int32Array(buffer).every((w) => w === 0));
    });
  }
  it('a byteOffset that is not a multiple of 4 throws before writing', () => {
    const buffer = new SharedArrayBuffer(256);
    assert.throws(() => new PageRefs({ pages: 2, buffer, byteOffset: 6 }), {
      name: 'RangeError',
      message: /byteOffset must be a non-negative multiple of 4, got 6/,
    });
    assert.ok(new Int32Array(buffer).every((w) => w === 0));
  });
  for (const options of [null, 'frozen-bit', 3]) {
    it(`attach(buffer, ${String(options)}): TypeError naming the options`, () => {
      const a = new PageRefs({ pages: 1 });
      assert.throws(() => PageRefs.attach(a.buffer, options as never), {
        name: 'TypeError',
        message:
          /PageRefs.attach: expected an options object \{ byteOffset\?, strategy\?, debug\? \}/,
      });
    });
  }
  it('attach(buffer, { debug: "yes" }): TypeError', () => {
    const a = new PageRefs({ pages: 1 });
    assert.throws(() => PageRefs.attach(a.buffer, { debug: 'yes' as never }), {
      name: 'TypeError',
      message: /debug must be a boolean/,
    });
  });
  it('over() with a strategy object missing functions: TypeError listing them', () => {
    const cells = new AtomicCells(new Int32Array(1));
    const strategy = { name: 'half', count: () => 0 } as unknown as Strategy;
    assert.throws(() => PageRefs.over(cells, { pages: 1, strategy }), {
      name: 'TypeError',
      message: /strategy object is missing isFrozenCount, set, init/,
    });
  });
  it('attach() at a byteOffset finds the region that new PageRefs put there', () => {
    const buffer = new SharedArrayBuffer(128 + PageRefs.bytesFor(3));
    const a = new PageRefs({ pages: 3, buffer, byteOffset: 128, strategy: 'classic' });
    a.init(1);
    const b = PageRefs.attach(buffer, { byteOffset: 128 });
    assert.equal(b.byteOffset, 128);
    assert.equal(b.strategy, 'classic');
    assert.equal(b.count(1), 1);
    assert.throws(() => PageRefs.attach(buffer), /not a PageRefs buffer/);
  });
});
