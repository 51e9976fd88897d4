import { FROZEN_BIT } from '../refcount/layout.js';
import type { Step } from '../explore/explore.js';
import type { ScenarioResult } from './scenario.js';
import { allAsExpected } from './runCatalog.js';

/**
 * Text output of the checker: the verdict table and counterexamples, one column per thread.
 */

/** A counter value: frozen values as F+k (k failed gets), near-wrap values in hex. */
export function formatValue(v: number): string {
  if (v >= 0) return String(v);
  const drift = v - FROZEN_BIT;
  if (drift === 0) return 'F';
  if (drift < 1000) return `F+${drift}`;
  return `0x${(v >>> 0).toString(16)}`;
}

/** Names the cells of a scenario's memory: counter, type tag, free-list flag per page. */
export function cellName(cell: number, pages: number): string {
  const kind = ['', 'type', 'free'][Math.floor(cell / pages)] ?? '?';
  return kind ? `${kind}[p${cell % pages}]` : `p${cell % pages}`;
}

/** What an access did to its cell: the value, or old→new. */
export function formatChange(before: number, after: number): string {
  return before === after ? formatValue(before) : `${formatValue(before)}→${formatValue(after)}`;
}

export function describeStep(step: Step, pages: number): string {
  const parts: string[] = [];
  const a = step.access;
  if (a) {
    parts.push(`${a.label}: ${a.op} ${cellName(a.cell, pages)} ${formatChange(a.before, a.after)}`);
  }
  for (const n of step.notes) parts.push(`[${n}]`);
  return parts.join(' ') || '(returns)';
}

/** The counterexample as a table: one row per step, one column per thread. */
export function formatCounterexample(r: ScenarioResult, pages = 1): string {
  const cx = r.counterexample;
  if (!cx) return '';
  const names = cx.threads.map((n, t) => `T${t} ${n}`);
  const cells = cx.steps.map((s) => describeStep(s, pages));
  const width = names.map((n, t) =>
    Math.max(n.length, ...cx.steps.map((s, i) => (s.thread === t ? cells[i]!.length : 0))),
  );
  const row = (cols: string[]) => ' ' + cols.map((c, t) => c.padEnd(width[t]!)).join(' │ ');
  const lines = [row(names), ' ' + width.map((w) => '─'.repeat(w)).join('─┼─')];
  cx.steps.forEach((s, i) => {
    lines.push(row(names.map((_, t) => (s.thread === t ? cells[i]! : ''))));
  });
  lines.push(` ✗ ${cx.message}`);
  return lines.join('\n');
}

const MARK: Record<string, string> = {
  safe: 'safe',
  violation: 'VIOLATION',
  incomplete: 'incomplete',
};

/** The verdict table, scenario × strategy; a verdict that differs from the expectation is marked. */
export function formatVerdictTable(results: ScenarioResult[]): string {
  const scenarios = [...new Set(results.map((r) => r.scenario))];
  const strategies = [...new Set(results.map((r) => r.strategy))];
  const cell = (r: ScenarioResult | undefined) => {
    if (!r) return '';
    const word = MARK[r.verdict]!;
    if (r.expected === undefined) return word;
    return r.verdict === r.expected ? word : `${word} ≠ ${r.expected}!`;
  };
  const table = [['scenario', ...strategies]];
  for (const s of scenarios) {
    table.push([
      s,
      ...strategies.map((st) => cell(results.find((r) => r.scenario === s && r.strategy === st))),
    ]);
  }
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  const lines = table.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => '─'.repeat(w)).join('  '));
  return lines.join('\n');
}

/** What `pageref check` prints for a catalog run: table, totals, counterexamples, verdict. */
export function formatCatalogRun(results: ScenarioResult[]): string {
  const out = [formatVerdictTable(results)];
  const states = results.reduce((n, r) => n + r.states, 0);
  const ms = results.reduce((n, r) => n + r.ms, 0);
  out.push(`\n${results.length} runs, ${states} states, ${ms.toFixed(0)} ms of exploration.`);
  for (const r of results.filter((r) => r.counterexample)) {
    out.push(
      `\n${r.scenario} × ${r.strategy}: shortest counterexample (${r.counterexample!.steps.length} steps)`,
    );
    out.push(formatCounterexample(r));
  }
  for (const r of results.filter((r) => r.verdict === 'incomplete')) {
    out.push(`\n${r.scenario} × ${r.strategy}: incomplete, stopped at ${r.limit}`);
  }
  out.push(
    allAsExpected(results)
      ? '\nEvery verdict is as the catalog expects.'
      : '\nSome verdicts differ from the catalog (marked ≠).',
  );
  return out.join('\n');
}
