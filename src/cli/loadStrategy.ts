import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
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
    throw new UsageError(
      `could not load strategy file ${file}: ${(e as Error).name}: ${(e as Error).message}`,
    );
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
