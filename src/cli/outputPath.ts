import {
  accessSync,
  closeSync,
  constants,
  openSync,
  statSync,
  unlinkSync,
  type Stats,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from './usageError.js';

/**
 * Checks of output paths, made before any work, so that a benchmark or a report never runs
 * for nothing and then dies writing its result. Each failure is a UsageError: one line,
 * exit code 2. Nothing is left behind (a probe file is created and removed at once).
 */

/**
 * A file that `--json`/`--svg` will write: its directory must exist and take new files, and
 * the file, if it exists, must be a writable file.
 * @throws UsageError saying what is wrong with `file`.
 */
export function checkOutputFile(flag: string, file: string): void {
  nonEmpty(flag, file, 'file');
  const path = resolve(file);
  const st = stat(path);
  if (st) {
    if (st.isDirectory()) throw new UsageError(`${flag} ${file}: is a directory`);
    writable(flag, file, path);
    return;
  }
  const dir = dirname(path);
  const parent = stat(dir);
  if (!parent) throw new UsageError(`${flag} ${file}: no such directory ${dir}`);
  if (!parent.isDirectory()) throw new UsageError(`${flag} ${file}: ${dir} is not a directory`);
  canCreateIn(flag, file, dir);
}

/**
 * A directory that will be created if need be (with its parents) and written into: the
 * nearest part of it that exists must be a directory that takes new files, and `file`
 * inside it, if it exists, must be a writable file.
 * @throws UsageError saying what is wrong with `dir`.
 */
export function checkOutputDir(flag: string, dir: string, file: string): void {
  nonEmpty(flag, dir, 'directory');
  const path = resolve(dir);
  let existing = path;
  let st: Stats | undefined;
  while (!(st = stat(existing)) && dirname(existing) !== existing) existing = dirname(existing);
  if (!st?.isDirectory()) {
    const what = existing === path ? dir : existing;
    throw new UsageError(`${flag} ${dir}: ${what} is not a directory`);
  }
  if (existing === path && stat(join(path, file))) {
    if (stat(join(path, file))!.isDirectory())
      throw new UsageError(`${flag} ${dir}: ${join(dir, file)} is a directory`);
    writable(flag, dir, join(path, file));
  }
  canCreateIn(flag, dir, existing);
}

/** An empty path names nothing (resolve('') is the working directory, mkdir('') fails). */
function nonEmpty(flag: string, path: string, what: string): void {
  if (path === '') throw new UsageError(`${flag}: expected a ${what}, got an empty path`);
}

/** The path's stats, or undefined if nothing is there (ENOENT, or a file where a directory should be). */
function stat(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw e;
  }
}

function writable(flag: string, given: string, path: string): void {
  try {
    accessSync(path, constants.W_OK);
  } catch (e) {
    throw new UsageError(`${flag} ${given}: ${path} is not writable (${code(e)})`);
  }
}

/** Creates and removes a probe file: the one test that holds for root, read-only mounts and ACLs. */
function canCreateIn(flag: string, given: string, dir: string): void {
  const probe = join(dir, `.pageref-probe-${process.pid}`);
  try {
    closeSync(openSync(probe, 'wx'));
  } catch (e) {
    throw new UsageError(`${flag} ${given}: cannot create files in ${dir} (${code(e)})`);
  }
  unlinkSync(probe);
}

function code(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? String(e);
}
