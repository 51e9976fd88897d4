/**
 * Entry point of a torture worker: opens the cache from its buffer, with the debug checks on
 * (the kernel's CONFIG_DEBUG_VM) and the ghost's destructors, and runs the loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PageCache } from '../pagecache/pageCache.js';
import { tortureDestructors, tortureLoop, type TortureJob } from './tortureLoop.js';

const job = workerData as TortureJob;
const { pages, pageSize } = PageCache.open(job.cache);
const destructors = tortureDestructors(job, pages, pageSize);
const cache = PageCache.open(job.cache, { debug: true, destructors });
parentPort!.postMessage(tortureLoop(cache, job));
