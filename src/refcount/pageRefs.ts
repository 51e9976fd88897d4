import type { Cells } from '../cells/cells.js';
import { AtomicCells } from '../cells/atomicCells.js';
import type { Strategy, StrategyName } from './strategy.js';
import { STRATEGY_NAMES, strategyByName } from './strategies.js';
import { withDebugChecks } from './debugChecks.js';
import {
  FORMAT_VERSION,
  HEADER,
  HEADER_BYTES,
  MAGIC,
  MAX_COUNT,
  bufferBytesFor,
} from './layout.js';

/** Options for {@link PageRefs}. */
export interface PageRefsOptions {
  /** Number of pages (counters); an integer ≥ 1. */
  pages: number;
  /** The algorithm. Defaults to `'frozen-bit'`, the v4 design. */
  strategy?: StrategyName;
  /** Run the debug checks of seed 002 patch 1/2 (throwing PageRefDebugError). Defaults to false. */
  debug?: boolean;
  /**
   * Place the header and counters in this buffer, from `byteOffset` on (a multiple of 4),
   * instead of a new one: for structures that keep their refcounts in their own buffer.
   * The region needs {@link PageRefs.bytesFor}(pages) bytes.
   */
  buffer?: SharedArrayBuffer;
  /** Where the region starts in `buffer`. Defaults to 0. */
  byteOffset?: number;
}

/** Options for {@link PageRefs.attach}. */
export interface AttachOptions {
  /** Where the PageRefs region starts in the buffer. Defaults to 0. */
  byteOffset?: number;
  /** If given, the buffer's strategy must be this one. */
  strategy?: StrategyName;
  /** Run the debug checks in this worker. Defaults to false. */
  debug?: boolean;
}

/** Options for {@link PageRefs.over}. */
export interface OverOptions {
  pages: number;
  /** A built-in strategy's name, or a strategy object (a user's, for the checker). */
  strategy: StrategyName | Strategy;
  debug?: boolean;
}

/** The largest page count a buffer may hold. */
export const MAX_PAGES = 1 << 28;

/**
 * Page reference counts over a `SharedArrayBuffer`: the kernel's page_ref API, one counter
 * per page, with the algorithm chosen by `strategy`.
 *
 * Any worker may call any method at any time; each is linearizable at one atomic operation
 * of the strategy (see the strategy files). Arguments are checked on every call: a bad page
 * index, `nr` or count throws a TypeError or RangeError and never touches a counter.
 *
 * @example
 * const refs = new PageRefs({ pages: 16 });   // every page starts free (frozen)
 * refs.init(3);                               // the allocator hands out page 3
 * if (refs.tryGet(3)) { ...; if (refs.decAndTest(3)) freePage(3); }
 * worker.postMessage(refs.buffer);            // elsewhere: PageRefs.attach(buffer)
 */
export class PageRefs {
  /** Number of pages. */
  readonly pages: number;
  /** The strategy's name. */
  readonly strategy: string;
  /** Whether debug checks run. */
  readonly debug: boolean;
  private readonly ops: Strategy;
  private readonly cells: Cells;
  private readonly sab: SharedArrayBuffer | undefined;
  /** Where this PageRefs region starts in {@link buffer}. */
  readonly byteOffset: number;

  /** Creates a new buffer in which every page is free: frozen, as the allocator leaves it. */
  constructor(options: PageRefsOptions);
  /** @internal used by attach() and over() */
  constructor(options: PageRefsOptions, cells: Cells, sab: SharedArrayBuffer | undefined);
  constructor(options: PageRefsOptions, cells?: Cells, sab?: SharedArrayBuffer) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError('PageRefs: expected an options object { pages, strategy?, debug? }');
    }
    const { pages, strategy = 'frozen-bit', debug = false } = options;
    checkPageCount(pages);
    const s: Strategy = typeof strategy === 'object' ? strategy : strategyByName(strategy);
    if (typeof debug !== 'boolean') throw new TypeError(`debug must be a boolean, got ${debug}`);
    this.pages = pages;
    this.strategy = s.name;
    this.debug = debug;
    this.ops = debug ? withDebugChecks(s) : s;
    const offset = options.byteOffset ?? 0;
    this.byteOffset = offset;
    if (cells) {
      this.cells = cells;
      this.sab = sab;
      Object.assign(this, pageRefApi(this.ops, this.cells, pages));
      return;
    }
    this.sab = options.buffer ?? new SharedArrayBuffer(bufferBytesFor(pages));
    checkRegion('new PageRefs', this.sab, offset, bufferBytesFor(pages));
    const header = new Int32Array(this.sab, offset, HEADER_BYTES / 4);
    header[HEADER.magic] = MAGIC;
    header[HEADER.version] = FORMAT_VERSION;
    header[HEADER.strategy] = STRATEGY_NAMES.indexOf(s.name as StrategyName);
    header[HEADER.pages] = pages;
    this.cells = new AtomicCells(new Int32Array(this.sab, offset + HEADER_BYTES, pages));
    // A zeroed counter is the transitional zero of the frozen-bit design, which a getter
    // may take: start every page free, as set_page_count_frozen() leaves it.
    for (let p = 0; p < pages; p++) s.setFrozen(this.cells, p);
    Object.assign(this, pageRefApi(this.ops, this.cells, pages));
  }

  /**
   * Opens the counters of `buffer` (made by `new PageRefs` in any worker) in this worker.
   * @throws TypeError if `buffer` is not a SharedArrayBuffer; RangeError if it is too small,
   *   has no PageRefs header, or its strategy differs from `options.strategy`.
   */
  static attach(buffer: SharedArrayBuffer, options: AttachOptions = {}): PageRefs {
    if (!(buffer instanceof SharedArrayBuffer)) {
      throw new TypeError(`PageRefs.attach: expected a SharedArrayBuffer, got ${describe(buffer)}`);
    }
    const offset = options.byteOffset ?? 0;
    if (buffer.byteLength < offset + HEADER_BYTES) {
      throw new RangeError(
        `PageRefs.attach: buffer of ${buffer.byteLength} bytes is too small for the ${HEADER_BYTES}-byte header`,
      );
    }
    checkRegion('PageRefs.attach', buffer, offset, HEADER_BYTES);
    const header = new Int32Array(buffer, offset, HEADER_BYTES / 4);
    const magic = Atomics.load(header, HEADER.magic);
    if (magic !== MAGIC) {
      throw new RangeError(
        `PageRefs.attach: not a PageRefs buffer (magic 0x${(magic >>> 0).toString(16)}, expected 0x${MAGIC.toString(16)})`,
      );
    }
    const version = Atomics.load(header, HEADER.version);
    if (version !== FORMAT_VERSION) {
      throw new RangeError(
        `PageRefs.attach: buffer format version ${version}, this library reads version ${FORMAT_VERSION}`,
      );
    }
    const name = STRATEGY_NAMES[Atomics.load(header, HEADER.strategy)];
    if (name === undefined) throw new RangeError('PageRefs.attach: unknown strategy id in header');
    if (options.strategy !== undefined && options.strategy !== name) {
      throw new RangeError(
        `PageRefs.attach: buffer uses strategy '${name}', but '${options.strategy}' was asked for`,
      );
    }
    const pages = Atomics.load(header, HEADER.pages);
    checkPageCount(pages);
    if (buffer.byteLength < offset + bufferBytesFor(pages)) {
      throw new RangeError(
        `PageRefs.attach: header says ${pages} pages, which need ${bufferBytesFor(pages)} bytes, but the buffer has ${buffer.byteLength - offset}`,
      );
    }
    const cells = new AtomicCells(new Int32Array(buffer, offset + HEADER_BYTES, pages));
    const attached = { pages, strategy: name, debug: options.debug ?? false, byteOffset: offset };
    return new PageRefs(attached, cells, buffer);
  }

  /** Bytes a PageRefs region of `pages` pages takes: the header and one Int32 per page. */
  static bytesFor(pages: number): number {
    checkPageCount(pages);
    return bufferBytesFor(pages);
  }

  /**
   * PageRefs over another {@link Cells} implementation, with no buffer: this is how the
   * checker runs this very class (argument checks, debug checks, strategy) on model memory.
   * The cells are used as they are: nothing is initialized.
   */
  static over(cells: Cells, options: OverOptions): PageRefs {
    return new PageRefs(options as PageRefsOptions, cells, undefined);
  }

  /** The SharedArrayBuffer holding the header and counters; post it to other workers. */
  get buffer(): SharedArrayBuffer {
    if (!this.sab)
      throw new Error('PageRefs.buffer: these counters live in model cells, not a buffer');
    return this.sab;
  }

  /** `page_ref_count`: the number of references; 0 for a frozen page. */
  declare readonly count: (p: number) => number;
  /** `set_page_count`: set a live count (1 … INT_MAX); use setFrozen() to mark a page free. */
  declare readonly set: (p: number, v: number) => void;
  /** `init_page_count`: the allocator hands the page out with one reference. */
  declare readonly init: (p: number) => void;
  /** `set_page_count_frozen`: the allocator marks the page free. */
  declare readonly setFrozen: (p: number) => void;
  /** `page_ref_add`: the caller holds a reference and takes `nr` more. */
  declare readonly add: (p: number, nr: number) => void;
  /** `page_ref_sub`: drop `nr` references, never the last (use subAndTest for that). */
  declare readonly sub: (p: number, nr: number) => void;
  /** `page_ref_inc`. */
  declare readonly inc: (p: number) => void;
  /** `page_ref_dec`. */
  declare readonly dec: (p: number) => void;
  /** `page_ref_inc_return`: @returns the new raw value. */
  declare readonly incReturn: (p: number) => number;
  /** `page_ref_dec_return`: @returns the new raw value. */
  declare readonly decReturn: (p: number) => number;
  /** `folio_ref_sub_return`: @returns the new raw value. */
  declare readonly subReturn: (p: number, nr: number) => number;
  /**
   * `page_ref_sub_and_test`: drop `nr` references.
   * @returns true if the caller dropped the last one and must free the page (choosing the
   *   destructor from the page's own data, never from what it believed the page was).
   */
  declare readonly subAndTest: (p: number, nr: number) => boolean;
  /**
   * `page_ref_dec_and_test` (folio_put_testzero): drop one reference.
   * @returns true if the caller must free the page. After false, the caller must not touch
   *   the page unless it holds another reference.
   */
  declare readonly decAndTest: (p: number) => boolean;
  /**
   * `page_ref_add_unless_frozen`: take `nr` references unless the page is frozen. Safe to
   * call on a page the caller holds no reference to (a speculative get).
   * @returns true if the references were taken; then re-check that the page is the one
   *   you wanted (it may have been freed and reused before the get).
   */
  declare readonly tryAdd: (p: number, nr: number) => boolean;
  /** `folio_try_get`: tryAdd(p, 1). */
  declare readonly tryGet: (p: number) => boolean;
  /**
   * `page_ref_freeze`: if the page holds exactly `count` references, freeze it, so that
   * every tryGet fails until unfreeze().
   * @returns true if frozen.
   */
  declare readonly freeze: (p: number, count: number) => boolean;
  /** `page_ref_unfreeze`: the frozen page goes live with `count` references. */
  declare readonly unfreeze: (p: number, count: number) => void;
  /** `__page_is_frozen`: whether the page is frozen (free, or frozen by freeze()). */
  declare readonly isFrozen: (p: number) => boolean;
  /** The 32-bit counter as stored (a signed Int32), for diagnostics. */
  declare readonly raw: (p: number) => number;
}

/**
 * The API methods of a PageRefs, as closures over constants. A prototype method would read
 * `this.ops` and `this.cells` on every call, and the JIT cannot keep those loads out of a
 * loop of atomic operations; captured `const`s it can. scripts/microbench.ts measured
 * tryGet+decAndTest at 1.062× raw `Atomics` with prototype methods, 1.014× as closures.
 */
function pageRefApi(ops: Strategy, cells: Cells, pages: number) {
  return {
    count: (p: number): number => {
      checkPage(p, pages);
      return ops.count(cells, p);
    },
    set: (p: number, v: number): void => {
      checkPage(p, pages);
      checkCount('set', v);
      ops.set(cells, p, v);
    },
    init: (p: number): void => {
      checkPage(p, pages);
      ops.init(cells, p);
    },
    setFrozen: (p: number): void => {
      checkPage(p, pages);
      ops.setFrozen(cells, p);
    },
    add: (p: number, nr: number): void => {
      checkPage(p, pages);
      checkNr(nr);
      ops.add(cells, p, nr);
    },
    sub: (p: number, nr: number): void => {
      checkPage(p, pages);
      checkNr(nr);
      ops.sub(cells, p, nr);
    },
    inc: (p: number): void => {
      checkPage(p, pages);
      ops.inc(cells, p);
    },
    dec: (p: number): void => {
      checkPage(p, pages);
      ops.dec(cells, p);
    },
    incReturn: (p: number): number => {
      checkPage(p, pages);
      return ops.incReturn(cells, p);
    },
    decReturn: (p: number): number => {
      checkPage(p, pages);
      return ops.decReturn(cells, p);
    },
    subReturn: (p: number, nr: number): number => {
      checkPage(p, pages);
      checkNr(nr);
      return ops.subReturn(cells, p, nr);
    },
    subAndTest: (p: number, nr: number): boolean => {
      checkPage(p, pages);
      checkNr(nr);
      return ops.subAndTest(cells, p, nr);
    },
    decAndTest: (p: number): boolean => {
      checkPage(p, pages);
      return ops.decAndTest(cells, p);
    },
    tryAdd: (p: number, nr: number): boolean => {
      checkPage(p, pages);
      checkNr(nr);
      return ops.tryAdd(cells, p, nr);
    },
    tryGet: (p: number): boolean => {
      checkPage(p, pages);
      return ops.tryGet(cells, p);
    },
    freeze: (p: number, count: number): boolean => {
      checkPage(p, pages);
      checkCount('freeze', count);
      return ops.freeze(cells, p, count);
    },
    unfreeze: (p: number, count: number): void => {
      checkPage(p, pages);
      checkCount('unfreeze', count);
      ops.unfreeze(cells, p, count);
    },
    isFrozen: (p: number): boolean => {
      checkPage(p, pages);
      return ops.isFrozen(cells, p);
    },
    raw: (p: number): number => {
      checkPage(p, pages);
      return cells.load(p);
    },
  };
}

// The checks are one or two comparisons inline; the messages are built out of line.

function checkPage(p: number, pages: number): void {
  if (p >>> 0 !== p || p >= pages) throw badPage(p, pages);
}

function checkNr(nr: number): void {
  if ((nr | 0) !== nr || nr <= 0) throw badInteger('nr', nr, 'a positive integer ≤ INT_MAX');
}

function checkCount(what: string, v: number): void {
  if ((v | 0) !== v || v <= 0) {
    const hint = what === 'set' && v === 0 ? '; use setFrozen() to mark a page free' : '';
    throw badInteger(`${what} count`, v, `an integer from 1 to ${MAX_COUNT}${hint}`);
  }
}

function checkRegion(who: string, buffer: unknown, offset: number, bytes: number): void {
  if (!(buffer instanceof SharedArrayBuffer)) {
    throw new TypeError(`${who}: buffer must be a SharedArrayBuffer, got ${describe(buffer)}`);
  }
  if (!Number.isInteger(offset) || offset < 0 || offset % 4 !== 0) {
    throw new RangeError(`${who}: byteOffset must be a non-negative multiple of 4, got ${offset}`);
  }
  if (offset + bytes > buffer.byteLength) {
    throw new RangeError(
      `${who}: ${bytes} bytes from byteOffset ${offset} do not fit a buffer of ${buffer.byteLength} bytes`,
    );
  }
}

function checkPageCount(pages: unknown): asserts pages is number {
  if (typeof pages !== 'number' || !Number.isInteger(pages) || pages < 1 || pages > MAX_PAGES) {
    throw badInteger('pages', pages, `an integer from 1 to ${MAX_PAGES}`);
  }
}

function badPage(p: unknown, pages: number): Error {
  if (typeof p !== 'number' || !Number.isInteger(p)) {
    return new TypeError(
      `page index must be an integer from 0 to ${pages - 1}, got ${describe(p)}`,
    );
  }
  return new RangeError(`page index ${p} out of range: expected 0 to ${pages - 1}`);
}

function badInteger(what: string, v: unknown, expected: string): Error {
  const Err = typeof v === 'number' && Number.isInteger(v) ? RangeError : TypeError;
  return new Err(`${what} must be ${expected}, got ${describe(v)}`);
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return String(v);
  return (v as object).constructor?.name ?? typeof v;
}
