import { PageRefs } from '../refcount/pageRefs.js';
import type { StrategyName } from '../refcount/strategy.js';
import {
  EMPTY,
  FORMAT_VERSION,
  HEADER,
  HEADER_BYTES,
  MAGIC,
  META,
  META_WORDS,
  TOMBSTONE,
  homeSlot,
  layoutFor,
  type Layout,
} from './layout.js';
import { lock, unlock } from './writerLock.js';

/** Frees a page's contents when its last reference goes; chosen by the page's own type tag. */
export type Destructor = (bytes: Uint8Array, key: number, type: number) => void;

export interface PageCacheOptions {
  /** Pages in the pool; an integer ≥ 1. */
  pages: number;
  /** Bytes per page, a multiple of 8 from 64 to 1 MiB. Defaults to 4096. */
  pageSize?: number;
  /** The refcount algorithm. Defaults to 'frozen-bit'. */
  strategy?: StrategyName;
  debug?: boolean;
  /** Destructors by type tag, for this worker; a type with none frees nothing extra. */
  destructors?: Record<number, Destructor>;
}

export interface OpenOptions {
  debug?: boolean;
  destructors?: Record<number, Destructor>;
}

export type InsertResult =
  { kind: 'inserted'; page: number } | { kind: 'exists'; page: number } | { kind: 'full' };
export type EvictResult = 'evicted' | 'busy' | 'missing';

/** read() of a key that is not cached. */
export const MISS = -1;

const MAX_KEY = 0xffffffff;

/**
 * A page cache in one SharedArrayBuffer, shared by workers: the use the refcount exists for.
 *
 * Readers never lock: `read` looks the key up in the index, takes a speculative reference
 * with `tryGet`, re-checks that the page still holds the key (it may have been evicted and
 * reused between the lookup and the get: the kernel's re-check after folio_try_get), copies,
 * and puts. Writers (`insert`, `evict`, `remove`, and a put that frees) serialize on a lock.
 * The cache itself holds one reference to every page in the index.
 */
export class PageCache {
  readonly refs: PageRefs;
  readonly pages: number;
  readonly pageSize: number;
  private readonly layout: Layout;
  private readonly header: Int32Array;
  private readonly meta: Int32Array;
  private readonly index: Int32Array;
  private readonly free: Int32Array;
  private readonly data: Uint8Array;
  private readonly destructors: Record<number, Destructor>;

  /** Creates a cache whose pages are all free. */
  constructor(options: PageCacheOptions);
  /** @internal used by open() */
  constructor(options: PageCacheOptions, buffer: SharedArrayBuffer);
  constructor(options: PageCacheOptions, existing?: SharedArrayBuffer) {
    const { pages, pageSize = 4096, strategy = 'frozen-bit', debug = false } = options;
    if (!Number.isInteger(pageSize) || pageSize < 64 || pageSize > 1 << 20 || pageSize % 8 !== 0) {
      throw new RangeError(`pageSize must be a multiple of 8 from 64 to 1048576, got ${pageSize}`);
    }
    if (!Number.isInteger(pages) || pages < 1 || pages > 1 << 20) {
      throw new RangeError(`pages must be an integer from 1 to 1048576, got ${pages}`);
    }
    this.layout = layoutFor(pages, pageSize);
    this.pages = pages;
    this.pageSize = pageSize;
    this.destructors = options.destructors ?? {};
    const buffer = existing ?? new SharedArrayBuffer(this.layout.bytes);
    const L = this.layout;
    this.header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    this.meta = new Int32Array(buffer, L.metaOffset, META_WORDS * pages);
    this.index = new Int32Array(buffer, L.indexOffset, L.slots);
    this.free = new Int32Array(buffer, L.freeOffset, pages);
    this.data = new Uint8Array(buffer, L.dataOffset, pages * pageSize);
    if (existing) {
      this.refs = PageRefs.attach(buffer, { byteOffset: L.refsOffset, debug });
      return;
    }
    this.refs = new PageRefs({ pages, strategy, debug, buffer, byteOffset: L.refsOffset });
    this.index.fill(EMPTY);
    for (let p = 0; p < pages; p++) this.free[p] = pages - 1 - p;
    const h = this.header;
    h[HEADER.pageSize] = pageSize;
    h[HEADER.pages] = pages;
    h[HEADER.slots] = L.slots;
    h[HEADER.freeTop] = pages;
    h[HEADER.version] = FORMAT_VERSION;
    Atomics.store(h, HEADER.magic, MAGIC); // publish: the buffer is a page cache from here on
  }

  /** Opens, in this worker, a cache made by `new PageCache` in any worker. */
  static open(buffer: SharedArrayBuffer, options: OpenOptions = {}): PageCache {
    if (!(buffer instanceof SharedArrayBuffer)) {
      throw new TypeError(`PageCache.open: expected a SharedArrayBuffer, got ${typeof buffer}`);
    }
    const header =
      buffer.byteLength >= HEADER_BYTES ? new Int32Array(buffer, 0, HEADER_BYTES / 4) : undefined;
    if (!header || Atomics.load(header, HEADER.magic) !== MAGIC) {
      throw new RangeError('PageCache.open: not a page cache buffer (no page cache header)');
    }
    if (header[HEADER.version] !== FORMAT_VERSION) {
      throw new RangeError(
        `PageCache.open: format version ${header[HEADER.version]}, expected ${FORMAT_VERSION}`,
      );
    }
    const pages = header[HEADER.pages]!;
    const pageSize = header[HEADER.pageSize]!;
    if (buffer.byteLength < layoutFor(pages, pageSize).bytes) {
      throw new RangeError('PageCache.open: buffer is shorter than its header says');
    }
    return new PageCache({ pages, pageSize, ...options }, buffer);
  }

  /** The buffer to post to other workers. */
  get buffer(): SharedArrayBuffer {
    return this.header.buffer as SharedArrayBuffer;
  }

  /**
   * Copies `length` bytes from `offset` of the page cached under `key` into `into`.
   * @returns the number of bytes copied, or MISS (-1) if the key is not cached.
   */
  read(key: number, offset: number, length: number, into: Uint8Array, intoOffset = 0): number {
    checkKey(key);
    if (
      !Number.isInteger(offset) ||
      !Number.isInteger(length) ||
      offset < 0 ||
      length < 0 ||
      offset + length > this.pageSize
    ) {
      throw new RangeError(
        `read of ${length} bytes at offset ${offset} is outside the ${this.pageSize}-byte page`,
      );
    }
    if (
      !(into instanceof Uint8Array) ||
      !Number.isInteger(intoOffset) ||
      intoOffset < 0 ||
      intoOffset + length > into.length
    ) {
      throw new RangeError(`read: destination has no room for ${length} bytes at ${intoOffset}`);
    }
    const p = this.get(key);
    if (p === MISS) return MISS;
    const from = p * this.pageSize + offset;
    const data = this.data;
    if (length <= 64) for (let i = 0; i < length; i++) into[intoOffset + i] = data[from + i]!;
    else into.set(data.subarray(from, from + length), intoOffset);
    this.put(p);
    return length;
  }

  /**
   * Takes a reference to the page cached under `key`, for a caller that keeps it.
   * @returns the page number (then read its bytes with view(), and put() it), or MISS.
   */
  get(key: number): number {
    checkKey(key);
    for (let attempt = 0; attempt < 4; attempt++) {
      const p = this.find(key);
      if (p === MISS) return MISS;
      if (!this.refs.tryGet(p)) continue; // frozen: being evicted or freed; look again
      if (this.keyOf(p) === key) return p; // the re-check: still the page we looked up
      this.put(p); // evicted and reused for another key between lookup and get
    }
    return MISS;
  }

  /**
   * Drops a reference taken by get(). The last reference frees the page: the destructor of
   * the page's own type tag runs, and the page returns to the pool, frozen.
   * @returns true if this put freed the page.
   */
  put(page: number): boolean {
    if (!this.refs.decAndTest(page)) return false;
    lock(this.header, HEADER.lock);
    try {
      this.release(page);
    } finally {
      unlock(this.header, HEADER.lock);
    }
    return true;
  }

  /** The bytes of a page the caller holds a reference to. */
  view(page: number): Uint8Array {
    if (!Number.isInteger(page) || page < 0 || page >= this.pages) {
      throw new RangeError(`page must be an integer from 0 to ${this.pages - 1}, got ${page}`);
    }
    return this.data.subarray(page * this.pageSize, (page + 1) * this.pageSize);
  }

  keyOf(page: number): number {
    return Atomics.load(this.meta, page * META_WORDS + META.key) >>> 0;
  }
  typeOf(page: number): number {
    return Atomics.load(this.meta, page * META_WORDS + META.type);
  }
  generationOf(page: number): number {
    return Atomics.load(this.meta, page * META_WORDS + META.generation);
  }

  /**
   * Caches a page under `key` with type tag `type`. `contents` is either the bytes (at most
   * a page; the rest is zeroed) or a function that fills the page in place, given the
   * page's bytes and its new generation, before any reader can see it.
   * @returns inserted (and the page), exists (the key is cached already), or full.
   */
  insert(
    key: number,
    type: number,
    contents: Uint8Array | ((page: Uint8Array, generation: number) => void),
  ): InsertResult {
    checkKey(key);
    if (!Number.isInteger(type) || (type | 0) !== type)
      throw new RangeError(`type must be an Int32, got ${type}`);
    if (
      typeof contents !== 'function' &&
      (!(contents instanceof Uint8Array) || contents.length > this.pageSize)
    ) {
      throw new RangeError(
        `insert: expected at most ${this.pageSize} bytes in a Uint8Array, or a fill function`,
      );
    }
    lock(this.header, HEADER.lock);
    try {
      const found = this.find(key);
      if (found !== MISS) return { kind: 'exists', page: found };
      const top = this.header[HEADER.freeTop]!;
      if (top === 0) return { kind: 'full' };
      const p = this.free[top - 1]!;
      this.header[HEADER.freeTop] = top - 1;
      // the page is frozen and in no index: nobody can hold it while we fill it
      const m = p * META_WORDS;
      Atomics.store(this.meta, m + META.key, key | 0);
      Atomics.store(this.meta, m + META.type, type);
      const generation = Atomics.add(this.header, HEADER.generation, 1) + 1;
      Atomics.store(this.meta, m + META.generation, generation);
      const base = p * this.pageSize;
      if (typeof contents === 'function') {
        contents(this.data.subarray(base, base + this.pageSize), generation);
      } else {
        this.data.set(contents, base);
        this.data.fill(0, base + contents.length, base + this.pageSize);
      }
      this.refs.init(p); // publish: live, with the cache's reference
      Atomics.store(this.index, this.insertSlot(key), p); // publish: readers can find it
      return { kind: 'inserted', page: p };
    } finally {
      unlock(this.header, HEADER.lock);
    }
  }

  /**
   * Evicts `key` if only the cache holds its page: freeze at count 1, unpublish, free.
   * @returns evicted, busy (someone holds a reference; nothing changed), or missing.
   */
  evict(key: number): EvictResult {
    checkKey(key);
    lock(this.header, HEADER.lock);
    try {
      const { page, slot } = this.lookup(key);
      if (page === MISS) return 'missing';
      if (!this.freezeForEvict(page)) return 'busy';
      this.unpublish(slot);
      this.release(page);
      return 'evicted';
    } finally {
      unlock(this.header, HEADER.lock);
    }
  }

  /**
   * Removes `key` from the index and drops the cache's reference; the page is freed by
   * whoever holds the last reference (truncate, where evict would say busy).
   * @returns false if the key was not cached.
   */
  remove(key: number): boolean {
    checkKey(key);
    let page: number;
    lock(this.header, HEADER.lock);
    try {
      const found = this.lookup(key);
      if (found.page === MISS) return false;
      this.unpublish(found.slot);
      page = found.page;
    } finally {
      unlock(this.header, HEADER.lock);
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
    const out: string[] = [];
    const inIndex = new Map<number, number>();
    for (let s = 0; s < this.layout.slots; s++) {
      const p = this.index[s]!;
      if (p >= 0) inIndex.set(p, (inIndex.get(p) ?? 0) + 1);
    }
    const free = new Set(Array.from(this.free.subarray(0, this.header[HEADER.freeTop]!)));
    for (let p = 0; p < this.pages; p++) {
      const indexed = inIndex.get(p) ?? 0;
      const extra = held.get(p) ?? 0;
      const raw = `raw 0x${(this.refs.raw(p) >>> 0).toString(16)}`;
      if (indexed > 1) out.push(`page ${p} is in the index ${indexed} times`);
      if (free.has(p)) {
        if (indexed) out.push(`page ${p} is both free and in the index`);
        if (!this.refs.isFrozen(p)) out.push(`free page ${p} is not frozen (${raw})`);
        if (extra) out.push(`free page ${p} is still held ${extra} time(s)`);
        continue;
      }
      const expected = (indexed ? 1 : 0) + extra;
      if (expected === 0) out.push(`page ${p} leaked: neither free, cached nor held (${raw})`);
      else if (this.refs.count(p) !== expected) {
        out.push(`page ${p}'s count is ${this.refs.count(p)}, expected ${expected} (${raw})`);
      }
    }
    return out;
  }

  /** Frees a page whose last reference is gone (caller holds the lock). */
  private release(page: number): void {
    const type = this.typeOf(page); // from the page itself, never from a caller's belief
    this.destructors[type]?.(this.view(page), this.keyOf(page), type);
    this.free[this.header[HEADER.freeTop]!] = page;
    this.header[HEADER.freeTop]! += 1;
  }

  /** The page cached under `key`, or MISS. Lock-free, and allocates nothing: the read path. */
  private find(key: number): number {
    return this.probe(key, false);
  }

  /** Writers (under the lock, so the slot cannot change): the slot and page of `key`. */
  private lookup(key: number): { page: number; slot: number } {
    const slot = this.probe(key, true);
    return { page: slot < 0 ? MISS : this.index[slot]!, slot };
  }

  /**
   * Walks `key`'s probe sequence. Returns the slot (`wantSlot`) or the page; the page is the
   * value this walk loaded and checked, never a second load of the slot, which a concurrent
   * evict may have turned into a TOMBSTONE meanwhile. MISS / -1 if not found.
   */
  private probe(key: number, wantSlot: boolean): number {
    const slots = this.layout.slots;
    let s = homeSlot(key, slots);
    for (let i = 0; i < slots; i++, s = (s + 1) & (slots - 1)) {
      const p = Atomics.load(this.index, s);
      if (p === EMPTY) break;
      if (p >= 0 && this.keyOf(p) === key) return wantSlot ? s : p;
    }
    return -1;
  }

  private insertSlot(key: number): number {
    const slots = this.layout.slots;
    let s = homeSlot(key, slots);
    while (Atomics.load(this.index, s) >= 0) s = (s + 1) & (slots - 1); // < half full: ends
    return s;
  }

  private unpublish(slot: number): void {
    // A slot followed by EMPTY ends every probe through it, so it can be EMPTY again;
    // otherwise it must stay a TOMBSTONE that probes walk past.
    const next = (slot + 1) & (this.layout.slots - 1);
    Atomics.store(this.index, slot, Atomics.load(this.index, next) === EMPTY ? EMPTY : TOMBSTONE);
  }
}

function checkKey(key: number): void {
  if (!Number.isInteger(key) || key < 0 || key > MAX_KEY) {
    throw new RangeError(`key must be an integer from 0 to ${MAX_KEY}, got ${key}`);
  }
}
