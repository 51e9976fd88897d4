/**
 * Applying a mail's hunks to a file, with jsdiff's `applyPatch` and the looseness a
 * maintainer's `patch -l` allows a mangled mail: whitespace is ignored (a run of blanks
 * matches any run, and blanks at either end of a line not at all), and so are blank lines,
 * which the seeds' archive dropped from the context. A hunk that does not fit with at most
 * {@link FUZZ} context lines differing (GNU patch's default fuzz) is refused, naming its line
 * in the mail; a line the hunk removes must always be there.
 *
 * Blank lines are skipped by folding each into the line before it (a marker that the
 * comparison ignores and the result unfolds), so jsdiff sees a file without blank lines and
 * context lines from the file keep theirs.
 *
 * @module
 */

import { applyPatch, type StructuredPatch } from 'diff';
import type { MailPatch } from './mail.js';

/** GNU patch's default fuzz factor: context lines a hunk may have that the file lacks. */
export const FUZZ = 2;

/** A hunk that does not apply, named by its line in the mail. */
export class PatchRefused extends Error {
  override readonly name = 'PatchRefused';
  constructor(
    readonly mailLine: number,
    readonly header: string,
  ) {
    super(
      `hunk at mail line ${mailLine} does not apply (${header}), even ignoring whitespace and blank lines, with fuzz ${FUZZ}`,
    );
  }
}

// A blank line, folded into the line before it.
const BLANK = '\u2424';

/** `patch -l`'s comparison: runs of blanks are equal, blanks at the ends do not count. */
const loose = (line: string) => line.replaceAll(BLANK, '').replace(/\s+/g, ' ').trim();

/**
 * `source` with the patch's hunks applied, in order.
 * @throws PatchRefused for the first hunk that does not apply.
 */
export function applyMailPatch(source: string, patch: MailPatch): string {
  const folded = fold(source);
  const apply = (hunks: number): string | false =>
    applyPatch(folded, structured(patch, hunks), {
      fuzzFactor: FUZZ,
      compareLine: (_n, line, _op, content) => loose(line) === loose(content),
    });
  const result = apply(patch.hunks.length);
  if (result !== false) return unfold(result);
  // the first hunk that does not apply after those before it
  for (let k = 1; k <= patch.hunks.length; k++) {
    if (apply(k) === false) {
      const h = patch.hunks[k - 1]!;
      throw new PatchRefused(h.mailLine, h.header);
    }
  }
  throw new Error('[checker bug] a patch failed whose every prefix applies');
}

/** The patch's first `hunks` hunks, without blank context lines, for jsdiff. */
function structured(patch: MailPatch, hunks: number): StructuredPatch {
  return {
    oldFileName: undefined,
    newFileName: undefined,
    oldHeader: undefined,
    newHeader: undefined,
    hunks: patch.hunks.slice(0, hunks).map((h) => {
      // a blank line the hunk keeps or removes is folded away in the file, so it is dropped
      const lines = h.lines.filter((l) => l[0] === '+' || l.slice(1).trim() !== '');
      const olds = lines.filter((l) => l[0] !== '+').length;
      return {
        oldStart: h.oldStart,
        oldLines: olds,
        newStart: h.newStart,
        newLines: lines.filter((l) => l[0] !== '-').length,
        lines,
      };
    }),
  };
}

/** The file with each blank line folded into the line before it. */
function fold(source: string): string {
  const out: string[] = [];
  for (const line of source.split('\n')) {
    if (line.trim() === '' && out.length > 0) out[out.length - 1] += BLANK;
    else out.push(line);
  }
  return out.join('\n');
}

const unfold = (text: string) => text.replaceAll(BLANK, '\n');
