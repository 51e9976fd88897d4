/**
 * The calls a litmus test may make beyond linux-kernel.def's (primitives.ts), as herd7 7.58
 * reads them (lib/CLexer.mll, lib/CParser.mly) and runs them under linux-kernel.cfg
 * (herd/CSem.ml): herd7's internal forms, which the def's macros expand to, with any one
 * annotation, and C11's loads, stores and fences; and the C11 forms this front end refuses,
 * with why. `primitiveOf` is the one lookup the front end uses, the def's calls first.
 */
import {
  PRIMITIVES,
  VALUE_OPS,
  type Annot,
  type ArgKind,
  type Primitive,
  type Semantics,
} from './primitives.js';

const FORMS = new Map<string, Primitive>();

function def(name: string, args: ArgKind[], returns: boolean, sem: Semantics): void {
  FORMS.set(name, { name, args, returns, sem });
}

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
  const known = PRIMITIVES.get(name) ?? FORMS.get(name) ?? OTHER_ANNOTATIONS.get(name);
  if (known) return known;
  const m = /^(__\w+)\{([A-Za-z_][\w-]*)\}((?:\(…,.+,…\))?)$/.exec(name);
  if (!m) return undefined;
  const [, form, annot, op] = m as unknown as [string, string, string, string];
  const template = FORMS.get(`${form}{${form === '__fence' ? 'MB' : 'ONCE'}}${op}`);
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
