/**
 * A client as a kernel litmus file (herd7's C dialect, linux-kernel.cfg), with a strategy's
 * page_ref calls written out as the kernel calls its code made.
 *
 * The client's own accesses are `WRITE_ONCE`/`READ_ONCE`, or `smp_store_release`/
 * `smp_load_acquire` for a release/acquire partner. A page_ref call is written as the tree of every path it took in the runs of the
 * executions LKMM allows (runClient.ts logs them); another path leaves the call's register
 * at {@link UNSET}, so an execution through it never satisfies the exists clause: each Cells call is the kernel call of its method and ordering (a value-returning
 * add or sub as `atomic_fetch_add`/`atomic_fetch_sub`, which make the same events as
 * `atomic_add_return` and `atomic_sub_and_test`), and where the next call depends on what one
 * returned, an `if (u == value)` per value seen. The leaves assign the call's result (as the
 * outcome reads it) to the client's register. A retry loop is unrolled as far as the runs
 * went, as herd7 unrolls. What follows the call comes after the `if`s, as in the kernel's
 * caller, so no control dependency reaches the client's own accesses.
 *
 * Constants are decimal signed 32-bit (the frozen bit is -2147483648): herd7 7.58 refuses hex
 * constants that large.
 *
 * @module
 */

import type { Strategy } from '../refcount/strategy.js';
import type { Client } from './clients.js';
import {
  counterValue,
  startValue,
  type CallRun,
  type CellsOp,
  type ClientOutcome,
} from './runClient.js';

/** A node of a call's tree: a Cells call and, per value it returned, what came next. */
type Tree = { leaf: number | undefined } | { op: CellsOp; next: Map<string, Tree> };

function treeOf(runs: readonly CallRun[]): Tree {
  let root: Tree | undefined;
  for (const run of runs) root = insert(root, run.ops, 0, run.returned);
  return root ?? { leaf: undefined };
}

function insert(
  t: Tree | undefined,
  ops: readonly CellsOp[],
  i: number,
  returned: number | undefined,
): Tree {
  if (i === ops.length) return t ?? { leaf: returned };
  const op = ops[i]!;
  const node = t ?? { op, next: new Map<string, Tree>() };
  if (!('op' in node) || node.op.method !== op.method || node.op.order !== op.order)
    throw new Error('[checker bug] a page_ref call is not deterministic given its reads');
  const key = String(op.result);
  node.next.set(key, insert(node.next.get(key), ops, i + 1, returned));
  return node;
}

/**
 * What a call's register holds until a leaf of its tree assigns its result: a path that no
 * execution the model allows takes is not written out, and leaves the register here, where
 * no exists clause looks.
 */
export const UNSET = -99;

const SUFFIX: Record<string, string> = {
  mb: '',
  relaxed: '_relaxed',
  acquire: '_acquire',
  release: '_release',
};

/** The kernel call of one Cells call on `c`, its result (if any) in `reg`. */
function kernelCall(op: CellsOp, reg: string): string {
  const [a, b] = op.args;
  switch (op.method) {
    case 'load':
      return `${reg} = atomic_read${op.order === 'acquire' ? '_acquire' : ''}(c);`;
    case 'store':
      return `atomic_set${op.order === 'release' ? '_release' : ''}(c, ${a});`;
    case 'add':
    case 'sub':
      return op.order === 'noreturn'
        ? `atomic_${op.method}(${a}, c);`
        : `${reg} = atomic_fetch_${op.method}${SUFFIX[op.order]}(${a}, c);`;
    case 'cas':
      return `${reg} = atomic_cmpxchg${SUFFIX[op.order]}(c, ${a}, ${b});`;
  }
}

const same = (a: Tree, b: Tree): boolean =>
  JSON.stringify(shapeOf(a)) === JSON.stringify(shapeOf(b));
function shapeOf(t: Tree): unknown {
  if ('leaf' in t) return ['leaf', t.leaf];
  return [t.op.method, t.op.args, t.op.order, [...t.next].map(([k, v]) => [k, shapeOf(v)])];
}

/** The lines of a call's tree; `regOf(depth)` names the register of the Cells call there. */
function emitTree(
  t: Tree,
  depth: number,
  result: string | undefined,
  regOf: (depth: number) => string,
  indent: string,
): string[] {
  if ('leaf' in t)
    return result === undefined || t.leaf === undefined ? [] : [`${indent}${result} = ${t.leaf};`];
  const reg = regOf(depth);
  const lines = [`${indent}${kernelCall(t.op, reg)}`];
  const children = [...t.next];
  if (children.every(([, c]) => same(c, children[0]![1])))
    return [...lines, ...emitTree(children[0]![1], depth + 1, result, regOf, indent)];
  for (const [value, child] of children) {
    lines.push(`${indent}if (${reg} == ${value}) {`);
    lines.push(...emitTree(child, depth + 1, result, regOf, `${indent}\t`));
    lines.push(`${indent}}`);
  }
  return lines;
}

/** The raw counter values that mean `value` to the strategy, near its start values. */
function rawsOf(strategy: Strategy, value: number): number[] {
  if (value !== -1) return [value];
  const frozen = startValue(strategy, 'frozen');
  const out: number[] = [];
  for (let d = 0; d <= 3; d++) {
    const raw = (frozen + d) | 0;
    if (counterValue(strategy, raw) === -1) out.push(raw);
  }
  return out;
}

/**
 * The client as a kernel litmus file for `strategy`, asking whether `outcome` (whose entries
 * name a thread's register, `0:r1`, or a location) can happen. `calls` is runClient's log
 * for this client and strategy; `comment` goes in the header.
 */
export function clientLitmus(
  name: string,
  client: Client,
  strategy: Strategy,
  calls: ReadonlyMap<string, readonly CallRun[]>,
  outcome: ClientOutcome,
  comment: string,
): string {
  const out: string[] = [`C ${name}`, '', ...comment.split('\n').map((l) => `(* ${l} *)`), ''];
  out.push('{', `\tatomic_t c = ATOMIC_INIT(${startValue(strategy, client.start)});`, '}', '');
  client.threads.forEach((steps, t) => {
    const body: string[] = [];
    const regs = new Set<string>();
    let nextInternal = 0;
    const unset: string[] = [];
    steps.forEach((s, k) => {
      switch (s.op) {
        case 'write':
          body.push(
            s.order === 'release'
              ? `\tsmp_store_release(${s.loc}, ${s.value});`
              : `\tWRITE_ONCE(*${s.loc}, ${s.value});`,
          );
          return;
        case 'read':
          regs.add(s.reg);
          body.push(
            s.order === 'acquire'
              ? `\t${s.reg} = smp_load_acquire(${s.loc});`
              : `\t${s.reg} = READ_ONCE(*${s.loc});`,
          );
          return;
        case 'mb':
          body.push('\tsmp_mb();');
          return;
        case 'call': {
          if (s.reg !== undefined) {
            regs.add(s.reg);
            unset.push(`\t${s.reg} = ${UNSET};`);
          }
          const named = new Map<number, string>();
          const regOf = (d: number) => {
            let r = named.get(d);
            if (!r) {
              r = `u${nextInternal++}`;
              named.set(d, r);
              regs.add(r);
            }
            return r;
          };
          body.push(`\t/* ${kernelName(s.fn)}() */`);
          body.push(...emitTree(treeOf(calls.get(`${t}:${k}`) ?? []), 0, s.reg, regOf, '\t'));
          return;
        }
      }
    });
    out.push(`P${t}(atomic_t *c, int *x, int *y)`, '{');
    for (const r of [...regs].sort(byRegister)) out.push(`\tint ${r};`);
    if (regs.size > 0) out.push('');
    if (unset.length > 0) out.push(...unset, '');
    out.push(...body, '}', '');
  });
  const atoms: string[] = [];
  for (const key of Object.keys(outcome).sort(byRegister)) {
    const v = outcome[key]!;
    if (key === 'c') {
      const raws = rawsOf(strategy, v);
      const alt = raws.map((r) => `c=${r}`);
      atoms.push(alt.length === 1 ? alt[0]! : `(${alt.join(' \\/ ')})`);
    } else atoms.push(`${key}=${v}`);
  }
  out.push(`exists (${atoms.join(' /\\ ')})`, '');
  return out.join('\n');
}

/** Registers in thread order, then by number (r2 before r10), then locations. */
function byRegister(a: string, b: string): number {
  const parse = (s: string) => {
    const m = /^(?:(\d+):)?([a-z]+)(\d*)$/.exec(s);
    return m ? [m[1] === undefined ? 1e9 : Number(m[1]), m[2]!, Number(m[3] || 0)] : [1e9, s, 0];
  };
  const [ta, na, ia] = parse(a) as [number, string, number];
  const [tb, nb, ib] = parse(b) as [number, string, number];
  return ta - tb || (na < nb ? -1 : na > nb ? 1 : 0) || ia - ib;
}

/** The kernel's name of a page_ref function. */
export function kernelName(fn: string): string {
  const names: Record<string, string> = {
    count: 'page_ref_count',
    set: 'set_page_count',
    init: 'init_page_count',
    setFrozen: 'set_page_count_frozen',
    add: 'page_ref_add',
    sub: 'page_ref_sub',
    inc: 'page_ref_inc',
    dec: 'page_ref_dec',
    incReturn: 'page_ref_inc_return',
    decReturn: 'page_ref_dec_return',
    subReturn: 'folio_ref_sub_return',
    subAndTest: 'page_ref_sub_and_test',
    decAndTest: 'page_ref_dec_and_test',
    tryAdd: 'page_ref_add_unless_frozen',
    tryGet: 'folio_try_get',
    freeze: 'page_ref_freeze',
    unfreeze: 'page_ref_unfreeze',
    isFrozen: '__page_is_frozen',
  };
  return names[fn] ?? fn;
}
