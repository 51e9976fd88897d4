/**
 * The catalog under LKMM: scenarios × strategies, each run by runScenarioLkmm, and the text
 * the CLI prints: a verdict table, then for each violation its execution and for each other
 * verdict that is not `safe` why.
 */

import type { Strategy } from '../../refcount/strategy.js';
import { formatTable } from '../../text/table.js';
import type { Scenario } from '../scenario.js';
import type { LkmmOptions } from './lkmmOptions.js';
import type { LkmmResult } from './lkmmResult.js';
import { runScenarioLkmm } from './lkmmScenario.js';

export function runCatalogLkmm(
  scenarios: readonly Scenario[],
  strategies: readonly Strategy[],
  options: LkmmOptions = {},
): LkmmResult[] {
  return scenarios.flatMap((s) => strategies.map((st) => runScenarioLkmm(s, st, options)));
}

const CELL: Record<LkmmResult['verdict'], string> = {
  safe: 'safe',
  violation: 'VIOLATION',
  bounded: 'bounded',
  incomplete: 'INCOMPLETE',
};

/** The verdict table (scenario rows, strategy columns, ms beside each), then the details. */
export function formatLkmmRun(results: readonly LkmmResult[]): string {
  const scenarios = [...new Set(results.map((r) => r.scenario))];
  const strategies = [...new Set(results.map((r) => r.strategy))];
  const at = (s: string, st: string) => results.find((r) => r.scenario === s && r.strategy === st);
  const cell = (r: LkmmResult | undefined) =>
    r ? `${CELL[r.verdict]} ${Math.round(r.ms)} ms` : '';
  const lines = [
    "model lkmm: Linux-kernel memory model (herd7 linux-kernel.cfg, lkmmv2); the strategies' own code over recording cells",
    '',
    ...formatTable(
      ['scenario', ...strategies],
      scenarios.map((s) => [s, ...strategies.map((st) => cell(at(s, st)))]),
    ),
  ];
  const total = results.reduce((a, r) => a + r.ms, 0);
  lines.push('', `${results.length} runs in ${(total / 1000).toFixed(1)} s`);
  for (const r of results) {
    if (r.verdict === 'safe') continue;
    lines.push(
      '',
      `${r.scenario} × ${r.strategy}: ${r.verdict}${r.kind ? ` (${r.kind})` : ''}${lengthNote(r)}`,
    );
    if (r.message) lines.push(`  ${r.message}`);
    if (r.execution) lines.push(...r.execution.split('\n').map((l) => `  ${l}`));
  }
  return lines.join('\n');
}

/** A violation's length, and whether it is a shortest one (README.md, "Shortest counterexamples"). */
function lengthNote(r: LkmmResult): string {
  if (r.events === undefined) return '';
  if (r.shortestUnproven === undefined) return `, shortest counterexample (${r.events} events)`;
  return `, counterexample (${r.events} events), maybe not the shortest: the search stopped at ${r.shortestUnproven} before trying every shorter one`;
}

/** The JSON of one result: it names its model. */
export function lkmmResultJson(r: LkmmResult) {
  return {
    model: r.model,
    scenario: r.scenario,
    strategy: r.strategy,
    verdict: r.verdict,
    kind: r.kind ?? null,
    message: r.message ?? null,
    execution: r.execution ?? null,
    // a violation found before a limit: maybe not the shortest
    shortestUnproven: r.shortestUnproven ?? null,
    traces: r.traces,
    cut: r.cut,
    rounds: r.rounds,
    executions: r.executions,
    maxEvents: r.maxEvents,
    ms: r.ms,
  };
}
