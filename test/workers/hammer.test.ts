import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { PageRefs } from '../../src/refcount/pageRefs.js';
import { PRODUCTION_STRATEGIES } from '../../src/refcount/strategies.js';
import type { HammerJob } from './hammer.worker.js';
import { HANG_MS } from '../helpers/hang.js';

const WORKERS = 4;
const PAGES = 4;

interface Tally {
  gets: number;
  refused: number;
  freezes: number;
  violations: string[];
}

async function hammer(refs: PageRefs, mode: HammerJob['mode'], iterations: number) {
  const shared = new SharedArrayBuffer(4 * (1 + 2 * PAGES));
  const workers = Array.from({ length: WORKERS }, (_, id) => {
    const job: HammerJob = { mode, buffer: refs.buffer, shared, id, iterations };
    return new Worker(new URL('./hammer.worker.js', import.meta.url), { workerData: job });
  });
  const done = workers.map(
    (w) =>
      new Promise<Tally>((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject); // a PageRefDebugError in a worker fails the test here
      }),
  );
  await new Promise((r) => setTimeout(r, 50)); // let them reach the start line
  const flags = new Int32Array(shared);
  Atomics.store(flags, 0, 1);
  Atomics.notify(flags, 0);
  const tallies = await Promise.all(done);
  return { tallies, freed: Array.from(flags.subarray(1 + PAGES)) };
}

describe('real workers on real shared memory', () => {
  for (const strategy of PRODUCTION_STRATEGIES) {
    it(
      `${strategy}: gets, puts, freezes and unfreezes leave every count exact`,
      { timeout: HANG_MS },
      async () => {
        const refs = new PageRefs({ pages: PAGES, strategy, debug: true });
        for (let p = 0; p < PAGES; p++) refs.init(p); // the cache's reference
        const { tallies } = await hammer(refs, 'get-put-freeze', 200_000);
        assert.deepEqual(
          tallies.flatMap((t) => t.violations),
          [],
        );
        assert.ok(tallies.reduce((n, t) => n + t.gets, 0) > 0);
        for (let p = 0; p < PAGES; p++) {
          assert.equal(refs.raw(p), 1, `page ${p}: only the cache's reference remains`);
        }
      },
    );

    it(
      `${strategy}: when every worker drops its reference, exactly one frees each page`,
      { timeout: HANG_MS },
      async () => {
        const refs = new PageRefs({ pages: PAGES, strategy, debug: true });
        for (let p = 0; p < PAGES; p++) refs.set(p, WORKERS);
        const { freed } = await hammer(refs, 'last-put', 0);
        assert.deepEqual(freed, Array(PAGES).fill(1));
        for (let p = 0; p < PAGES; p++) assert.equal(refs.isFrozen(p), true);
      },
    );
  }
});
