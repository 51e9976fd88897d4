/**
 * Worker for pageCacheRead.test.ts: opens the cache from its buffer and reads, without
 * locks, every key at offsets and destinations that take each copy path (8-byte words,
 * 4-byte words, bytes), checking that each byte read belongs to the key asked for.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { PageCache, MISS } from '../../src/pagecache/pageCache.js';

export interface ReaderJob {
  buffer: SharedArrayBuffer;
  /** [0]: 1 to stop; [1]: readers started; [2 + r]: reader r's hits so far */
  control: SharedArrayBuffer;
  keys: number;
}

/** The byte at `i` of a page holding `key`: the test's writer fills pages with it. */
export const byteOf = (key: number, i: number): number => (key * 31 + i) & 0xff;

// the test imports byteOf from here; the reading runs only in a worker
if (!isMainThread) {
  const job = workerData as ReaderJob;
  const cache = PageCache.open(job.buffer, { debug: true });
  const control = new Int32Array(job.control);
  const backing = new Uint8Array(256);
  // [offset in the page, length, byte shift of the destination in `backing`]
  const shapes: [number, number, number][] = [
    [0, 64, 0], // 8-byte words
    [8, 24, 4], // 4-byte words: the destination is 4- but not 8-aligned
    [3, 17, 1], // bytes
    [56, 8, 8],
  ];
  const tally = { reads: 0, hits: 0, foreign: 0, example: '' };
  const me = Atomics.add(control, 1, 1);
  for (let i = 0; Atomics.load(control, 0) === 0; i++) {
    const key = i % job.keys;
    const [offset, length, shift] = shapes[i % shapes.length]!;
    const into = backing.subarray(shift, shift + 128);
    tally.reads++;
    if (cache.read(key, offset, length, into) === MISS) continue;
    Atomics.store(control, 2 + me, ++tally.hits);
    for (let b = 0; b < length; b++) {
      if (into[b] !== byteOf(key, offset + b)) {
        tally.foreign++;
        tally.example ||= `key ${key} byte ${offset + b}: ${into[b]}, expected ${byteOf(key, offset + b)}`;
        break;
      }
    }
  }
  parentPort!.postMessage(tally);
}
