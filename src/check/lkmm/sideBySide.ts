/**
 * The catalog's verdicts under both models, side by side: for each scenario × strategy the
 * interleaving explorer's verdict under sequential consistency and the code engine's under
 * LKMM, as `npm start` (src/report) and `pageref check --model sc,lkmm` print them.
 */
import type { LkmmResult } from './lkmmResult.js';
import { formatTable } from '../../text/table.js';
import { escapeHtml } from '../../text/html.js';

/** What the table needs of an SC result (ScenarioResult has it). */
export interface ScVerdict {
  scenario: string;
  strategy: string;
  verdict: string;
}

const SHOW: Record<string, string> = {
  violation: 'VIOLATION',
  incomplete: 'INCOMPLETE',
};
const show = (v: string | undefined) => (v === undefined ? '-' : (SHOW[v] ?? v));

/** Rows (scenarios) and columns (strategies) in the order the results came. */
function grid(sc: readonly ScVerdict[], lkmm: readonly LkmmResult[]) {
  const scenarios = [...new Set([...sc, ...lkmm].map((r) => r.scenario))];
  const strategies = [...new Set([...sc, ...lkmm].map((r) => r.strategy))];
  const at = (s: string, st: string) => ({
    sc: sc.find((r) => r.scenario === s && r.strategy === st),
    lkmm: lkmm.find((r) => r.scenario === s && r.strategy === st),
  });
  return { scenarios, strategies, at };
}

/** The text table: `sc / lkmm` in each cell. */
export function formatSideBySide(sc: readonly ScVerdict[], lkmm: readonly LkmmResult[]): string {
  const { scenarios, strategies, at } = grid(sc, lkmm);
  const cell = (s: string, st: string) => {
    const r = at(s, st);
    return `${show(r.sc?.verdict)} / ${show(r.lkmm?.verdict)}`;
  };
  const count = (v: string) => lkmm.filter((r) => r.verdict === v).length;
  return [
    'Each cell: the verdict under sequential consistency (the interleaving explorer) / under the Linux-kernel memory model (the code engine)',
    '',
    ...formatTable(
      ['scenario', ...strategies],
      scenarios.map((s) => [s, ...strategies.map((st) => cell(s, st))]),
    ),
    '',
    `LKMM: ${['safe', 'violation', 'bounded', 'incomplete'].map((v) => `${count(v)} ${v}`).join(', ')}; ${(lkmm.reduce((a, r) => a + r.ms, 0) / 1000).toFixed(1)} s`,
  ].join('\n');
}

/** The HTML table, cells classed by their LKMM verdict, each titled with why. */
export function sideBySideHtml(sc: readonly ScVerdict[], lkmm: readonly LkmmResult[]): string {
  const { scenarios, strategies, at } = grid(sc, lkmm);
  const cell = (s: string, st: string) => {
    const r = at(s, st);
    const title = r.lkmm
      ? `${r.lkmm.kind ? `${r.lkmm.kind}: ` : ''}${r.lkmm.message ?? ''} (${r.lkmm.executions} executions, ${Math.round(r.lkmm.ms)} ms)`
      : '';
    return `<td class="${r.lkmm?.verdict ?? ''}" title="${escapeHtml(title)}">${escapeHtml(show(r.sc?.verdict))} / ${escapeHtml(show(r.lkmm?.verdict))}</td>`;
  };
  return `<table id="sc-lkmm"><thead><tr><th>scenario</th>${strategies.map((s) => `<th>${escapeHtml(s)}</th>`).join('')}</tr></thead>
<tbody>${scenarios.map((s) => `<tr><th>${escapeHtml(s)}</th>${strategies.map((st) => cell(s, st)).join('')}</tr>`).join('\n')}</tbody></table>`;
}
