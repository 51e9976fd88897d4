import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { maxWorkers, measure, measureWorkers } from '../../src/bench/harness.js';
import { BATCH } from '../../src/bench/countBatches.js';
import {
  BENCH_STRATEGIES,
  defaultWorkers,
  median,
  runExperiment,
  type BenchConfig,
  type BenchResult,
} from '../../src/bench/experiment.js';
import { formatTables, human } from '../../src/bench/report.js';
import { plural } from '../../src/text/plural.js';
import { benchConfig } from '../../src/cli/bench.js';
import { buildLoop, createBenchMemory, isCeiling, WORKLOADS } from '../../src/bench/workloads.js';
import { pageref } from '../helpers/pageref.js';
import { HANG_MS } from '../helpers/hang.js';

describe('bench harness (behaviour, not timing)', () => {
  for (const workload of WORKLOADS) {
    // the ceilings touch no refcount: one strategy is enough to build their memory
    for (const strategy of isCeiling(workload) ? (['frozen-bit'] as const) : BENCH_STRATEGIES) {
      it(
        `${workload} × ${strategy}, 2 workers, 30 ms: each worker counts, a positive rate`,
        { timeout: HANG_MS },
        async () => {
          const o = { workload, strategy, workers: 2, durationMs: 30, warmupMs: 10 } as const;
          // however busy the machine: each worker counts a batch (the phase waits for it)
          const { seconds, workers } = await measureWorkers(o);
          for (const [i, w] of workers.entries()) assert.ok(w.counted >= BATCH, `worker ${i}`);
          assert.ok(seconds > 0, `${seconds} s`);
          const ops = await measure(o);
          assert.ok(ops > 0 && Number.isFinite(ops), String(ops));
        },
      );
    }
  }

  it(
    'a worker not scheduled during the duration asked still counts: the phase waits for it',
    { timeout: HANG_MS },
    async () => {
      // worker 1 stalls 200 ms into the counted phase; 1 ms was asked for
      const { seconds, workers } = await measureWorkers({
        workload: 'getput',
        strategy: 'frozen-bit',
        workers: 2,
        durationMs: 1,
        warmupMs: 1,
        workerUrl: new URL('./late.worker.js', import.meta.url),
      });
      for (const [i, w] of workers.entries()) assert.ok(w.counted >= BATCH, `worker ${i}`);
      assert.ok(seconds >= 0.2, `the counted phase lasted ${seconds} s`);
    },
  );

  it(
    'a worker that throws fails the measurement with its error, and nothing hangs',
    { timeout: HANG_MS },
    async () => {
      await assert.rejects(
        measure({
          workload: 'getput',
          strategy: 'frozen-bit',
          workers: 2,
          durationMs: 20,
          warmupMs: 10,
          workerUrl: new URL('./fail.worker.js', import.meta.url),
        }),
        { name: 'BenchError', message: /worker 1 failed: injected failure/ },
      );
    },
  );

  it('refuses a worker count or a duration out of bounds before starting anything', async () => {
    const o = {
      workload: 'ceiling',
      strategy: 'frozen-bit',
      durationMs: 10,
      warmupMs: 10,
    } as const;
    await assert.rejects(measure({ ...o, workers: 99_999 }), {
      name: 'RangeError',
      message: `workers must be 1 to ${maxWorkers()}, got 99999`,
    });
    await assert.rejects(measure({ ...o, workers: 1, durationMs: 1e12 }), {
      name: 'RangeError',
      message: /durationMs must be 1 to 600000, got 1000000000000/,
    });
    assert.equal(maxWorkers(2), 64);
    assert.equal(maxWorkers(32), 128);
  });

  it('the ceiling does add + sub on one shared counter; unshared touches only its own', () => {
    const mem = createBenchMemory('frozen-bit', 2);
    const cells = new Int32Array(mem.counters);
    buildLoop('ceiling', mem, 0)(1000);
    buildLoop('ceiling', mem, 1)(1000);
    assert.equal(cells[0], 0); // every add was undone by its sub
    buildLoop('unshared', mem, 1)(5);
    assert.deepEqual([cells[0], cells[16], cells[32]], [0, 0, 5]); // worker 1: line 2
  });
});

/** A result as the experiment returns it, with made-up rates: `rate(workload, strategy, workers)`. */
function fakeResult(
  config: Partial<BenchConfig>,
  rate: (workload: string, strategy: string, workers: number) => number,
): BenchResult {
  const full: BenchConfig = {
    workloads: ['getput', 'ceiling', 'unshared'],
    strategies: ['classic', 'frozen-bit'],
    workers: [1, 2],
    durationMs: 250,
    warmupMs: 100,
    repetitions: 1,
    ...config,
  };
  const runs = full.workloads.flatMap((workload) =>
    full.workers.flatMap((workers) =>
      (workload === 'ceiling' || workload === 'unshared'
        ? (['none'] as const)
        : full.strategies
      ).map((strategy) => ({
        workload,
        strategy,
        workers,
        opsPerSec: [rate(workload, strategy, workers)],
      })),
    ),
  );
  return {
    machine: { cpu: 'test cpu', cores: 2, node: 'v20', os: 'x' },
    config: { ...full, oversubscribedFrom: 3 },
    runs,
  };
}

describe('bench tables', () => {
  const rates = { classic: 40e6, 'frozen-bit': 48e6, ceiling: 60e6, unshared: 100e6 } as const;
  const rate = (workload: string, strategy: string) =>
    rates[(workload === 'getput' ? strategy : workload) as keyof typeof rates];

  it('says how close frozen-bit comes to the contention ceiling', () => {
    const text = formatTables(fakeResult({}, rate));
    assert.match(
      text,
      /#workers \| +classic \| +frozen-bit \| boost % \| +ceiling \| of ceiling \| +unshared\n/,
    );
    assert.match(
      text,
      /\n1 +\| 40\.0M \[40\.0M–40\.0M\] \| 48\.0M .* \| +\+20\.0 \| 60\.0M .* \| +80% \| 100M/,
    );
    assert.match(text, /^ceiling: add \+ sub on one shared counter/m);
  });

  it('--workload ceiling alone, 1 worker: a table of the ceilings, with its row', () => {
    const text = formatTables(fakeResult({ workloads: ['ceiling'], workers: [1] }, rate));
    assert.match(text, /\nceilings:\n#workers \| +ceiling\n1 +\| 60\.0M \[60\.0M–60\.0M\]\n/);
    assert.doesNotMatch(text, /boost|of ceiling/);
  });

  it('the (over) footnote only when a row is oversubscribed; no trailing spaces', () => {
    const within = formatTables(fakeResult({ workers: [1, 2] }, rate));
    assert.doesNotMatch(within, /\(over\)/);
    const over = formatTables(fakeResult({ workers: [1, 2, 4] }, rate));
    assert.match(over, /\n4 \(over\) \|/);
    assert.match(over, /^\(over\): more workers than cores/m);
    for (const text of [within, over]) assert.doesNotMatch(text, / $/m);
  });

  it('counts for people: 1 core, 2 cores, 1 repetition', () => {
    assert.equal(plural(1, 'core'), '1 core');
    assert.equal(plural(2, 'core'), '2 cores');
    assert.equal(plural(1234, 'operation'), '1,234 operations');
    const text = formatTables(fakeResult({ repetitions: 1 }, rate));
    assert.match(text, /test cpu, 2 cores, .*\n250 ms × 1 repetition per cell/);
  });
});

describe('bench experiment: schema, interleaving, report', () => {
  it(
    'interleaves the strategies within each repetition and returns the JSON schema',
    { timeout: HANG_MS },
    async () => {
      const order: string[] = [];
      const result = await runExperiment(
        {
          workloads: ['getput', 'ceiling'],
          strategies: ['classic', 'frozen-bit'],
          workers: [1, 2],
          durationMs: 1,
          warmupMs: 1,
          repetitions: 2,
        },
        () => {},
        async (o) => (order.push(`${o.workload}/${o.strategy}/${o.workers}`), 1000 * o.workers),
      );
      assert.deepEqual(order.slice(0, 6), order.slice(6)); // rep 2 repeats rep 1's A B C order
      assert.deepEqual(order.slice(0, 2), ['getput/classic/1', 'getput/frozen-bit/1']);
      assert.deepEqual(Object.keys(result).sort(), ['config', 'load', 'machine', 'runs']);
      assert.deepEqual(Object.keys(result.machine).sort(), ['cores', 'cpu', 'node', 'os']);
      for (const run of result.runs) {
        assert.deepEqual(Object.keys(run).sort(), ['opsPerSec', 'strategy', 'workers', 'workload']);
        assert.equal(run.opsPerSec.length, 2);
      }
      assert.ok(result.runs.some((r) => r.workload === 'ceiling' && r.strategy === 'none'));
    },
  );

  it('--quick sets what the user did not give: --reps 1 --quick runs 1 repetition', () => {
    const o = { duration: 2000, warmup: 300, reps: 1, quick: true };
    const quick = benchConfig(o);
    assert.deepEqual([quick.durationMs, quick.warmupMs, quick.repetitions], [250, 100, 2]);
    assert.deepEqual(quick.workers, [1, 2]);
    const withReps = benchConfig(o, (option) => option === 'reps');
    assert.deepEqual([withReps.durationMs, withReps.warmupMs, withReps.repetitions], [250, 100, 1]);
  });

  it('statistics and defaults', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.deepEqual(defaultWorkers(2), [1, 2, 4]);
    assert.deepEqual(defaultWorkers(16), [1, 2, 4, 8, 16, 32]);
    assert.equal(human(12_345_678), '12.3M');
    assert.equal(human(456_700), '457K');
  });

  const bad: [string[], RegExp][] = [
    [['--workers', '0'], /--workers: worker count must be an integer from 1 to \d+, got "0"/],
    [
      ['--workload', 'fio'],
      /--workload: unknown workload "fio": expected one of getput, pread64, ceiling/,
    ],
    [
      ['--strategy', 'rfc-v1'],
      /--strategy: unknown strategy "rfc-v1": expected one of classic, classic-optimistic, frozen-bit\n/,
    ],
    [['--duration', 'soon'], /--duration must be an integer from 1 to 600000, got "soon"/],
    [['--duration', '1e12'], /--duration must be an integer from 1 to 600000, got "1e12"/],
    [
      ['--workers', '99999'],
      new RegExp(
        `--workers: worker count must be an integer from 1 to ${maxWorkers()}, got "99999"`,
      ),
    ],
    [['--reps', '1e9'], /--reps must be an integer from 1 to 1000/],
    // output paths are checked before the benchmark runs
    [['--json', '/nonexistent/dir/x.json'], /--json \/nonexistent\/dir\/x.json: no such directory/],
    [['--svg', '/dev/null/x.svg'], /--svg \/dev\/null\/x.svg: \/dev\/null is not a directory/],
    [['--json', '.'], /--json \.: is a directory/],
    [['--json', ''], /^pageref: --json: expected a file, got an empty path$/m],
  ];
  for (const [args, message] of bad) {
    it(`pageref bench ${args.join(' ')}: one line, exit 2`, () => {
      const out = pageref('bench', ...args);
      assert.equal(out.status, 2);
      assert.match(out.stderr, message);
      assert.equal(out.stderr.trimEnd().split('\n').length, 1, out.stderr); // nothing ran
    });
  }
});
