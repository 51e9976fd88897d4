/**
 * pageref: scalable, freezable page reference counts over a SharedArrayBuffer.
 * @packageDocumentation
 */
export { PageRefs, MAX_PAGES } from './refcount/pageRefs.js';
export type { PageRefsOptions, AttachOptions, OverOptions } from './refcount/pageRefs.js';
export { PageRefDebugError, withDebugChecks } from './refcount/debugChecks.js';
export type { CheckedOperation } from './refcount/debugChecks.js';
export type { Strategy, StrategyName } from './refcount/strategy.js';
export {
  STRATEGIES,
  STRATEGY_NAMES,
  PRODUCTION_STRATEGIES,
  strategyByName,
} from './refcount/strategies.js';
export { FROZEN_BIT, FROZEN_LIMIT, MAX_COUNT } from './refcount/layout.js';
export type { Cells } from './cells/cells.js';
export { AtomicCells } from './cells/atomicCells.js';
