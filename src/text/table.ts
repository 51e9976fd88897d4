/**
 * @module
 * Text tables, shared by every tool's output.
 */

/**
 * A text table: the head, a rule of dashes, then the rows. Each column is as wide as its
 * widest cell, columns stand two spaces apart, and each line's trailing spaces are trimmed.
 * @returns its lines.
 */
export function formatTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}
