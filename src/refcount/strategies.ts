/**
 * The built-in strategies by name; a name's index is its id in a buffer header.
 *
 * @module
 */

import type { Strategy, StrategyName } from './strategy.js';
import { classic } from './classic.js';
import { classicOptimistic } from './classicOptimistic.js';
import { frozenBit } from './frozenBit.js';
import { rfcV1 } from './rfcV1.js';
import { v2Inverted } from './v2Inverted.js';

/**
 * The built-in strategies, by name. The index of a name in {@link STRATEGY_NAMES} is its id
 * in a buffer header, so the order is part of the format: append only.
 */
export const STRATEGIES: Readonly<Record<StrategyName, Strategy>> = {
  classic,
  'classic-optimistic': classicOptimistic,
  'frozen-bit': frozenBit,
  'rfc-v1': rfcV1,
  'v2-inverted': v2Inverted,
};

/** The built-in strategies' names; a name's index is its id in a buffer header. */
export const STRATEGY_NAMES = Object.keys(STRATEGIES) as StrategyName[];

/** The strategies meant for use; the others are historical and broken on purpose. */
export const PRODUCTION_STRATEGIES: readonly StrategyName[] = [
  'classic',
  'classic-optimistic',
  'frozen-bit',
];

/** Whether `name` is a built-in strategy's name. */
export function isStrategyName(name: unknown): name is StrategyName {
  return typeof name === 'string' && Object.hasOwn(STRATEGIES, name);
}

/**
 * The built-in strategy called `name`.
 * @throws RangeError naming the known strategies when `name` is not one of them.
 */
export function strategyByName(name: unknown): Strategy {
  if (!isStrategyName(name)) {
    throw new RangeError(
      `unknown strategy ${JSON.stringify(name)}: expected one of ${STRATEGY_NAMES.join(', ')}`,
    );
  }
  return STRATEGIES[name];
}
