/**
 * The kernel primitives a litmus test may call, as linux-kernel.def defines them for herd7
 * (variant lkmmv2: an RMW's read and write both carry the instruction's annotation).
 *
 * Each entry gives the arguments' kinds, so that validation can check arity and shape, and
 * the primitive's meaning as data, so that the symbolic executor (traces.ts) and the SC
 * interleaving runner (interpret.ts) read one table:
 * - 'lval': written `*p`, the location is p's value (READ_ONCE(*x), rcu_dereference(*p));
 * - 'ptr': written `p`, the location is p's value (smp_load_acquire(x), atomic_inc(v));
 * - 'val': any expression;
 * - 'mo': a C11 memory order, `memory_order_relaxed` … `memory_order_seq_cst`.
 */

export type ArgKind = 'lval' | 'ptr' | 'val' | 'mo';

/** The annotations of linux-kernel.def: ONCE, ACQUIRE, RELEASE, MB, NORETURN. */
export type Annot = 'ONCE' | 'ACQUIRE' | 'RELEASE' | 'MB' | 'NORETURN';

export type BinaryOp = '+' | '-' | '&' | '|' | '^' | '&~';

/**
 * An event's annotation: linux-kernel.bell's (Annot), or another that a test gives an
 * internal form (`__load{once}`), which no LKMM set holds, as in herd7.
 */
export type Annotation = Annot | (string & {});

export type Semantics =
  /** `annot` null: a C11 access, which carries a memory order and none of LKMM's annotations. */
  | { op: 'load'; annot: Annotation | null }
  | { op: 'store'; annot: Annotation | null; thenMb?: true }
  /** `tag` null: a C11 fence, which is in none of LKMM's fence sets. */
  | { op: 'fence'; tag: string | null }
  /** __atomic_op / __atomic_op_return / __atomic_fetch_op, then `== 0` or `< 0` for the tests. */
  | {
      op: 'atomic';
      annot: Annotation;
      apply: BinaryOp;
      returns: 'none' | 'new' | 'old';
      test?: 'zero' | 'negative';
      /** The operand when the name fixes it (inc, dec); else the 'val' argument. */
      constant?: number;
    }
  | { op: 'xchg'; annot: Annotation }
  | { op: 'cmpxchg'; annot: Annotation }
  | { op: 'add_unless'; annot: Annotation }
  | { op: 'lock' | 'unlock' | 'trylock' | 'islocked' }
  | { op: 'srcu-lock' | 'srcu-unlock' | 'sync-srcu' };

export interface Primitive {
  name: string;
  args: ArgKind[];
  /** Whether the call has a value (spin_lock() has none). */
  returns: boolean;
  sem: Semantics;
}

export const PRIMITIVES = new Map<string, Primitive>();

function def(name: string, args: ArgKind[], returns: boolean, sem: Semantics): void {
  PRIMITIVES.set(name, { name, args, returns, sem });
}

const ORDERINGS: [suffix: string, annot: Annot][] = [
  ['', 'MB'],
  ['_relaxed', 'ONCE'],
  ['_acquire', 'ACQUIRE'],
  ['_release', 'RELEASE'],
];

// ONCE, release/acquire
def('READ_ONCE', ['lval'], true, { op: 'load', annot: 'ONCE' });
def('WRITE_ONCE', ['lval', 'val'], false, { op: 'store', annot: 'ONCE' });
def('smp_load_acquire', ['ptr'], true, { op: 'load', annot: 'ACQUIRE' });
def('smp_store_release', ['ptr', 'val'], false, { op: 'store', annot: 'RELEASE' });
def('rcu_dereference', ['lval'], true, { op: 'load', annot: 'ONCE' });
def('rcu_assign_pointer', ['lval', 'val'], false, { op: 'store', annot: 'RELEASE' });
def('smp_store_mb', ['lval', 'val'], false, { op: 'store', annot: 'ONCE', thenMb: true });
def('atomic_read', ['ptr'], true, { op: 'load', annot: 'ONCE' });
def('atomic_set', ['ptr', 'val'], false, { op: 'store', annot: 'ONCE' });
def('atomic_read_acquire', ['ptr'], true, { op: 'load', annot: 'ACQUIRE' });
def('atomic_set_release', ['ptr', 'val'], false, { op: 'store', annot: 'RELEASE' });

// Fences
for (const [name, tag] of [
  ['smp_mb', 'MB'],
  ['smp_rmb', 'rmb'],
  ['smp_wmb', 'wmb'],
  ['smp_mb__before_atomic', 'before-atomic'],
  ['smp_mb__after_atomic', 'after-atomic'],
  ['smp_mb__after_spinlock', 'after-spinlock'],
  ['smp_mb__after_unlock_lock', 'after-unlock-lock'],
  ['smp_mb__after_srcu_read_unlock', 'after-srcu-read-unlock'],
  ['barrier', 'barrier'],
  ['rcu_read_lock', 'rcu-lock'],
  ['rcu_read_unlock', 'rcu-unlock'],
  ['synchronize_rcu', 'sync-rcu'],
  ['synchronize_rcu_expedited', 'sync-rcu'],
] as const) {
  def(name, [], false, { op: 'fence', tag });
}

// Exchange
for (const [suffix, annot] of ORDERINGS) {
  for (const prefix of ['', 'atomic_']) {
    def(`${prefix}xchg${suffix}`, ['ptr', 'val'], true, { op: 'xchg', annot });
    def(`${prefix}cmpxchg${suffix}`, ['ptr', 'val', 'val'], true, { op: 'cmpxchg', annot });
  }
}

// Spinlocks
def('spin_lock', ['ptr'], false, { op: 'lock' });
def('spin_unlock', ['ptr'], false, { op: 'unlock' });
def('spin_trylock', ['ptr'], true, { op: 'trylock' });
def('spin_is_locked', ['ptr'], true, { op: 'islocked' });

// SRCU
def('srcu_read_lock', ['ptr'], true, { op: 'srcu-lock' });
def('srcu_down_read', ['ptr'], true, { op: 'srcu-lock' });
def('srcu_read_unlock', ['ptr', 'val'], false, { op: 'srcu-unlock' });
def('srcu_up_read', ['ptr', 'val'], false, { op: 'srcu-unlock' });
def('synchronize_srcu', ['ptr'], false, { op: 'sync-srcu' });
def('synchronize_srcu_expedited', ['ptr'], false, { op: 'sync-srcu' });

/** The atomics that take a value operand, with the operator each applies. */
export const VALUE_OPS = [
  ['add', '+'],
  ['sub', '-'],
  ['and', '&'],
  ['or', '|'],
  ['xor', '^'],
  ['andnot', '&~'],
] as const;

// Atomics without a return value: NORETURN on both events (lkmmv2)
for (const [name, apply] of VALUE_OPS) {
  def(`atomic_${name}`, ['val', 'ptr'], false, {
    op: 'atomic',
    annot: 'NORETURN',
    apply,
    returns: 'none',
  });
}
def('atomic_inc', ['ptr'], false, {
  op: 'atomic',
  annot: 'NORETURN',
  apply: '+',
  returns: 'none',
  constant: 1,
});
def('atomic_dec', ['ptr'], false, {
  op: 'atomic',
  annot: 'NORETURN',
  apply: '-',
  returns: 'none',
  constant: 1,
});

// Atomics with a value, in four orderings
for (const [suffix, annot] of ORDERINGS) {
  for (const [name, apply] of [
    ['add', '+'],
    ['sub', '-'],
  ] as const) {
    def(`atomic_${name}_return${suffix}`, ['val', 'ptr'], true, {
      op: 'atomic',
      annot,
      apply,
      returns: 'new',
    });
  }
  for (const [name, apply] of [
    ['inc', '+'],
    ['dec', '-'],
  ] as const) {
    def(`atomic_${name}_return${suffix}`, ['ptr'], true, {
      op: 'atomic',
      annot,
      apply,
      returns: 'new',
      constant: 1,
    });
    def(`atomic_fetch_${name}${suffix}`, ['ptr'], true, {
      op: 'atomic',
      annot,
      apply,
      returns: 'old',
      constant: 1,
    });
  }
  for (const [name, apply] of VALUE_OPS) {
    def(`atomic_fetch_${name}${suffix}`, ['val', 'ptr'], true, {
      op: 'atomic',
      annot,
      apply,
      returns: 'old',
    });
  }
  def(`atomic_add_negative${suffix}`, ['val', 'ptr'], true, {
    op: 'atomic',
    annot,
    apply: '+',
    returns: 'new',
    test: 'negative',
  });
}
def('atomic_sub_and_test', ['val', 'ptr'], true, {
  op: 'atomic',
  annot: 'MB',
  apply: '-',
  returns: 'new',
  test: 'zero',
});
def('atomic_dec_and_test', ['ptr'], true, {
  op: 'atomic',
  annot: 'MB',
  apply: '-',
  returns: 'new',
  test: 'zero',
  constant: 1,
});
def('atomic_inc_and_test', ['ptr'], true, {
  op: 'atomic',
  annot: 'MB',
  apply: '+',
  returns: 'new',
  test: 'zero',
  constant: 1,
});
def('atomic_add_unless', ['ptr', 'val', 'val'], true, { op: 'add_unless', annot: 'MB' });

/** Names herd7's linux-kernel.def lacks, with what to write instead. */
export const INSTEAD = new Map<string, string>([
  ['atomic_inc_not_zero', 'atomic_add_unless(v, 1, 0)'],
  ['atomic_long_inc', 'atomic_inc(v)'],
  ['spin_lock_irqsave', 'spin_lock(l)'],
  ['spin_unlock_irqrestore', 'spin_unlock(l)'],
  ['smp_read_barrier_depends', 'nothing (READ_ONCE orders dependent loads)'],
  ['ACCESS_ONCE', 'READ_ONCE(*x) or WRITE_ONCE(*x, v)'],
]);

/** `old op v`, in 32-bit arithmetic. */
export function applyOp(op: BinaryOp, old: number, v: number): number {
  switch (op) {
    case '+':
      return (old + v) | 0;
    case '-':
      return (old - v) | 0;
    case '&':
      return old & v;
    case '|':
      return old | v;
    case '^':
      return old ^ v;
    case '&~':
      return old & ~v;
  }
}

/** The value an atomic returns, given the old and new values (the test, if any, applied). */
export function atomicResult(
  sem: Extract<Semantics, { op: 'atomic' }>,
  old: number,
  next: number,
): number {
  const v = sem.returns === 'old' ? old : next;
  if (sem.test === 'zero') return Number(v === 0);
  if (sem.test === 'negative') return Number(v < 0);
  return v;
}
