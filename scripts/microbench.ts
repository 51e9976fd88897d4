/**
 * Microbenchmark: what does the PageRefs abstraction cost over raw Atomics, and what does
 * the page cache's read path cost over the refcount?
 *
 * One worker at a time, one page, no contention. Each variant runs in a fresh worker (so one
 * variant's JIT feedback cannot slow the next) and the variants are interleaved A B C A B C
 * over the repetitions. Reported: median ns per operation pair and the ratio to its
 * baseline, then the read path's ratios against issue 10's goals, from the same run.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { PageRefs } from '../src/refcount/pageRefs.js';
import { PageCache, MISS } from '../src/pagecache/pageCache.js';
import { AtomicCells } from '../src/cells/atomicCells.js';
import { median } from '../src/bench/experiment.js';
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
  // the page cache's read path on one cached page (the pread64 workload, one thread)
  'PageCache: get+put': (_: PageRefs, cache: PageCache) => cacheGetPut(cache),
  'PageCache: read(64)': (_: PageRefs, cache: PageCache) => cacheRead(cache, 64),
} as const;
type Variant = keyof typeof VARIANTS;

/** The read path's goals (issue 10 item 4): [row, measured against, at most]. */
const GOALS: [Variant, Variant, number][] = [
  ['PageCache: read(64)', 'PageCache: get+put', 1.5],
  ['PageCache: get+put', 'PageRefs frozen-bit: tryGet+decAndTest', 2],
];

const KEY = 42;

function cacheGetPut(cache: PageCache): (n: number) => number {
  return (n) => {
    let freed = 0;
    for (let i = 0; i < n; i++) {
      const p = cache.get(KEY);
      if (p === MISS || cache.put(p)) freed++;
    }
    return freed;
  };
}

function cacheRead(cache: PageCache, length: number): (n: number) => number {
  const into = new Uint8Array(length);
  return (n) => {
    let missed = 0;
    for (let i = 0; i < n; i++) if (cache.read(KEY, 0, length, into) === MISS) missed++;
    return missed + (into[length - 1] === (length - 1) % 251 ? 0 : 1);
  };
}

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

/**
 * One PageRefs per worker, as the variant needs it: a lone PageRefs, or the one inside a
 * PageCache. A second instance in the same worker would cost the closures their constants
 * (V8 specializes a closure on its context only while its creation site has made one
 * closure), and the refcount rows would no longer measure the design they are about.
 */
function subject(variant: Variant): { refs: PageRefs; cache: PageCache | undefined } {
  if (!variant.startsWith('PageCache')) {
    const refs = new PageRefs({ pages: 1, debug: variant.includes('debug on') });
    refs.init(0);
    return { refs, cache: undefined };
  }
  const cache = new PageCache({ pages: 1, pageSize: 4096 });
  cache.insert(
    KEY,
    0,
    Uint8Array.from({ length: 4096 }, (_, i) => i % 251),
  );
  return { refs: cache.refs, cache }; // page 0 holds KEY, with the cache's reference
}

/** What a measurement's time is: elapsed (wall) or CPU time of this process. */
type Clock = 'wall' | 'cpu';

/** Nanoseconds by `clock`, from an arbitrary origin. */
function nowNs(clock: Clock): number {
  if (clock === 'wall') return Number(process.hrtime.bigint());
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}

function measure(variant: Variant, ms: number, clock: Clock): number {
  const { refs, cache } = subject(variant);
  const loop = VARIANTS[variant](refs, cache!);
  const batch = 100_000;
  for (let i = 0; i < 50; i++) loop(batch); // warm-up: reach optimized code
  let ops = 0;
  let freed = 0;
  const start = nowNs(clock);
  const until = start + ms * 1e6;
  let now = start;
  while (now < until) {
    freed += loop(batch);
    ops += batch;
    now = nowNs(clock);
  }
  if (freed !== 0 || refs.raw(0) !== 1) throw new Error(`${variant}: page state corrupted`);
  return (now - start) / ops;
}

function runInWorker(variant: Variant, ms: number, clock: Clock): Promise<number> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL(import.meta.url), { workerData: { variant, ms, clock } });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

const HELP = `Usage: npm run microbench [-- --reps N --ms MS --clock wall|cpu]

Measures, one worker at a time and one page without contention, what the PageRefs
abstraction costs over raw Atomics and what PageCache's read path costs over the refcount.
Each variant runs in a fresh worker; variants are interleaved over the repetitions.

Options:
  --reps N   repetitions of every variant (default 7)
  --ms MS    milliseconds measured per variant and repetition (default 400)
  --clock C  wall: elapsed time (default); cpu: this process's CPU time, which a busy
             machine inflates less (a worker waiting for a core is not counted)
  --help     print this help and exit
`;

function parseArgs(argv: string[]): { reps: number; ms: number; clock: Clock } | undefined {
  const o = { reps: 7, ms: 400, clock: 'wall' as Clock };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') return undefined;
    if (a === '--clock') {
      const c = argv[++i];
      if (c !== 'wall' && c !== 'cpu')
        throw new Error(`--clock needs wall or cpu, got ${c ?? 'nothing'}`);
      o.clock = c;
      continue;
    }
    if (a !== '--reps' && a !== '--ms') throw new Error(`unknown option ${a} (see --help)`);
    const v = Number(argv[++i]);
    if (!Number.isInteger(v) || v < 1 || v > 100_000) {
      throw new Error(`${a} needs an integer from 1 to 100000, got ${argv[i] ?? 'nothing'}`);
    }
    o[a === '--reps' ? 'reps' : 'ms'] = v;
  }
  return o;
}

async function mainThread(): Promise<void> {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`microbench: ${(e as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  if (!args) {
    process.stdout.write(HELP);
    return;
  }
  const { reps, ms, clock } = args;
  const names = Object.keys(VARIANTS) as Variant[];
  const samples = new Map<Variant, number[]>(names.map((n) => [n, []]));
  // a terminal gets one line rewritten in place; a pipe or file gets one line per repetition
  const tty = process.stderr.isTTY;
  for (let r = 0; r < reps; r++) {
    for (const n of names) samples.get(n)!.push(await runInWorker(n, ms, clock));
    process.stderr.write(`${tty ? '\r' : ''}repetition ${r + 1}/${reps}${tty ? '' : '\n'}`);
  }
  if (tty) process.stderr.write('\n');
  const m = (n: Variant) => median(samples.get(n)!);
  const baseline = (n: Variant): Variant =>
    n.includes('inc+dec')
      ? 'raw Atomics: inc+dec'
      : n.startsWith('PageCache')
        ? 'PageRefs frozen-bit: tryGet+decAndTest'
        : 'raw Atomics: tryGet+decAndTest';
  console.log(
    `node ${process.version}, ${reps} repetitions × ${ms} ms (${clock} clock), one worker each\n`,
  );
  console.log('variant'.padEnd(46) + 'ns/pair (median)'.padStart(18) + '  vs baseline');
  for (const n of names) {
    const ratio = (m(n) / m(baseline(n))).toFixed(3);
    console.log(`${n.padEnd(46)}${m(n).toFixed(2).padStart(18)}  ${ratio}× ${baseline(n)}`);
  }
  console.log('\nread path (goal: at most)');
  for (const [row, against, goal] of GOALS) {
    const ratio = m(row) / m(against);
    const verdict = ratio <= goal ? 'met' : 'NOT MET';
    console.log(
      `${`${row} / ${against}`.padEnd(64)}${ratio.toFixed(2).padStart(6)}×  (≤ ${goal}×: ${verdict})`,
    );
  }
}

if (isMainThread) await mainThread();
else {
  const { variant, ms, clock } = workerData as { variant: Variant; ms: number; clock: Clock };
  parentPort!.postMessage(measure(variant, ms, clock));
}
