import { plural } from '../text/plural.js';
import { median, NO_STRATEGY, type BenchResult, type BenchRun } from './experiment.js';
import { CEILINGS, isCeiling, type Workload } from './workloads.js';

/**
 * The seeds' table, one per refcount workload: `#workers | classic | … | boost %`, then the
 * ceilings run beside it (`ceiling`, how close frozen-bit comes to it, `unshared`). With no
 * refcount workload, one table of the ceilings alone. A footnote explains each mark used.
 */
export function formatTables(r: BenchResult): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(`${m.cpu}, ${plural(m.cores, 'core')}, Node ${m.node}, ${m.os}`);
  out.push(
    `${r.config.durationMs} ms × ${plural(r.config.repetitions, 'repetition')} per cell, strategies interleaved; median ops/s [min–max]`,
  );
  const ceilings = CEILINGS.filter((c) => r.config.workloads.includes(c));
  const workloads = r.config.workloads.filter((w) => !isCeiling(w));
  const strategies = workloads.length > 0 ? r.config.strategies : [];
  const hasBoost = strategies.includes('classic') && strategies.includes('frozen-bit');
  const hasOfCeiling = strategies.includes('frozen-bit') && ceilings.includes('ceiling');
  let oversubscribed = false;
  const cellOf = (workload: Workload, strategy: BenchRun['strategy'], workers: number) =>
    r.runs.find((x) => x.workload === workload && x.strategy === strategy && x.workers === workers)
      ?.opsPerSec;
  for (const workload of workloads.length > 0 ? workloads : [undefined]) {
    const header = [
      '#workers',
      ...strategies,
      ...(hasBoost ? ['boost %'] : []),
      ...(ceilings.includes('ceiling') ? ['ceiling'] : []),
      ...(hasOfCeiling ? ['of ceiling'] : []),
      ...(ceilings.includes('unshared') ? ['unshared'] : []),
    ];
    const rows = [header];
    for (const workers of r.config.workers) {
      const over = workers > m.cores;
      oversubscribed ||= over;
      const runs = (s: BenchRun['strategy']) =>
        workload ? cellOf(workload, s, workers) : undefined;
      const classic = runs('classic');
      const frozen = runs('frozen-bit');
      const ceiling = cellOf('ceiling', NO_STRATEGY, workers);
      const ratio = (a: number[] | undefined, b: number[] | undefined) =>
        a && b ? median(a) / median(b) : undefined;
      const boost = ratio(frozen, classic);
      const ofCeiling = ratio(frozen, ceiling);
      rows.push([
        `${workers}${over ? ' (over)' : ''}`,
        ...strategies.map((s) => spread(runs(s))),
        ...(hasBoost ? [boost === undefined ? '' : signed((boost - 1) * 100)] : []),
        ...(ceilings.includes('ceiling') ? [spread(ceiling)] : []),
        ...(hasOfCeiling
          ? [ofCeiling === undefined ? '' : `${(ofCeiling * 100).toFixed(0)}%`]
          : []),
        ...(ceilings.includes('unshared')
          ? [spread(cellOf('unshared', NO_STRATEGY, workers))]
          : []),
      ]);
    }
    out.push('', `${workload ?? 'ceilings'}:`, table(rows));
  }
  const notes = [
    ...(oversubscribed ? ['(over): more workers than cores, oversubscribed.'] : []),
    ...(hasBoost ? ['boost: frozen-bit median over classic median.'] : []),
    ...(ceilings.includes('ceiling')
      ? ['ceiling: add + sub on one shared counter, no check (the fastest get + put on one line).']
      : []),
    ...(hasOfCeiling ? ['of ceiling: frozen-bit median as a share of the ceiling median.'] : []),
    ...(ceilings.includes('unshared')
      ? ['unshared: one counter per worker, each on its own line (no contention).']
      : []),
  ];
  if (notes.length > 0) out.push('', ...notes);
  return out.join('\n');
}

/** `12.3M [11.9M–12.5M]`: median and range, or '' for a cell not run. */
function spread(xs: number[] | undefined): string {
  return xs ? `${human(median(xs))} [${human(Math.min(...xs))}–${human(Math.max(...xs))}]` : '';
}

function signed(percent: number): string {
  const s = percent.toFixed(1);
  return s.startsWith('-') ? s : `+${s}`;
}

/** Columns joined by ` | `: the first padded right, the others left; no trailing spaces. */
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
        .join(' | ')
        .trimEnd(),
    )
    .join('\n');
}

/** 12.3M, 456K: ops/s for people. */
export function human(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e8 ? 0 : 1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)}K`;
  return String(Math.round(n));
}
