import type { Cells } from '../cells/cells.js';

/**
 * What a strategy's functions get as `cells` under the checker: the methods of `Cells` over
 * the model cells, and nothing else. A frozen object of closures: strategy code cannot read
 * or change the model cells' own state (the memory they stand for, the thread's log, a pause
 * or a fault they recorded, the step budget), which would let it move memory without a step
 * or hide a fault, and it may take the methods apart (`const { add } = c`), as on real cells.
 * Every argument is passed on as given.
 */
export function cellsDoor(cells: Cells): Cells {
  return Object.freeze({
    load: (...a: Parameters<Cells['load']>) => cells.load(...a),
    store: (...a: Parameters<Cells['store']>) => cells.store(...a),
    add: (...a: Parameters<Cells['add']>) => cells.add(...a),
    sub: (...a: Parameters<Cells['sub']>) => cells.sub(...a),
    cas: (...a: Parameters<Cells['cas']>) => cells.cas(...a),
  });
}
