import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Strategy } from '../refcount/strategy.js';
import { UsageError } from './usageError.js';

/** The functions a strategy module must export (see docs/strategy-interface.md). */
export const STRATEGY_FUNCTIONS = [
  'isFrozenCount',
  'count',
  'set',
  'init',
  'setFrozen',
  'add',
  'sub',
  'inc',
  'dec',
  'incReturn',
  'decReturn',
  'subReturn',
  'subAndTest',
  'decAndTest',
  'tryAdd',
  'tryGet',
  'freeze',
  'unfreeze',
  'isFrozen',
] as const satisfies readonly (keyof Strategy)[];

/**
 * Loads a user's strategy from an ES module whose default export (or export named
 * `strategy`) implements {@link Strategy}.
 * @throws UsageError with one line saying what is wrong.
 */
export async function loadStrategy(file: string): Promise<Strategy> {
  const path = resolve(file);
  if (!existsSync(path)) throw new UsageError(`strategy file not found: ${file}`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(`could not load strategy file ${file}: ${whyNot(e as Error, path)}`);
  }
  const s = (mod.default ?? mod.strategy) as Record<string, unknown> | undefined;
  if (typeof s !== 'object' || s === null) {
    throw new UsageError(
      `strategy file ${file} has no default export (or export named 'strategy') holding a strategy object`,
    );
  }
  const missing = STRATEGY_FUNCTIONS.filter((f) => typeof s[f] !== 'function');
  if (typeof s.name !== 'string') missing.unshift('name' as never);
  if (missing.length > 0) {
    throw new UsageError(
      `strategy file ${file} does not implement the strategy interface: missing ${missing.join(', ')} (see docs/strategy-interface.md)`,
    );
  }
  return s as unknown as Strategy;
}

/** Why importing the module at `path` failed, in one line that says where or what to do. */
function whyNot(e: Error, path: string): string {
  if ((e as NodeJS.ErrnoException).code === 'ERR_UNKNOWN_FILE_EXTENSION') {
    if (/^\.[cm]?ts$/.test(extname(path)))
      return 'Node cannot import TypeScript: compile it to JavaScript (tsc) and pass the .js file, or run pageref under a TypeScript loader (node --import tsx …)';
    return `${e.message}: pass an ES module (.js or .mjs)`;
  }
  if (e.name === 'SyntaxError') {
    const where = syntaxErrorLine(e, path);
    if (where) return `SyntaxError at line ${where}: ${e.message}`;
  }
  return `${e.name}: ${e.message}`;
}

/**
 * The line of a syntax error, which Node 20 leaves out of an ES module's error: from the
 * stack where it is there (CommonJS), else from `node --check` over the source.
 */
function syntaxErrorLine(e: Error, path: string): string | undefined {
  const first = e.stack?.split('\n', 1)[0] ?? '';
  const inStack = first.startsWith(path) ? /:(\d+)$/.exec(first) : null;
  if (inStack) return inStack[1];
  const check = spawnSync(
    process.execPath,
    [`--input-type=${extname(path) === '.cjs' ? 'commonjs' : 'module'}`, '--check', '-'],
    { input: readFileSync(path), encoding: 'utf8', timeout: 10_000 },
  );
  return /^\[stdin\]:(\d+)$/m.exec(check.stderr ?? '')?.[1];
}
