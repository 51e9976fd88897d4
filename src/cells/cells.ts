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
 * Memory order. Each call says which ordering its kernel source asks for, as atomic_t.txt
 * names them, in an optional last argument: `c.sub(p, nr, 'mb') // atomic_sub_and_test()`.
 * - reads: `'once'` (atomic_read) or `'acquire'` (atomic_read_acquire);
 * - writes: `'once'` (atomic_set) or `'release'` (atomic_set_release);
 * - `add`/`sub` that return a value: `'relaxed'`, `'acquire'`, `'release'` or `'mb'` (fully
 *   ordered: atomic_add_return, atomic_sub_and_test);
 * - `add`/`sub` whose kernel call returns nothing (atomic_add, atomic_sub, atomic_inc,
 *   atomic_dec): `'noreturn'`, unordered; the caller must not use the value returned;
 * - `cas`: `'relaxed'`, `'acquire'`, `'release'` or `'mb'`, which a cmpxchg provides only
 *   when it succeeds: a failed cas is a relaxed read (linux-kernel.bell: `Mb = MB \ FailedRMW`).
 *
 * kernelAtomics.ts is the one table from each kernel call the strategies use to its method and
 * ordering, and from each ordering to herd7's tag. An ordering left out means the strongest for
 * that method ({@link STRONGEST}: acquire, release, fully ordered), never a weaker one, so a
 * strategy file written before orderings existed, or a user's, is judged as if every access
 * were as ordered as the kernel can make it. No strategy's page_ref.h has a fence (no smp_mb,
 * smp_rmb, smp_wmb or smp_mb__before/after_atomic in mainline or in any patch of the series),
 * so Cells has no `fence` method; the first strategy that needs one adds it.
 *
 * Which implementation honours the ordering: none of today's. JavaScript `Atomics` are
 * sequentially consistent, stronger than every ordering above, so `AtomicCells` ignores the
 * argument and still makes exactly one `Atomics` call per method (the microbenchmark measures
 * that this costs nothing), and `ModelCells` ignores it too: the checker explores SC
 * interleavings, where every ordering is the same. The argument exists for the Linux-kernel
 * memory model: cells that record events hand each access to src/axiomatic with its tag, and
 * an audit can weaken one access there without touching a strategy file.
 *
 * Values are signed 32-bit integers (Int32). Bit 31 is the sign bit, so a value with the
 * frozen bit set is negative; compare as unsigned with `v >>> 0`.
 *
 * @module
 */

/** The ordering of a read: atomic_read (`'once'`) or atomic_read_acquire. */
export type LoadOrder = 'once' | 'acquire';

/** The ordering of a write: atomic_set (`'once'`) or atomic_set_release. */
export type StoreOrder = 'once' | 'release';

/**
 * The ordering of a compare-and-exchange, provided only when it succeeds: atomic_cmpxchg
 * (`'mb'`, fully ordered) or its `_acquire`, `_release`, `_relaxed` forms.
 */
export type CasOrder = 'relaxed' | 'acquire' | 'release' | 'mb';

/**
 * The ordering of an add or sub: that of a value-returning RMW ({@link CasOrder}'s four), or
 * `'noreturn'` for the kernel calls that return nothing (atomic_add, atomic_inc, …), which
 * are unordered.
 */
export type RmwOrder = CasOrder | 'noreturn';

/** Every ordering a Cells call can carry. */
export type Order = LoadOrder | StoreOrder | RmwOrder;

/**
 * The ordering a Cells method means when its caller gives none: the strongest the kernel has
 * for that kind of access. A read cannot be stronger than acquire, nor a write than release;
 * an RMW is at most fully ordered.
 */
export const STRONGEST = {
  load: 'acquire',
  store: 'release',
  add: 'mb',
  sub: 'mb',
  cas: 'mb',
} as const satisfies {
  load: LoadOrder;
  store: StoreOrder;
  add: RmwOrder;
  sub: RmwOrder;
  cas: CasOrder;
};

/**
 * An array of Int32 cells, accessed only through these five operations: the seam between the
 * algorithms and memory (see the module comment). Each takes the kernel's ordering last;
 * left out, it is {@link STRONGEST}.
 */
export interface Cells {
  /** `atomic_read`, `atomic_read_acquire`: the value of cell `i`. */
  load(i: number, order?: LoadOrder): number;
  /** `atomic_set`, `atomic_set_release`: write `value` (truncated to Int32) to cell `i`. */
  store(i: number, value: number, order?: StoreOrder): void;
  /**
   * `atomic_fetch_add` and the kernel's other adds: add `delta`, wrapping at 32 bits.
   * @returns the old value (to be ignored under `'noreturn'`).
   */
  add(i: number, delta: number, order?: RmwOrder): number;
  /**
   * `atomic_fetch_sub` and the kernel's other subs: subtract `delta`, wrapping at 32 bits.
   * @returns the old value (to be ignored under `'noreturn'`).
   */
  sub(i: number, delta: number, order?: RmwOrder): number;
  /**
   * `atomic_cmpxchg`: if cell `i` holds `expected`, write `replacement`. `order` holds only
   * if the exchange happens; a failed cas is a relaxed read.
   * @returns the old value; the exchange happened iff it equals `expected`.
   */
  cas(i: number, expected: number, replacement: number, order?: CasOrder): number;
}

/**
 * `ToInt32(ToIntegerOrInfinity(v))`, as `Atomics` converts a value for an Int32Array: what
 * every model of the cells must apply to a value, a delta or a cas operand before any
 * arithmetic, so that code means under the checker what it means on real memory
 * (`add(p, -0.5)` adds 0, `'1'` is 1). JavaScript's `| 0` is exactly that conversion
 * (ToNumber, then ToInt32, which truncates first); the name says why it is applied.
 */
export function toInt32(v: number): number {
  return v | 0;
}

/**
 * The cell `Atomics` accesses for index `i`, bounds aside: ToIndex's ToNumber (which throws a
 * TypeError for a Symbol or a BigInt, as on real memory), truncated, NaN and -0 being 0. The
 * caller tests the bounds, where `Atomics` throws a RangeError; a test, not a catch, since a
 * RangeError caught could be a stack overflow.
 */
export function toIndex(i: number): number {
  return typeof i === 'number' && i >>> 0 === i ? i : Math.trunc(+i) || 0;
}
