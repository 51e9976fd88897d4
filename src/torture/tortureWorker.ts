/** Entry point of a torture worker: opens the cache from its buffer and runs the loop. */
import { parentPort, workerData } from 'node:worker_threads';
import { PageCache } from '../pagecache/pageCache.js';
import { tortureLoop, type TortureJob } from './tortureLoop.js';

const job = workerData as TortureJob;
parentPort!.postMessage(tortureLoop(PageCache.open(job.cache), job));
