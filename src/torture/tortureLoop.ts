/**
 * The torture loop: random reads, inserts, evicts, removes, gets, shares and puts on a small
 * key space, plus scans (a physical-page walker's speculative gets on any page by number),
 * verifying every byte it reads against its (key, generation) pattern. Run by
 * tortureWorker.ts, and by tests on a deliberately broken cache.
 *
 * Everything it counts goes to the control buffer as it happens (control.ts), so a worker
 * killed halfway still has a tally. Its operations are a function of its seed alone: with one
 * worker a seed replays the run exactly; with several, each worker's operations are the
 * same again, but how the threads interleave is the machine's.
 */
import { PageCache, MISS, type Destructor } from '../pagecache/pageCache.js';
import { layoutFor } from '../pagecache/layout.js';
import { fillPattern, verifyPattern } from './pattern.js';
import {
  COMMAND,
  COMMAND_SLOT,
  GHOST,
  MAX_HELD,
  ghostSlot,
  heldSlot,
  readTally,
  tallySlot,
  type ControlLayout,
  type TallyField,
} from './control.js';

export interface TortureJob {
  cache: SharedArrayBuffer;
  /** The control buffer: see control.ts. */
  control: SharedArrayBuffer;
  worker: number;
  workers: number;
  keys: number;
  seed: number;
  /** The stop command waits until this worker has done this many operations. */
  minOps: number;
}

/** A worker's counts, and the first violations it found (each names its operation). */
export type TortureTally = Record<TallyField, number> & { violations: string[] };

/** The most violation messages a worker keeps; its tally's `flagged` counts them all. */
const MAX_MESSAGES = 20;

/** The type tags the torture inserts with (1 + key mod 3), and 0, a never-used page's. */
const TYPES = [0, 1, 2, 3];

/**
 * The destructors a torture worker opens its cache with: each marks its page free in the
 * ghost, under the writers' lock, before the page goes back to the pool.
 */
export function tortureDestructors(
  job: TortureJob,
  pages: number,
  pageSize: number,
): Record<number, Destructor> {
  const control = new Int32Array(job.control);
  const layout: ControlLayout = { workers: job.workers, pages };
  const free: Destructor = (bytes) => {
    lastFreed = new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(4, true);
    Atomics.store(control, ghostSlot(layout, pageOf(bytes, pages, pageSize)), GHOST.free);
  };
  return Object.fromEntries(TYPES.map((t) => [t, free]));
}

/** The generation of the page this worker's destructor freed last (this worker's own). */
let lastFreed = -1;

/** The page whose bytes `bytes` (a fill's or a destructor's) is a view of. */
function pageOf(bytes: Uint8Array, pages: number, pageSize: number): number {
  return (bytes.byteOffset - layoutFor(pages, pageSize).dataOffset) / pageSize;
}

export function tortureLoop(cache: PageCache, job: TortureJob): TortureTally {
  const control = new Int32Array(job.control);
  const layout: ControlLayout = { workers: job.workers, pages: cache.pages };
  const refs = cache.refs;
  const messages: string[] = [];
  let ops = 0;
  const count = (field: TallyField) => Atomics.add(control, tallySlot(job.worker, field), 1);
  const flag = (why: string) => {
    count('flagged');
    if (messages.length < MAX_MESSAGES)
      messages.push(`worker ${job.worker}, operation ${ops + 1}: ${why}`);
  };
  const rawOf = (p: number) => `raw 0x${(refs.raw(p) >>> 0).toString(16)}`;
  let state = job.seed >>> 0 || 1;
  const random = (n: number) => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0; // xorshift32
    return state % n;
  };
  const held: { page: number; key: number }[] = [];
  const page = new Uint8Array(cache.pageSize);
  const small = new Uint8Array(64);
  const hold = (p: number, i: number) => Atomics.store(control, heldSlot(layout, job.worker, i), p);
  for (let i = 0; i < MAX_HELD; i++) hold(-1, i);
  const fill = (key: number) => (bytes: Uint8Array, generation: number) => {
    fillPattern(bytes, key, generation);
    // before insert's init() publishes the page: allocated from here on
    const p = pageOf(bytes, cache.pages, cache.pageSize);
    Atomics.store(control, ghostSlot(layout, p), GHOST.allocated);
  };

  /**
   * A put of page `p`, which we hold. If it frees another incarnation of the page than the
   * one we got, the v4 ABA (seed 003) happened on real memory: our decAndTest's sub reached
   * 0, the page was revived, freed, reused and dropped to 0 again before our cmpxchg froze
   * it. The cache is right to free it, with the destructor of the page's own type: counted.
   */
  const put = (p: number) => {
    const generation = new DataView(cache.view(p).buffer, cache.view(p).byteOffset, 8).getUint32(
      4,
      true,
    );
    lastFreed = -1;
    if (cache.put(p) && lastFreed !== generation) count('aba');
  };

  /** A physical-page walker (compaction, memory-failure): a speculative get by page number. */
  const scan = (p: number) => {
    count('scans');
    if (!refs.tryGet(p)) return;
    count('scanHits');
    if (Atomics.load(control, ghostSlot(layout, p)) === GHOST.free) {
      flag(`scan: tryGet took page ${p}, which is free (${rawOf(p)})`);
      // Give back our increment without a put: a put could free a free page a second time.
      refs.dec(p);
      return;
    }
    // We hold it: its bytes are a whole page of the key it says it holds, and stay so.
    const bad = verifyPattern(cache.view(p), cache.keyOf(p));
    if (bad) flag(`scan of page ${p}: ${bad}`);
    put(p);
  };

  const step = () => {
    const key = random(job.keys);
    const dice = random(100);
    if (dice < 40) {
      count('reads');
      const into = dice < 4 ? page : small;
      if (cache.read(key, 0, into.length, into) !== MISS) {
        count('hits');
        const bad = verifyPattern(into, key);
        if (bad) flag(`read: ${bad}`);
      }
    } else if (dice < 58) {
      const r = cache.insert(key, 1 + (key % 3), fill(key));
      if (r.kind === 'inserted') count('inserts');
    } else if (dice < 67) {
      const r = cache.evict(key);
      if (r === 'evicted') count('evicts');
      if (r === 'busy') count('busy');
    } else if (dice < 72) {
      if (cache.remove(key)) count('removes');
    } else if (dice < 80) {
      scan(key % cache.pages);
    } else if (dice < 88 && held.length < MAX_HELD) {
      const p = cache.get(key);
      if (p !== MISS) {
        count('gets');
        hold(p, held.length);
        held.push({ page: p, key });
        const bad = verifyPattern(cache.view(p), key);
        if (bad) flag(`get: ${bad}`);
      }
    } else if (dice < 91 && held.length > 0 && held.length < MAX_HELD) {
      // folio_get(): one more reference to a page we hold, for a second owner (us again)
      const top = held[held.length - 1]!;
      refs.inc(top.page);
      count('shares');
      hold(top.page, held.length);
      held.push({ ...top });
    } else if (held.length > 0) {
      const { page: p, key: gotKey } = held.pop()!;
      // Still the page of the key we got, byte for byte: nobody may reuse it while we hold it.
      const bad = verifyPattern(cache.view(p), gotKey);
      if (bad) flag(`held page ${p}: ${bad}`);
      hold(-1, held.length);
      put(p);
    }
  };

  for (
    let command;
    (command = Atomics.load(control, COMMAND_SLOT)) !== COMMAND.stop || ops < job.minOps;
  ) {
    if (command === COMMAND.park(job.worker)) {
      // Fault injection: park between two operations (never inside the writers' lock),
      // still holding our references, until the main thread terminates this worker.
      Atomics.store(control, COMMAND_SLOT, COMMAND.run); // tell the main thread: parked
      for (;;) Atomics.wait(control, COMMAND_SLOT, COMMAND.run);
    }
    try {
      step();
    } catch (e) {
      // a debug check that fired, or a cache that found itself corrupted: the run goes on
      flag(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    }
    ops++;
    count('ops');
  }
  while (held.length > 0) {
    hold(-1, held.length - 1);
    try {
      cache.put(held.pop()!.page);
    } catch (e) {
      flag(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    }
  }
  return { ...readTally(control, job.worker), violations: messages };
}
