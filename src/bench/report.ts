import { median, NO_STRATEGY, type BenchResult } from './experiment.js';

/** The seeds' table, one per workload: `#workers | classic | … | boost %`, plus the ceiling. */
export function formatTables(r: BenchResult): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(`${m.cpu}, ${m.cores} cores, Node ${m.node}, ${m.os}`);
  out.push(
    `${r.config.durationMs} ms × ${r.config.repetitions} repetitions per cell, strategies interleaved; median ops/s [min–max]`,
  );
  const strategies = r.config.strategies;
  for (const workload of r.config.workloads.filter((w) => w !== 'ceiling')) {
    const header = [
      '#workers',
      ...strategies,
      'boost %',
      ...(r.config.workloads.includes('ceiling') ? ['ceiling'] : []),
    ];
    const rows = [header];
    for (const workers of r.config.workers) {
      const cell = (strategy: string, wl: string = workload) =>
        r.runs.find((x) => x.workload === wl && x.strategy === strategy && x.workers === workers);
      const fmt = (xs: number[] | undefined) =>
        xs ? `${human(median(xs))} [${human(Math.min(...xs))}–${human(Math.max(...xs))}]` : '';
      const classic = cell('classic')?.opsPerSec;
      const frozen = cell('frozen-bit')?.opsPerSec;
      const boost =
        classic && frozen ? `${((median(frozen) / median(classic) - 1) * 100).toFixed(1)}` : '';
      const label = `${workers}${workers > r.machine.cores ? ' (over)' : ''}`;
      rows.push([
        label,
        ...strategies.map((s) => fmt(cell(s)?.opsPerSec)),
        boost.startsWith('-') ? boost : boost && `+${boost}`,
        ...(r.config.workloads.includes('ceiling')
          ? [fmt(cell(NO_STRATEGY, 'ceiling')?.opsPerSec)]
          : []),
      ]);
    }
    out.push('', `${workload}:`, table(rows));
  }
  out.push(
    '',
    '(over): more workers than cores, oversubscribed. boost: frozen-bit median over classic median.',
  );
  return out.join('\n');
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows
    .map((r) =>
      r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | '),
    )
    .join('\n');
}

/** 12.3M, 456K: ops/s for people. */
export function human(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e8 ? 0 : 1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)}K`;
  return String(Math.round(n));
}
