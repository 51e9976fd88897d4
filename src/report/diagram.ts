import type { TopLevelSpec } from 'vega-lite';
import { cellName, formatChange, formatValue } from '../check/format.js';
import type { ScenarioResult } from '../check/scenario.js';
import { renderSvg } from './vega.js';

/**
 * A counterexample as a sequence diagram: one lane per thread, time flowing down, the page
 * counter's value after each step in its own lane, ghost events marked in colour, and the
 * violation at the bottom. Drawn by Vega-Lite, like the benchmark chart.
 */
export async function renderDiagram(r: ScenarioResult): Promise<string> {
  const cx = r.counterexample;
  if (!cx) throw new Error(`${r.scenario} × ${r.strategy} has no counterexample`);
  const counterLane = 'counter p0';
  const lanes = [counterLane, ...cx.threads.map((name, t) => `T${t} ${name}`)];
  const rows: Record<string, unknown>[] = [];
  let counter: number | undefined;
  cx.steps.forEach((s, i) => {
    const step = i + 1;
    const lane = lanes[s.thread + 1]!;
    const a = s.access;
    if (a) {
      const change = formatChange(a.before, a.after);
      rows.push({ step, lane, line: 'op', text: a.label });
      rows.push({ step, lane, line: 'access', text: `${a.op} ${cellName(a.cell, 1)}  ${change}` });
      if (a.cell === 0) counter = a.after;
    }
    if (s.notes.length) rows.push({ step, lane, line: 'ghost', text: s.notes.join(' · ') });
    if (counter !== undefined)
      rows.push({ step, lane: counterLane, line: 'counter', text: formatValue(counter) });
  });
  const last = cx.steps.length + 1;
  rows.push({ step: last, lane: lanes[1], line: 'violation', text: `✗ ${cx.message}` });
  const steps = Array.from({ length: last }, (_, i) => i + 1);
  const laneWidth = 250;
  const text = (line: string, dy: number, extra: Record<string, unknown>) => ({
    transform: [{ filter: { field: 'line', equal: line } }],
    mark: { type: 'text', dy, fontSize: 11, align: 'center', ...extra },
    encoding: {
      x: { field: 'lane', type: 'nominal', sort: lanes },
      y: { field: 'step', type: 'ordinal', sort: steps },
      text: { field: 'text' },
    },
  });
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: laneWidth * lanes.length,
    height: 44 * last,
    data: { values: rows },
    encoding: {
      x: {
        field: 'lane',
        type: 'nominal',
        sort: lanes,
        scale: { domain: lanes },
        axis: { orient: 'top', title: null, labelFontWeight: 'bold', labelAngle: 0 },
      },
      y: {
        field: 'step',
        type: 'ordinal',
        sort: steps,
        scale: { domain: steps },
        axis: { title: 'step', grid: true },
      },
    },
    layer: [
      {
        data: { values: lanes.map((lane) => ({ lane })) },
        mark: { type: 'rule', color: '#bbb', strokeDash: [4, 3] },
        encoding: { x: { field: 'lane', type: 'nominal', sort: lanes }, y: null },
      },
      text('op', -10, { fontWeight: 'bold' }),
      text('access', 3, { font: 'monospace' }),
      text('ghost', 15, { color: '#7a3fb0', fontStyle: 'italic' }),
      text('counter', 0, { font: 'monospace', fontSize: 13, color: '#1565c0' }),
      {
        ...text('violation', 0, {
          color: '#c62828',
          fontWeight: 'bold',
          align: 'left',
          fontSize: 12,
        }),
        encoding: {
          x: { value: 4 },
          y: { field: 'step', type: 'ordinal', sort: steps },
          text: { field: 'text' },
        },
      },
    ],
  } as unknown as TopLevelSpec;
  return renderSvg(spec);
}
