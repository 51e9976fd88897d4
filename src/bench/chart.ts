import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { median, type BenchResult } from './experiment.js';

/**
 * The chart: ops/s against workers, one line per strategy (and the ceiling), with min–max
 * whiskers, one panel per workload. Drawn by Vega-Lite, rendered to SVG without a browser.
 */
export async function renderChart(r: BenchResult): Promise<string> {
  const values = r.runs.map((run) => ({
    workload: run.workload,
    strategy: run.workload === 'ceiling' ? 'ceiling (private cells)' : run.strategy,
    workers: run.workers,
    median: median(run.opsPerSec),
    min: Math.min(...run.opsPerSec),
    max: Math.max(...run.opsPerSec),
  }));
  const workloads = r.config.workloads.filter((w) => w !== 'ceiling');
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `pageref bench — ${r.machine.cpu}, ${r.machine.cores} cores`,
    data: { values },
    hconcat: workloads.map((workload) => ({
      title: workload,
      width: 320,
      height: 240,
      transform: [{ filter: { field: 'workload', oneOf: [workload, 'ceiling'] } }],
      layer: [
        {
          mark: { type: 'line', point: true },
          encoding: {
            x: {
              field: 'workers',
              type: 'quantitative',
              title: 'workers',
              axis: { tickMinStep: 1 },
            },
            y: {
              field: 'median',
              type: 'quantitative',
              title: 'ops/s (sum over workers)',
              scale: { type: 'log' },
            },
            color: { field: 'strategy', type: 'nominal' },
          },
        },
        {
          mark: { type: 'rule' },
          encoding: {
            x: { field: 'workers', type: 'quantitative' },
            y: { field: 'min', type: 'quantitative', scale: { type: 'log' } },
            y2: { field: 'max' },
            color: { field: 'strategy', type: 'nominal' },
          },
        },
      ],
    })),
  } as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  return view.toSVG();
}
