/**
 * Microbenchmark: what does the PageRefs abstraction cost over raw Atomics?
 *
 * One worker at a time, one page, no contention. Each variant runs in a fresh worker (so one
 * variant's JIT feedback cannot slow the next) and the variants are interleaved A B C A B C
 * over the repetitions. Reported: median ns per operation pair and the ratio to raw Atomics.
 *
 *   npm run microbench [-- --reps 7 --ms 400]
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { PageRefs } from '../src/refcount/pageRefs.js';
import { AtomicCells } from '../src/cells/atomicCells.js';
import { frozenBit } from '../src/refcount/frozenBit.js';
import { FROZEN_BIT, FROZEN_LIMIT } from '../src/refcount/layout.js';
import { REFS_HEADER_BYTES as HEADER_BYTES } from '../src/refcount/header.js';

const VARIANTS = {
  // tryGet + decAndTest on a page the cache holds (count 1): the speculative read path
  'raw Atomics: tryGet+decAndTest': rawGetPut,
  // the strategy alone over AtomicCells, without PageRefs: shows which layer costs what
  'strategy over AtomicCells: tryGet+decAndTest': strategyGetPut,
  'PageRefs frozen-bit: tryGet+decAndTest': (refs: PageRefs) => getPut(refs),
  // inc + dec, which carry debug checks: off must cost nothing, on costs a load each
  'raw Atomics: inc+dec': rawIncDec,
  'PageRefs debug off: inc+dec': (refs: PageRefs) => incDec(refs),
  'PageRefs debug on: inc+dec': (refs: PageRefs) => incDec(refs),
} as const;
type Variant = keyof typeof VARIANTS;

function getPut(refs: PageRefs): (n: number) => number {
  return (n) => {
    let freed = 0;
    for (let i = 0; i < n; i++) if (refs.tryGet(0) && refs.decAndTest(0)) freed++;
    return freed;
  };
}

function strategyGetPut(refs: PageRefs): (n: number) => number {
  const cells = new AtomicCells(new Int32Array(refs.buffer, HEADER_BYTES, 1));
  return (n) => {
    let freed = 0;
    for (let i = 0; i < n; i++)
      if (frozenBit.tryGet(cells, 0) && frozenBit.decAndTest(cells, 0)) freed++;
    return freed;
  };
}

function incDec(refs: PageRefs): (n: number) => number {
  return (n) => {
    for (let i = 0; i < n; i++) {
      refs.inc(0);
      refs.dec(0);
    }
    return 0;
  };
}

/** frozen-bit's tryGet and decAndTest, written out as raw Atomics calls. */
function rawGetPut(refs: PageRefs): (n: number) => number {
  const v = new Int32Array(refs.buffer, HEADER_BYTES, 1);
  return (n) => {
    let freed = 0;
    for (let i = 0; i < n; i++) {
      let val = (Atomics.add(v, 0, 1) + 1) | 0;
      const ok = (val & FROZEN_BIT) === 0;
      while (val >>> 0 >= FROZEN_LIMIT) val = Atomics.compareExchange(v, 0, val, FROZEN_BIT);
      if (ok && Atomics.sub(v, 0, 1) === 1 && Atomics.compareExchange(v, 0, 0, FROZEN_BIT) === 0)
        freed++;
    }
    return freed;
  };
}

function rawIncDec(refs: PageRefs): (n: number) => number {
  const v = new Int32Array(refs.buffer, HEADER_BYTES, 1);
  return (n) => {
    for (let i = 0; i < n; i++) {
      Atomics.add(v, 0, 1);
      Atomics.sub(v, 0, 1);
    }
    return 0;
  };
}

function measure(variant: Variant, ms: number): number {
  const refs = new PageRefs({ pages: 1, debug: variant.includes('debug on') });
  refs.init(0);
  const loop = VARIANTS[variant](refs);
  const batch = 100_000;
  for (let i = 0; i < 50; i++) loop(batch); // warm-up: reach optimized code
  let ops = 0;
  let freed = 0;
  const start = process.hrtime.bigint();
  const until = start + BigInt(ms) * 1_000_000n;
  let now = start;
  while (now < until) {
    freed += loop(batch);
    ops += batch;
    now = process.hrtime.bigint();
  }
  if (freed !== 0 || refs.raw(0) !== 1) throw new Error(`${variant}: page state corrupted`);
  return Number(now - start) / ops;
}

function runInWorker(variant: Variant, ms: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL(import.meta.url), { workerData: { variant, ms } });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

async function mainThread(): Promise<void> {
  const arg = (name: string, dflt: number) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : dflt;
  };
  const reps = arg('--reps', 7);
  const ms = arg('--ms', 400);
  const names = Object.keys(VARIANTS) as Variant[];
  const samples = new Map<Variant, number[]>(names.map((n) => [n, []]));
  for (let r = 0; r < reps; r++) {
    for (const n of names) samples.get(n)!.push(await runInWorker(n, ms));
    process.stderr.write(`\rrepetition ${r + 1}/${reps}`);
  }
  process.stderr.write('\n');
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const baseline = (n: Variant) =>
    median(
      samples.get(
        n.includes('inc+dec') ? 'raw Atomics: inc+dec' : 'raw Atomics: tryGet+decAndTest',
      )!,
    );
  console.log(`node ${process.version}, ${reps} repetitions × ${ms} ms, one worker each\n`);
  console.log('variant'.padEnd(46) + 'ns/pair (median)'.padStart(18) + '  vs raw');
  for (const n of names) {
    const m = median(samples.get(n)!);
    console.log(n.padEnd(46) + m.toFixed(2).padStart(18) + `  ${(m / baseline(n)).toFixed(3)}×`);
  }
}

if (isMainThread) await mainThread();
else {
  const { variant, ms } = workerData as { variant: Variant; ms: number };
  parentPort!.postMessage(measure(variant, ms));
}
