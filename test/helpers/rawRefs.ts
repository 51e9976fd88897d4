import { AtomicCells } from '../../src/cells/atomicCells.js';
import type { Cells } from '../../src/cells/cells.js';
import { PageRefs } from '../../src/refcount/pageRefs.js';
import type { StrategyName } from '../../src/refcount/strategy.js';

/** PageRefs over a plain Int32Array whose raw values the test sets and reads directly. */
export function rawRefs(
  strategy: StrategyName,
  raws: number[],
  debug = false,
  wrap: (c: Cells) => Cells = (c) => c,
): { refs: PageRefs; mem: Int32Array } {
  const mem = Int32Array.from(raws);
  const refs = PageRefs.over(wrap(new AtomicCells(mem)), { pages: raws.length, strategy, debug });
  return { refs, mem };
}
