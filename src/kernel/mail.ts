/**
 * The patches for one file out of a patch mail, as a mail archive holds them: the thread's
 * seeds are mangled (leading whitespace stripped, so a context line has lost its ' ' prefix
 * and its tabs, and blank context lines are gone), so a hunk's line counts no longer match
 * its body. The reader therefore classifies each line by its first character alone, ends a
 * hunk where the next one, the next file or the signature ("--") begins, or once the body
 * holds the lines its header counts, and recounts the header from the body it kept.
 *
 * Which diffs count: a diff at the start of a line (never a quoted "> diff"), in a message
 * that posts a patch: its subject starts "[PATCH" (a public-inbox thread view heads each
 * message "* Subject" after a "^ permalink" line), or the mail has no such heads (a single
 * mail, such as seed 000). A diff in a reply (a reviewer's or a bot's "#syz test" fix) is
 * skipped and listed, never applied by surprise.
 *
 * @module
 */

/** One hunk as the mail holds it, ready for a patch library (jsdiff's structured hunk). */
export interface MailHunk {
  /** The mail's line (1-based) of the `@@` header: what a refusal names. */
  mailLine: number;
  /** The header as written, function context included. */
  header: string;
  oldStart: number;
  newStart: number;
  /** Recounted from `lines` (the header's own counts miss the dropped blank lines). */
  oldLines: number;
  newLines: number;
  /** Each line with its operation first: ' ' context, '-' removed, '+' added. */
  lines: string[];
}

/** One diff of the file: a patch of the series, or a reply's diff that was skipped. */
export interface MailPatch {
  /** The mail's line of `diff --git`. */
  mailLine: number;
  /** The message's subject, or '' where the mail has no message heads. */
  subject: string;
  /** The blobs of the `index` line, old and new (abbreviated as written). */
  from: string;
  to: string;
  hunks: MailHunk[];
}

/** What a mail holds for one file: the patches to apply, and the replies' diffs skipped. */
export interface MailDiffs {
  patches: MailPatch[];
  skipped: MailPatch[];
  /** `#define NAME value` lines that the mail's patches add to `definesFrom` (page-flags.h). */
  defines: { name: string; value: string; mailLine: number }[];
}

/** The file the page_ref functions live in, and the one the frozen bit is defined in. */
export const PAGE_REF_H = 'include/linux/page_ref.h';
export const PAGE_FLAGS_H = 'include/linux/page-flags.h';

const DIFF = /^diff --git a\/(\S+) b\/(\S+)/;
const INDEX = /^index ([0-9a-f]+)\.\.([0-9a-f]+)/;
const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const PERMALINK = /^\^ permalink raw reply/;

/**
 * The diffs of `file` in `mail`, in mail order, and the `#define`s the mail's posted
 * patches add to `definesFrom`.
 */
export function readMail(mail: string, file = PAGE_REF_H, definesFrom = PAGE_FLAGS_H): MailDiffs {
  const lines = mail.split(/\r?\n/);
  const subjects = messageSubjects(lines);
  const heads = subjects.some((s) => s !== '');
  const out: MailDiffs = { patches: [], skipped: [], defines: [] };
  for (let i = 0; i < lines.length; i++) {
    const m = DIFF.exec(lines[i]!);
    if (!m) continue;
    const subject = subjects[i] ?? '';
    const posted = !heads || subject.startsWith('[PATCH');
    const { patch, end } = readDiff(lines, i, subject);
    if (m[2] === file) (posted ? out.patches : out.skipped).push(patch);
    if (m[2] === definesFrom && posted) out.defines.push(...addedDefines(patch));
    i = end - 1;
  }
  return out;
}

/** The subject of the message each line is in ('' before the first head). */
function messageSubjects(lines: string[]): string[] {
  const subjects: string[] = [];
  let subject = '';
  let headNext = true; // the first line may head the first message
  for (const line of lines) {
    // a thread view glues the next head onto the permalink line: "... in thread* Re: …"
    const glued = PERMALINK.test(line) ? /thread\* (.*)$/.exec(line) : null;
    if (glued) subject = glued[1]!;
    else if (headNext && line.startsWith('* ')) subject = line.slice(2);
    headNext = PERMALINK.test(line) && !glued;
    subjects.push(subject);
  }
  return subjects;
}

/** The diff starting at `lines[start]`, and the index of the first line after it. */
function readDiff(
  lines: string[],
  start: number,
  subject: string,
): { patch: MailPatch; end: number } {
  const patch: MailPatch = { mailLine: start + 1, subject, from: '', to: '', hunks: [] };
  let i = start + 1;
  for (; i < lines.length && !HUNK.test(lines[i]!) && !isEnd(lines[i]!); i++) {
    const index = INDEX.exec(lines[i]!);
    if (index) [patch.from, patch.to] = [index[1]!, index[2]!];
  }
  while (i < lines.length && HUNK.test(lines[i]!)) {
    const { hunk, end } = readHunk(lines, i);
    patch.hunks.push(hunk);
    i = end;
  }
  return { patch, end: i };
}

/** A line that ends a diff: the next file's diff or the signature separator. */
const isEnd = (line: string) => DIFF.test(line) || line === '--' || line === '-- ';

function readHunk(lines: string[], start: number): { hunk: MailHunk; end: number } {
  const header = lines[start]!;
  const m = HUNK.exec(header)!;
  const oldCount = m[2] === undefined ? 1 : Number(m[2]);
  const newCount = m[4] === undefined ? 1 : Number(m[4]);
  const body: string[] = [];
  let [olds, news] = [0, 0];
  let i = start + 1;
  for (; i < lines.length && (olds < oldCount || news < newCount); i++) {
    const line = lines[i]!;
    if (HUNK.test(line) || isEnd(line)) break;
    if (line.startsWith('\\')) continue; // "\ No newline at end of file": not in these headers
    const op = line[0] === '+' || line[0] === '-' ? line[0] : ' ';
    // a context line lost its ' ' (and its indentation) to the mangling; a blank one is kept
    // as a blank context line, which the patcher skips as it skips the file's blank lines
    const content =
      op === ' ' && line[0] === ' ' ? line.slice(1) : op === ' ' ? line : line.slice(1);
    body.push(op + content);
    if (op !== '+') olds++;
    if (op !== '-') news++;
  }
  const hunk: MailHunk = {
    mailLine: start + 1,
    header,
    oldStart: Number(m[1]),
    newStart: Number(m[3]),
    oldLines: olds,
    newLines: news,
    lines: body,
  };
  return { hunk, end: i };
}

/** The `#define NAME value` lines a patch adds. */
function addedDefines(patch: MailPatch): MailDiffs['defines'] {
  return patch.hunks.flatMap((h) =>
    h.lines.flatMap((line, k) => {
      const d = /^\+\s*#\s*define\s+([A-Za-z_]\w*)\s+(.+?)\s*$/.exec(line);
      return d ? [{ name: d[1]!, value: d[2]!, mailLine: h.mailLine + 1 + k }] : [];
    }),
  );
}
