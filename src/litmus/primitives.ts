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
const VALUE_OPS = [
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

/**
 * herd7's internal forms, which linux-kernel.def's macros expand to (lib/CParser.mly:
 * `__load{A}(*x)`, `__store{A}(*x, v)`, `__xchg{A}(x, v)`, `__cmpxchg{A}(x, v, w)`,
 * `__atomic_op{A}(x, op, v)`, `__atomic_op_return{A}(…)`, `__atomic_fetch_op{A}(…)`,
 * `__atomic_add_unless{A}(x, v, w)`, `__fence{F};`, `__srcu{sync-srcu}(x)`, `__lock(x)` …),
 * with the annotations of linux-kernel.bell's Accesses and Barriers. A test may write them
 * directly; the grammar names an atomic op's call after its operator too:
 * `__atomic_fetch_op{MB}(…,+,…)`.
 */
export const ACCESS_ANNOTS: readonly Annot[] = ['ONCE', 'RELEASE', 'ACQUIRE', 'NORETURN', 'MB'];
export const BARRIER_TAGS = [
  'wmb',
  'rmb',
  'MB',
  'barrier',
  'rcu-lock',
  'rcu-unlock',
  'sync-rcu',
  'before-atomic',
  'after-atomic',
  'after-spinlock',
  'after-unlock-lock',
  'after-srcu-read-unlock',
] as const;
for (const annot of ACCESS_ANNOTS) {
  def(`__load{${annot}}`, ['lval'], true, { op: 'load', annot });
  def(`__store{${annot}}`, ['lval', 'val'], false, { op: 'store', annot });
  def(`__xchg{${annot}}`, ['ptr', 'val'], true, { op: 'xchg', annot });
  def(`__cmpxchg{${annot}}`, ['ptr', 'val', 'val'], true, { op: 'cmpxchg', annot });
  def(`__atomic_add_unless{${annot}}`, ['ptr', 'val', 'val'], true, { op: 'add_unless', annot });
  for (const [, apply] of VALUE_OPS) {
    for (const [form, returns] of [
      ['__atomic_op', 'none'],
      ['__atomic_op_return', 'new'],
      ['__atomic_fetch_op', 'old'],
    ] as const) {
      def(`${form}{${annot}}(…,${apply},…)`, ['ptr', 'val'], returns !== 'none', {
        op: 'atomic',
        annot,
        apply,
        returns,
      });
    }
  }
}
for (const tag of BARRIER_TAGS) def(`__fence{${tag}}`, [], false, { op: 'fence', tag });
def('__load{srcu-lock}', ['lval'], true, { op: 'srcu-lock' });
def('__store{srcu-unlock}', ['lval', 'val'], false, { op: 'srcu-unlock' });
def('__srcu{sync-srcu}', ['ptr'], false, { op: 'sync-srcu' });
def('__lock', ['ptr'], false, { op: 'lock' });
def('__unlock', ['ptr'], false, { op: 'unlock' });
def('__trylock', ['ptr'], true, { op: 'trylock' });
def('__islocked', ['ptr'], true, { op: 'islocked' });

/**
 * The primitive `name` calls: a kernel call, C11's, or an internal form with any one
 * annotation. herd7 puts whatever annotation a form carries on its events, and
 * linux-kernel.bell's sets hold their own only: `__load{once}(*x)` is a plain load,
 * `__fence{foo};` orders nothing. A list of annotations (`{ONCE,foo}`) is no primitive.
 */
export function primitiveOf(name: string): Primitive | undefined {
  const known = PRIMITIVES.get(name) ?? OTHER_ANNOTATIONS.get(name);
  if (known) return known;
  const m = /^(__\w+)\{([A-Za-z_][\w-]*)\}((?:\(…,.+,…\))?)$/.exec(name);
  if (!m) return undefined;
  const [, form, annot, op] = m as unknown as [string, string, string, string];
  const template = PRIMITIVES.get(`${form}{${form === '__fence' ? 'MB' : 'ONCE'}}${op}`);
  if (!template) return undefined;
  const sem: Semantics =
    template.sem.op === 'fence'
      ? { op: 'fence', tag: annot }
      : ({ ...template.sem, annot } as Semantics);
  const prim = { ...template, name, sem };
  OTHER_ANNOTATIONS.set(name, prim);
  return prim;
}
const OTHER_ANNOTATIONS = new Map<string, Primitive>();

/**
 * C11's atomics (herd7's lib/CLexer.mll reads them under any model). herd/CSem.ml gives their
 * events a memory order, not an annotation, and linux-kernel.bell's sets hold annotations
 * only: under LKMM a C11 load or store is a plain access (Plain = M \ Marked), and a C11
 * fence is in no fence set, so it orders nothing. (C11's read-modify-writes are one RMW
 * event in herd7, which this front end does not build: validate.ts refuses them.)
 */
export const MEMORY_ORDERS = [
  'memory_order_relaxed',
  'memory_order_consume',
  'memory_order_acquire',
  'memory_order_release',
  'memory_order_acq_rel',
  'memory_order_seq_cst',
];
def('atomic_load_explicit', ['ptr', 'mo'], true, { op: 'load', annot: null });
def('atomic_store_explicit', ['ptr', 'val', 'mo'], false, { op: 'store', annot: null });
def('atomic_thread_fence', ['mo'], false, { op: 'fence', tag: null });

/** herd7's C11 forms that pageref refuses, with why. */
export const C11_REFUSED = new Map<string, string>([
  ...[
    'atomic_exchange_explicit',
    'atomic_fetch_add_explicit',
    'atomic_fetch_sub_explicit',
    'atomic_fetch_or_explicit',
    'atomic_fetch_xor_explicit',
    'atomic_fetch_and_explicit',
    'atomic_compare_exchange_weak',
    'atomic_compare_exchange_strong',
    'atomic_compare_exchange_weak_explicit',
    'atomic_compare_exchange_strong_explicit',
    'WCAS',
    'SCAS',
  ].map((name): [string, string] => [
    name,
    "herd7 runs a C11 read-modify-write as one RMW event, which pageref's LKMM does not build: write the kernel's form (atomic_fetch_add_relaxed(v, x), xchg_relaxed(x, v), cmpxchg_relaxed(x, old, new) …)",
  ]),
  ...['lock', 'unlock', 'mtx_lock', 'mtx_unlock'].map((name): [string, string] => [
    name,
    'a C11 mutex, which linux-kernel.cat does not know: write spin_lock(l) and spin_unlock(l)',
  ]),
]);

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
