// A torture worker whose cache's evict always throws: every evict it draws is a violation.
import { parentPort, workerData } from 'node:worker_threads';
import { PageCache, type EvictResult } from '../../src/pagecache/pageCache.js';
import { tortureDestructors, tortureLoop, type TortureJob } from '../../src/torture/tortureLoop.js';

class ThrowingEvict extends PageCache {
  override evict(): EvictResult {
    throw new Error('evict: boom');
  }
}

const job = workerData as TortureJob;
const { pages, pageSize } = PageCache.open(job.cache);
const destructors = tortureDestructors(job, pages, pageSize);
const cache = new ThrowingEvict({ pages, pageSize, destructors }, job.cache);
parentPort!.postMessage(tortureLoop(cache, job));
