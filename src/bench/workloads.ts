import { PageRefs } from '../refcount/pageRefs.js';

/**
 * The benchmark's workloads: each builds, once per worker, a loop `run(n)` that performs
 * `n` operations. Building the closure outside the timed region keeps workload and strategy
 * dispatch out of the hot loop; each measurement gets fresh workers, so every call site in
 * a loop only ever sees one strategy (DESIGN.md §5: a site that has seen two costs 9–14%).
 */
export const WORKLOADS = ['getput', 'pread64', 'ceiling'] as const;
export type Workload = (typeof WORKLOADS)[number];

/** Shared state of one measurement, created by the main thread. */
export interface BenchMemory {
  /** PageRefs buffer: page 0 is the hot page, held by "the cache" (count 1). */
  refs: SharedArrayBuffer;
  /** pread64's page cache stand-in: [0] index slot for key 7 → page, [16] page 0's key. */
  index: SharedArrayBuffer;
  /** pread64's page bytes: 4096 per page. */
  data: SharedArrayBuffer;
  /** ceiling's private cells, one cache line (16 Int32) apart per worker. */
  privateCells: SharedArrayBuffer;
}

export const KEY = 7;
const KEY_CELL = 16; // on its own cache line, away from the index slot

export function createBenchMemory(strategy: string, workers: number): BenchMemory {
  const refs = new PageRefs({ pages: 1, strategy: strategy as never });
  refs.init(0); // the cache's own reference: the page never reaches zero
  const index = new SharedArrayBuffer(64 * 2);
  const idx = new Int32Array(index);
  idx[0] = 0; // key 7 → page 0
  idx[KEY_CELL] = KEY;
  const data = new SharedArrayBuffer(4096);
  new Uint8Array(data).forEach((_, i, a) => (a[i] = (i * 31 + KEY) & 0xff));
  return {
    refs: refs.buffer,
    index,
    data,
    privateCells: new SharedArrayBuffer(64 * Math.max(1, workers)),
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
      // lookup → tryGet → re-check the key → copy 64 bytes → put: the read path of
      // filemap_read() for a cached page, on a single page until the page cache lands.
      const refs = PageRefs.attach(mem.refs);
      const index = new Int32Array(mem.index);
      const page = new Int32Array(mem.data);
      const buf = new Int32Array(16);
      return (n) => {
        let sum = 0;
        for (let i = 0; i < n; i++) {
          const p = Atomics.load(index, 0);
          if (!refs.tryGet(p)) continue;
          if (Atomics.load(index, KEY_CELL) === KEY) {
            for (let w = 0; w < 16; w++) buf[w] = page[w]!; // 64 bytes, a plain Int32 loop
            sum += buf[15]!;
          }
          if (refs.decAndTest(p)) sum = -1;
        }
        return sum;
      };
    }
    case 'ceiling': {
      const cells = new Int32Array(mem.privateCells);
      const mine = worker * 16;
      return (n) => {
        for (let i = 0; i < n; i++) Atomics.add(cells, mine, 1);
        return cells[mine]!;
      };
    }
  }
}
