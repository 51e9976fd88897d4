/**
 * PageCache.read across real workers: readers copy without locks (plain loads of the index
 * and the page, see findPage) while the main thread evicts, removes and re-inserts under
 * them, so pages are reused for other keys all the time. No reader may ever see another
 * key's bytes, and at the end the audit must be clean.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { PageCache } from '../../src/pagecache/pageCache.js';
import { PRODUCTION_STRATEGIES } from '../../src/refcount/strategies.js';
import { byteOf, type ReaderJob } from './pageCacheReader.worker.js';
import { HANG_MS } from '../helpers/hang.js';

const READERS = 2;
const KEYS = 12;
/** Hits each reader makes, and pages the writer recycles, at least. */
const ENOUGH = 200;

describe('PageCache.read with real workers', { timeout: HANG_MS }, () => {
  for (const strategy of PRODUCTION_STRATEGIES) {
    it(`${strategy}, debug on: readers never see a foreign byte while pages are recycled`, async () => {
      const cache = new PageCache({ pages: 4, pageSize: 128, strategy, debug: true });
      const control = new SharedArrayBuffer(4 * (2 + READERS));
      const flags = new Int32Array(control);
      const job: ReaderJob = { buffer: cache.buffer, control, keys: KEYS };
      const results = Array.from({ length: READERS }, () => {
        const w = new Worker(new URL('./pageCacheReader.worker.js', import.meta.url), {
          workerData: job,
        });
        return new Promise<{ reads: number; hits: number; foreign: number; example: string }>(
          (resolve, reject) => {
            w.once('message', resolve);
            w.once('error', reject);
          },
        );
      });
      while (Atomics.load(flags, 1) < READERS) Atomics.wait(flags, 1, Atomics.load(flags, 1), 5);
      // Recycle for 400 ms, and on until each reader has hit ENOUGH times and ENOUGH pages
      // were recycled: a busy machine may hardly run a reader in 400 ms. The deadline is a
      // safety net.
      let recycled = 0;
      const enough = () =>
        recycled >= ENOUGH &&
        Array.from({ length: READERS }, (_, r) => Atomics.load(flags, 2 + r)).every(
          (hits) => hits >= ENOUGH,
        );
      const started = Date.now();
      const done = () => (Date.now() - started >= 400 && enough()) || Date.now() - started > 30_000;
      for (let round = 0; !done(); round++) {
        const key = round % KEYS;
        const r = cache.insert(key, 1, (page) => {
          for (let i = 0; i < page.length; i++) page[i] = byteOf(key, i);
        });
        if (r.kind === 'inserted') continue;
        const victim = r.kind === 'exists' ? key : (key + KEYS / 2) % KEYS;
        if (round % 3 === 0 ? cache.remove(victim) : cache.evict(victim) === 'evicted') recycled++;
      }
      Atomics.store(flags, 0, 1);
      const tallies = await Promise.all(results);
      for (const t of tallies) {
        assert.equal(t.foreign, 0, t.example);
        assert.ok(t.hits >= ENOUGH, `a reader hit only ${t.hits} times`);
      }
      assert.ok(recycled >= ENOUGH, `only ${recycled} pages recycled`);
      assert.deepEqual(cache.audit(), []);
    });
  }
});
