import type peggy from 'peggy';
import { createRequire } from 'node:module';
import { LITMUS_GRAMMAR } from './grammar.js';
import type { LitmusTest } from './ast.js';
import { printCondition } from './printProp.js';
import { diagnose, position } from './diagnose.js';
import { splitterNote } from './splitter.js';

/** A litmus file that could not be read or checked: `file:line:column: message`. */
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

/**
 * How deeply brackets and prefix operators may nest. peggy's parser recurses about a dozen
 * frames per level, so a thousand levels overflow the stack; no litmus test needs more
 * than a handful.
 */
export const MAX_NESTING = 100;

/**
 * The parser module that `npm run build` compiles from the grammar (scripts/buildParser.ts),
 * beside this file in dist/.
 */
export const BUILT_PARSER = 'litmusParser.generated.cjs';

let parser: peggy.Parser | undefined;

/**
 * Where the parser came from: 'built' (the module compiled from this grammar at build time)
 * or 'generated' (no such module, or one built from another grammar: peggy generated the
 * parser in this process, which costs about half a second). Undefined before the first parse.
 */
export let parserOrigin: 'built' | 'generated' | undefined;

function loadParser(): peggy.Parser {
  const require = createRequire(import.meta.url);
  try {
    const built = require(`./${BUILT_PARSER}`) as peggy.Parser & { GRAMMAR?: string };
    if (built.GRAMMAR === LITMUS_GRAMMAR) {
      parserOrigin = 'built';
      return built;
    }
  } catch (e) {
    if ((e as { code?: string }).code !== 'MODULE_NOT_FOUND') throw e;
  }
  parserOrigin = 'generated';
  return (require('peggy') as typeof peggy).generate(LITMUS_GRAMMAR);
}

/** Parses the text of a C litmus test. A leading BOM is accepted. @throws LitmusSyntaxError */
export function parseLitmus(text: string, file = '<litmus>'): LitmusTest {
  parser ??= loadParser();
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  checkNesting(source, file);
  let test: LitmusTest;
  const herdNotes: { line: number; column: number; what: string }[] = [];
  const herdSections: { code?: number; constraints?: number } = {};
  try {
    test = parser.parse(source, { herdNotes, herdSections }) as LitmusTest;
  } catch (e) {
    if (e instanceof RangeError) {
      // checkNesting should make this unreachable; a located message all the same
      throw new LitmusSyntaxError(file, 1, 1, `nesting too deep to parse (${e.message})`);
    }
    const err = e as peggy.parser.SyntaxError;
    if (!err.location) throw e;
    const { line, column, offset } = err.location.start;
    // a missing header line or an unclosed process: say so, where it is
    const cause = diagnose(source, offset);
    if (cause) throw new LitmusSyntaxError(file, cause.line, cause.column, cause.what);
    const semicolon = err.expected?.some((e) => e.type === 'literal' && e.text === ';');
    const before = source.slice(0, offset).trimEnd();
    if (semicolon && before.length > 0 && source.slice(before.length, offset).includes('\n')) {
      // the statement ended a line early: point at the end of that line, not the next token
      const lines = before.split('\n');
      throw new LitmusSyntaxError(
        file,
        lines.length,
        lines.at(-1)!.length + 1,
        'missing ";" at the end of the line',
      );
    }
    // peggy's message already says "Expected X but Y found." for grammar failures, and
    // carries our own text for error() calls.
    const what = err.expected
      ? `expected ${describeExpected(err.expected)}, found ${err.found === null ? 'end of input' : JSON.stringify(err.found)}`
      : err.message;
    throw new LitmusSyntaxError(file, line, column, what);
  }
  test.conditionText = printCondition(test);
  const cut = splitterNote(source, herdSections.code ?? 0, herdSections.constraints ?? 0);
  if (cut) herdNotes.push({ ...position(source, cut.offset), what: cut.what });
  // the grammar's actions may run twice over text the parser backtracked over: once each
  const notes = new Map(herdNotes.map((n) => [`${n.line}:${n.column}:${n.what}`, n]));
  test.herd7Refuses = [...notes.values()]
    .sort((a, b) => a.line - b.line || a.column - b.column)
    .map(({ line, column, what }) => ({ at: { line, column }, what }));
  return test;
}

/**
 * Refuses brackets or prefix operators nested deeper than MAX_NESTING, at the first place
 * that goes deeper, before the recursive parser can overflow the stack. One linear pass;
 * C comments are skipped so that their text does not count.
 */
function checkNesting(text: string, file: string): void {
  let depth = 0;
  let prefixRun = 0;
  let line = 1;
  let column = 1;
  let i = 0;
  const advance = (): void => {
    if (text[i] === '\n') {
      line++;
      column = 1;
    } else column++;
    i++;
  };
  while (i < text.length) {
    if (text.startsWith('/*', i)) {
      while (i < text.length && !text.startsWith('*/', i)) advance();
      advance();
      advance();
      continue;
    }
    if (text.startsWith('//', i)) {
      while (i < text.length && text[i] !== '\n') advance();
      continue;
    }
    const c = text[i]!;
    // the condition's word `not` nests as `~` does
    const not =
      text.startsWith('not', i) && !/\w/.test(text[i - 1] ?? '') && !/\w/.test(text[i + 3] ?? '');
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    if (not || '!~-*&'.includes(c)) prefixRun++;
    else if (!' \t\r\n('.includes(c)) prefixRun = 0;
    if (depth > MAX_NESTING || prefixRun > MAX_NESTING) {
      throw new LitmusSyntaxError(
        file,
        line,
        column,
        `nested more than ${MAX_NESTING} levels deep: split the expression`,
      );
    }
    if (not) {
      advance();
      advance();
    }
    advance();
  }
}

function describeExpected(expected: peggy.parser.Expectation[]): string {
  const all = [
    ...new Set(
      expected.map((e) => {
        if (e.type === 'literal') return JSON.stringify(e.text);
        if (e.type === 'other') return e.description;
        if (e.type === 'end') return 'end of input';
        return e.type === 'class' ? '' : 'any character';
      }),
    ),
  ].filter((n) => n !== '');
  // comment openers and whitespace are noise in "expected ..." lists, unless alone
  // ("?" is there only to refuse ?: with a message)
  const useful = all.filter((n) => !['"(*"', '"/*"', '"//"', 'whitespace', '"?"'].includes(n));
  const names = (useful.length > 0 ? useful : all).sort();
  return names.length <= 1
    ? (names[0] ?? 'something else')
    : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}
