/**
 * A litmus file from disk: read (a BOM is accepted), parsed and validated, with one-line
 * errors that name the file; and the SC runner's result in the CLI's and report's shapes.
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

/** The `--json` shape of one litmus run. */
export function litmusJson(r: LitmusRun) {
  const done = r.result.kind === 'complete' ? r.result : undefined;
  return {
    file: r.file,
    name: r.test.name,
    observation: done?.observation ?? null,
    positive: done?.positive ?? null,
    negative: done?.negative ?? null,
    states: r.result.explored,
    vacuous: done?.vacuous ?? null,
    ok: done?.ok ?? null,
  };
}
