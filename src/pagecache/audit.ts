/**
 * The page cache's invariants, checked when every worker is quiescent: each page is in the
 * index xor on the free stack, free pages are frozen, and each live page's count is the
 * cache's reference plus the references that callers (or a killed worker) still hold.
 *
 * @module
 */

import type { PageRefs } from '../refcount/pageRefs.js';
import { CACHE_HEADER } from './layout.js';
import { freePages } from './freeStack.js';

/** The parts of a cache's buffer that the audit reads. */
export interface AuditedCache {
  refs: PageRefs;
  header: Int32Array;
  index: Int32Array;
  free: Int32Array;
}

/**
 * Checks the invariants; `held` gives, per page, the references held besides the cache's.
 * @returns the violations found (empty if none).
 */
export function auditCache(cache: AuditedCache, held: ReadonlyMap<number, number>): string[] {
  const { refs, header, index, free } = cache;
  const pages = free.length;
  const out: string[] = [];
  const inIndex = new Map<number, number>();
  for (let s = 0; s < index.length; s++) {
    const p = index[s]!;
    if (p >= 0) inIndex.set(p, (inIndex.get(p) ?? 0) + 1);
  }
  const top = header[CACHE_HEADER.freeTop]!;
  if (top < 0 || top > pages) out.push(`free-stack top ${top} is outside 0 … ${pages}`);
  const onStack = freePages(header, free);
  for (let p = 0; p < pages; p++) {
    const indexed = inIndex.get(p) ?? 0;
    const extra = held.get(p) ?? 0;
    const raw = `raw 0x${(refs.raw(p) >>> 0).toString(16)}`;
    if (indexed > 1) out.push(`page ${p} is in the index ${indexed} times`);
    if (onStack.has(p)) {
      if (indexed) out.push(`page ${p} is both free and in the index`);
      if (!refs.isFrozen(p)) out.push(`free page ${p} is not frozen (${raw})`);
      if (extra) out.push(`free page ${p} is still held ${extra} time(s)`);
      continue;
    }
    const expected = (indexed ? 1 : 0) + extra;
    if (expected === 0) out.push(`page ${p} leaked: neither free, cached nor held (${raw})`);
    else if (refs.count(p) !== expected) {
      out.push(`page ${p}'s count is ${refs.count(p)}, expected ${expected} (${raw})`);
    }
  }
  return out;
}
