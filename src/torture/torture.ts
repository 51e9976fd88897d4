import { Worker } from 'node:worker_threads';
import type { StrategyName } from '../refcount/strategy.js';
import { PageCache } from '../pagecache/pageCache.js';
import {
  controlWords,
  emptyTally,
  heldSlot,
  MAX_HELD,
  type TortureJob,
  type TortureTally,
} from './tortureLoop.js';

/**
 * `pageref torture`: N workers hammer one page cache with random operations on a small key
 * space, so pages are recycled all the time; every byte read is checked against its
 * (key, generation) pattern; at the end the cache's guarantees are audited.
 */
export interface TortureOptions {
  workers: number;
  seconds: number;
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
    Array.from({ length: o.workers }, (_, w) => Atomics.load(words, 1 + w)).reduce(
      (a, b) => a + b,
      0,
    );
  const started = Date.now();
  const ticker = setInterval(() => {
    o.progress?.(
      `${((Date.now() - started) / 1000).toFixed(0)} s: ${opsSoFar().toLocaleString('en')} operations`,
    );
  }, 1000);
  try {
    if (victim >= 0) {
      await sleep((o.seconds * 1000) / 2);
      Atomics.store(words, 0, 2 + victim);
      const deadline = Date.now() + 5_000;
      // wait until it parks; it may have crashed already, and nothing may wait forever
      while (Atomics.load(words, 0) === 2 + victim && !exited[victim] && Date.now() < deadline) {
        await sleep(1);
      }
      if (Atomics.load(words, 0) === 2 + victim) {
        Atomics.store(words, 0, 0);
        violations.push(
          `worker ${victim} did not park to be killed (it had ${exited[victim] ? 'exited' : 'hung'})`,
        );
      }
      await workers[victim]!.terminate();
      for (let i = 0; i < MAX_HELD; i++) {
        const page = Atomics.load(words, heldSlot(o.workers, victim, i));
        if (page >= 0) leaked.push({ worker: victim, page, key: cache.keyOf(page) });
      }
      o.progress?.(`killed worker ${victim}, holding ${leaked.length} reference(s)`);
      await sleep((o.seconds * 1000) / 2);
    } else {
      await sleep(o.seconds * 1000);
    }
    Atomics.store(words, 0, 1);
    const stopped = await Promise.race([
      Promise.all(finished).then(() => true),
      sleep(10_000).then(() => false),
    ]);
    if (!stopped) violations.push('workers did not stop within 10 s of the stop flag (a hang)');
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
    ...(tallies[worker] ?? emptyTally(Atomics.load(words, 1 + worker))),
  }));
  return { ops: opsSoFar(), violations, leaked, perWorker };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
