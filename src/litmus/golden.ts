/**
 * Golden files, as herdtools7 keeps them: every `X.litmus` has `X.litmus.expected` beside it,
 * herd7's block without Time and Hash. The directory says what the block is:
 * - `kernel/`, `herd-linux/`, `mutants/`, or any golden with herd7's `Hash=` line: herd7's own
 *   output, a reference: never regenerated;
 * - `sc/`: the SC interleaving runner's (its counts are interleavings);
 * - `errors/`: the one-line error the file must be refused with;
 * - anywhere else: the Linux-kernel memory model's, the default for C litmus tests.
 * `npm run promote-litmus` rewrites them on purpose (herdtools7's herd_promote).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, sep } from 'node:path';
import { checkLitmusModel, formatModelRun } from './modelRun.js';
import { LKMM } from '../axiomatic/models/index.js';
import { checkLitmusFile } from './checkFile.js';
import { formatLitmus } from './format.js';
import { parseLitmus } from './parse.js';
import { programOf } from './traces.js';

export type GoldenKind = 'herd7' | 'sc' | 'error' | 'lkmm';

/** The folders, relative to the repository root, whose litmus files have goldens. */
export const GOLDEN_DIRS = ['litmus', join('test', 'fixtures', 'litmus')];

/** Folders of herd7's own outputs (references, never regenerated). */
const HERD7_DIRS = ['kernel', 'herd-linux', 'mutants'];

export function goldenKind(file: string): GoldenKind {
  const dirs = file.split(sep);
  if (HERD7_DIRS.some((d) => dirs.includes(d))) return 'herd7';
  // herd7 prints a Hash= line and we never do: such a golden is herd7's, wherever it is
  const golden = `${file}.expected`;
  if (existsSync(golden) && /^Hash=/m.test(readFileSync(golden, 'utf8'))) return 'herd7';
  if (dirs.includes('sc')) return 'sc';
  if (dirs.includes('errors')) return 'error';
  return 'lkmm';
}

/** Every `.litmus` file under `dir`, sorted. */
export function litmusFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return litmusFiles(path);
      return name.endsWith('.litmus') ? [path] : [];
    });
}

const withoutTime = (block: string) =>
  block
    .split('\n')
    .filter((l) => !l.startsWith('Time ') && !l.startsWith('Hash='))
    .join('\n')
    .trimEnd() + '\n';

/**
 * What `file`'s golden holds now, computed afresh.
 * @throws Error for a 'herd7' reference, or when a file that should run is refused
 */
export function goldenOutput(file: string): string {
  const kind = goldenKind(file);
  switch (kind) {
    case 'herd7':
      throw new Error(`${file} is herd7's reference output: it is not regenerated`);
    case 'sc': {
      const run = checkLitmusFile(file);
      return withoutTime(formatLitmus(run.test, run.result, run.ms));
    }
    case 'lkmm':
      return withoutTime(formatModelRun(checkLitmusModel(file, LKMM)));
    case 'error': {
      const name = basename(file);
      try {
        programOf(parseLitmus(readFileSync(file, 'utf8'), name), name);
      } catch (e) {
        return `${(e as Error).message}\n`;
      }
      throw new Error(`${file} is under errors/ but is accepted`);
    }
  }
}
