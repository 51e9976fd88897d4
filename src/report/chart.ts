import type { TopLevelSpec } from 'vega-lite';
import { median, type BenchResult } from '../bench/experiment.js';
import { CEILINGS, isCeiling } from '../bench/workloads.js';
import { plural } from '../text/plural.js';
import { renderSvg } from './vega.js';

/** The ceilings' lines, named for what they measure. */
const CEILING_LABELS = {
  ceiling: 'ceiling (one shared counter)',
  unshared: 'unshared (a counter per worker)',
} as const;

/**
 * The chart: ops/s against workers, one line per strategy (and per ceiling), with min–max
 * whiskers, one panel per workload. Drawn by Vega-Lite, rendered to SVG without a browser.
 */
export async function renderChart(r: BenchResult): Promise<string> {
  const values = r.runs.map((run) => ({
    workload: run.workload,
    strategy: isCeiling(run.workload) ? CEILING_LABELS[run.workload] : run.strategy,
    workers: run.workers,
    median: median(run.opsPerSec),
    min: Math.min(...run.opsPerSec),
    max: Math.max(...run.opsPerSec),
  }));
  const refcountWorkloads = r.config.workloads.filter((w) => !isCeiling(w));
  // with no refcount workload, one panel of the ceilings alone
  const workloads = refcountWorkloads.length > 0 ? refcountWorkloads : ['ceilings'];
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `pageref bench — ${r.machine.cpu}, ${plural(r.machine.cores, 'core')}`,
    data: { values },
    // the legend's labels in full (Vega-Lite cuts them at 160 px by default)
    config: { legend: { labelLimit: 0 } },
    hconcat: workloads.map((workload) => ({
      title: workload,
      width: 320,
      height: 240,
      transform: [{ filter: { field: 'workload', oneOf: [workload, ...CEILINGS] } }],
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
              axis: { format: '~s' },
            },
            color: { field: 'strategy', type: 'nominal', title: 'strategy or ceiling' },
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
  return renderSvg(spec);
}
