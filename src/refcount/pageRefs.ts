/**
 * `PageRefs`: the page_ref API over a SharedArrayBuffer (or any `Cells`), with a strategy
 * bound to its counters by closures; its options.
 *
 * @module
 */

import type { Cells } from '../cells/cells.js';
import { AtomicCells } from '../cells/atomicCells.js';
import type { PageRefApi } from './pageRefApi.js';
import type { Strategy, StrategyName } from './strategy.js';
import { strategyByName } from './strategies.js';
import { withDebugChecks } from './debugChecks.js';
import {
  checkCount,
  checkDebug,
  checkNr,
  checkOptions,
  checkPage,
  checkPageCount,
  checkRegion,
  checkStrategy,
} from './checks.js';
import { REFS_HEADER_BYTES, readHeader, regionBytesFor, writeHeader } from './header.js';

export { MAX_PAGES } from './checks.js';

/** Options for {@link PageRefs}. */
export interface PageRefsOptions {
  /** Number of pages (counters); an integer from 1 to {@link MAX_PAGES}. */
  pages: number;
  /** The algorithm. Defaults to `'frozen-bit'`, the v4 design. */
  strategy?: StrategyName;
  /** Run the debug checks of seed 002 patch 1/2 (throwing PageRefDebugError). Defaults to false. */
  debug?: boolean;
  /**
   * Place the header and counters in this buffer, from `byteOffset` on, instead of a new
   * one: for structures that keep their refcounts in their own buffer (as `PageCache` does).
   * The region needs {@link PageRefs.bytesFor}(pages) bytes; its previous contents are
   * overwritten. Defaults to a new buffer of exactly that size.
   */
  buffer?: SharedArrayBuffer;
  /** Where the region starts in `buffer`: a non-negative multiple of 4. Defaults to 0. */
  byteOffset?: number;
}

/** Options for {@link PageRefs.attach}. */
export interface AttachOptions {
  /** Where the PageRefs region starts in the buffer (as given to `new PageRefs`). Defaults to 0. */
  byteOffset?: number;
  /** If given, the buffer's strategy must be this one. */
  strategy?: StrategyName;
  /** Run the debug checks in this worker. Defaults to false. */
  debug?: boolean;
}

/** Options for {@link PageRefs.over}. */
export interface OverOptions {
  /** Number of pages: cells 0 … pages-1 are the counters. */
  pages: number;
  /** A built-in strategy's name, or a strategy object (a user's, for the checker). */
  strategy: StrategyName | Strategy;
  /** Run the kernel's debug checks (seed 002 patch 1/2, page_ref_unfreeze's). Defaults to false. */
  debug?: boolean;
  /**
   * With `debug`, also run the library's guards (see `withDebugChecks`), as `new PageRefs`
   * and `attach` do. Defaults to false here: each guard is one more shared access, which under
   * the checker would be one more scheduling point.
   */
  guards?: boolean;
}

/** @internal How attach() and over() hand existing cells to the constructor. */
export interface Existing {
  readonly cells: Cells;
  readonly sab: SharedArrayBuffer | undefined;
  readonly strategy: Strategy;
  /** Whether debug mode runs the library's guards besides the kernel's checks. */
  readonly guards: boolean;
}

/** The page_ref API that a PageRefs exposes, plus its diagnostics. */
type Bound = PageRefApi & { raw(p: number): number };

// The class gets the page_ref API's methods from PageRefApi, declared once; the constructor
// assigns them from bind(), whose result the compiler checks against that same interface.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface PageRefs extends Readonly<PageRefApi> {
  /** The 32-bit counter as stored (a signed Int32), for diagnostics. */
  readonly raw: (p: number) => number;
}

/**
 * Page reference counts over a `SharedArrayBuffer`: the kernel's page_ref API, one counter
 * per page, with the algorithm chosen by `strategy`.
 *
 * Any worker may call any method at any time; each is linearizable at one atomic operation
 * of the strategy (see the strategy files). Arguments are checked on every call: a bad page
 * index, `nr` or count throws a TypeError or RangeError and never touches a counter.
 *
 * @example
 * const refs = new PageRefs({ pages: 16 }); // every page starts free (frozen)
 * refs.init(3); // the allocator hands out page 3
 * if (refs.tryGet(3)) {
 *   // a speculative get: re-check that page 3 is the page you wanted, use it, put it
 *   if (refs.decAndTest(3)) console.log('the last reference: free page 3');
 * }
 * // another worker opens the same counters: PageRefs.attach(refs.buffer)
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class PageRefs {
  /** Number of pages. */
  readonly pages: number;
  /**
   * The strategy's name. For {@link PageRefs.over} with a strategy object, that object's
   * `name`, which for a user's strategy is none of the built-in names.
   */
  readonly strategy: StrategyName;
  /** Whether debug checks run. */
  readonly debug: boolean;
  /** Where this PageRefs region starts in {@link PageRefs.buffer} (0 for over()). */
  readonly byteOffset: number;
  readonly #sab: SharedArrayBuffer | undefined;

  /**
   * Creates counters in which every page is free (frozen, as the allocator leaves it), in a
   * new buffer or in `options.buffer` at `options.byteOffset`.
   * @throws TypeError or RangeError, before writing anything, if an option is not valid.
   */
  constructor(options: PageRefsOptions);
  /** @internal attach() and over(): counters that already exist. */
  constructor(options: PageRefsOptions, existing: Existing);
  constructor(options: PageRefsOptions, existing?: Existing) {
    checkOptions('new PageRefs', options, '{ pages, strategy?, debug?, buffer?, byteOffset? }');
    const { pages, debug = false } = options;
    checkPageCount(pages);
    checkDebug(debug);
    // a user's strategy object reaches here only through over()
    const s =
      existing?.strategy ??
      strategyByName(options.strategy === undefined ? 'frozen-bit' : options.strategy);
    let cells: Cells;
    const offset = options.byteOffset ?? 0;
    if (existing) {
      cells = existing.cells;
      this.#sab = existing.sab;
    } else {
      const sab =
        options.buffer === undefined
          ? new SharedArrayBuffer(regionBytesFor(pages))
          : options.buffer;
      checkRegion('new PageRefs', sab, offset, regionBytesFor(pages));
      this.#sab = sab;
      cells = new AtomicCells(new Int32Array(sab, offset + REFS_HEADER_BYTES, pages));
      // A zeroed counter is the transitional zero of the frozen-bit design, which a getter
      // may take: start every page free, as set_page_count_frozen() leaves it.
      for (let p = 0; p < pages; p++) s.setFrozen(cells, p);
      writeHeader(sab, offset, { strategy: s.name as StrategyName, pages });
    }
    this.pages = pages;
    this.strategy = s.name as StrategyName;
    this.debug = debug;
    this.byteOffset = offset;
    const guards = existing?.guards ?? true;
    Object.assign(this, bind(debug ? withDebugChecks(s, { guards }) : s, cells, pages));
  }

  /**
   * Opens the counters of `buffer` (made by `new PageRefs` in any worker) in this worker.
   * @throws TypeError if `buffer` is not a SharedArrayBuffer or `options` not an object;
   *   RangeError if the buffer is too small, has no PageRefs header at `byteOffset`, or its
   *   strategy differs from `options.strategy`.
   */
  static attach(buffer: SharedArrayBuffer, options: AttachOptions = {}): PageRefs {
    checkOptions('PageRefs.attach', options, '{ byteOffset?, strategy?, debug? }');
    const { byteOffset = 0, debug = false } = options;
    checkDebug(debug);
    const header = readHeader('PageRefs.attach', buffer, byteOffset);
    if (options.strategy !== undefined && options.strategy !== header.strategy) {
      throw new RangeError(
        `PageRefs.attach: buffer uses strategy '${header.strategy}', but '${options.strategy}' was asked for`,
      );
    }
    const view = new Int32Array(buffer, byteOffset + REFS_HEADER_BYTES, header.pages);
    return new PageRefs(
      { pages: header.pages, debug, byteOffset },
      {
        cells: new AtomicCells(view),
        sab: buffer,
        strategy: strategyByName(header.strategy),
        guards: true,
      },
    );
  }

  /**
   * Bytes a PageRefs region of `pages` pages takes: a 64-byte header and one Int32 per
   * page. Size a buffer with it when passing `buffer` to `new PageRefs`.
   */
  static bytesFor(pages: number): number {
    checkPageCount(pages);
    return regionBytesFor(pages);
  }

  /**
   * PageRefs over another `Cells` implementation, with no buffer: this is how the checker
   * runs this very class (argument checks, debug checks, strategy) on model memory. The
   * cells are used as they are: nothing is initialized.
   */
  static over(cells: Cells, options: OverOptions): PageRefs {
    checkOptions('PageRefs.over', options, '{ pages, strategy, debug?, guards? }');
    const strategy =
      typeof options.strategy === 'string' ? strategyByName(options.strategy) : options.strategy;
    checkStrategy(strategy);
    const { pages, debug, guards = false } = options;
    if (typeof guards !== 'boolean') throw new TypeError(`guards must be a boolean, got ${guards}`);
    return new PageRefs({ pages, debug }, { cells, sab: undefined, strategy, guards });
  }

  /** The SharedArrayBuffer holding the header and counters; post it to other workers. */
  get buffer(): SharedArrayBuffer {
    if (!this.#sab)
      throw new Error('PageRefs.buffer: these counters live in model cells, not a buffer');
    return this.#sab;
  }
}

/**
 * The API methods of a PageRefs, as closures over constants. A prototype method would read
 * `this.ops` and `this.cells` on every call, and the JIT cannot keep those loads out of a
 * loop of atomic operations; captured `const`s it can. scripts/microbench.ts measured
 * tryGet+decAndTest at 1.062× raw `Atomics` with prototype methods, 1.014× as closures.
 */
function bind(ops: Strategy, cells: Cells, pages: number): Bound {
  return {
    count: (p) => {
      checkPage(p, pages);
      return ops.count(cells, p);
    },
    set: (p, v) => {
      checkPage(p, pages);
      checkCount('set', v);
      ops.set(cells, p, v);
    },
    init: (p) => {
      checkPage(p, pages);
      ops.init(cells, p);
    },
    setFrozen: (p) => {
      checkPage(p, pages);
      ops.setFrozen(cells, p);
    },
    add: (p, nr) => {
      checkPage(p, pages);
      checkNr(nr);
      ops.add(cells, p, nr);
    },
    sub: (p, nr) => {
      checkPage(p, pages);
      checkNr(nr);
      ops.sub(cells, p, nr);
    },
    inc: (p) => {
      checkPage(p, pages);
      ops.inc(cells, p);
    },
    dec: (p) => {
      checkPage(p, pages);
      ops.dec(cells, p);
    },
    incReturn: (p) => {
      checkPage(p, pages);
      return ops.incReturn(cells, p);
    },
    decReturn: (p) => {
      checkPage(p, pages);
      return ops.decReturn(cells, p);
    },
    subReturn: (p, nr) => {
      checkPage(p, pages);
      checkNr(nr);
      return ops.subReturn(cells, p, nr);
    },
    subAndTest: (p, nr) => {
      checkPage(p, pages);
      checkNr(nr);
      return ops.subAndTest(cells, p, nr);
    },
    decAndTest: (p) => {
      checkPage(p, pages);
      return ops.decAndTest(cells, p);
    },
    tryAdd: (p, nr) => {
      checkPage(p, pages);
      checkNr(nr);
      return ops.tryAdd(cells, p, nr);
    },
    tryGet: (p) => {
      checkPage(p, pages);
      return ops.tryGet(cells, p);
    },
    freeze: (p, count) => {
      checkPage(p, pages);
      checkCount('freeze', count);
      return ops.freeze(cells, p, count);
    },
    unfreeze: (p, count) => {
      checkPage(p, pages);
      checkCount('unfreeze', count);
      ops.unfreeze(cells, p, count);
    },
    isFrozen: (p) => {
      checkPage(p, pages);
      return ops.isFrozen(cells, p);
    },
    raw: (p) => {
      checkPage(p, pages);
      return cells.load(p);
    },
  };
}
