/**
 * pageref: scalable, freezable page reference counts over a SharedArrayBuffer, and a page
 * cache shared by workers. The package's only entry point: explicit named exports, types
 * through `export type`. Reference: docs/api.md in the package (packages/pageref/docs/api.md).
 *
 * @packageDocumentation
 */

// the refcount
export { PageRefs, MAX_PAGES } from './refcount/pageRefs.js';
export type { PageRefsOptions, AttachOptions, OverOptions } from './refcount/pageRefs.js';
export type { PageRefApi } from './refcount/pageRefApi.js';
export { PageRefDebugError, withDebugChecks } from './refcount/debugChecks.js';
export type { CheckedOperation, DebugCheckOptions } from './refcount/debugChecks.js';
export type { Strategy, StrategyName } from './refcount/strategy.js';
export {
  STRATEGIES,
  STRATEGY_NAMES,
  PRODUCTION_STRATEGIES,
  strategyByName,
} from './refcount/strategies.js';
export { FROZEN_BIT, FROZEN_LIMIT, MAX_COUNT } from './refcount/layout.js';

// the memory seam
export type { Cells, Order, LoadOrder, StoreOrder, RmwOrder, CasOrder } from './cells/cells.js';
export { AtomicCells } from './cells/atomicCells.js';

// the page cache
export { PageCache, MISS, MAX_KEY, MAX_CACHE_PAGES } from './pagecache/pageCache.js';
export type {
  PageCacheOptions,
  OpenOptions,
  InsertResult,
  EvictResult,
  Destructor,
  Fill,
} from './pagecache/pageCache.js';
