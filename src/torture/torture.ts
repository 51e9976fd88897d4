import { Worker } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StrategyName } from '../refcount/strategy.js';
import { PageCache } from '../pagecache/pageCache.js';
import {
  COMMAND,
  CONTROL,
  controlWords,
  emptyTally,
  heldSlot,
  opsSlot,
  MAX_HELD,
  type TortureJob,
  type TortureTally,
} from './tortureLoop.js';

/**
 * `pageref torture`: N workers hammer one page cache with random operations on a small key
 * space, so pages are recycled all the time; every byte read is checked against its
 * (key, generation) pattern; at the end the cache's guarantees are audited.
 *
 * A run lasts `seconds`, and until each worker has done `minOps` operations: a worker that a
 * busy machine started late or hardly ran still does its share (a killed worker excepted).
 */
export interface TortureOptions {
  workers: number;
  seconds: number;
  /** Operations each worker does at least, however long that takes. Defaults to 1,000. */
  minOps?: number;
  strategy: StrategyName;
  /** Kill one worker halfway, while it may hold references. */
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
  ops: number;
  violations: string[];
  leaked: Leak[];
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
  const control = new SharedArrayBuffer(4 * controlWords(o.workers));
  const words = new Int32Array(control);
  const url = o.workerUrl ?? new URL('./tortureWorker.js', import.meta.url);
  const victim = o.kill ? o.workers - 1 : -1;
  const violations: string[] = [];
  const leaked: Leak[] = [];
  const tallies: (TortureTally | undefined)[] = [];
  const exited: boolean[] = [];
  const workers = Array.from({ length: o.workers }, (_, worker) => {
    const job: TortureJob = {
      cache: cache.buffer,
      control,
      worker,
      workers: o.workers,
      keys,
      seed: (o.seed ?? 0x5eed) + worker * 7919,
      minOps: o.minOps ?? 1000,
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
    Array.from({ length: o.workers }, (_, w) => Atomics.load(words, opsSlot(w))).reduce(
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
      const park = COMMAND.park(victim);
      Atomics.store(words, CONTROL.command, park);
      const deadline = Date.now() + HANG_MS;
      // wait until it parks; it may have crashed already, and nothing may wait forever
      while (
        Atomics.load(words, CONTROL.command) === park &&
        !exited[victim] &&
        Date.now() < deadline
      ) {
        await sleep(1);
      }
      if (Atomics.load(words, CONTROL.command) === park) {
        Atomics.store(words, CONTROL.command, COMMAND.run);
        violations.push(
          `worker ${victim} did not park to be killed (it had ${exited[victim] ? 'exited' : 'hung'})`,
        );
      }
      await workers[victim]!.terminate();
      for (let i = 0; i < MAX_HELD; i++) {
        const page = Atomics.load(words, heldSlot(o.workers, victim, i));
        if (page >= 0) leaked.push({ worker: victim, page, key: cache.keyOf(page) });
      }
      o.progress?.(
        `killed worker ${victim}, holding ${leaked.length} reference${leaked.length === 1 ? '' : 's'}`,
      );
      await sleep((o.seconds * 1000) / 2);
    } else {
      await sleep(o.seconds * 1000);
    }
    Atomics.store(words, CONTROL.command, COMMAND.stop);
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
  for (const t of tallies) violations.push(...(t?.violations ?? []));
  violations.push(...cache.audit(held));
  const perWorker = workers.map((_, worker) => ({
    worker,
    killed: worker === victim,
    ...(tallies[worker] ?? emptyTally(Atomics.load(words, opsSlot(worker)))),
  }));
  return { ops: opsSoFar(), violations, leaked, perWorker };
}
