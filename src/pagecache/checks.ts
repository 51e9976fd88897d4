/**
 * The argument and option checks of `PageCache`: each throws a TypeError (wrong kind of
 * value) or a RangeError (right kind, out of range) that says what was expected and what was
 * found, before the cache changes. The checks on the read path are one or two comparisons,
 * inline in `PageCache`; their messages are built here, out of line.
 *
 * @module
 */

import type { Destructor } from './pageCache.js';
import {
  CACHE_FORMAT_VERSION,
  CACHE_HEADER,
  CACHE_HEADER_BYTES,
  CACHE_MAGIC,
  layoutFor,
} from './layout.js';

/** The largest key: keys are unsigned 32-bit integers. */
export const MAX_KEY = 0xffffffff;
/** The most pages a cache may have. */
export const MAX_CACHE_PAGES = 1 << 20;

/** An options argument: an object, not null, not an array. */
export function checkObject(who: string, options: unknown, shape: string): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${who}: expected an options object ${shape}, got ${String(options)}`);
  }
}

/** `pages` and `pageSize` of a new cache. */
export function checkGeometry(pages: number, pageSize: number): void {
  if (!Number.isInteger(pageSize) || pageSize < 64 || pageSize > 1 << 20 || pageSize % 8 !== 0) {
    throw new RangeError(`pageSize must be a multiple of 8 from 64 to 1048576, got ${pageSize}`);
  }
  if (!Number.isInteger(pages) || pages < 1 || pages > MAX_CACHE_PAGES) {
    throw new RangeError(`pages must be an integer from 1 to ${MAX_CACHE_PAGES}, got ${pages}`);
  }
}

/** `destructors`: an object whose keys are Int32 type tags and whose values are functions. */
export function checkDestructors(d: unknown): ReadonlyMap<number, Destructor> {
  const map = new Map<number, Destructor>();
  if (d === undefined) return map;
  if (typeof d !== 'object' || d === null || Array.isArray(d)) {
    throw new TypeError(
      `destructors must be an object mapping type tags to functions, got ${typeof d === 'string' ? JSON.stringify(d) : String(d)}`,
    );
  }
  for (const [tag, fn] of Object.entries(d)) {
    const type = Number(tag);
    if (!Number.isInteger(type) || (type | 0) !== type) {
      throw new TypeError(`destructors: type tag ${JSON.stringify(tag)} is not an Int32`);
    }
    if (typeof fn !== 'function') {
      throw new TypeError(`destructors[${tag}] must be a function, got ${typeof fn}`);
    }
    map.set(type, fn as Destructor);
  }
  return map;
}

/**
 * What `PageCache.open` needs before it makes views: a SharedArrayBuffer, options without
 * the geometry (which comes from the buffer), and a header of this format that fits the
 * buffer.
 * @returns the page count and page size the header gives.
 */
export function checkOpen(
  buffer: SharedArrayBuffer,
  options: object,
): { pages: number; pageSize: number } {
  if (!(buffer instanceof SharedArrayBuffer)) {
    throw new TypeError(`PageCache.open: expected a SharedArrayBuffer, got ${typeof buffer}`);
  }
  checkObject('PageCache.open', options, '{ strategy?, debug?, destructors? }');
  for (const read of ['pages', 'pageSize'] as const) {
    if (read in options) {
      throw new TypeError(
        `PageCache.open: ${read} is read from the buffer's header; do not pass it`,
      );
    }
  }
  const header =
    buffer.byteLength >= CACHE_HEADER_BYTES
      ? new Int32Array(buffer, 0, CACHE_HEADER_BYTES / 4)
      : undefined;
  if (!header || Atomics.load(header, CACHE_HEADER.magic) !== CACHE_MAGIC) {
    throw new RangeError('PageCache.open: not a page cache buffer (no page cache header)');
  }
  if (header[CACHE_HEADER.version] !== CACHE_FORMAT_VERSION) {
    throw new RangeError(
      `PageCache.open: format version ${header[CACHE_HEADER.version]}, expected ${CACHE_FORMAT_VERSION}`,
    );
  }
  const pages = header[CACHE_HEADER.pages]!;
  const pageSize = header[CACHE_HEADER.pageSize]!;
  const valid = pages >= 1 && pages <= MAX_CACHE_PAGES && pageSize >= 64 && pageSize <= 1 << 20;
  if (!valid || buffer.byteLength < layoutFor(pages, pageSize).bytes) {
    throw new RangeError(
      `PageCache.open: the header's ${pages} pages of ${pageSize} bytes do not fit the ${buffer.byteLength}-byte buffer`,
    );
  }
  return { pages, pageSize };
}

/** `insert`'s type tag (an Int32) and contents (at most a page of bytes, or a fill function). */
export function checkInsert(type: number, contents: unknown, pageSize: number): void {
  if (!Number.isInteger(type) || (type | 0) !== type)
    throw new RangeError(`type must be an Int32, got ${type}`);
  if (
    typeof contents !== 'function' &&
    (!(contents instanceof Uint8Array) || contents.length > pageSize)
  ) {
    throw new RangeError(
      `insert: expected at most ${pageSize} bytes in a Uint8Array, or a fill function`,
    );
  }
}

/** `audit`'s held references: a Map from pages in range to integer counts ≥ 0. */
export function checkHeld(held: unknown, pages: number): void {
  if (!(held instanceof Map))
    throw new TypeError(`audit: held must be a Map of pages to counts, got ${String(held)}`);
  for (const [page, count] of held) {
    if (
      !Number.isInteger(page) ||
      page < 0 ||
      page >= pages ||
      !Number.isInteger(count) ||
      count < 0
    )
      throw new RangeError(
        `audit: held must map pages (0 … ${pages - 1}) to counts (integers ≥ 0), got ${String(page)} → ${String(count)}`,
      );
  }
}

/** A page number for `view`. */
export function checkViewPage(page: number, pages: number): void {
  if (!Number.isInteger(page) || page < 0 || page >= pages) {
    throw new RangeError(`page must be an integer from 0 to ${pages - 1}, got ${page}`);
  }
}

/** A new destination for `read`. */
export function checkDestination(into: unknown): asserts into is Uint8Array {
  if (!(into instanceof Uint8Array)) {
    throw new RangeError(`read: the destination must be a Uint8Array, got ${String(into)}`);
  }
}

/** The error of a read range outside the page. */
export function badRange(offset: number, length: number, pageSize: number): RangeError {
  return new RangeError(
    `read of ${length} bytes at offset ${offset} is outside the ${pageSize}-byte page`,
  );
}

/** The error of a read whose destination is too short. */
export function noRoom(length: number, intoOffset: number): RangeError {
  return new RangeError(`read: destination has no room for ${length} bytes at ${intoOffset}`);
}

/** The error of a key that is not an unsigned 32-bit integer. */
export function badKey(key: unknown): RangeError {
  return new RangeError(`key must be an integer from 0 to ${MAX_KEY}, got ${String(key)}`);
}
