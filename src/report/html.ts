import { renderDiagram } from './diagram.js';
import { barriersSection } from './barriers.js';
import { renderChart } from './chart.js';
import { benchHtml } from './benchTable.js';
import { plural } from '../text/plural.js';
import { REPORT_LKMM_SECONDS, type ReportData } from './collect.js';
import { sideBySideHtml } from '../check/lkmm/sideBySide.js';
import type { ScenarioResult } from '../check/scenario.js';
import { expectedViolation, type ExpectedViolation } from '../check/catalog.js';
import { observation } from '../litmus/format.js';
import { formatSize } from '../check/format.js';
import { auditSection } from './audit.js';
import { escapeHtml } from '../text/html.js';

/**
 * The report as one self-contained HTML page: inline CSS, inline SVG, no script, nothing
 * fetched, so it works offline and from a file:// URL.
 */
export async function renderHtml(d: ReportData): Promise<string> {
  const strategies = [...new Set(d.results.map((r) => r.strategy))];
  const scenarios = [...new Set(d.results.map((r) => r.scenario))];
  const violations = d.results.filter((r) => r.counterexample);
  const unexpected = d.results.filter((r) => r.expected !== undefined && r.verdict !== r.expected);
  const cell = (scenario: string, strategy: string) => {
    const r = d.results.find((x) => x.scenario === scenario && x.strategy === strategy)!;
    const off = r.expected !== undefined && r.verdict !== r.expected;
    const why =
      r.verdict === 'violation' && !off ? expectedViolation(scenario, strategy) : undefined;
    const title = `${r.states} states, ${r.ms} ms${off ? `; expected ${r.expected}` : ''}${why ? `. ${why.reason}` : ''}`;
    const link = r.counterexample ? `<a href="#${cxId(r)}">${r.verdict}</a>` : r.verdict;
    const label = why ? `<small class="why">${escapeHtml(why.label)}</small>` : '';
    return `<td class="${r.verdict}${off ? ' unexpected' : ''}" title="${escapeHtml(title)}">${link}${off ? ' ≠' : ''}${label}</td>`;
  };
  // Identical counterexamples (the same steps for several strategies) are drawn once.
  const groups = new Map<string, ScenarioResult[]>();
  for (const r of violations) {
    const key = JSON.stringify([r.scenario, r.counterexample]);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const diagrams = await Promise.all(
    [...groups.values()].map(async (same) => {
      const r = same[0]!;
      const cx = r.counterexample!;
      const strategies = same.map((x) => x.strategy);
      const reasons = [...new Set(same.map((x) => expectedViolation(x.scenario, x.strategy)))];
      return `<section class="cx" id="${cxId(r)}">${same
        .slice(1)
        .map((x) => `<span id="${cxId(x)}"></span>`)
        .join('')}
<h3>${escapeHtml(r.scenario)} × ${escapeHtml(strategies.join(', '))} <small>${plural(cx.steps.length, 'step')}, shortest${same.length > 1 ? `; the same counterexample for ${same.length === 2 ? 'both' : `all ${same.length}`}` : ''}</small></h3>
<p class="message">${escapeHtml(cx.message)}</p>
${reasons.map((why) => (why ? `<p class="reason">${escapeHtml(why.reason)}</p>` : '')).join('\n')}
<div class="diagram">${await renderDiagram(r)}</div></section>`;
    }),
  );
  // Each reason once, with the cells it explains.
  const explained = new Map<ExpectedViolation, ScenarioResult[]>();
  for (const r of violations) {
    const why = r.expected === 'violation' ? expectedViolation(r.scenario, r.strategy) : undefined;
    if (why) explained.set(why, [...(explained.get(why) ?? []), r]);
  }
  const expectedList = [...explained].map(
    ([why, rs]) =>
      `<li><a href="#${cxId(rs[0]!)}">${escapeHtml(rs[0]!.scenario)} × ${escapeHtml(rs.map((r) => r.strategy).join(', '))}</a>: ${escapeHtml(why.reason)}</li>`,
  );
  const litmusRows = d.litmus.map((l) => {
    const r = l.result;
    if (r.kind !== 'complete')
      return `<tr><td>${escapeHtml(l.test.name)}</td><td colspan="5">incomplete: ${escapeHtml(r.limit)}</td></tr>`;
    const flags = (r.flags ?? [])
      .map((f) => ` <span class="flag">${escapeHtml(f)}</span>`)
      .join('');
    return `<tr><td>${escapeHtml(l.test.name)}</td><td><code>${escapeHtml(l.test.conditionText)}</code></td><td>${observation(r.positive, r.negative)}</td><td>${r.positive}</td><td>${r.negative}</td><td>${r.vacuous ? '<span class="vacuous">vacuous</span>' : ''}${flags}</td></tr>`;
  });
  const bench = d.bench
    ? `${benchHtml(d.bench)}<div class="chart">${await renderChart(d.bench)}</div>`
    : '<p>Not run (<code>--no-bench</code>).</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>pageref report</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 2em auto; max-width: 1200px; padding: 0 1em; color: #222; }
h1 small, h3 small { color: #777; font-weight: normal; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ddd; padding: .3em .7em; text-align: left; }
th { background: #f4f4f4; }
td.safe { background: #e8f5e9; } td.violation { background: #ffebee; font-weight: bold; }
td.incomplete { background: #fff8e1; } td.unexpected { outline: 3px solid #c62828; }
td .why { display: block; font-weight: normal; color: #555; max-width: 16em; line-height: 1.3; }
.reason { max-width: 60em; }
.message { color: #c62828; font-weight: bold; }
.diagram, .chart { overflow-x: auto; border: 1px solid #eee; padding: .5em; margin-bottom: 2em; }
.vacuous, .flag { background: #fff3cd; padding: 0 .4em; border-radius: 3px; }
pre { background: #f8f8f8; padding: 1em; overflow-x: auto; }
.summary { font-size: 1.1em; }
table.bench td { text-align: right; white-space: nowrap; }
table.bench td small { color: #666; }
table.bench td.noise { background: #f4f4f4; color: #777; }
.noise-words { max-width: 60em; }
</style></head><body>
<h1>pageref report <small>${escapeHtml(d.generated)}</small></h1>
<p>Machine: ${escapeHtml(d.machine.cpu)}, ${d.machine.cores} cores, Node ${escapeHtml(d.machine.node)}, ${escapeHtml(d.machine.os)}.</p>
<p class="summary">${unexpected.length === 0 ? 'Every verdict is as the catalog expects.' : `<strong>${plural(unexpected.length, 'verdict')} ${unexpected.length === 1 ? 'differs' : 'differ'} from the catalog.</strong>`}</p>
<h2>Verdicts: every scenario against every strategy</h2>
<table id="verdicts"><thead><tr><th>scenario</th>${strategies.map((s) => `<th>${escapeHtml(s)}</th>`).join('')}<th>checked at</th></tr></thead>
<tbody>${scenarios.map((s) => `<tr><th>${escapeHtml(s)}</th>${strategies.map((st) => cell(s, st)).join('')}<td class="size">${escapeHtml(formatSize(d.results.filter((r) => r.scenario === s)))}</td></tr>`).join('\n')}</tbody></table>
<p><code>rfc-v1</code> and <code>v2-inverted</code> are historical versions, broken on purpose. Hover a cell for its state count. A verdict covers the size its row was checked at (threads, rounds, the largest count a counter reached in a state the search explored), no more.</p>
<h3>Sequential consistency and the Linux-kernel memory model, side by side</h3>
${sideBySideHtml(d.results, d.lkmm)}
<p>Each cell: the interleaving explorer's verdict under sequential consistency / the code engine's under LKMM (the strategies' own code over recording cells, <code>pageref check --model lkmm</code>; hover for why). Under LKMM every frozen-bit violation is the relaxed cmpxchg after the decrement (src/check/lkmm/README.md); each LKMM run here stops at ${REPORT_LKMM_SECONDS} s (<code>incomplete</code>).</p>
<h3>Why the catalog expects each violation</h3>
<ul id="expected">${expectedList.join('\n')}</ul>
<h2>Counterexamples</h2>
${diagrams.join('\n')}
<h2>Litmus tests under the Linux-kernel memory model (${escapeHtml(d.litmus[0]?.model ?? 'lkmm')})</h2>
<table id="litmus"><thead><tr><th>test</th><th>condition</th><th>observation</th><th>positive</th><th>negative</th><th></th></tr></thead>
<tbody>${litmusRows.join('\n')}</tbody></table>
<p>The authors' four seed tests, then <code>litmus/refcount/</code> (the v4 orderings and weakened variants; see its README). Witness counts are executions, as herd7 counts them (one per choice of reads-from and coherence order the model allows). A vacuous condition holds in no candidate execution, allowed or not.</p>
${auditSection()}
${barriersSection()}
<h2>Benchmark (quick)</h2>
${bench}
</body></html>
`;
}

/** The anchor of a result's counterexample. */
function cxId(r: ScenarioResult): string {
  return escapeHtml(`cx-${r.scenario}-${r.strategy}`);
}
