/**
 * `AtomicCells`: the `Cells` of real shared memory.
 *
 * @module
 */

import type { Cells } from './cells.js';

/**
 * {@link Cells} on an `Int32Array` over a `SharedArrayBuffer`: exactly one `Atomics` call per
 * method.
 *
 * The ordering argument is ignored: `Atomics` are sequentially consistent, stronger than any
 * ordering a caller can ask for (cells.ts). The closures do not declare it; the JIT drops
 * the extra argument when it inlines them. Measured when the strategies began to pass it:
 * frozen-bit through `PageRefs`, 1.042× raw `Atomics` before and 1.030× after (a shared
 * machine, CPU clock; within its noise).
 *
 * The methods are closures over a `const` view rather than prototype methods reading
 * `this.view`: an atomic operation is a barrier the JIT will not move a field load across,
 * so a prototype method reloads and re-checks the view on every call, while a captured
 * `const` is known never to change. Measured while making the change, with a throwaway
 * layer-by-layer script: the frozen-bit strategy over these cells took 1.05× raw `Atomics`
 * with prototype methods, 1.03× with closures. scripts/microbench.ts measures the result.
 */
export class AtomicCells implements Cells {
  readonly load: Cells['load'];
  readonly store: Cells['store'];
  readonly add: Cells['add'];
  readonly sub: Cells['sub'];
  readonly cas: Cells['cas'];

  /** @param view the cells; cell `i` is `view[i]`. Usually over a `SharedArrayBuffer`. */
  constructor(readonly view: Int32Array) {
    const v = view;
    this.load = (i) => Atomics.load(v, i);
    this.store = (i, value) => void Atomics.store(v, i, value);
    this.add = (i, delta) => Atomics.add(v, i, delta);
    this.sub = (i, delta) => Atomics.sub(v, i, delta);
    this.cas = (i, expected, replacement) => Atomics.compareExchange(v, i, expected, replacement);
  }
}
