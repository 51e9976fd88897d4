/**
 * The page cache's one SharedArrayBuffer, in order. Every region starts on a 128-byte
 * boundary: x86 prefetches cache lines in aligned pairs, so the hot counters must not share
 * a pair with the metadata and index that every reader loads.
 *
 *   header    16 Int32: magic, version, page size, pages, index slots, writer lock,
 *             free-stack top, generation counter
 *   refs      a PageRefs region: one counter per page (PageRefs.bytesFor(pages))
 *   meta      per page, 4 Int32: key, type tag, generation, (spare)
 *   index     `slots` Int32, open addressing: EMPTY, TOMBSTONE, or a page number
 *   free      `pages` Int32: a stack of free page numbers (under the writer lock)
 *   data      `pages` × page size bytes
 *
 * Invariants: a page is in the index xor on the free stack xor held by a writer between
 * the two (under the lock); a free page's counter is frozen; a page's bytes and meta change
 * only while it is off the index and frozen (so never under a reader's reference).
 *
 * @module
 */

import { PageRefs } from '../refcount/pageRefs.js';

/** The page cache header's fields, as Int32 word indices. */
export const CACHE_HEADER = {
  magic: 0,
  version: 1,
  pageSize: 2,
  pages: 3,
  slots: 4,
  lock: 5,
  freeTop: 6,
  generation: 7,
} as const;
/** "PCAC" in ASCII. */
export const CACHE_MAGIC = 0x50434143;
/** Bumped whenever the page cache's layout changes. */
export const CACHE_FORMAT_VERSION = 1;
/** Size of the page cache header: one 64-byte cache line. */
export const CACHE_HEADER_BYTES = 64;
/** Int32 words of metadata per page. */
export const META_WORDS = 4;
/** The metadata fields of a page, as offsets in its {@link META_WORDS} words. */
export const META = { key: 0, type: 1, generation: 2 } as const;
/** An index slot that ends every probe. */
export const EMPTY = -1;
/** An index slot whose page was removed: probes walk past it. */
export const TOMBSTONE = -2;

/** Where each region of a page cache buffer starts, in bytes; see the module comment. */
export interface Layout {
  pageSize: number;
  pages: number;
  slots: number;
  refsOffset: number;
  metaOffset: number;
  indexOffset: number;
  freeOffset: number;
  dataOffset: number;
  bytes: number;
}

const line = (n: number) => Math.ceil(n / 128) * 128;

/** The layout of a cache of `pages` pages of `pageSize` bytes. */
export function layoutFor(pages: number, pageSize: number): Layout {
  // at most half full, so that probe sequences stay short; a power of two for masking
  let slots = 8;
  while (slots < 2 * pages) slots *= 2;
  const refsOffset = CACHE_HEADER_BYTES;
  const metaOffset = line(refsOffset + PageRefs.bytesFor(pages));
  const indexOffset = line(metaOffset + 4 * META_WORDS * pages);
  const freeOffset = line(indexOffset + 4 * slots);
  const dataOffset = line(freeOffset + 4 * pages);
  return {
    pageSize,
    pages,
    slots,
    refsOffset,
    metaOffset,
    indexOffset,
    freeOffset,
    dataOffset,
    bytes: dataOffset + pages * pageSize,
  };
}
