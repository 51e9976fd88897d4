import { STRONGEST, type Cells, type Order } from '../../src/cells/cells.js';
import type { CellsMethod } from '../../src/cells/kernelAtomics.js';

/** One call of recording cells: the method and its ordering, an omitted one resolved. */
export interface Recorded {
  method: CellsMethod;
  order: Order;
  /** Whether the ordering was given (false: STRONGEST stood in for it). */
  given: boolean;
  /** For a cas: whether it exchanged (a failed cas is relaxed, whatever its order). */
  exchanged?: boolean;
}

/**
 * Cells over a plain Int32Array that perform each call at once and record it with its
 * ordering, as the strategies' ordering tests read them.
 */
export function recordingCells(memory: Int32Array): { cells: Cells; log: Recorded[] } {
  const log: Recorded[] = [];
  const note = (method: CellsMethod, order: Order | undefined): void => {
    log.push({ method, order: order ?? STRONGEST[method], given: order !== undefined });
  };
  const cells: Cells = {
    load: (i, order) => (note('load', order), memory[i]!),
    store: (i, value, order) => {
      note('store', order);
      memory[i] = value;
    },
    add: (i, delta, order) => {
      note('add', order);
      const old = memory[i]!;
      memory[i] = old + delta;
      return old;
    },
    sub: (i, delta, order) => {
      note('sub', order);
      const old = memory[i]!;
      memory[i] = old - delta;
      return old;
    },
    cas: (i, expected, replacement, order) => {
      note('cas', order);
      const old = memory[i]!;
      if (old === (expected | 0)) memory[i] = replacement;
      log.at(-1)!.exchanged = old === (expected | 0);
      return old;
    },
  };
  return { cells, log };
}
