/**
 * @module
 * HTML and SVG text, shared by the report and the execution drawings.
 */

/**
 * `s` safe as HTML or XML text and inside a quoted attribute: `& < > " '` as numeric
 * character references, which HTML and SVG (XML) both read.
 */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
