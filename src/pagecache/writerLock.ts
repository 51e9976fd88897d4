/**
 * The writers' lock: a futex-style mutex on one Int32 (0 free, 1 held, 2 held with
 * waiters), after Drepper's "Futexes Are Tricky" (mutex 2). Waiters sleep in Atomics.wait;
 * readers never take it. Atomics.wait is not allowed on a browser's main thread, and blocks
 * Node's main thread, which is acceptable for the short critical sections here.
 *
 * @module
 */

/** Takes the lock in cell `i` of `cells`, sleeping while another thread holds it. */
export function lock(cells: Int32Array, i: number): void {
  let c = Atomics.compareExchange(cells, i, 0, 1);
  if (c === 0) return;
  do {
    if (c === 2 || Atomics.compareExchange(cells, i, 1, 2) !== 0) Atomics.wait(cells, i, 2, 100);
  } while ((c = Atomics.compareExchange(cells, i, 0, 2)) !== 0);
}

/** Releases the lock in cell `i`, waking one waiter if there are any. */
export function unlock(cells: Int32Array, i: number): void {
  if (Atomics.sub(cells, i, 1) !== 1) {
    Atomics.store(cells, i, 0);
    Atomics.notify(cells, i, 1);
  }
}
