import type { Strategy } from '../refcount/strategy.js';
import { STRATEGY_NAMES } from '../refcount/strategies.js';

/**
 * A user's strategy module, as `pageref check --strategy-file` loads it: the functions it
 * must export, and the check of what it exported. Here rather than in the CLI because the
 * checker loads the module inside its own worker (see isolated.ts).
 */

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
 * The strategy a loaded module exports as its default (or as `strategy`).
 * @returns the strategy, or one line saying what is wrong with the module.
 */
export function strategyOfModule(mod: Record<string, unknown>, file: string): Strategy | string {
  const s = (mod.default ?? mod.strategy) as Record<string, unknown> | undefined;
  if (typeof s !== 'object' || s === null) {
    return `strategy file ${file} has no default export (or export named 'strategy') holding a strategy object`;
  }
  const missing: string[] = STRATEGY_FUNCTIONS.filter((f) => typeof s[f] !== 'function');
  if (typeof s.name !== 'string') missing.unshift('name');
  if (missing.length > 0) {
    return `strategy file ${file} does not implement the strategy interface: missing ${missing.join(', ')} (see docs/strategy-interface.md)`;
  }
  if ((STRATEGY_NAMES as readonly string[]).includes(s.name as string)) {
    // one column, one JSON entry and one counterexample heading per name: a user's strategy
    // under a built-in's name would be hidden behind it
    return `strategy file ${file} names its strategy ${JSON.stringify(s.name)}, the name of a built-in strategy: give it a name of its own`;
  }
  return s as unknown as Strategy;
}
