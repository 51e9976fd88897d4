import { plural } from '../text/plural.js';
import {
  median,
  NO_STRATEGY,
  type BenchLoad,
  type BenchResult,
  type BenchRun,
} from './experiment.js';
import { CEILINGS, isCeiling, type Workload } from './workloads.js';

/** The mark of a comparison within the noise (see isNoise). */
export const NOISE_MARK = '~';

/**
 * Whether a comparison of two cells' medians is within the noise: the spread (max − min) of
 * either cell's repetitions is wider than the difference between the medians, so that the
 * difference may be the machine's, not the strategies'. A cell of one repetition has no spread
 * (0): benchTables says so in a note rather than mark every comparison.
 */
export function isNoise(a: readonly number[], b: readonly number[]): boolean {
  const range = (xs: readonly number[]) => Math.max(...xs) - Math.min(...xs);
  return Math.max(range(a), range(b)) > Math.abs(median([...a]) - median([...b]));
}

/** The benchmark's tables as rows of text, for the terminal and for the report's HTML. */
export interface BenchTables {
  /** The machine, and how each cell was measured. */
  heading: string[];
  /** One table per refcount workload (or one of the ceilings alone); rows[0] is the header. */
  tables: { title: string; rows: string[][] }[];
  /** A footnote for each mark or column used. */
  notes: string[];
  /** Comparisons (boost %, of ceiling) made, and how many of them are within the noise. */
  comparisons: { made: number; noise: number };
}

/**
 * The seeds' table, one per refcount workload: `#workers | classic | … | boost %`, then the
 * ceilings run beside it (`ceiling`, how close frozen-bit comes to it, `unshared`). With no
 * refcount workload, one table of the ceilings alone. A comparison within the noise (isNoise)
 * carries NOISE_MARK.
 */
export function benchTables(r: BenchResult): BenchTables {
  const m = r.machine;
  const heading = [
    `${m.cpu}, ${plural(m.cores, 'core')}, Node ${m.node}, ${m.os}`,
    `${r.config.durationMs} ms × ${plural(r.config.repetitions, 'repetition')} per cell, strategies interleaved; median ops/s [min–max]`,
    ...(r.load ? [loadLine(r.load)] : []),
  ];
  const ceilings = CEILINGS.filter((c) => r.config.workloads.includes(c));
  const workloads = r.config.workloads.filter((w) => !isCeiling(w));
  const strategies = workloads.length > 0 ? r.config.strategies : [];
  const hasBoost = strategies.includes('classic') && strategies.includes('frozen-bit');
  const hasOfCeiling = strategies.includes('frozen-bit') && ceilings.includes('ceiling');
  let oversubscribed = false;
  const comparisons = { made: 0, noise: 0 };
  /** A comparison's text, marked when it is within the noise. */
  const compared = (a: number[], b: number[], text: string) => {
    comparisons.made++;
    if (!isNoise(a, b)) return text;
    comparisons.noise++;
    return `${text} ${NOISE_MARK}`;
  };
  const cellOf = (workload: Workload, strategy: BenchRun['strategy'], workers: number) =>
    r.runs.find((x) => x.workload === workload && x.strategy === strategy && x.workers === workers)
      ?.opsPerSec;
  const tables: BenchTables['tables'] = [];
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
      rows.push([
        `${workers}${over ? ' (over)' : ''}`,
        ...strategies.map((s) => spread(runs(s))),
        ...(hasBoost
          ? [
              frozen && classic
                ? compared(frozen, classic, signed((median(frozen) / median(classic) - 1) * 100))
                : '',
            ]
          : []),
        ...(ceilings.includes('ceiling') ? [spread(ceiling)] : []),
        ...(hasOfCeiling
          ? [
              frozen && ceiling
                ? compared(
                    frozen,
                    ceiling,
                    `${((median(frozen) / median(ceiling)) * 100).toFixed(0)}%`,
                  )
                : '',
            ]
          : []),
        ...(ceilings.includes('unshared')
          ? [spread(cellOf('unshared', NO_STRATEGY, workers))]
          : []),
      ]);
    }
    tables.push({ title: `${workload ?? 'ceilings'}:`, rows });
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
    ...(comparisons.noise > 0 ? [noiseNote(comparisons)] : []),
    ...(comparisons.made > 0 && r.config.repetitions < 2
      ? ['1 repetition per cell: no spread measured, so no comparison can be told from noise.']
      : []),
  ];
  return { heading, tables, notes, comparisons };
}

/** The tables as text: the heading, each table with its columns aligned, the footnotes. */
export function formatTables(r: BenchResult): string {
  const t = benchTables(r);
  const out = [...t.heading];
  for (const { title, rows } of t.tables) out.push('', title, table(rows));
  if (t.notes.length > 0) out.push('', ...t.notes);
  return out.join('\n');
}

/** `load average (1, 5, 15 min): 2.10 1.80 1.50 before, 3.90 2.20 1.60 after`. */
export function loadLine(load: BenchLoad): string {
  const f = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  return `load average (1, 5, 15 min): ${f(load.before)} before, ${f(load.after)} after`;
}

/** The footnote of NOISE_MARK, with how many comparisons carry it. */
export function noiseNote(c: { made: number; noise: number }): string {
  return `${NOISE_MARK}: within the noise (${c.noise} of ${c.made}): the spread (max − min) of a cell compared is wider than the difference between the medians; read it as no measured difference.`;
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
