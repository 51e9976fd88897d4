/**
 * The audit as data a file can hold (`pageref audit --json`, docs/audit.json) and as text:
 * one row per call site, its ordering as written, the weakest that keeps every judged
 * scenario safe, and for each weaker ordering that breaks one the scenario and its drawn
 * counterexample; then the repairs. An audit on top of a repair (AuditResult.onRepair) is a
 * second table, labelled with the ordering it assumes. The report reads the same data
 * (src/report/audit.ts).
 *
 * @module
 */

import type { Drawing } from '../../axiomatic/draw/explain.js';
import { drawLkmmResult } from '../lkmmDrawing.js';
import { drawText } from '../../axiomatic/draw/text.js';
import type { LkmmResult } from '../lkmm/lkmmResult.js';
import type { AuditResult, Trial } from './audit.js';
import { formatTable } from '../../text/table.js';

/** One run's verdict as the table needs it, with its drawing if it violates. */
export interface RunEntry {
  scenario: string;
  verdict: LkmmResult['verdict'];
  kind?: string;
  message?: string;
  drawing?: Drawing;
}

export interface AuditTable {
  strategy: string;
  command: string;
  /** The per-run limits. */
  limits: { maxEvents: number; maxSeconds: number; maxStates: number };
  /** Sites whose ordering is assumed instead of the code's (`frozenBit.ts:32` → acquire). */
  assumed: Record<string, string>;
  /** For the audit on top of a repair: the repair assumed, and the scenarios it makes safe. */
  onTopOf?: { site: string; order: string; repairs: string[] };
  baseline: (RunEntry & { ms: number })[];
  judged: string[];
  sites: {
    site: string;
    fn: string;
    kernelCall: string;
    method: string;
    order: string;
    /** The ordering the code gives, where `order` is an assumed one (absent in older files). */
    written?: string;
    scenarios: string[];
    weakest: string[];
    trials: { order: string; outcome: Trial['outcome']; run?: RunEntry; ms: number }[];
  }[];
  repairs: { scenario: string; site: string; kernelCall: string; order: string; verdict: string }[];
  /** The scenarios that violate as written and that no strengthening tried makes safe. */
  unrepaired?: string[];
  seconds: number;
}

const DEPENDENCIES =
  'No dependency is assumed: the code is a black box; only the free path is recorded as control dependent on the call that decided it (src/check/lkmm/README.md).';

function entry(r: LkmmResult): RunEntry {
  return {
    scenario: r.scenario,
    verdict: r.verdict,
    ...(r.kind ? { kind: r.kind } : {}),
    ...(r.message ? { message: r.message } : {}),
    ...(r.witness ? { drawing: drawLkmmResult(r)! } : {}),
  };
}

/** The audit as plain data: one table, without the audit on top of a repair. */
export function auditTable(a: AuditResult, command: string): AuditTable {
  return {
    strategy: a.strategy,
    command,
    limits: a.options,
    assumed: a.assumed,
    baseline: a.baseline.map((r) => ({ ...entry(r), ms: Math.round(r.ms) })),
    judged: a.judged,
    sites: a.sites.map((s) => ({
      site: s.name,
      fn: s.site.fn,
      kernelCall: s.site.kernelCall,
      method: s.method,
      order: s.order,
      written: s.written,
      scenarios: s.scenarios,
      weakest: s.weakest,
      trials: s.trials.map((t) => ({
        order: t.order,
        outcome: t.outcome,
        ...(t.result
          ? { run: entry(t.result) }
          : t.scenario
            ? { run: { scenario: t.scenario, verdict: 'violation' as const } }
            : {}),
        ms: Math.round(t.ms),
      })),
    })),
    repairs: a.repairs.map((r) => ({
      scenario: r.scenario,
      site: r.site.name,
      kernelCall: r.site.site.kernelCall,
      order: r.order,
      verdict: r.verdict,
    })),
    unrepaired: a.unrepaired,
    seconds: Math.round(a.ms / 100) / 10,
  };
}

/** The audit's tables: its own, then the one on top of its repair, if it ran. */
export function auditTables(a: AuditResult, command: string): AuditTable[] {
  const r = a.onRepair;
  if (!r) return [auditTable(a, command)];
  return [
    auditTable(a, command),
    {
      ...auditTable(r.audit, command),
      onTopOf: { site: r.site, order: r.order, repairs: r.repairs },
    },
  ];
}

/** The repair an audit is on top of, as its title says it: `with frozenBit.ts:32 as acquire assumed`. */
function onTopOfText(t: AuditTable): string {
  return t.onTopOf ? `with ${t.onTopOf.site} as ${t.onTopOf.order} assumed` : '';
}

/** The table's title: the strategy, and the repair assumed under it, if any. */
export function auditTitle(t: AuditTable): string {
  return t.onTopOf ? `${t.strategy}, ${onTopOfText(t)}` : t.strategy;
}

/** What the table's header says about repairs: the one it is on top of, what none repairs. */
export function repairNotes(t: AuditTable): string[] {
  return [
    ...(t.onTopOf
      ? [
          `on top of the repair that the audit above found for ${t.onTopOf.repairs.join(', ')}, which it makes safe: they judge here too`,
        ]
      : []),
    ...(t.unrepaired?.length
      ? [`made safe by no single strengthening, so judged by no audit: ${t.unrepaired.join(', ')}`]
      : []),
  ];
}

/** Whether the site's ordering is assumed instead of the code's. */
export function isAssumed(t: AuditTable, site: AuditTable['sites'][number]): boolean {
  return site.written !== undefined ? site.written !== site.order : site.site in (t.assumed ?? {});
}

/**
 * The scenarios that reach a site but judge nothing (not safe as audited): a weakest safe
 * ordering below the code's says nothing about them.
 */
export function unjudgedAt(t: AuditTable, site: AuditTable['sites'][number]): string[] {
  const ran = new Set(t.baseline.map((b) => b.scenario));
  return site.scenarios.filter((n) => ran.has(n) && !t.judged.includes(n));
}

/** The footnote for the sites marked `*`. */
export const UNJUDGED_NOTE =
  '* also reached by scenarios that judge nothing here (not safe as audited): their code paths may need more than this';

/** What one trial says, in a table cell. */
export function trialText(t: AuditTable['sites'][number]['trials'][number], ref?: number): string {
  if (t.outcome === 'safe') return `${t.order}: safe`;
  if (t.outcome === 'implied') return `${t.order}: breaks (as above)`;
  if (t.outcome === 'unknown')
    return t.run
      ? `${t.order}: unknown (${t.run.scenario} ${t.run.verdict})`
      : `${t.order}: unknown (no scenario safe as written reaches it)`;
  return `${t.order}: breaks ${t.run?.scenario}${t.run?.kind ? ` (${t.run.kind})` : ''}${ref ? ` [${ref}]` : ''}`;
}

/** The audit in text: the table, the counterexamples drawn, the repairs. */
export function formatAudit(t: AuditTable): string {
  const notJudged = t.baseline.filter((b) => b.verdict !== 'safe');
  const lines = [
    `ordering audit: ${t.strategy} under LKMM (herd7 linux-kernel.cfg, lkmmv2)${t.onTopOf ? `, ${onTopOfText(t)}` : ''}; each call site weakened alone, in the recording cells`,
    DEPENDENCIES,
    `judged by the scenarios safe as audited (the code, and any assumed ordering): ${t.judged.join(', ') || 'none'}`,
    ...(notJudged.length
      ? [
          `not judged: ${notJudged.map((b) => `${b.scenario} (${b.verdict} as audited${b.verdict === 'incomplete' && b.message ? `: ${b.message}` : ''})`).join(', ')}`,
        ]
      : []),
    ...Object.entries(t.assumed ?? {}).map(
      ([site, order]) =>
        `assumed: ${site} as ${order} instead of the code's ordering, in every run`,
    ),
    ...repairNotes(t),
    `limits per run: max-events ${t.limits.maxEvents}, max-seconds ${t.limits.maxSeconds}, max-states ${t.limits.maxStates}`,
    '',
  ];
  const notes: { n: number; trial: AuditTable['sites'][number]['trials'][number]; site: string }[] =
    [];
  const rows = t.sites.map((s) => {
    const tried = s.trials.map((tr) => {
      const drawn = tr.outcome === 'breaks' && tr.run?.drawing;
      if (drawn) notes.push({ n: notes.length + 1, trial: tr, site: `${s.site} ${s.kernelCall}` });
      return trialText(tr, drawn ? notes.length : undefined);
    });
    return [
      s.site,
      s.fn,
      s.kernelCall,
      `${s.order}${isAssumed(t, s) ? ' (assumed)' : ''}`,
      `${s.weakest.join(', ')}${unjudgedAt(t, s).length > 0 && s.weakest[0] !== s.order ? ' *' : ''}`,
      tried.join('; ') || '(nothing weaker)',
    ];
  });
  const head = [
    'site',
    'function',
    'kernel call',
    'as written',
    'weakest safe',
    'weaker orderings',
  ];
  lines.push(...formatTable(head, rows));
  if (rows.some((r) => r[4]!.endsWith(' *'))) lines.push(UNJUDGED_NOTE);
  if (t.repairs.length > 0) {
    lines.push(
      '',
      'repairs: each scenario that violates as written, each site it reaches strengthened alone',
    );
    for (const r of t.repairs)
      lines.push(`  ${r.scenario}: ${r.site} ${r.kernelCall} as ${r.order}: ${r.verdict}`);
  }
  for (const { n, trial, site } of notes) {
    lines.push(
      '',
      `[${n}] ${site} as ${trial.order}: ${trial.run!.scenario} ${trial.run!.kind ?? ''}`.trimEnd(),
      ...(trial.run!.message ? [`    ${trial.run!.message}`] : []),
      ...drawText(trial.run!.drawing!)
        .split('\n')
        .slice(1)
        .map((l) => `    ${l}`.trimEnd()),
    );
  }
  lines.push('', `${t.seconds} s: ${t.command}`);
  return lines.join('\n');
}
