/**
 * A litmus file from disk: read (a BOM is accepted), parsed and validated, with one-line
 * errors that name the file; and a run of the SC interleaving runner over it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { ExploreOptions } from '../explore/explore.js';
import type { LitmusTest } from './ast.js';
import { parseLitmus } from './parse.js';
import { runLitmus, type LitmusResult } from './run.js';
import { validate } from './validate.js';

export interface LitmusRun {
  file: string;
  test: LitmusTest;
  result: LitmusResult;
  ms: number;
}

/**
 * Reads and validates one litmus file.
 * @throws LitmusSyntaxError, or Error naming the file when it is missing or not a file
 */
export function readLitmusFile(file: string): LitmusTest {
  if (!existsSync(file)) throw new Error(`litmus file not found: ${file}`);
  const stat = statSync(file);
  if (stat.isDirectory())
    throw new Error(`litmus file ${file} is a directory: name the .litmus files in it`);
  if (!stat.isFile()) throw new Error(`litmus file ${file} is not a regular file`);
  const test = parseLitmus(readFileSync(file, 'utf8'), file);
  validate(test, file);
  return test;
}

/** Reads, checks and runs one litmus file under SC. @throws as readLitmusFile, or runLitmus */
export function checkLitmusFile(file: string, options: ExploreOptions = {}): LitmusRun {
  const test = readLitmusFile(file);
  const started = performance.now();
  const result = runLitmus(test, options, file);
  return { file, test, result, ms: performance.now() - started };
}
