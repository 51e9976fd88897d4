import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Strategy } from '../refcount/strategy.js';
import { STRATEGY_FUNCTIONS, strategyOfModule } from '../check/strategyModule.js';
import { UsageError } from './usageError.js';

export { STRATEGY_FUNCTIONS };

/**
 * Loads a user's strategy from an ES module whose default export (or export named
 * `strategy`) implements {@link Strategy}, in this thread. (`pageref check` loads it in the
 * checker's worker instead, where a module that ends the process or spins is caught: see
 * check/isolated.ts.)
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
  const s = strategyOfModule(mod, file);
  if (typeof s === 'string') throw new UsageError(s);
  return s;
}
