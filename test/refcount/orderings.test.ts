/**
 * Each strategy's orderings against its kernel source: calling a page_ref function on
 * recording cells makes exactly the Cells calls, with the orderings, of the kernel calls its
 * source makes (through src/cells/kernelAtomics.ts). The kernel calls are read off the
 * patches: frozen-bit from v4 (seed 002, patch 2/2), rfc-v1 from seed 000, v2-inverted from
 * seed 004, classic from mainline page_ref.h at the series' base.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { recordingCells, type Recorded } from '../helpers/recordingCells.js';
import { STRONGEST, type Cells, type Order } from '../../src/cells/cells.js';
import {
  KERNEL_ATOMICS,
  KERNEL_FALLBACKS,
  LKMM_TAG,
  type CellsMethod,
  type KernelCall,
} from '../../src/cells/kernelAtomics.js';
import { STRATEGIES } from '../../src/refcount/strategies.js';
import { withDebugChecks } from '../../src/refcount/debugChecks.js';
import { FROZEN_BIT as F, FROZEN_LIMIT } from '../../src/refcount/layout.js';
import type { PageRefApi } from '../../src/refcount/pageRefApi.js';
import type { Strategy, StrategyName } from '../../src/refcount/strategy.js';

/** [page_ref function, raw counter before, extra args, the kernel calls it makes, in order] */
type Row = [keyof PageRefApi, number, number[], KernelCall[]];

const LIMIT = FROZEN_LIMIT | 0;
const ADD_UNLESS = [...KERNEL_FALLBACKS.atomic_add_unless];

/** mainline.ts: what every strategy shares, unchanged by the series. */
const mainline: Row[] = [
  ['set', 9, [7], ['atomic_set']],
  ['init', F, [], ['atomic_set']],
  ['add', 3, [2], ['atomic_add']],
  ['sub', 5, [2], ['atomic_sub']],
  ['inc', 1, [], ['atomic_inc']],
  ['dec', 2, [], ['atomic_dec']],
  ['incReturn', 1, [], ['atomic_inc_return']],
  ['decReturn', 2, [], ['atomic_dec_return']],
  ['subReturn', 5, [3], ['atomic_sub_return']],
];

const classic: Row[] = [
  ...mainline,
  ['count', 3, [], ['atomic_read']],
  ['setFrozen', 3, [], ['atomic_set']],
  ['subAndTest', 3, [2], ['atomic_sub_and_test']],
  ['subAndTest', 2, [2], ['atomic_sub_and_test']],
  ['decAndTest', 2, [], ['atomic_dec_and_test']],
  ['decAndTest', 1, [], ['atomic_dec_and_test']],
  // atomic_add_unless(v, nr, 0), by its generic fallback
  ['tryAdd', 3, [2], ADD_UNLESS],
  ['tryGet', 1, [], ADD_UNLESS],
  ['tryGet', 0, [], ['atomic_read']],
  ['freeze', 1, [1], ['atomic_cmpxchg']],
  ['freeze', 2, [1], ['atomic_cmpxchg']],
  ['unfreeze', 0, [1], ['atomic_set_release']],
  ['isFrozen', 0, [], ['atomic_read']],
];

const frozenBit: Row[] = [
  ...mainline,
  ['count', 3, [], ['atomic_read']],
  ['count', F + 5, [], ['atomic_read']],
  ['setFrozen', 3, [], ['atomic_set']],
  ['subAndTest', 3, [2], ['atomic_sub_and_test']],
  ['subAndTest', 2, [2], ['atomic_sub_and_test', 'atomic_cmpxchg_relaxed']],
  ['decAndTest', 2, [], ['atomic_dec_and_test']],
  ['decAndTest', 1, [], ['atomic_dec_and_test', 'atomic_cmpxchg_relaxed']],
  ['tryAdd', 3, [2], ['atomic_add_return']],
  ['tryGet', 1, [], ['atomic_add_return']],
  ['tryGet', F, [], ['atomic_add_return']],
  // the overflow guard: a failed get that reaches _PAGEREF_FROZEN_LIMIT resets the counter.
  // cmpxchg returns the old value, so the loop goes round once more after it succeeds, and
  // that second cmpxchg fails on FROZEN_BIT: the kernel's loop does the same.
  [
    'tryGet',
    LIMIT - 1,
    [],
    ['atomic_add_return', 'atomic_cmpxchg_relaxed', 'atomic_cmpxchg_relaxed'],
  ],
  ['freeze', 1, [1], ['atomic_cmpxchg']],
  ['freeze', 2, [1], ['atomic_cmpxchg']],
  ['unfreeze', F, [1], ['atomic_set_release']],
  ['isFrozen', F, [], ['atomic_read']],
];

/** `base`, with the rows of the functions that `rows` gives replaced by those. */
function override(base: Row[], rows: Row[]): Row[] {
  const replaced = new Set(rows.map((r) => r[0]));
  return [...base.filter((r) => !replaced.has(r[0])), ...rows];
}

const TABLE: Record<StrategyName, Row[]> = {
  classic,
  'classic-optimistic': override(classic, [
    // the fallback without its read: a guess of 1, then the real value
    ['tryAdd', 1, [2], ['atomic_try_cmpxchg']],
    ['tryGet', 1, [], ['atomic_try_cmpxchg']],
    ['tryGet', 3, [], ['atomic_try_cmpxchg', 'atomic_try_cmpxchg']],
    ['tryGet', 0, [], ['atomic_try_cmpxchg']],
  ]),
  'frozen-bit': frozenBit,
  'rfc-v1': override(frozenBit, [
    ['setFrozen', 3, [], ['atomic_set']],
    ['tryAdd', 3, [2], ['atomic_add_return']],
    ['tryGet', 1, [], ['atomic_add_return']],
    // one undo, at any height: no overflow guard
    ['tryGet', F, [], ['atomic_add_return', 'atomic_cmpxchg_relaxed']],
    ['tryGet', LIMIT - 1, [], ['atomic_add_return', 'atomic_cmpxchg_relaxed']],
  ]),
  'v2-inverted': frozenBit,
};

/** `add mb`: a Cells call as the tests compare them. */
const call = (method: CellsMethod, order: Order) => `${method} ${order}`;
const ofKernel = (calls: KernelCall[]) =>
  calls.map((k) => call(KERNEL_ATOMICS[k].method, KERNEL_ATOMICS[k].order));
const ofLog = (log: Recorded[]) => log.map((r) => call(r.method, r.order));

/** Runs `fn` of strategy `s` on one page holding `raw`: what it recorded. */
function run(s: Strategy, fn: keyof PageRefApi, raw: number, args: number[], c?: Cells) {
  const { cells, log } = recordingCells(Int32Array.of(raw));
  (s[fn] as (c: Cells, p: number, ...a: number[]) => unknown)(c ?? cells, 0, ...args);
  return log;
}

it('every built-in strategy has a table row for every page_ref function', () => {
  for (const [name, rows] of Object.entries(TABLE)) {
    const covered = new Set(rows.map((r) => r[0]));
    const missing = Object.keys(STRATEGIES[name as StrategyName]).filter(
      (k) => k !== 'name' && k !== 'isFrozenCount' && !covered.has(k as keyof PageRefApi),
    );
    assert.deepEqual(missing, [], `${name} has no row for ${missing.join(', ')}`);
  }
});

for (const [name, rows] of Object.entries(TABLE) as [StrategyName, Row[]][]) {
  describe(`${name}: the kernel calls of its source, with their orderings`, () => {
    for (const [fn, raw, args, kernel] of rows) {
      const hex = `0x${(raw >>> 0).toString(16)}`;
      it(`${fn}(${args.join(', ')}) on ${hex}: ${kernel.join(', ')}`, () => {
        const log = run(STRATEGIES[name], fn, raw, args);
        assert.deepEqual(ofLog(log), ofKernel(kernel));
        // every access names its ordering: none is left to the default
        assert.deepEqual(
          log.filter((r) => !r.given),
          [],
        );
      });
    }
  });
}

describe('a failed cmpxchg is recorded with the ordering its success would have', () => {
  // the ordering holds on success only (cells.ts); the tests of the LKMM engine will see the
  // failure in the recorded `exchanged`, as linux-kernel.bell sees FailedRMW
  it('classic tryGet raced by another get: atomic_read, then two atomic_try_cmpxchg', () => {
    const { cells, log } = recordingCells(Int32Array.of(1));
    let raced = false;
    const racing: Cells = {
      ...cells,
      cas: (i, e, r, o) => {
        if (!raced) cells.store(i, 2, 'once'); // the other get, before our first try
        raced = true;
        return cells.cas(i, e, r, o);
      },
    };
    assert.equal(STRATEGIES.classic.tryGet(racing, 0), true);
    const ours = log.filter((_, k) => k !== 1); // without the other get's store
    assert.deepEqual(ofLog(ours), ofKernel([...ADD_UNLESS, 'atomic_try_cmpxchg']));
    assert.deepEqual(
      ours.map((r) => r.exchanged),
      [undefined, false, true],
    );
  });
  it('frozen-bit decAndTest that finds the zero revived: the cmpxchg fails', () => {
    const log = run(STRATEGIES['frozen-bit'], 'decAndTest', 1, [], undefined);
    assert.equal(log.at(-1)!.exchanged, true);
    const { cells, log: raced } = recordingCells(Int32Array.of(1));
    const revive: Cells = {
      ...cells,
      cas: (i, e, r, o) => (cells.add(i, 1, 'mb'), cells.cas(i, e, r, o)),
    };
    assert.equal(STRATEGIES['frozen-bit'].decAndTest(revive, 0), false);
    assert.deepEqual(
      raced.map((r) => [call(r.method, r.order), r.exchanged]),
      [
        ['sub mb', undefined],
        ['add mb', undefined],
        ['cas relaxed', false],
      ],
    );
  });
});

describe('the debug checks read as the kernel does: atomic_read()', () => {
  const s = STRATEGIES['frozen-bit'];
  const rows: [Strategy, keyof PageRefApi, number, number[], KernelCall[]][] = [
    // VM_WARN_ON_ONCE_PAGE(__page_is_frozen(page), page), then the operation
    [withDebugChecks(s, { guards: false }), 'add', 3, [2], ['atomic_read', 'atomic_add']],
    [withDebugChecks(s, { guards: false }), 'dec', 2, [], ['atomic_read', 'atomic_dec']],
    // VM_BUG_ON_PAGE(page_count(page) != 0, page) in page_ref_unfreeze()
    [
      withDebugChecks(s, { guards: false }),
      'unfreeze',
      F,
      [1],
      ['atomic_read', 'atomic_set_release'],
    ],
    // the library's guards (no kernel source) read the same way
    [withDebugChecks(s), 'decAndTest', 2, [], ['atomic_read', 'atomic_dec_and_test']],
    [withDebugChecks(s), 'tryGet', 1, [], ['atomic_read', 'atomic_add_return']],
  ];
  for (const [wrapped, fn, raw, args, kernel] of rows) {
    it(`${fn}(${args.join(', ')}): ${kernel.join(', ')}`, () => {
      const log = run(wrapped, fn, raw, args);
      assert.deepEqual(ofLog(log), ofKernel(kernel));
      assert.ok(log.every((r) => r.given));
    });
  }
});

describe('an ordering left out is the strongest for that method, never a weaker one', () => {
  /** How strong each ordering is, as the LKMM orders them. */
  const RANK: Record<Order, number> = {
    noreturn: 0,
    once: 1,
    relaxed: 1,
    acquire: 2,
    release: 2,
    mb: 3,
  };
  /** What each method may be given (the types of cells.ts), as values. */
  const ALLOWED: Record<CellsMethod, Order[]> = {
    load: ['once', 'acquire'],
    store: ['once', 'release'],
    add: ['noreturn', 'relaxed', 'acquire', 'release', 'mb'],
    sub: ['noreturn', 'relaxed', 'acquire', 'release', 'mb'],
    cas: ['relaxed', 'acquire', 'release', 'mb'],
  };
  it('STRONGEST is, per method, the strongest ordering that method may be given', () => {
    for (const [method, allowed] of Object.entries(ALLOWED) as [CellsMethod, Order[]][]) {
      const strongest = STRONGEST[method];
      assert.ok(allowed.includes(strongest), method);
      assert.ok(
        allowed.every((o) => RANK[o] <= RANK[strongest]),
        method,
      );
    }
    assert.deepEqual(
      Object.values(STRONGEST).map((o) => LKMM_TAG[o]),
      ['ACQUIRE', 'RELEASE', 'MB', 'MB', 'MB'],
    );
  });

  it("a user's strategy file without orderings runs, every access at the strongest", async () => {
    const url = new URL('../../../examples/naive-fetch-add.js', import.meta.url);
    const user = ((await import(url.href)) as { default: Strategy }).default;
    const rows: [keyof PageRefApi, number, number[], string[]][] = [
      ['count', 3, [], ['load acquire']],
      ['set', 3, [2], ['store release']],
      ['add', 3, [2], ['add mb']],
      ['dec', 3, [], ['sub mb']],
      ['decAndTest', 1, [], ['sub mb']],
      ['tryGet', 1, [], ['add mb']],
      ['freeze', 1, [1], ['cas mb']],
    ];
    for (const [fn, raw, args, expected] of rows) {
      const log = run(user, fn, raw, args);
      assert.deepEqual(ofLog(log), expected, fn);
      assert.ok(
        log.every((r) => !r.given),
        fn,
      );
    }
  });
});
