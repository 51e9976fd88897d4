/**
 * herd7's splitter (lib/splitter.mll, inside_prog) cuts a C litmus file into its init block,
 * its code and its condition before any parser reads them: the code ends at the first
 * `exists`, `forall`, `final`, `filter`, `locations`, `observed` or `cases` that stands as a
 * name of its own, wherever it is, in a comment or a register's name included; and a `"`
 * in the code opens a string that must close on its line. pageref's grammar reads the code
 * by its syntax, so a file that herd7 would cut short runs here; this finds where herd7
 * would cut, for a warning.
 */

/** The words that end herd7's code section. */
const KEYWORD = /^(?:final|forall|exists|cases|observed|Observed|locations|filter|~[ \t\r]*exists)/;
/** The splitter's `name`: alpha (alpha | digit | _ | / | . | -)*, matched as a whole. */
const NAME = /^[A-Za-z][A-Za-z0-9_/.-]*/;

/** A place in the code where herd7 reads it otherwise, and what it does there. */
export interface SplitterNote {
  offset: number;
  what: string;
}

/**
 * Scans the code from `code` (just after the init block) to `constraints` (where pageref's
 * condition begins), as herd7's splitter does.
 * @returns where herd7 would end the code early or stop on a string, if it would
 */
export function splitterNote(
  source: string,
  code: number,
  constraints: number,
): SplitterNote | undefined {
  for (let i = code; i < constraints;) {
    const rest = source.slice(i, Math.min(constraints, i + 64));
    const keyword = KEYWORD.exec(rest)?.[0];
    const name = NAME.exec(rest)?.[0];
    // ocamllex takes the longest match, the first rule on a tie: a longer name is a name
    if (keyword && (name === undefined || name.length <= keyword.length)) {
      return {
        offset: i,
        what: `herd7's splitter ends the code at the word "${keyword}" (lib/splitter.mll): reword it, or rename what it names`,
      };
    }
    if (source[i] === '"') {
      const close = source.slice(i + 1, constraints).search(/["\n]/);
      if (close < 0 || source[i + 1 + close] !== '"')
        return {
          offset: i,
          what: `herd7's splitter reads a string from this " to the next " on the line, and there is none: remove it`,
        };
      i += close + 2;
    } else i += name?.length ?? 1;
  }
  return undefined;
}
