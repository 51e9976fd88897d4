/**
 * Better messages for two parse failures whose cause is far from where the grammar fails:
 * a file without its header line (`C name`), where the grammar stumbles on the first
 * character after the first word; and a process whose closing brace is missing, where it
 * stumbles on the next process's header, read as a statement. parseLitmus asks here only
 * after the grammar has failed, so a file that parses is never second-guessed.
 */

/** A message at a 1-based line and column. */
export interface Diagnosis {
  line: number;
  column: number;
  what: string;
}

/**
 * Why the parse of `source` that failed at `offset` failed, when the cause is a missing
 * header or an unclosed process body before `offset`.
 * @returns undefined when neither explains the failure
 */
export function diagnose(source: string, offset: number): Diagnosis | undefined {
  return missingHeader(source, offset) ?? unclosedProcess(source, offset);
}

/** Whitespace and comments (herd7's `(* *)` and C's) from `i`. */
function skipBlank(text: string, i: number): number {
  for (;;) {
    const rest = text.slice(i, i + 2);
    if (/^\s/.test(rest)) i++;
    else if (rest === '(*' || rest === '/*') {
      const end = text.indexOf(rest === '(*' ? '*)' : '*/', i + 2);
      if (end < 0) return text.length;
      i = end + 2;
    } else if (rest === '//') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else return i;
  }
}

/** The 1-based line and column of `offset` in `text`. */
export function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

/**
 * The first line of a litmus file names its architecture and the test: `C SB+poonceonces`.
 * A failure before the init block, on a first line that is not two words, is that line's.
 */
function missingHeader(source: string, offset: number): Diagnosis | undefined {
  const start = skipBlank(source, 0);
  const init = source.indexOf('{', start);
  if (init >= 0 && offset > init) return undefined;
  const first = source.slice(start).split('\n', 1)[0]!.trimEnd();
  if (/^[A-Za-z_]\w*[ \t]+\S/.test(first)) return undefined;
  return {
    ...position(source, start),
    what: `a litmus file starts with its architecture and its name, as in "C SB+poonceonces"; found ${first.length > 0 ? JSON.stringify(first.slice(0, 40)) : 'no header line'}`,
  };
}

/** `P0(…)`, `void P1(…)` at the start of a line: where a process begins. */
const HEADER = /^[ \t]*(?:void[ \t]*\*?[ \t]*)?P(\d+)[ \t]*\(/gm;

/**
 * A process body whose `{` has no `}` before the next process's header (or the end of the
 * file), when the failure comes after that `{`: the message points at the `{`.
 */
function unclosedProcess(source: string, offset: number): Diagnosis | undefined {
  // a header inside a C comment is text, not a process
  const comments = [...source.matchAll(/\/\*[\s\S]*?(\*\/|$)|\/\/[^\n]*/g)].map((m) => [
    m.index,
    m.index + m[0].length,
  ]);
  const headers = [...source.matchAll(HEADER)]
    .filter((m) => !comments.some(([from, to]) => m.index > from! && m.index < to!))
    .map((m) => ({ id: m[1]!, at: m.index }));
  for (const [k, h] of headers.entries()) {
    const end = headers[k + 1]?.at ?? source.length;
    const open = source.indexOf('{', source.indexOf(')', h.at));
    if (open < 0 || open >= end || open >= offset) continue;
    let depth = 0;
    for (let i = open; i < end; i++) {
      if (source.startsWith('/*', i)) {
        const close = source.indexOf('*/', i + 2);
        i = close < 0 ? end : close + 1;
      } else if (source.startsWith('//', i)) {
        const newline = source.indexOf('\n', i);
        i = newline < 0 ? end : newline;
      } else if (source[i] === '{') depth++;
      else if (source[i] === '}' && --depth === 0) break;
    }
    if (depth > 0) {
      const next = headers[k + 1];
      return {
        ...position(source, open),
        what: `P${h.id}'s body is not closed: its "{" has no "}" before ${next ? `P${next.id} (line ${position(source, next.at).line})` : 'the end of the file'}`,
      };
    }
  }
  return undefined;
}
