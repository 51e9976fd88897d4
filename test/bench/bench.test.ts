import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { measure } from '../../src/bench/harness.js';
import { defaultWorkers, median, runExperiment } from '../../src/bench/experiment.js';
import { formatTables, human } from '../../src/bench/report.js';
import { renderChart } from '../../src/bench/chart.js';
import { WORKLOADS } from '../../src/bench/workloads.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('bench harness (behaviour, not timing)', () => {
  for (const workload of WORKLOADS) {
    for (const strategy of ['classic', 'classic-optimistic', 'frozen-bit']) {
      it(
        `${workload} × ${strategy}, 2 workers, 30 ms: a positive rate`,
        { timeout: 60_000 },
        async () => {
          const ops = await measure({
            workload,
            strategy,
            workers: 2,
            durationMs: 30,
            warmupMs: 10,
          });
          assert.ok(ops > 0 && Number.isFinite(ops), String(ops));
        },
      );
    }
  }

  it(
    'a worker that throws fails the measurement with its error, and nothing hangs',
    { timeout: 60_000 },
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
});

describe('bench experiment: schema, interleaving, report', () => {
  it(
    'interleaves the strategies within each repetition and returns the JSON schema',
    { timeout: 60_000 },
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
      assert.deepEqual(Object.keys(result).sort(), ['config', 'machine', 'runs']);
      assert.deepEqual(Object.keys(result.machine).sort(), ['cores', 'cpu', 'node', 'os']);
      for (const run of result.runs) {
        assert.deepEqual(Object.keys(run).sort(), ['opsPerSec', 'strategy', 'workers', 'workload']);
        assert.equal(run.opsPerSec.length, 2);
      }
      assert.ok(result.runs.some((r) => r.workload === 'ceiling' && r.strategy === 'none'));
      const text = formatTables(result);
      assert.match(text, /#workers \| +classic \| +frozen-bit \| boost % \| +ceiling/);
      assert.match(text, /\n1 +\| +1K \[1K–1K\] \| +1K \[1K–1K\] \| +\+0\.0 \|/);
    },
  );

  it('draws the chart as SVG with a line per strategy', { timeout: 60_000 }, async () => {
    const svg = await renderChart({
      machine: { cpu: 'test', cores: 2, node: 'v20', os: 'x' },
      config: {
        workloads: ['getput'],
        strategies: ['classic', 'frozen-bit'],
        workers: [1, 2],
        durationMs: 1,
        warmupMs: 1,
        repetitions: 1,
        oversubscribedFrom: 3,
      },
      runs: [
        { workload: 'getput', strategy: 'classic', workers: 1, opsPerSec: [10, 12] },
        { workload: 'getput', strategy: 'classic', workers: 2, opsPerSec: [8, 9] },
        { workload: 'getput', strategy: 'frozen-bit', workers: 1, opsPerSec: [11, 13] },
        { workload: 'getput', strategy: 'frozen-bit', workers: 2, opsPerSec: [10, 12] },
      ],
    });
    assert.match(svg, /^<svg/);
    assert.match(svg, /classic/);
    assert.match(svg, /frozen-bit/);
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
    [['--workers', '0'], /--workers: worker count must be a positive integer, got "0"/],
    [
      ['--workload', 'fio'],
      /--workload: unknown workload "fio": expected one of getput, pread64, ceiling/,
    ],
    [['--strategy', 'rfc-v1'], /--strategy: unknown strategy "rfc-v1"/],
    [['--duration', 'soon'], /--duration must be a positive integer/],
  ];
  for (const [args, message] of bad) {
    it(`pageref bench ${args.join(' ')}: one line, exit 2`, () => {
      const out = spawnSync(process.execPath, ['dist/src/cli/main.js', 'bench', ...args], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      assert.equal(out.status, 2);
      assert.match(out.stderr, message);
    });
  }
});
