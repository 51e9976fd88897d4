/**
 * The frozen counter's drift on real memory, a demo with numbers, not a test: N workers each
 * make G speculative gets of one page frozen by its eviction, through the strategy's own code
 * over real shared memory. Reported per strategy: the highest the counter's count bits went
 * (the drift; at 2^31 − 1 more, rfc-v1's counter wraps to a live value, which
 * `torture --forced overflow-guard` shows step by step), the failed undos (rfc-v1's one-shot
 * cmpxchg that another getter's add beat), the count bits left at the end, and the time.
 *
 * Probabilistic: how far the drift goes depends on how the machine interleaves the workers.
 * Usage: node dist/scripts/tortureDrift.js [workers=4] [gets=1000000]
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { AtomicCells } from '../src/cells/atomicCells.js';
import type { Cells } from '../src/cells/cells.js';
import { PageRefs } from '../src/refcount/pageRefs.js';
import { FROZEN_BIT } from '../src/refcount/layout.js';
import type { StrategyName } from '../src/refcount/strategy.js';

const STRATEGIES: StrategyName[] = ['rfc-v1', 'frozen-bit'];

interface Job {
  /** [the counter, the workers ready (a start barrier: they all begin together)] */
  memory: SharedArrayBuffer;
  workers: number;
  strategy: StrategyName;
  gets: number;
}

interface Seen {
  peak: number;
  failedUndos: number;
  got: number;
}

/** AtomicCells that remember the highest frozen count bits an add made, and failed cas. */
function watching(view: Int32Array, seen: Seen): Cells {
  const real = new AtomicCells(view);
  return {
    load: real.load,
    store: real.store,
    sub: real.sub,
    add: (i, delta) => {
      const old = real.add(i, delta);
      const now = (old + delta) | 0;
      if (now & FROZEN_BIT) seen.peak = Math.max(seen.peak, now & ~FROZEN_BIT);
      return old;
    },
    cas: (i, expected, replacement) => {
      const v = real.cas(i, expected, replacement);
      if (v !== expected) seen.failedUndos++;
      return v;
    },
  };
}

if (isMainThread) {
  const [workers, gets] = [
    ['workers', process.argv[2] ?? '4', 64],
    ['gets', process.argv[3] ?? '1000000', 1e9],
  ].map(([name, v, max]) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > Number(max)) {
      console.error(`tortureDrift: ${name} must be an integer from 1 to ${max}, got ${String(v)}`);
      process.exit(2);
    }
    return n;
  }) as [number, number];
  console.log(`${workers} workers × ${gets.toLocaleString('en')} gets of one frozen page`);
  console.log('strategy     peak drift  failed undos  left at end  successful gets     ms');
  for (const strategy of STRATEGIES) {
    const memory = new SharedArrayBuffer(8);
    const refs = PageRefs.over(new AtomicCells(new Int32Array(memory, 0, 1)), {
      pages: 1,
      strategy,
    });
    refs.init(0);
    refs.freeze(0, 1); // evicted: frozen at count 1
    const t0 = performance.now();
    const results = await Promise.all(
      Array.from(
        { length: workers },
        () =>
          new Promise<Seen>((resolve, reject) => {
            const job: Job = { memory, workers, strategy, gets };
            const w = new Worker(new URL(import.meta.url), { workerData: job });
            w.once('message', resolve);
            w.once('error', reject);
          }),
      ),
    );
    const ms = performance.now() - t0;
    const peak = Math.max(...results.map((r) => r.peak));
    const failed = results.reduce((n, r) => n + r.failedUndos, 0);
    const got = results.reduce((n, r) => n + r.got, 0);
    const left = new Int32Array(memory)[0]! & ~FROZEN_BIT;
    console.log(
      `${strategy.padEnd(12)} ${String(peak).padStart(10)}  ${String(failed).padStart(12)}  ${String(left).padStart(11)}  ${String(got).padStart(15)}  ${ms.toFixed(0).padStart(5)}`,
    );
  }
} else {
  const job = workerData as Job;
  const seen: Seen = { peak: 0, failedUndos: 0, got: 0 };
  const refs = PageRefs.over(watching(new Int32Array(job.memory, 0, 1), seen), {
    pages: 1,
    strategy: job.strategy,
  });
  const barrier = new Int32Array(job.memory, 4, 1);
  Atomics.add(barrier, 0, 1);
  while (Atomics.load(barrier, 0) < job.workers); // spin: every worker starts together
  for (let i = 0; i < job.gets; i++) if (refs.tryGet(0)) seen.got++;
  parentPort!.postMessage(seen);
}
