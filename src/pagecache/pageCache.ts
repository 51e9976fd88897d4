/**
 * `PageCache`: a page cache in one SharedArrayBuffer, shared by workers (the layout is in
 * layout.ts, the key index in keyIndex.ts, the free pages in freeStack.ts, the writers' lock
 * in writerLock.ts, the read path's copies in copy.ts, the argument checks in checks.ts, the
 * audit in audit.ts).
 *
 * @module
 */

import { PageRefs } from '../refcount/pageRefs.js';
import { PageRefDebugError } from '../refcount/debugChecks.js';
import type { StrategyName } from '../refcount/strategy.js';
import {
  CACHE_FORMAT_VERSION,
  CACHE_HEADER,
  CACHE_HEADER_BYTES,
  CACHE_MAGIC,
  EMPTY,
  META,
  META_WORDS,
  layoutFor,
} from './layout.js';
import { findPage, findSlot, insertSlot, unpublish } from './keyIndex.js';
import { lock, unlock } from './writerLock.js';
import { fillFreeStack, popFree, pushFree } from './freeStack.js';
import { WORD_COPY_MAX, copy64, copyWords } from './copy.js';
import { auditCache } from './audit.js';
import {
  badKey,
  badRange,
  checkDestination,
  checkDestructors,
  checkGeometry,
  checkHeld,
  checkInsert,
  checkObject,
  checkOpen,
  checkViewPage,
  noRoom,
} from './checks.js';

export { MAX_KEY, MAX_CACHE_PAGES } from './checks.js';

/**
 * Frees a page's contents when its last reference goes; chosen by the page's own type tag.
 * It runs under the writers' lock, in the worker whose put, evict or remove dropped the last
 * reference: it must not call back into the cache's writers (insert, evict, remove, put).
 */
export type Destructor = (bytes: Uint8Array, key: number, type: number) => void;

/** Options for {@link PageCache}. */
export interface PageCacheOptions {
  /** Pages in the pool: an integer from 1 to 1048576. */
  pages: number;
  /** Bytes per page, a multiple of 8 from 64 to 1 MiB. Defaults to 4096. */
  pageSize?: number;
  /** The refcount algorithm. Defaults to 'frozen-bit'. */
  strategy?: StrategyName;
  /** Run the refcount's debug checks (throwing PageRefDebugError). Defaults to false. */
  debug?: boolean;
  /**
   * Destructors by type tag, for this worker (functions cannot be shared between workers:
   * each worker passes its own). Read once, here. A type with none frees nothing extra.
   */
  destructors?: Record<number, Destructor>;
}

/** Options for {@link PageCache.open}; the page count and size come from the buffer. */
export interface OpenOptions {
  /** If given, the buffer's strategy must be this one. */
  strategy?: StrategyName;
  /** Run the refcount's debug checks in this worker. Defaults to false. */
  debug?: boolean;
  /** Destructors by type tag, for this worker; see {@link PageCacheOptions.destructors}. */
  destructors?: Record<number, Destructor>;
}

/** What {@link PageCache.insert} did: `page` is the page that holds the key. */
export type InsertResult =
  { kind: 'inserted'; page: number } | { kind: 'exists'; page: number } | { kind: 'full' };
/** What {@link PageCache.evict} did. */
export type EvictResult = 'evicted' | 'busy' | 'missing';
/** A fill function for {@link PageCache.insert}: writes the new page in place. */
export type Fill = (page: Uint8Array, generation: number) => void;

/** read() and get() of a key that is not cached. */
export const MISS = -1;

/**
 * A page cache in one SharedArrayBuffer, shared by workers: the use the refcount exists for.
 *
 * Readers never lock: `read` looks the key up in the index, takes a speculative reference
 * with `tryGet`, re-checks that the page still holds the key (it may have been evicted and
 * reused between the lookup and the get: the kernel's re-check after folio_try_get), copies,
 * and puts. Writers (`insert`, `evict`, `remove`, and a put that frees) serialize on a lock.
 * The cache itself holds one reference to every page in the index.
 *
 * @example
 * const cache = new PageCache({ pages: 64, pageSize: 4096 });
 * cache.insert(42, 0, new TextEncoder().encode('hello'));
 * const into = new Uint8Array(5);
 * if (cache.read(42, 0, 5, into) !== MISS) console.log(new TextDecoder().decode(into));
 * // another worker opens the same cache: PageCache.open(cache.buffer)
 */
export class PageCache {
  /** The page counters, in this cache's buffer: one reference per holder, plus the cache's. */
  readonly refs: PageRefs;
  /** Pages in the pool. */
  readonly pages: number;
  /** Bytes per page. */
  readonly pageSize: number;
  private readonly header: Int32Array;
  private readonly meta: Int32Array;
  private readonly index: Int32Array;
  private readonly free: Int32Array;
  private readonly data: Uint8Array;
  /** The data region as 4- and 8-byte words, for copies aligned so on both sides. */
  private readonly data32: Int32Array;
  private readonly data64: BigInt64Array;
  private readonly destructors: ReadonlyMap<number, Destructor>;
  /** The last destination of read(), checked, and its words (see adopt()). */
  private lastInto: Uint8Array = NO_DESTINATION;
  private lastWords: Int32Array = new Int32Array(0);
  private lastWords64: BigInt64Array = new BigInt64Array(0);

  /**
   * Creates a cache in a new buffer, every page free.
   * @throws TypeError or RangeError if an option is not valid.
   */
  constructor(options: PageCacheOptions);
  /** @internal used by open(): the buffer of an existing cache */
  constructor(options: PageCacheOptions, existing: SharedArrayBuffer);
  constructor(options: PageCacheOptions, existing?: SharedArrayBuffer) {
    checkObject('new PageCache', options, '{ pages, pageSize?, strategy?, debug?, destructors? }');
    const { pages, pageSize = 4096, strategy = 'frozen-bit', debug = false } = options;
    checkGeometry(pages, pageSize);
    this.destructors = checkDestructors(options.destructors);
    this.pages = pages;
    this.pageSize = pageSize;
    const L = layoutFor(pages, pageSize);
    const buffer = existing ?? new SharedArrayBuffer(L.bytes);
    if (existing) {
      const refs = PageRefs.attach(buffer, { byteOffset: L.refsOffset, debug });
      if (refs.pages !== pages) {
        throw new RangeError(
          `PageCache.open: the header says ${pages} pages, but its PageRefs region has ${refs.pages}`,
        );
      }
      this.refs = refs;
    } else {
      this.refs = new PageRefs({ pages, strategy, debug, buffer, byteOffset: L.refsOffset });
    }
    this.header = new Int32Array(buffer, 0, CACHE_HEADER_BYTES / 4);
    this.meta = new Int32Array(buffer, L.metaOffset, META_WORDS * pages);
    this.index = new Int32Array(buffer, L.indexOffset, L.slots);
    this.free = new Int32Array(buffer, L.freeOffset, pages);
    this.data = new Uint8Array(buffer, L.dataOffset, pages * pageSize);
    this.data32 = new Int32Array(buffer, L.dataOffset, (pages * pageSize) >> 2);
    this.data64 = new BigInt64Array(buffer, L.dataOffset, (pages * pageSize) >> 3);
    if (existing) return;
    this.index.fill(EMPTY);
    const h = this.header;
    fillFreeStack(h, this.free);
    h[CACHE_HEADER.pageSize] = pageSize;
    h[CACHE_HEADER.pages] = pages;
    h[CACHE_HEADER.slots] = L.slots;
    h[CACHE_HEADER.version] = CACHE_FORMAT_VERSION;
    Atomics.store(h, CACHE_HEADER.magic, CACHE_MAGIC); // publish: a page cache from here on
  }

  /**
   * Opens, in this worker, a cache made by `new PageCache` in any worker. The page count,
   * page size and strategy come from the buffer's header.
   * @throws TypeError if `buffer` is not a SharedArrayBuffer or an option is not valid;
   *   RangeError if the buffer holds no page cache, another format version, or a header
   *   that disagrees with the buffer's size or its PageRefs region.
   */
  static open(buffer: SharedArrayBuffer, options: OpenOptions = {}): PageCache {
    const { pages, pageSize } = checkOpen(buffer, options);
    const { strategy, ...rest } = options;
    const cache = new PageCache({ ...rest, pages, pageSize }, buffer);
    if (strategy !== undefined && strategy !== cache.refs.strategy) {
      throw new RangeError(
        `PageCache.open: buffer uses strategy '${cache.refs.strategy}', but ${JSON.stringify(strategy)} was asked for`,
      );
    }
    return cache;
  }

  /** The buffer to post to other workers. */
  get buffer(): SharedArrayBuffer {
    return this.header.buffer as SharedArrayBuffer;
  }

  /**
   * Copies `length` bytes from `offset` of the page cached under `key` into `into` at
   * `intoOffset`. Lock-free. The first read into a new destination makes two typed-array
   * views of it, which the cache keeps (and with them `into`) until a read into another
   * destination; reads into the same destination allocate nothing.
   * @returns the number of bytes copied (`length`), or MISS (-1) if the key is not cached.
   * @throws RangeError if the key, the range or the destination is not valid.
   */
  read(key: number, offset: number, length: number, into: Uint8Array, intoOffset = 0): number {
    // The rare paths (errors, unaligned copies) are out of line: a short read() leaves the
    // JIT's inlining budget to lookupAndGet() and put(), whose calls make up the rest.
    if (key >>> 0 !== key) throw badKey(key);
    if (offset >>> 0 !== offset || length >>> 0 !== length || offset + length > this.pageSize)
      throw badRange(offset, length, this.pageSize);
    // the destination of the last read was checked to be a Uint8Array then
    if (into !== this.lastInto) this.adopt(into);
    if (intoOffset >>> 0 !== intoOffset || intoOffset + length > into.length)
      throw noRoom(length, intoOffset);
    const p = this.lookupAndGet(key);
    if (p === MISS) return MISS;
    const from = p * this.pageSize + offset;
    const aligned = (from | intoOffset | length) & 7;
    const words64 = this.lastWords64;
    if (aligned === 0 && length <= WORD_COPY_MAX && (intoOffset + length) >> 3 <= words64.length) {
      copy64(this.data64, from >> 3, words64, intoOffset >> 3, length >> 3);
    } else copyWords(this.data, this.data32, from, length, into, intoOffset, this.lastWords);
    this.put(p);
    return length;
  }

  /**
   * Takes a reference to the page cached under `key`, for a caller that keeps it.
   * @returns the page number (then read its bytes with view(), and put() it), or MISS.
   */
  get(key: number): number {
    if (key >>> 0 !== key) throw badKey(key);
    return this.lookupAndGet(key);
  }

  /**
   * Drops a reference taken by get(). The last reference frees the page: the destructor of
   * the page's own type tag runs, and the page returns to the pool, frozen. Putting a page
   * you hold no reference to is a bug: with debug checks on, a put of a free page throws
   * PageRefDebugError before any change; with them off it corrupts the page's counter.
   * @returns true if this put freed the page.
   * @throws what the destructor threw, wrapped, after the page was freed.
   */
  put(page: number): boolean {
    if (this.refs.debug) this.checkPut(page);
    if (!this.refs.decAndTest(page)) return false;
    // from a fill or a destructor, this thread holds the writers' lock already
    if (HOLDING.has(this.header.buffer)) {
      this.release(page);
      return true;
    }
    this.lock('put');
    try {
      this.release(page);
    } finally {
      this.unlock();
    }
    return true;
  }

  /**
   * Debug checks on: a put that would drop the cache's own reference, the last one of a
   * page still in the index, throws first. A caller who holds a reference sees the count
   * at 2 or more while the page is indexed; the cache's reference goes only after the page
   * left the index (remove, evict), so a count of 1 and then the page still in the index
   * means the caller holds none (a put twice).
   */
  private checkPut(page: number): void {
    const raw = this.refs.raw(page);
    if (this.refs.count(page) !== 1) return;
    if (findPage(this.index, this.meta, this.keyOf(page)) !== page) return;
    throw new PageRefDebugError(
      'decAndTest',
      page,
      raw,
      "put of a page whose only reference is the cache's own (it is in the index): the caller holds none (a put twice?)",
    );
  }

  /**
   * Takes the writers' lock for `what`. A thread that holds it already is in a fill or a
   * destructor, which must not call a writer: waiting for the lock it holds would never end.
   */
  private lock(what: string): void {
    if (HOLDING.has(this.header.buffer))
      throw new Error(
        `PageCache.${what}: called from a fill or a destructor, which run under the writers' lock; they may call read, get, put, view and the getters, not insert, evict or remove`,
      );
    lock(this.header, CACHE_HEADER.lock);
    HOLDING.add(this.header.buffer);
  }

  private unlock(): void {
    HOLDING.delete(this.header.buffer);
    unlock(this.header, CACHE_HEADER.lock);
  }

  /** The bytes of a page the caller holds a reference to (a view, not a copy). */
  view(page: number): Uint8Array {
    checkViewPage(page, this.pages);
    return this.data.subarray(page * this.pageSize, (page + 1) * this.pageSize);
  }

  /** The key of a page (meaningful while the caller holds a reference to it). */
  keyOf(page: number): number {
    return Atomics.load(this.meta, page * META_WORDS + META.key) >>> 0;
  }
  /** The type tag of a page (meaningful while the caller holds a reference to it). */
  typeOf(page: number): number {
    return Atomics.load(this.meta, page * META_WORDS + META.type);
  }
  /** The generation of a page: a cache-wide counter, bumped by every insert. */
  generationOf(page: number): number {
    return Atomics.load(this.meta, page * META_WORDS + META.generation);
  }

  /**
   * Caches a page under `key` with type tag `type`. `contents` is either the bytes (at most
   * a page; the rest is zeroed) or a function that fills the page in place, given the
   * page's bytes and its new generation, before any reader can see it. If the function
   * throws, the page goes back to the pool and the error propagates: nothing is cached.
   * @returns inserted (and the page), exists (the key is cached already), or full.
   */
  insert(key: number, type: number, contents: Uint8Array | Fill): InsertResult {
    if (key >>> 0 !== key) throw badKey(key);
    checkInsert(type, contents, this.pageSize);
    this.lock('insert');
    try {
      const found = findPage(this.index, this.meta, key);
      if (found !== MISS) return { kind: 'exists', page: found };
      const p = popFree(this.header, this.free, this.refs);
      if (p === MISS) return { kind: 'full' };
      // the page is frozen and in no index: nobody can hold it while we fill it
      const m = p * META_WORDS;
      Atomics.store(this.meta, m + META.key, key | 0);
      Atomics.store(this.meta, m + META.type, type);
      const generation = Atomics.add(this.header, CACHE_HEADER.generation, 1) + 1;
      Atomics.store(this.meta, m + META.generation, generation);
      const base = p * this.pageSize;
      if (typeof contents === 'function') {
        try {
          contents(this.data.subarray(base, base + this.pageSize), generation);
        } catch (e) {
          pushFree(this.header, this.free, p); // still frozen and unpublished: back to the pool
          throw e;
        }
      } else {
        this.data.set(contents, base);
        this.data.fill(0, base + contents.length, base + this.pageSize);
      }
      this.refs.init(p); // publish: live, with the cache's reference
      Atomics.store(this.index, insertSlot(this.index, key), p); // publish: readers can find it
      return { kind: 'inserted', page: p };
    } finally {
      this.unlock();
    }
  }

  /**
   * Evicts `key` if only the cache holds its page: freeze at count 1, unpublish, free.
   * @returns evicted, busy (someone holds a reference; nothing changed), or missing.
   * @throws what the destructor threw, wrapped, after the page was freed.
   */
  evict(key: number): EvictResult {
    if (key >>> 0 !== key) throw badKey(key);
    this.lock('evict');
    try {
      const slot = findSlot(this.index, this.meta, key);
      if (slot < 0) return 'missing';
      const page = this.index[slot]!;
      if (!this.freezeForEvict(page)) return 'busy';
      unpublish(this.index, slot);
      this.release(page);
      return 'evicted';
    } finally {
      this.unlock();
    }
  }

  /**
   * Removes `key` from the index and drops the cache's reference; the page is freed by
   * whoever holds the last reference (truncate, where evict would say busy).
   * @returns false if the key was not cached.
   * @throws what the destructor threw, wrapped, after the page was freed.
   */
  remove(key: number): boolean {
    if (key >>> 0 !== key) throw badKey(key);
    let page: number;
    this.lock('remove');
    try {
      const slot = findSlot(this.index, this.meta, key);
      if (slot < 0) return false;
      page = this.index[slot]!;
      unpublish(this.index, slot);
    } finally {
      this.unlock();
    }
    this.put(page);
    return true;
  }

  /**
   * The eviction's freeze: only the cache's own reference may remain. A seam for tests,
   * which replace it to show what evicting without freezing breaks.
   */
  protected freezeForEvict(page: number): boolean {
    return this.refs.freeze(page, 1);
  }

  /**
   * When every worker is quiescent: checks that each page is in the index xor free, that
   * free pages are frozen, and that each live page's count is the cache's reference plus
   * `held[page]` (references that callers, or a killed worker, still hold).
   * @returns the violations found (empty if none).
   */
  audit(held: ReadonlyMap<number, number> = new Map()): string[] {
    checkHeld(held, this.pages);
    const { refs, header, index, free } = this;
    return auditCache({ refs, header, index, free }, held);
  }

  /** The read path's lookup + tryGet + re-check, on a key already checked. */
  private lookupAndGet(key: number): number {
    const index = this.index;
    const meta = this.meta;
    for (let attempt = 0; attempt < 4; attempt++) {
      const p = findPage(index, meta, key);
      if (p === MISS) return MISS;
      if (!this.refs.tryGet(p)) continue; // frozen: being evicted or freed; look again
      // The re-check: still the page we looked up. A plain load (see findPage) is enough:
      // the key was stored before the init() that our tryGet's read-modify-write follows.
      if (meta[p * META_WORDS + META.key]! >>> 0 === key) return p;
      this.put(p); // evicted and reused for another key between lookup and get
    }
    return MISS;
  }

  /**
   * Checks a new destination for read() and keeps it, with its Int32 words (empty if its
   * byteOffset is not a multiple of 4), for the next read: readers usually reuse one buffer.
   */
  private adopt(into: Uint8Array): void {
    checkDestination(into);
    this.lastInto = into;
    this.lastWords =
      (into.byteOffset & 3) === 0
        ? new Int32Array(into.buffer, into.byteOffset, into.length >> 2)
        : new Int32Array(0);
    this.lastWords64 =
      (into.byteOffset & 7) === 0
        ? new BigInt64Array(into.buffer, into.byteOffset, into.length >> 3)
        : new BigInt64Array(0);
  }

  /** Frees a page whose last reference is gone (caller holds the lock). */
  private release(page: number): void {
    const type = this.typeOf(page); // from the page itself, never from a caller's belief
    const destructor = this.destructors.get(type);
    if (!destructor) return pushFree(this.header, this.free, page);
    const key = this.keyOf(page);
    try {
      destructor(this.view(page), key, type);
    } catch (e) {
      throw new Error(
        `PageCache: the destructor for type ${type} threw while freeing page ${page} (key ${key}); the page was freed`,
        { cause: e },
      );
    } finally {
      pushFree(this.header, this.free, page);
    }
  }
}

/** read()'s destination before the first read: no caller's (undefined is not adopted). */
const NO_DESTINATION = new Uint8Array(0);

/**
 * The caches (by buffer) whose writers' lock this thread holds: a fill or a destructor
 * runs under it, and a writer called from one would wait for it forever.
 */
const HOLDING = new WeakSet<ArrayBufferLike>();
