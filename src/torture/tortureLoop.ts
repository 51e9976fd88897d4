/**
 * The torture loop: random reads, inserts, evicts, removes, gets and puts on a small key
 * space, verifying every byte it reads against its (key, generation) pattern. Run by
 * tortureWorker.ts, and by tests on a deliberately broken cache.
 */
import { PageCache, MISS } from '../pagecache/pageCache.js';
import { fillPattern, verifyPattern } from './pattern.js';

export interface TortureJob {
  cache: SharedArrayBuffer;
  /** The control cells: see {@link CONTROL}. */
  control: SharedArrayBuffer;
  worker: number;
  workers: number;
  keys: number;
  seed: number;
  /** The stop command waits until this worker has done this many operations. */
  minOps: number;
}

export interface TortureTally {
  ops: number;
  reads: number;
  hits: number;
  inserts: number;
  evicts: number;
  busy: number;
  removes: number;
  gets: number;
  violations: string[];
}

/** The most pages a worker holds at once. */
export const MAX_HELD = 4;
/**
 * The cells of the control array shared with the workers: the command, then the operations
 * done by each worker (`opsSlot`), then MAX_HELD slots per worker: the pages it holds, or -1
 * (`heldSlot`).
 */
export const CONTROL = { command: 0, firstOps: 1 } as const;
/** The values of CONTROL.command: run, stop, or park(w): worker w must park, to be killed. */
export const COMMAND = { run: 0, stop: 1, park: (worker: number) => 2 + worker } as const;
export const opsSlot = (worker: number) => CONTROL.firstOps + worker;
export const heldSlot = (workers: number, worker: number, i: number) =>
  CONTROL.firstOps + workers + worker * MAX_HELD + i;
export const controlWords = (workers: number) => CONTROL.firstOps + workers + workers * MAX_HELD;

/** A tally with nothing counted but `ops`. */
export function emptyTally(ops: number): TortureTally {
  return {
    ops,
    reads: 0,
    hits: 0,
    inserts: 0,
    evicts: 0,
    busy: 0,
    removes: 0,
    gets: 0,
    violations: [],
  };
}

export function tortureLoop(cache: PageCache, job: TortureJob): TortureTally {
  const control = new Int32Array(job.control);
  const tally = emptyTally(0);
  const flag = (why: string) => tally.violations.length < 20 && tally.violations.push(why);
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
  const hold = (p: number, i: number) =>
    Atomics.store(control, heldSlot(job.workers, job.worker, i), p);
  for (let i = 0; i < MAX_HELD; i++) hold(-1, i);

  for (
    let command;
    (command = Atomics.load(control, CONTROL.command)) !== COMMAND.stop || tally.ops < job.minOps;
  ) {
    if (command === COMMAND.park(job.worker)) {
      // Fault injection: park between two operations (never inside the writers' lock),
      // still holding our references, until the main thread terminates this worker.
      Atomics.store(control, CONTROL.command, COMMAND.run); // tell the main thread: parked
      for (;;) Atomics.wait(control, CONTROL.command, COMMAND.run);
    }
    const key = random(job.keys);
    const dice = random(100);
    if (dice < 45) {
      tally.reads++;
      const whole = dice < 5;
      const into = whole ? page : small;
      if (cache.read(key, 0, into.length, into) !== MISS) {
        tally.hits++;
        const bad = verifyPattern(into, key);
        if (bad) flag(`read: ${bad}`);
      }
    } else if (dice < 65) {
      const r = cache.insert(key, 1 + (key % 3), (bytes, generation) =>
        fillPattern(bytes, key, generation),
      );
      if (r.kind === 'inserted') tally.inserts++;
    } else if (dice < 75) {
      const r = cache.evict(key);
      if (r === 'evicted') tally.evicts++;
      if (r === 'busy') tally.busy++;
    } else if (dice < 80) {
      if (cache.remove(key)) tally.removes++;
    } else if (dice < 90 && held.length < MAX_HELD) {
      const p = cache.get(key);
      if (p !== MISS) {
        tally.gets++;
        hold(p, held.length);
        held.push({ page: p, key });
        const bad = verifyPattern(cache.view(p), key);
        if (bad) flag(`get: ${bad}`);
      }
    } else if (held.length > 0) {
      const { page: p, key: gotKey } = held.pop()!;
      // Still the page of the key we got, byte for byte: nobody may reuse it while we hold it.
      const bad = verifyPattern(cache.view(p), gotKey);
      if (bad) flag(`held page ${p}: ${bad}`);
      hold(-1, held.length);
      cache.put(p);
    }
    tally.ops++;
    Atomics.add(control, opsSlot(job.worker), 1);
  }
  while (held.length > 0) {
    hold(-1, held.length - 1);
    cache.put(held.pop()!.page);
  }
  return tally;
}
