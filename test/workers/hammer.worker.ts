/**
 * Worker for hammer.test.ts: attaches to a PageRefs buffer and hammers it. Every page is
 * held by "the cache" (one reference the workers never drop), so no put may ever free it,
 * and a get may never succeed while a freezer holds the page frozen.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PageRefs } from '../../src/refcount/pageRefs.js';

export interface HammerJob {
  mode: 'get-put-freeze' | 'last-put';
  buffer: SharedArrayBuffer;
  /** [0]: start flag; [1 + p]: 1 while page p is frozen by a freezer; [1 + pages + p]: frees of p */
  shared: SharedArrayBuffer;
  id: number;
  iterations: number;
}

const job = workerData as HammerJob;
const refs = PageRefs.attach(job.buffer, { debug: true });
const shared = new Int32Array(job.shared);
const pages = refs.pages;
const frozenFlag = (p: number) => 1 + p;
const freed = (p: number) => 1 + pages + p;

Atomics.wait(shared, 0, 0); // released together
const tally = { gets: 0, refused: 0, freezes: 0, violations: [] as string[] };

if (job.mode === 'get-put-freeze') {
  for (let i = 0; i < job.iterations; i++) {
    const p = i % pages;
    if (i % 8 === job.id % 8) {
      // a freezer: only the cache's reference may be there
      if (refs.freeze(p, 1)) {
        Atomics.store(shared, frozenFlag(p), 1);
        tally.freezes++;
        Atomics.store(shared, frozenFlag(p), 0);
        refs.unfreeze(p, 1);
      }
    } else if (refs.tryGet(p)) {
      tally.gets++;
      if (Atomics.load(shared, frozenFlag(p)) !== 0) tally.violations.push(`got frozen page ${p}`);
      if (refs.decAndTest(p)) tally.violations.push(`put freed page ${p} that the cache holds`);
    } else {
      tally.refused++;
    }
  }
} else {
  // every worker holds one reference to every page and drops it: exactly one must free each
  for (let p = 0; p < pages; p++) {
    if (refs.decAndTest(p)) Atomics.add(shared, freed(p), 1);
  }
}
parentPort!.postMessage(tally);
