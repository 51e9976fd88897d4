import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderChart } from '../../src/report/chart.js';
import type { BenchResult } from '../../src/bench/experiment.js';
import { HANG_MS } from '../helpers/hang.js';

describe('the benchmark chart', () => {
  it('draws the chart as SVG with a line per strategy', { timeout: HANG_MS }, async () => {
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

  it('draws the ceilings, and every legend label in full', async () => {
    const result: BenchResult = {
      machine: { cpu: 'test', cores: 1, node: 'v20', os: 'x' },
      config: {
        workloads: ['getput', 'ceiling', 'unshared'],
        strategies: ['classic-optimistic'],
        workers: [1],
        durationMs: 1,
        warmupMs: 1,
        repetitions: 1,
        oversubscribedFrom: 2,
      },
      runs: [
        { workload: 'getput', strategy: 'classic-optimistic', workers: 1, opsPerSec: [10] },
        { workload: 'ceiling', strategy: 'none', workers: 1, opsPerSec: [20] },
        { workload: 'unshared', strategy: 'none', workers: 1, opsPerSec: [40] },
      ],
    };
    const svg = await renderChart(result);
    for (const label of [
      'classic-optimistic',
      'ceiling (one shared counter)',
      'unshared (a counter per worker)',
    ])
      assert.ok(svg.includes(`>${label}</text>`), `legend label ${label} is cut or missing`);
    assert.doesNotMatch(svg, /…/);
    assert.match(svg, /pageref bench — test, 1 core</);
  });
});
