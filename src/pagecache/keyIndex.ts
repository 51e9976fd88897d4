/**
 * The page cache's index from key to page: open addressing with linear probing over a
 * power-of-two number of slots, at most half full. A slot holds EMPTY, TOMBSTONE or a page
 * number; the key lives in the page's metadata, so a probe compares `meta[page].key`.
 *
 * Readers probe without a lock ({@link findPage}); writers change slots only under the
 * writers' lock ({@link findSlot}, {@link insertSlot}, {@link unpublish}). A page's key
 * changes only while the page is in no slot, so a reader that loads a page number from a
 * slot and then its key sees either that page's key or a key the page is about to get: the
 * reader's re-check after tryGet settles which.
 *
 * @module
 */

import { EMPTY, META, META_WORDS, TOMBSTONE } from './layout.js';

/** A 32-bit key's home slot among `slots` (a power of two): multiplicative hashing. */
export function homeSlot(key: number, slots: number): number {
  return Math.imul(key, 0x9e3779b1) & (slots - 1);
}

/**
 * The page whose metadata holds `key`, or -1: lock-free, and allocates nothing (the read
 * path). The page is the value this walk loaded and checked, never a second load of the
 * slot, which a concurrent evict may have turned into a TOMBSTONE meanwhile.
 *
 * The walk loads plainly, not with `Atomics.load`: in Node 20's V8 `Atomics.load` is a
 * builtin call (12 ns against 0.6 ns for a plain load, measured here), and three of them
 * were most of the read path's cost beyond the refcount. That is enough for a hit: an
 * aligned Int32 access is tear-free (ECMAScript's memory model), a stale slot or key can only
 * name a wrong page, and the caller's re-check after its tryGet rejects a wrong page (the key
 * was stored before the init() that the tryGet's atomic read-modify-write reads from, so the
 * re-check sees it). A miss is the answer that a stale value could make wrong, so before
 * answering -1 the walk is repeated with `Atomics.load` ({@link findPageSeqCst}): -1 means
 * that a sequentially consistent walk found no page for the key.
 */
export function findPage(index: Int32Array, meta: Int32Array, key: number): number {
  const mask = index.length - 1;
  let s = homeSlot(key, index.length);
  for (let i = 0; i <= mask; i++, s = (s + 1) & mask) {
    const p = index[s]!;
    if (p === EMPTY) break;
    if (p >= 0 && meta[p * META_WORDS + META.key]! >>> 0 === key) return p;
  }
  return findPageSeqCst(index, meta, key);
}

/** {@link findPage}'s walk with `Atomics.load`: the authority on a miss. */
export function findPageSeqCst(index: Int32Array, meta: Int32Array, key: number): number {
  const mask = index.length - 1;
  let s = homeSlot(key, index.length);
  for (let i = 0; i <= mask; i++, s = (s + 1) & mask) {
    const p = Atomics.load(index, s);
    if (p === EMPTY) break;
    if (p >= 0 && Atomics.load(meta, p * META_WORDS + META.key) >>> 0 === key) return p;
  }
  return -1;
}

/** Writers, under the lock (so the slot cannot change): the slot holding `key`, or -1. */
export function findSlot(index: Int32Array, meta: Int32Array, key: number): number {
  const mask = index.length - 1;
  let s = homeSlot(key, index.length);
  for (let i = 0; i <= mask; i++, s = (s + 1) & mask) {
    const p = Atomics.load(index, s);
    if (p === EMPTY) break;
    if (p >= 0 && Atomics.load(meta, p * META_WORDS + META.key) >>> 0 === key) return s;
  }
  return -1;
}

/** Writers: the first EMPTY or TOMBSTONE slot of `key`'s probe sequence. */
export function insertSlot(index: Int32Array, key: number): number {
  const mask = index.length - 1;
  let s = homeSlot(key, index.length);
  while (Atomics.load(index, s) >= 0) s = (s + 1) & mask; // at most half full: this ends
  return s;
}

/** Writers: empties `slot`. */
export function unpublish(index: Int32Array, slot: number): void {
  // A slot followed by EMPTY ends every probe through it, so it can be EMPTY again;
  // otherwise it must stay a TOMBSTONE that probes walk past.
  const next = (slot + 1) & (index.length - 1);
  Atomics.store(index, slot, Atomics.load(index, next) === EMPTY ? EMPTY : TOMBSTONE);
}
