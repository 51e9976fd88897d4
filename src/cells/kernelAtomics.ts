/**
 * The kernel's atomic_t calls, as `Cells` calls: the one table of which method and ordering
 * each kernel call is, and of which herd7 tag each ordering is.
 *
 * A strategy writes each access as its kernel source does, with the ordering spelled out and
 * the call named in a comment (`c.cas(p, 0, FROZEN_BIT, 'relaxed') // atomic_cmpxchg_relaxed()`).
 * This table is what those pairs mean: the tests check every strategy's accesses against the
 * kernel calls of its source through it, and test/cells/kernelAtomics.test.ts checks it
 * against herd7's linux-kernel.def (src/litmus/primitives.ts), so the two cannot drift.
 *
 * The orderings are atomic_t.txt's (Documentation/atomic_t.txt, "ORDERING"):
 * - non-RMW operations are unordered, unless `_acquire` (a read) or `_release` (a write);
 * - RMW operations without a return value are unordered (`'noreturn'`);
 * - RMW operations with a return value are fully ordered (`'mb'`), unless suffixed
 *   `_relaxed`, `_acquire` or `_release`;
 * - conditional RMW operations (cmpxchg, add_unless) are ordered only when they succeed: the
 *   failed case "is not modified and relaxed ordering is provided" (atomic-arch-fallback.h).
 *
 * @module
 */

import type { Order } from './cells.js';

/** A Cells method. */
export type CellsMethod = 'load' | 'store' | 'add' | 'sub' | 'cas';

/** A kernel call as one Cells call: the method and the ordering it is made with. */
export interface KernelAtomic {
  readonly method: CellsMethod;
  readonly order: Order;
}

const row = (method: CellsMethod, order: Order): KernelAtomic => ({ method, order });

/**
 * Each kernel call a strategy makes (and the other orderings of the same calls, which an
 * audit weakens to), as the one Cells call that does it. `inc`/`dec` are add/sub of 1;
 * `*_and_test` and `*_return` derive their result from the old value the Cells call returns.
 */
export const KERNEL_ATOMICS = {
  // non-RMW
  atomic_read: row('load', 'once'),
  atomic_read_acquire: row('load', 'acquire'),
  atomic_set: row('store', 'once'),
  atomic_set_release: row('store', 'release'),

  // RMW without a return value: unordered
  atomic_add: row('add', 'noreturn'),
  atomic_sub: row('sub', 'noreturn'),
  atomic_inc: row('add', 'noreturn'),
  atomic_dec: row('sub', 'noreturn'),

  // RMW with a return value: fully ordered, or as the suffix says
  atomic_add_return: row('add', 'mb'),
  atomic_add_return_acquire: row('add', 'acquire'),
  atomic_add_return_release: row('add', 'release'),
  atomic_add_return_relaxed: row('add', 'relaxed'),
  atomic_fetch_add: row('add', 'mb'),
  atomic_fetch_add_acquire: row('add', 'acquire'),
  atomic_fetch_add_release: row('add', 'release'),
  atomic_fetch_add_relaxed: row('add', 'relaxed'),
  atomic_inc_return: row('add', 'mb'),
  atomic_inc_return_acquire: row('add', 'acquire'),
  atomic_inc_return_release: row('add', 'release'),
  atomic_inc_return_relaxed: row('add', 'relaxed'),
  atomic_sub_return: row('sub', 'mb'),
  atomic_sub_return_acquire: row('sub', 'acquire'),
  atomic_sub_return_release: row('sub', 'release'),
  atomic_sub_return_relaxed: row('sub', 'relaxed'),
  atomic_fetch_sub: row('sub', 'mb'),
  atomic_fetch_sub_acquire: row('sub', 'acquire'),
  atomic_fetch_sub_release: row('sub', 'release'),
  atomic_fetch_sub_relaxed: row('sub', 'relaxed'),
  atomic_dec_return: row('sub', 'mb'),
  atomic_dec_return_acquire: row('sub', 'acquire'),
  atomic_dec_return_release: row('sub', 'release'),
  atomic_dec_return_relaxed: row('sub', 'relaxed'),
  // no _relaxed/_acquire/_release forms in the kernel
  atomic_sub_and_test: row('sub', 'mb'),
  atomic_dec_and_test: row('sub', 'mb'),

  // conditional RMW: the ordering holds only if the exchange happens
  atomic_cmpxchg: row('cas', 'mb'),
  atomic_cmpxchg_acquire: row('cas', 'acquire'),
  atomic_cmpxchg_release: row('cas', 'release'),
  atomic_cmpxchg_relaxed: row('cas', 'relaxed'),
  atomic_try_cmpxchg: row('cas', 'mb'),
  atomic_try_cmpxchg_acquire: row('cas', 'acquire'),
  atomic_try_cmpxchg_release: row('cas', 'release'),
  atomic_try_cmpxchg_relaxed: row('cas', 'relaxed'),
} as const satisfies Record<string, KernelAtomic>;

/** A kernel call of {@link KERNEL_ATOMICS}. */
export type KernelCall = keyof typeof KERNEL_ATOMICS;

/**
 * The orderings each Cells method may carry: those of the kernel calls it stands for
 * (KERNEL_ATOMICS), weakest first. The kernel has no other (atomic_t.txt).
 */
export const ORDERS: { readonly [M in CellsMethod]: readonly Order[] } = (() => {
  const strength: readonly Order[] = ['noreturn', 'once', 'relaxed', 'acquire', 'release', 'mb'];
  const of = (m: CellsMethod) =>
    strength.filter((o) =>
      Object.values(KERNEL_ATOMICS).some((k) => k.method === m && k.order === o),
    );
  return { load: of('load'), store: of('store'), add: of('add'), sub: of('sub'), cas: of('cas') };
})();

/** Every ordering a Cells call may carry. */
export const ALL_ORDERS: readonly Order[] = [...new Set(Object.values(ORDERS).flat())];

/**
 * Kernel calls that a port writes as several Cells calls, the way the kernel's own generic
 * fallback does (include/linux/atomic/atomic-arch-fallback.h); the kernel call's ordering is
 * that of its last step when it succeeds, and relaxed when it does not.
 */
export const KERNEL_FALLBACKS = {
  // raw_atomic_fetch_add_unless(): c = raw_atomic_read(v);
  //   do { if (c == u) break; } while (!raw_atomic_try_cmpxchg(v, &c, c + a));
  atomic_add_unless: ['atomic_read', 'atomic_try_cmpxchg'],
} as const satisfies Record<string, readonly KernelCall[]>;

/**
 * herd7's annotation of each ordering (linux-kernel.def, variant lkmmv2: both events of an
 * RMW carry it). `'once'` and `'relaxed'` are the same tag: atomic_t.txt says "once" of a read
 * or write and "relaxed" of an RMW.
 */
export const LKMM_TAG = {
  once: 'ONCE',
  relaxed: 'ONCE',
  acquire: 'ACQUIRE',
  release: 'RELEASE',
  mb: 'MB',
  noreturn: 'NORETURN',
} as const satisfies Record<Order, string>;
