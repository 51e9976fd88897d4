import peggy from 'peggy';
import { LITMUS_GRAMMAR } from './grammar.js';
import type { LitmusTest } from './ast.js';

/** A litmus file that could not be read: `file:line:column: message`. */
export class LitmusSyntaxError extends Error {
  override readonly name = 'LitmusSyntaxError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    what: string,
  ) {
    super(`${file}:${line}:${column}: ${what}`);
  }
}

let parser: peggy.Parser | undefined;

/** Parses the text of a C litmus test. @throws LitmusSyntaxError */
export function parseLitmus(text: string, file = '<litmus>'): LitmusTest {
  parser ??= peggy.generate(LITMUS_GRAMMAR);
  try {
    return parser.parse(text) as LitmusTest;
  } catch (e) {
    const err = e as peggy.parser.SyntaxError;
    if (!err.location) throw e;
    const { line, column } = err.location.start;
    // peggy's message already says "Expected X but Y found." for grammar failures, and
    // carries our own text for error() calls.
    const what = err.expected
      ? `expected ${describeExpected(err.expected)}, found ${err.found === null ? 'end of input' : JSON.stringify(err.found)}`
      : err.message;
    throw new LitmusSyntaxError(file, line, column, what);
  }
}

function describeExpected(expected: peggy.parser.Expectation[]): string {
  const noise = new Set(['"(*"', '"/*"', '"//"', 'whitespace']);
  const names = [
    ...new Set(
      expected.map((e) => {
        if (e.type === 'literal') return JSON.stringify(e.text);
        if (e.type === 'other') return e.description;
        if (e.type === 'end') return 'end of input';
        return e.type === 'class'
          ? 'a character in ' + (e.ignoreCase ? 'i' : '') + '[…]'
          : 'any character';
      }),
    ),
  ]
    .filter((n) => !noise.has(n) && !n.startsWith('a character'))
    .sort();
  return names.length <= 1
    ? (names[0] ?? 'nothing')
    : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}
