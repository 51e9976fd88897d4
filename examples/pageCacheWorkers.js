// A page cache shared by workers: the main thread fills the cache and starts readers; each
// reader opens the cache from its buffer and reads pages without locks while the main thread
// evicts and re-inserts pages under them. A reader that ever sees another key's bytes would
// say so. Run it with `node examples/pageCacheWorkers.js` after `npm run build` (in the
// repository 'pageref' resolves to packages/pageref; elsewhere, `npm i pageref`).
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import console from 'node:console';
import process from 'node:process';
import { URL } from 'node:url';
import { PageCache, MISS } from 'pageref';

const KEYS = 8; // more keys than pages: evicted pages are reused for other keys
const PAGE_SIZE = 256;
const TYPE_DATA = 1;

/** A page's bytes: its key in every 4-byte word, so a reader can check what it got. */
function fill(page, key) {
  new DataView(page.buffer, page.byteOffset, page.byteLength).setUint32(0, key, true);
  for (let i = 4; i < page.length; i += 4) page.copyWithin(i, 0, 4);
}

if (isMainThread) {
  const cache = new PageCache({ pages: 4, pageSize: PAGE_SIZE });
  const control = new Int32Array(new SharedArrayBuffer(8)); // [stop, readers started]
  const readers = Array.from({ length: 2 }, (_, id) => {
    const worker = new Worker(new URL(import.meta.url), {
      workerData: { buffer: cache.buffer, control, id },
    });
    return new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  });
  while (Atomics.load(control, 1) < readers.length)
    Atomics.wait(control, 1, Atomics.load(control, 1), 10);
  // the writer: keep the cache churning for a while
  let evictions = 0;
  let busy = 0;
  const until = Date.now() + 300;
  for (let round = 0; Date.now() < until; round++) {
    const key = round % KEYS;
    const result = cache.insert(key, TYPE_DATA, (page) => fill(page, key));
    if (result.kind === 'inserted') continue;
    // cached already: evict it; full: evict the key cached longest
    const victim = result.kind === 'exists' ? key : (key + KEYS / 2) % KEYS;
    const evicted = cache.evict(victim);
    if (evicted === 'evicted') evictions++;
    else if (evicted === 'busy') busy++; // a reader holds it: the freeze at count 1 failed
  }
  Atomics.store(control, 0, 1);
  const results = await Promise.all(readers);
  const torn = results.reduce((n, r) => n + r.torn, 0);
  for (const r of results) console.log(`reader ${r.id}: ${r.hits} hits, ${r.misses} misses`);
  console.log(`writer: ${evictions} evictions, ${busy} refused as busy`);
  console.log(`torn or foreign reads: ${torn}`);
  console.log(`audit: ${cache.audit().length === 0 ? 'clean' : cache.audit().join('; ')}`);
  process.exitCode = torn === 0 && cache.audit().length === 0 ? 0 : 1;
} else {
  const { buffer, control, id } = workerData;
  const cache = PageCache.open(buffer); // page count, size and strategy come from the buffer
  Atomics.add(control, 1, 1);
  Atomics.notify(control, 1);
  const into = new Uint8Array(64);
  const words = new DataView(into.buffer);
  const tally = { id, hits: 0, misses: 0, torn: 0 };
  for (let i = 0; Atomics.load(control, 0) === 0; i++) {
    const key = i % KEYS;
    if (cache.read(key, 64, 64, into) === MISS) {
      tally.misses++;
      continue;
    }
    tally.hits++;
    for (let w = 0; w < 64; w += 4) if (words.getUint32(w, true) !== key) tally.torn++;
  }
  parentPort.postMessage(tally);
}
