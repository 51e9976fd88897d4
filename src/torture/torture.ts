import { Worker } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StrategyName } from '../refcount/strategy.js';
import { PageCache } from '../pagecache/pageCache.js';
import type { TortureJob, TortureTally } from './tortureLoop.js';
import {
  COMMAND,
  COMMAND_SLOT,
  MAX_HELD,
  controlWords,
  heldSlot,
  readTally,
  tallySlot,
  type ControlLayout,
} from './control.js';

/**
 * `pageref torture`: N workers hammer one page cache with random operations on a small key
 * space, so pages are recycled all the time; every byte read is checked against its
 * (key, generation) pattern; at the end the cache's guarantees are audited.
 *
 * A run lasts `seconds`, and until each worker has done `minOps` operations: a worker that a
 * busy machine started late or hardly ran still does its share (a killed worker excepted).
 *
 * What a seed reproduces: each worker's sequence of operations (worker w draws from
 * `seed + 7919·w`), so with one worker a seed replays the whole run, and a violation's
 * operation number names the same operation again. With several workers the threads'
 * interleaving is the machine's, and no seed fixes it: a race found once may need many runs
 * to show again. forcedSchedule.ts replays an interleaving exactly, with handshakes.
 */
export interface TortureOptions {
  workers: number;
  /**
   * How long to run. 0 (without `kill`): each worker does exactly `minOps` operations, the
   * stop command being given before any worker starts; with one worker, the whole run is
   * then a function of the seed.
   */
  seconds: number;
  /** Operations each worker does at least, however long that takes. Defaults to 1,000. */
  minOps?: number;
  strategy: StrategyName;
  /**
   * Kill the last worker halfway (after `seconds / 2`, and once it has done `minOps / 2`
   * operations), parked between two operations, while it may hold references.
   */
  kill?: boolean;
  pages?: number;
  keys?: number;
  pageSize?: number;
  seed?: number;
  progress?: (line: string) => void;
  /** The worker script (tests run a deliberately broken cache). */
  workerUrl?: URL;
}

export interface Leak {
  worker: number;
  page: number;
  key: number;
}

export interface TortureResult {
  /** The seed of worker 0 (worker w's is seed + 7919·w). */
  seed: number;
  ops: number;
  /**
   * Every violation found. A worker keeps the first 20 of its messages (its tally's
   * `flagged` counts all); a killed worker's messages are lost with it, and one line says
   * how many it had counted.
   */
  violations: string[];
  /**
   * How many violations were found: the workers' counts (`flagged`), whose messages may be
   * cut or lost, plus every other line of `violations` (crashes, hangs, the audit).
   */
  found: number;
  leaked: Leak[];
  /**
   * Each worker's tally, read from the shared counters it updates as it goes, so a killed
   * worker's row is exact up to the operation it parked after.
   */
  perWorker: (TortureTally & { worker: number; killed: boolean })[];
}

/**
 * How long a worker may take to park, or the workers to stop (each finishing its `minOps`),
 * once told to, before the run counts as a hang: a safety net, far past what a busy machine
 * takes.
 */
const HANG_MS = 60_000;

export async function runTorture(o: TortureOptions): Promise<TortureResult> {
  const pages = o.pages ?? 8;
  const keys = o.keys ?? 3 * pages;
  const cache = new PageCache({
    pages,
    pageSize: o.pageSize ?? 512,
    strategy: o.strategy,
    debug: true,
  });
  const layout: ControlLayout = { workers: o.workers, pages };
  const control = new SharedArrayBuffer(4 * controlWords(layout));
  const seed = o.seed ?? 0x5eed;
  const minOps = o.minOps ?? 1000;
  const words = new Int32Array(control);
  const url = o.workerUrl ?? new URL('./tortureWorker.js', import.meta.url);
  const victim = o.kill ? o.workers - 1 : -1;
  const violations: string[] = [];
  const leaked: Leak[] = [];
  const tallies: (TortureTally | undefined)[] = [];
  const exited: boolean[] = [];
  if (o.seconds === 0 && !o.kill) Atomics.store(words, COMMAND_SLOT, COMMAND.stop);
  const workers = Array.from({ length: o.workers }, (_, worker) => {
    const job: TortureJob = {
      cache: cache.buffer,
      control,
      worker,
      workers: o.workers,
      keys,
      seed: seed + worker * 7919,
      minOps,
    };
    return new Worker(url, { workerData: job });
  });
  const finished = workers.map(
    (w, i) =>
      new Promise<void>((resolve) => {
        w.once('message', (t: TortureTally) => ((tallies[i] = t), resolve()));
        w.once('error', (e) => (violations.push(`worker ${i} crashed: ${e.message}`), resolve()));
        w.once('exit', () => ((exited[i] = true), resolve()));
      }),
  );
  const opsSoFar = () =>
    Array.from({ length: o.workers }, (_, w) => Atomics.load(words, tallySlot(w, 'ops'))).reduce(
      (a, b) => a + b,
      0,
    );
  const started = Date.now();
  const ticker = setInterval(() => {
    const ops = opsSoFar();
    o.progress?.(
      `${((Date.now() - started) / 1000).toFixed(0)} s: ${ops.toLocaleString('en')} operation${ops === 1 ? '' : 's'}`,
    );
  }, 1000);
  try {
    if (victim >= 0) {
      await sleep((o.seconds * 1000) / 2);
      // and not before the victim has done half its minOps, however late it started
      const half = Math.ceil(minOps / 2);
      const late = Date.now() + HANG_MS;
      while (
        Atomics.load(words, tallySlot(victim, 'ops')) < half &&
        !exited[victim] &&
        Date.now() < late
      ) {
        await sleep(1);
      }
      const park = COMMAND.park(victim);
      Atomics.store(words, COMMAND_SLOT, park);
      const deadline = Date.now() + HANG_MS;
      // wait until it parks; it may have crashed already, and nothing may wait forever
      while (
        Atomics.load(words, COMMAND_SLOT) === park &&
        !exited[victim] &&
        Date.now() < deadline
      ) {
        await sleep(1);
      }
      if (Atomics.load(words, COMMAND_SLOT) === park) {
        Atomics.store(words, COMMAND_SLOT, COMMAND.run);
        violations.push(
          `worker ${victim} did not park to be killed (it had ${exited[victim] ? 'exited' : 'hung'})`,
        );
      }
      await workers[victim]!.terminate();
      for (let i = 0; i < MAX_HELD; i++) {
        const page = Atomics.load(words, heldSlot(layout, victim, i));
        if (page >= 0) leaked.push({ worker: victim, page, key: cache.keyOf(page) });
      }
      o.progress?.(
        `killed worker ${victim}, holding ${leaked.length} reference${leaked.length === 1 ? '' : 's'}`,
      );
      await sleep((o.seconds * 1000) / 2);
    } else {
      await sleep(o.seconds * 1000);
    }
    Atomics.store(words, COMMAND_SLOT, COMMAND.stop);
    // The hang guard's timer is cleared as soon as the workers stop: a pending timer would
    // keep the process alive for the rest of its HANG_MS.
    const guard = new AbortController();
    const stopped = await Promise.race([
      Promise.all(finished).then(() => true),
      sleep(HANG_MS, false, { signal: guard.signal }),
    ]).finally(() => guard.abort());
    if (!stopped)
      violations.push(
        `workers did not stop within ${HANG_MS / 1000} s of the stop command (a hang)`,
      );
  } finally {
    clearInterval(ticker);
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const held = new Map<number, number>();
  for (const l of leaked) held.set(l.page, (held.get(l.page) ?? 0) + 1);
  const others = [...violations, ...cache.audit(held)];
  violations.length = 0;
  for (const t of tallies) violations.push(...(t?.violations ?? []));
  violations.push(...others);
  const perWorker = workers.map((_, worker) => {
    const tally = readTally(words, worker);
    if (!tallies[worker] && tally.flagged > 0)
      violations.push(
        `worker ${worker} ${worker === victim ? 'was killed' : 'sent no tally'}: it had counted ${tally.flagged} violation(s), whose messages are lost with it`,
      );
    return {
      worker,
      killed: worker === victim,
      ...tally,
      violations: tallies[worker]?.violations ?? [],
    };
  });
  const found = perWorker.reduce((n, w) => n + w.flagged, others.length);
  return { seed, ops: opsSoFar(), violations, found, leaked, perWorker };
}
