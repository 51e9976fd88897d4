/**
 * The pool of free pages: a stack of page numbers in the cache's buffer, its top in the
 * header (`CACHE_HEADER.freeTop`). Changed only under the writers' lock, so plain loads and
 * stores; every page on it is frozen. A stack that is not what it should be (a top out of
 * range, an entry that is not a page, a live page on it) is refused before anything changes.
 *
 * @module
 */

import type { PageRefs } from '../refcount/pageRefs.js';
import { CACHE_HEADER } from './layout.js';

/** The stack of a new cache: every page, page 0 on top. */
export function fillFreeStack(header: Int32Array, free: Int32Array): void {
  const pages = free.length;
  for (let p = 0; p < pages; p++) free[p] = pages - 1 - p;
  header[CACHE_HEADER.freeTop] = pages;
}

/** Pops a free page (under the lock), or -1 if none; refuses a corrupted stack. */
export function popFree(header: Int32Array, free: Int32Array, refs: PageRefs): number {
  const pages = free.length;
  const top = header[CACHE_HEADER.freeTop]!;
  if (top < 0 || top > pages) throw corrupted(`free-stack top ${top} outside 0 … ${pages}`);
  if (top === 0) return -1;
  const p = free[top - 1]!;
  if (p < 0 || p >= pages) throw corrupted(`free-stack entry ${p} is not a page`);
  // count(), not isFrozen(): rfc-v1's allocator leaves free pages at a plain 0
  if (refs.count(p) !== 0) {
    throw corrupted(`page ${p} is on the free stack but live (count ${refs.count(p)})`);
  }
  header[CACHE_HEADER.freeTop] = top - 1;
  return p;
}

/** Pushes a freed page, frozen, onto the free stack (under the lock). */
export function pushFree(header: Int32Array, free: Int32Array, page: number): void {
  const pages = free.length;
  const top = header[CACHE_HEADER.freeTop]!;
  if (top < 0 || top >= pages)
    throw corrupted(`free-stack top ${top} outside 0 … ${pages - 1} on a free`);
  free[top] = page;
  header[CACHE_HEADER.freeTop] = top + 1;
}

/** The pages on the stack, for the audit; a top out of range reads as far as it can. */
export function freePages(header: Int32Array, free: Int32Array): Set<number> {
  const top = header[CACHE_HEADER.freeTop]!;
  return new Set(Array.from(free.subarray(0, Math.max(0, Math.min(top, free.length)))));
}

function corrupted(what: string): Error {
  return new Error(`PageCache: the buffer is corrupted: ${what}; nothing was changed`);
}
