// A torture worker whose cache evicts without freezing: it frees pages that readers hold.
import { parentPort, workerData } from 'node:worker_threads';
import { PageCache } from '../../src/pagecache/pageCache.js';
import { tortureDestructors, tortureLoop, type TortureJob } from '../../src/torture/tortureLoop.js';

class EvictWithoutFreeze extends PageCache {
  protected override freezeForEvict(): boolean {
    return true;
  }
}

const job = workerData as TortureJob;
const { pages, pageSize } = PageCache.open(job.cache);
const destructors = tortureDestructors(job, pages, pageSize);
const cache = new EvictWithoutFreeze({ pages, pageSize, destructors }, job.cache);
parentPort!.postMessage(tortureLoop(cache, job));
