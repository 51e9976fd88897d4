import { UsageError } from './usageError.js';
import { isStrategyName, STRATEGY_NAMES } from '../refcount/strategies.js';
import type { StrategyName } from '../refcount/strategy.js';

/** Parsers for commander options: a bad value is a UsageError (one line, exit code 2). */

export function integerOption(flag: string, min = 1, max = Number.MAX_SAFE_INTEGER) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      const range =
        max === Number.MAX_SAFE_INTEGER
          ? min === 1
            ? 'a positive integer'
            : `an integer ≥ ${min}`
          : `an integer from ${min} to ${max}`;
      throw new UsageError(`${flag} must be ${range}, got ${JSON.stringify(v)}`);
    }
    return n;
  };
}

/** A comma-separated list whose items are checked by `parse` (which throws Error). */
export function listOption<T>(flag: string, parse: (item: string) => T) {
  return (v: string): T[] => {
    const items = v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (items.length === 0) throw new UsageError(`${flag}: expected a comma-separated list`);
    try {
      return items.map(parse);
    } catch (e) {
      throw new UsageError(`${flag}: ${(e as Error).message}`);
    }
  };
}

/** An item that must be one of `allowed`. */
export function oneOf<T extends string>(what: string, allowed: readonly T[]) {
  return (v: string): T => {
    if (!(allowed as readonly string[]).includes(v)) {
      throw new Error(
        `unknown ${what} ${JSON.stringify(v)}: expected one of ${allowed.join(', ')}`,
      );
    }
    return v as T;
  };
}

/**
 * The one message for a strategy name a command does not take (check, bench and torture all
 * use it): the name as given, and the names the command expects.
 */
export function unknownStrategy(
  name: string,
  expected: readonly StrategyName[] = STRATEGY_NAMES,
): UsageError {
  return new UsageError(
    `unknown strategy ${JSON.stringify(name)}: expected one of ${expected.join(', ')}`,
  );
}

/** A strategy name that must be one of `allowed`, else {@link unknownStrategy}. */
export function strategyOption<T extends StrategyName>(
  allowed: readonly T[] = STRATEGY_NAMES as T[],
) {
  return (v: string): T => {
    if (!isStrategyName(v) || !(allowed as readonly StrategyName[]).includes(v))
      throw unknownStrategy(v, allowed);
    return v as T;
  };
}
