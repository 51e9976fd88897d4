/**
 * @module
 * Words for people, shared by every tool's output.
 */

/** `1 core`, `2 cores`, `1,234 operations`: a count and its noun, for people. */
export function plural(n: number, noun: string): string {
  return `${n.toLocaleString('en')} ${noun}${n === 1 ? '' : 's'}`;
}
