import { PageRefs } from '../refcount/pageRefs.js';
import { PageCache } from '../pagecache/pageCache.js';
import type { StrategyName } from '../refcount/strategy.js';

/**
 * The benchmark's workloads: each builds, once per worker, a loop `run(n)` that performs
 * `n` operations. Building the closure outside the timed region keeps workload and strategy
 * dispatch out of the hot loop; each measurement gets fresh workers, so every call site in
 * a loop only ever sees one strategy (DESIGN.md §5: a site that has seen two costs 9–14%).
 */
export const WORKLOADS = ['getput', 'pread64', 'ceiling', 'unshared'] as const;
export type Workload = (typeof WORKLOADS)[number];

/**
 * The workloads that touch no refcount, to read the others against:
 * - `ceiling`: two atomic RMWs per operation (add 1, sub 1) on one counter shared by every
 *   worker, with no check: as fast as any get + put on one cache line can be.
 * - `unshared`: each worker `fetch_add`s a counter of its own, on its own cache line: no
 *   contention at all, a bound no shared counter approaches.
 */
export const CEILINGS = ['ceiling', 'unshared'] as const satisfies readonly Workload[];
export type Ceiling = (typeof CEILINGS)[number];

export function isCeiling(w: Workload): w is Ceiling {
  return (CEILINGS as readonly Workload[]).includes(w);
}

/** Shared state of one measurement, created by the main thread. */
export interface BenchMemory {
  /** PageRefs buffer: page 0 is the hot page, held by "the cache" (count 1). */
  refs: SharedArrayBuffer;
  /** pread64's page cache: one 4 KiB page cached under KEY. */
  cache: SharedArrayBuffer;
  /**
   * The ceilings' counters, one cache line (16 Int32) apart: `ceiling`'s shared counter at
   * cell 0, then `unshared`'s counter of worker w at cell 16 · (w + 1).
   */
  counters: SharedArrayBuffer;
}

/** Int32 cells per cache line (64 bytes). */
const LINE = 16;

export const KEY = 7;

export function createBenchMemory(strategy: StrategyName, workers: number): BenchMemory {
  const refs = new PageRefs({ pages: 1, strategy });
  refs.init(0); // the cache's own reference: the page never reaches zero
  const cache = new PageCache({ pages: 1, strategy });
  cache.insert(KEY, 1, (page) => page.forEach((_, i) => (page[i] = (i * 31 + KEY) & 0xff)));
  return {
    refs: refs.buffer,
    cache: cache.buffer,
    counters: new SharedArrayBuffer(4 * LINE * (workers + 1)),
  };
}

/** @returns the loop; it returns a checksum so the JIT cannot drop the work. */
export function buildLoop(
  workload: Workload,
  mem: BenchMemory,
  worker: number,
): (n: number) => number {
  switch (workload) {
    case 'getput': {
      const refs = PageRefs.attach(mem.refs);
      return (n) => {
        let freed = 0;
        for (let i = 0; i < n; i++) if (refs.tryGet(0) && refs.decAndTest(0)) freed++;
        return freed;
      };
    }
    case 'pread64': {
      // pread(fd, buf, 64, 0) on a cached page: PageCache.read looks the key up, tryGets
      // the page, re-checks its key, copies 64 bytes and puts it (filemap_read's path).
      const cache = PageCache.open(mem.cache);
      const buf = new Uint8Array(64);
      return (n) => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += cache.read(KEY, 0, 64, buf);
        return sum;
      };
    }
    case 'ceiling': {
      // a get + put with nothing to check: fetch_add, then fetch_sub, on the shared line
      const cells = new Int32Array(mem.counters);
      return (n) => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += Atomics.add(cells, 0, 1) + Atomics.sub(cells, 0, 1);
        return sum;
      };
    }
    case 'unshared': {
      const cells = new Int32Array(mem.counters);
      const mine = LINE * (worker + 1);
      return (n) => {
        for (let i = 0; i < n; i++) Atomics.add(cells, mine, 1);
        return cells[mine]!;
      };
    }
  }
}
