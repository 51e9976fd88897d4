import type { BenchResult } from '../bench/experiment.js';
import { benchTables, NOISE_MARK, type BenchTables } from '../bench/report.js';
import { plural } from '../text/plural.js';
import { escapeHtml } from '../text/html.js';

/**
 * The benchmark's tables in the report: HTML tables (a cell's range under its median, so that
 * the widest table, eight columns, fits a 1280 px window), the machine's load, and in words
 * how many of the comparisons are within the noise.
 */
export function benchHtml(r: BenchResult): string {
  const t = benchTables(r);
  const tables = t.tables.map(
    ({ title, rows }) => `<h3>${escapeHtml(title.replace(/:$/, ''))}</h3>
<table class="bench"><thead><tr>${rows[0]!.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>
<tbody>${rows
      .slice(1)
      .map((row) => `<tr><th>${escapeHtml(row[0]!)}</th>${row.slice(1).map(cell).join('')}</tr>`)
      .join('\n')}</tbody></table>`,
  );
  return `<p class="bench-heading">${t.heading.map(escapeHtml).join('<br>')}</p>
<p class="noise-words">${escapeHtml(noiseWords(r, t))}</p>
${tables.join('\n')}
<ul class="bench-notes">${t.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`;
}

/**
 * What the load and the spreads say about the figures, in words: the load average before and
 * after against the cores, and how many comparisons are within the noise.
 */
export function noiseWords(r: BenchResult, t: BenchTables = benchTables(r)): string {
  const words: string[] = [];
  const cores = r.machine.cores;
  if (r.load) {
    const [before = 0] = r.load.before;
    const [after = 0] = r.load.after;
    words.push(
      `The load average was ${before.toFixed(2)} before the run and ${after.toFixed(2)} after (1 minute; ${plural(cores, 'core')}).`,
    );
    if (Math.max(before, after) > cores)
      words.push(
        'More processes wanted a core than there are cores: the workers waited their turn, and the figures say as much about the other load as about the strategies.',
      );
  } else words.push('The load average was not recorded with these figures.');
  const { made, noise } = t.comparisons;
  if (made === 0) return words.join(' ');
  if (r.config.repetitions < 2)
    words.push(
      `With ${plural(r.config.repetitions, 'repetition')} per cell no spread was measured, so no difference here can be told from noise.`,
    );
  else if (noise === 0)
    words.push(
      `Each of the ${made} comparisons (boost %, of ceiling) reports a difference wider than the spread of the cells it compares.`,
    );
  else
    words.push(
      `${noise} of the ${made} comparisons (boost %, of ceiling) ${noise === 1 ? 'is' : 'are'} within the noise, marked ${NOISE_MARK}: the spread (max − min) of the repetitions of a cell compared is wider than the difference reported, so read ${noise === 1 ? 'it' : 'them'} as no measured difference.`,
    );
  return words.join(' ');
}

/** A cell: the median, its range under it; a comparison within the noise is classed so. */
function cell(text: string): string {
  const noise = text.endsWith(` ${NOISE_MARK}`);
  const m = /^(\S+) (\[.*\])$/.exec(text);
  const body = m ? `${escapeHtml(m[1]!)}<br><small>${escapeHtml(m[2]!)}</small>` : escapeHtml(text);
  return noise ? `<td class="noise" title="within the noise">${body}</td>` : `<td>${body}</td>`;
}
