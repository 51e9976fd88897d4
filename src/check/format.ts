import { plural } from '../text/plural.js';
import { FROZEN_BIT } from '../refcount/layout.js';
import type { Step } from '../explore/explore.js';
import type { ScenarioResult } from './scenario.js';
import { allAsExpected, asExpected } from './runCatalog.js';
import { pageCells } from './pageOps.js';

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
  return pageCells(pages).name(cell);
}

/** What an access did to its cell: the value, or old→new. */
export function formatChange(before: number, after: number): string {
  return before === after ? formatValue(before) : `${formatValue(before)}→${formatValue(after)}`;
}

/**
 * One step as a line: `put p0: sub p0 1→0 [drops its ref to p0]`. A failed cas says what it
 * expected and what it found: `cas p0 0→F failed: found 1`.
 */
export function describeStep(step: Step, pages: number): string {
  const parts: string[] = [];
  const a = step.access;
  if (a) {
    const cell = cellName(a.cell, pages);
    const change =
      a.op === 'cas' && a.expected !== undefined && a.before !== a.expected
        ? `${formatValue(a.expected)}→${formatValue(a.replacement ?? 0)} failed: found ${formatValue(a.before)}`
        : formatChange(a.before, a.after);
    parts.push(`${a.label}: ${a.op} ${cell} ${change}`);
  }
  for (const n of step.notes) parts.push(`[${n}]`);
  return parts.join(' ') || '(returns)';
}

/**
 * The counterexample as a table: one row per step, one column per thread. Runs of one
 * thread repeating the same step (a spin) are one row, `×N`.
 */
export function formatCounterexample(r: ScenarioResult): string {
  if (!r.counterexample) return '';
  const cx = r.counterexample;
  const names = cx.threads.map((n, t) => `T${t} ${n}`);
  const rows: { thread: number; text: string }[] = [];
  let repeats = 1;
  for (const [i, s] of cx.steps.entries()) {
    // the step that broke the invariant may have made no access (it threw, or spun)
    const stoppedHere = i === cx.steps.length - 1 && !s.access && s.notes.length === 0;
    const text = stoppedHere ? '✗ here' : describeStep(s, r.pages);
    const last = rows.at(-1);
    if (last && last.thread === s.thread && last.text.replace(/ ×\d+$/, '') === text) {
      last.text = `${text} ×${++repeats}`;
      continue;
    }
    repeats = 1;
    rows.push({ thread: s.thread, text });
  }
  const steps = rows.map((row) => ({ thread: row.thread }));
  const cells = rows.map((row) => row.text);
  const width = names.map((n, t) =>
    Math.max(n.length, ...steps.map((s, i) => (s.thread === t ? cells[i]!.length : 0))),
  );
  const row = (cols: string[]) =>
    (' ' + cols.map((c, t) => c.padEnd(width[t]!)).join(' │ ')).trimEnd();
  const lines = [row(names), ' ' + width.map((w) => '─'.repeat(w)).join('─┼─')];
  steps.forEach((s, i) => {
    lines.push(row(names.map((_, t) => (s.thread === t ? cells[i]! : ''))));
  });
  lines.push(` ✗ ${cx.message}`);
  return lines.join('\n');
}

const MARK: Record<ScenarioResult['verdict'], string> = {
  safe: 'safe',
  violation: 'VIOLATION',
  spins: 'SPINS',
  incomplete: 'incomplete',
};

/** The verdict table, scenario × strategy; a verdict that differs from the expectation is marked. */
export function formatVerdictTable(results: ScenarioResult[]): string {
  const scenarios = [...new Set(results.map((r) => r.scenario))];
  const strategies = [...new Set(results.map((r) => r.strategy))];
  const cell = (r: ScenarioResult | undefined) => {
    if (!r) return '';
    const word = MARK[r.verdict];
    if (asExpected(r)) return word;
    return r.expected === undefined ? `${word}!` : `${word} ≠ ${r.expected}!`;
  };
  const table = [['scenario', ...strategies, 'checked at']];
  for (const s of scenarios) {
    const row = results.filter((r) => r.scenario === s);
    table.push([
      s,
      ...strategies.map((st) => cell(row.find((r) => r.strategy === st))),
      formatSize(row),
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

/**
 * The size a row's verdicts were checked at: `2 threads, counts ≤ 3`, or `3 threads × 2
 * rounds, …`. The counts are the least any `safe` of the row reached, so the claim holds
 * for each of them (a violation stops its search early: its counts say nothing).
 */
export function formatSize(row: readonly ScenarioResult[]): string {
  const { threads, rounds } = row[0]!.size;
  const explored = row.filter((r) => r.verdict === 'safe').map((r) => r.size.countsUpTo);
  const counts = explored.length > 0 ? `, counts ≤ ${formatCount(Math.min(...explored))}` : '';
  return `${plural(threads, 'thread')}${rounds === undefined ? '' : ` × ${plural(rounds, 'round')}`}${counts}`;
}

/** A count as people read it: `3`, `1,000`, and near powers of two `2^31−1`, `2^16`. */
export function formatCount(n: number): string {
  const k = Math.round(Math.log2(n + 1));
  if (n >= 1024 && 2 ** k - 1 === n) return `2^${k}−1`;
  if (n >= 1024 && Number.isInteger(Math.log2(n))) return `2^${Math.log2(n)}`;
  return n.toLocaleString('en-US');
}

/** What `pageref check` prints for a catalog run: table, totals, counterexamples, verdict. */
export function formatCatalogRun(results: ScenarioResult[]): string {
  const out = [formatVerdictTable(results)];
  const states = results.reduce((n, r) => n + r.states, 0);
  const ms = results.reduce((n, r) => n + r.ms, 0);
  out.push(
    `\n${plural(results.length, 'run')}, ${plural(states, 'state')}, ${ms.toFixed(0)} ms of exploration. A verdict covers what its row says it was checked at (threads, rounds, the largest count a counter reached), no more.`,
  );
  // the counterexamples that matter first: those the catalog did not expect
  const found = results.filter((r) => r.counterexample);
  for (const r of [...found.filter((r) => !asExpected(r)), ...found.filter(asExpected)]) {
    if (!r.counterexample) continue;
    const { kind, steps } = r.counterexample;
    const why = asExpected(r) ? '' : r.expected === 'violation' ? '' : ', not expected';
    const n = plural(steps.length, 'step');
    out.push(`\n${r.scenario} × ${r.strategy}: shortest counterexample (${n}), ${kind}${why}`);
    out.push(formatCounterexample(r));
  }
  for (const r of results) {
    if (r.verdict === 'incomplete')
      out.push(
        `\n${r.scenario} × ${r.strategy}: incomplete, stopped at ${r.limit} (${raiseLimit(r.limit)})`,
      );
  }
  out.push(
    allAsExpected(results)
      ? '\nEvery verdict is as the catalog expects.'
      : '\nSome verdicts differ from the catalog (marked ≠).',
  );
  return out.join('\n');
}

/**
 * What raises a search limit, as explore.ts words it: `N states` is --max-states, `N ms`
 * --max-seconds; the depth and the memory ceiling are fixed.
 */
export function raiseLimit(limit: string): string {
  if (/ states$/.test(limit)) return 'raise --max-states to go further';
  if (/ ms$/.test(limit)) return 'raise --max-seconds to go further';
  return 'a fixed limit that no option raises: check a smaller scenario';
}
