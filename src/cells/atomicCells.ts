import type { Cells } from './cells.js';

/**
 * {@link Cells} on an `Int32Array` over a `SharedArrayBuffer`: exactly one `Atomics` call per
 * method, so that after JIT warm-up a call through it costs what the `Atomics` call costs.
 */
export class AtomicCells implements Cells {
  /** @param view the cells; cell `i` is `view[i]`. Usually over a `SharedArrayBuffer`. */
  constructor(readonly view: Int32Array) {}

  load(i: number): number {
    return Atomics.load(this.view, i);
  }

  store(i: number, value: number): void {
    Atomics.store(this.view, i, value);
  }

  add(i: number, delta: number): number {
    return Atomics.add(this.view, i, delta);
  }

  sub(i: number, delta: number): number {
    return Atomics.sub(this.view, i, delta);
  }

  cas(i: number, expected: number, replacement: number): number {
    return Atomics.compareExchange(this.view, i, expected, replacement);
  }
}
