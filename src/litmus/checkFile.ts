import { existsSync, readFileSync } from 'node:fs';
import type { ExploreOptions } from '../explore/explore.js';
import type { LitmusTest } from './ast.js';
import { parseLitmus } from './parse.js';
import { runLitmus, validate, type LitmusResult } from './run.js';

export interface LitmusRun {
  file: string;
  test: LitmusTest;
  result: LitmusResult;
  ms: number;
}

/** Reads, checks and runs one litmus file. @throws LitmusSyntaxError, or Error if missing. */
export function checkLitmusFile(file: string, options: ExploreOptions = {}): LitmusRun {
  if (!existsSync(file)) throw new Error(`litmus file not found: ${file}`);
  const test = parseLitmus(readFileSync(file, 'utf8'), file);
  validate(test, file);
  const started = performance.now();
  const result = runLitmus(test, options);
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
