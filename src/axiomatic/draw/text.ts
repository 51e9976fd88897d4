/**
 * An execution drawing (explain.ts) as text for the terminal: one column per thread, events
 * in program order down each column, then the edges by relation and the verdict.
 *
 * ```
 * P0                  | P1
 * --------------------+---------------------------------
 * a: W x=1 once       | c: R y=1 acquire
 * b: W y=1 release    | d: R x=0 once (init x=0)
 *
 * rf  b->c
 * fr  d->a
 * ```
 *
 * @module
 */

import type { Drawing, EdgeKind } from './explain.js';

const KINDS: readonly EdgeKind[] = ['rf', 'co', 'fr', 'ctrl', 'race', 'cycle'];

/** The drawing as lines of text (no trailing spaces). */
export function drawText(d: Drawing): string {
  const cells = d.threads.map((_, t) =>
    d.events
      .filter((e) => e.thread === t)
      .map(
        (e) =>
          `${e.letter}: ${e.access}${e.tags ? ` ${e.tags}` : ''}${e.fromInit ? ` (${e.fromInit})` : ''}`,
      ),
  );
  const widths = d.threads.map((name, t) =>
    Math.max(name.length, ...cells[t]!.map((c) => c.length)),
  );
  const rows = Math.max(0, ...cells.map((c) => c.length));
  const row = (parts: string[]) =>
    parts
      .map((p, t) => p.padEnd(widths[t]!))
      .join(' | ')
      .trimEnd();
  const lines = [d.title, row(d.threads), widths.map((w) => '-'.repeat(w)).join('-+-')];
  for (let i = 0; i < rows; i++) lines.push(row(cells.map((c) => c[i] ?? '')));
  const letter = new Map(d.events.map((e) => [e.id, e.letter]));
  const edgeLines: string[] = [];
  for (const kind of KINDS) {
    const edges = d.edges.filter((e) => e.kind === kind);
    if (edges.length === 0) continue;
    const joint = kind === 'race' ? '<->' : '->';
    const text = edges.map(
      (e) =>
        `${letter.get(e.from)}${kind === 'cycle' ? `-${e.label}` : ''}${joint}${letter.get(e.to)}`,
    );
    edgeLines.push(`${kind.padEnd(5)} ${text.join('  ')}`);
  }
  if (edgeLines.length > 0) lines.push('', ...edgeLines);
  if (d.verdict) lines.push('', ...d.verdict.split('\n'));
  return lines.join('\n');
}
