/**
 * Cells: the only door to shared memory.
 *
 * Every algorithm in pageref (the refcount strategies, and through them the page cache) reads
 * and writes 32-bit cells through this interface and never calls `Atomics` itself. That one
 * seam lets the same code run three ways:
 *
 * - on real shared memory, through {@link AtomicCells} (one `Atomics` call per method);
 * - under the checker, through `ModelCells`, where every call is a point at which another
 *   thread may run (see src/explore/modelCells.ts for how a plain synchronous call is paused:
 *   by replay, not by generators or worker batons, so the real path pays nothing);
 * - in the benchmark, on `AtomicCells` again, measured against raw `Atomics`.
 *
 * Memory order: JavaScript `Atomics` are sequentially consistent, so every method here is
 * SC and the checker explores SC interleavings. The kernel's `_relaxed`, `_acquire` and
 * `_release` variants all map to the same SC operation; that is stronger, never weaker.
 *
 * Values are signed 32-bit integers (Int32). Bit 31 is the sign bit, so a value with the
 * frozen bit set is negative; compare as unsigned with `v >>> 0`.
 *
 * @module
 */

/**
 * An array of Int32 cells, accessed only through these five sequentially consistent
 * operations: the seam between the algorithms and memory (see the module comment).
 */
export interface Cells {
  /** `atomic_read`: the value of cell `i`. */
  load(i: number): number;
  /** `atomic_set`: write `value` (truncated to Int32) to cell `i`. */
  store(i: number, value: number): void;
  /** `atomic_fetch_add`: add `delta`, wrapping at 32 bits. @returns the old value. */
  add(i: number, delta: number): number;
  /** `atomic_fetch_sub`: subtract `delta`, wrapping at 32 bits. @returns the old value. */
  sub(i: number, delta: number): number;
  /**
   * `atomic_cmpxchg`: if cell `i` holds `expected`, write `replacement`.
   * @returns the old value; the exchange happened iff it equals `expected`.
   */
  cas(i: number, expected: number, replacement: number): number;
}
