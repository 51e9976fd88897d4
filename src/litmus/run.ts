import {
  explore,
  type ExploreOptions,
  type Program,
  type ThreadContext,
} from '../explore/explore.js';
import type { ModelCells } from '../explore/modelCells.js';
import type { Expr, LitmusTest, Operand, Prop, Stmt } from './ast.js';
import { LitmusSyntaxError } from './parse.js';

/**
 * Runs a litmus test on the checker's explorer: each process becomes a thread body that
 * interprets its statements, every shared access through the model cells (so every access
 * is an interleaving point, under sequential consistency; fences are no-ops).
 */

/** A final state: the value of each location the condition observes. */
export interface LitmusState {
  values: Record<string, number>;
  /** Interleavings that end in this state. */
  paths: number;
  satisfies: boolean;
}

export type LitmusResult =
  | {
      kind: 'complete';
      states: LitmusState[];
      /** Interleavings whose final state satisfies the condition's proposition. */
      positive: number;
      negative: number;
      observation: 'Never' | 'Sometimes' | 'Always';
      /** Whether the condition is validated (herd's Ok) given its quantifier. */
      ok: boolean;
      /** No combination of the values each observed location takes could satisfy it. */
      vacuous: boolean;
      explored: number;
    }
  | { kind: 'incomplete'; limit: string; explored: number };

type Regs = Record<string, number>;
interface World {
  regs: Regs[];
}

type Primitive = (cells: ModelCells, loc: number, args: number[]) => number;
const rmw =
  (name: string, f: (old: number, args: number[]) => [number, number]): Primitive =>
  (cells, loc, args) =>
    cells.rmw(name, loc, (old) => f(old, args));

const ORDERINGS = ['', '_relaxed', '_acquire', '_release'];
/** The kernel primitives: [location argument index, semantics]. */
const PRIMITIVES = new Map<string, [number, Primitive]>();
function define(names: string[], locArg: number, p: Primitive, suffixes = ['']): void {
  for (const n of names) for (const s of suffixes) PRIMITIVES.set(n + s, [locArg, p]);
}
define(['READ_ONCE', 'smp_load_acquire', 'atomic_read', 'atomic_read_acquire'], 0, (c, l) =>
  c.load(l),
);
define(
  ['WRITE_ONCE', 'smp_store_release', 'atomic_set', 'atomic_set_release'],
  0,
  (c, l, [v]) => (c.store(l, v!), 0),
);
define(['atomic_add'], 1, (c, l, [v]) => (c.add(l, v!), 0));
define(['atomic_sub'], 1, (c, l, [v]) => (c.sub(l, v!), 0));
define(['atomic_inc'], 0, (c, l) => (c.add(l, 1), 0));
define(['atomic_dec'], 0, (c, l) => (c.sub(l, 1), 0));
define(['atomic_add_return'], 1, (c, l, [v]) => (c.add(l, v!) + v!) | 0, ORDERINGS);
define(['atomic_sub_return'], 1, (c, l, [v]) => (c.sub(l, v!) - v!) | 0, ORDERINGS);
define(['atomic_inc_return'], 0, (c, l) => (c.add(l, 1) + 1) | 0, ORDERINGS);
define(['atomic_dec_return'], 0, (c, l) => (c.sub(l, 1) - 1) | 0, ORDERINGS);
define(['atomic_fetch_add'], 1, (c, l, [v]) => c.add(l, v!), ORDERINGS);
define(['atomic_fetch_sub'], 1, (c, l, [v]) => c.sub(l, v!), ORDERINGS);
define(['atomic_fetch_inc'], 0, (c, l) => c.add(l, 1), ORDERINGS);
define(['atomic_fetch_dec'], 0, (c, l) => c.sub(l, 1), ORDERINGS);
define(['atomic_inc_and_test'], 0, (c, l) => Number(c.add(l, 1) === -1));
define(['atomic_dec_and_test'], 0, (c, l) => Number(c.sub(l, 1) === 1));
define(['atomic_sub_and_test'], 1, (c, l, [v]) => Number(c.sub(l, v!) === v));
define(['atomic_cmpxchg', 'cmpxchg'], 0, (c, l, [o, n]) => c.cas(l, o!, n!), ORDERINGS);
define(
  ['atomic_xchg', 'xchg'],
  0,
  rmw('xchg', (old, [v]) => [old, v!]),
  ORDERINGS,
);
define(
  ['atomic_add_unless'],
  0,
  rmw('add_unless', (old, [a, u]) => (old === u ? [0, old] : [1, (old + a!) | 0])),
);
define(
  ['atomic_inc_not_zero'],
  0,
  rmw('inc_not_zero', (old) => (old === 0 ? [0, old] : [1, (old + 1) | 0])),
);
const FENCES = new Set([
  'smp_mb',
  'smp_rmb',
  'smp_wmb',
  'smp_mb__before_atomic',
  'smp_mb__after_atomic',
  'smp_mb__after_spinlock',
  'smp_mb__after_unlock_lock',
  'barrier',
  'rcu_read_lock',
  'rcu_read_unlock',
]);

/** Checks that every call and name is supported, before exploring. @throws LitmusSyntaxError */
export function validate(test: LitmusTest, file: string): void {
  const shared = new Set(test.init.map((i) => i.name));
  const fail = (at: { line: number; column: number }, what: string): never => {
    throw new LitmusSyntaxError(file, at.line, at.column, what);
  };
  const expr = (e: Expr, regs: Set<string>): void => {
    switch (e.kind) {
      case 'call': {
        if (FENCES.has(e.name)) return;
        const prim = PRIMITIVES.get(e.name);
        if (!prim) fail(e.at, `unsupported primitive ${e.name}()`);
        e.args.forEach((a, i) => (i === prim![0] ? location(a) : expr(a, regs)));
        return;
      }
      case 'var':
        if (!regs.has(e.name))
          fail(
            e.at,
            `${e.name} is not a declared register (shared locations are read with READ_ONCE(*${e.name}) or *${e.name})`,
          );
        return;
      case 'deref':
      case 'addr':
        if (!shared.has(e.name)) fail(e.at, `unknown shared location ${e.name}`);
        return;
      case 'binary':
        expr(e.left, regs);
        expr(e.right, regs);
        return;
      case 'unary':
        expr(e.operand, regs);
        return;
    }
  };
  const location = (e: Expr): void => {
    if (
      e.kind === 'num' ||
      e.kind === 'binary' ||
      e.kind === 'unary' ||
      e.kind === 'call' ||
      !shared.has(e.name)
    ) {
      fail('at' in e ? e.at : { line: 0, column: 0 }, 'expected a shared location argument');
    }
  };
  const stmts = (ss: Stmt[], regs: Set<string>): void => {
    for (const s of ss) {
      switch (s.kind) {
        case 'decl':
          if (s.init) expr(s.init, regs);
          regs.add(s.name);
          break;
        case 'assign':
          expr(s.expr, regs);
          if (!regs.has(s.name)) fail(s.at, `assignment to undeclared register ${s.name}`);
          break;
        case 'store':
          expr(s.expr, regs);
          if (!shared.has(s.name)) fail(s.at, `unknown shared location ${s.name}`);
          break;
        case 'expr':
          expr(s.expr, regs);
          break;
        case 'if':
          expr(s.cond, regs);
          stmts(s.then, regs);
          stmts(s.else, regs);
          break;
        default:
          fail(s.at, `unsupported: ${s.what}`);
      }
    }
  };
  for (const p of test.processes) {
    for (const param of p.params) if (!shared.has(param)) shared.add(param);
    const regs = new Set(test.registerInit.filter((r) => r.thread === p.id).map((r) => r.name));
    stmts(p.body, regs);
  }
}

export function runLitmus(test: LitmusTest, options: ExploreOptions = {}): LitmusResult {
  const locations = [
    ...new Set([...test.init.map((i) => i.name), ...test.processes.flatMap((p) => p.params)]),
  ];
  const cellOf = new Map(locations.map((name, i) => [name, i]));
  const program: Program<World> = {
    threads: test.processes.map((proc) => ({
      name: `P${proc.id}`,
      body: (ctx) => interpret(proc.body, ctx, cellOf, initialRegs(test, proc.id)),
    })),
    init: () => ({
      memory: Int32Array.from(
        locations,
        (name) => test.init.find((i) => i.name === name)?.value ?? 0,
      ),
      world: { regs: test.processes.map((p) => initialRegs(test, p.id)) },
    }),
    cloneWorld: (w) => ({ regs: w.regs.map((r) => ({ ...r })) }),
    worldKey: (w) => JSON.stringify(w.regs),
  };
  // Witness counts are interleavings: no reduction may merge or prune paths here.
  const result = explore(program, {
    ...options,
    stopAtViolation: false,
    symmetry: false,
    sleepSets: false,
  });
  if (result.kind === 'incomplete')
    return { kind: 'incomplete', limit: result.limit, explored: result.states };
  if (result.kind === 'violation')
    throw new Error(`[checker bug] litmus run reported: ${result.message}`);

  const observed = observedOperands(test.condition);
  const byKey = new Map<string, LitmusState>();
  for (const f of result.finals) {
    const read = (o: Operand) => value(o, f.memory, f.world, cellOf, test);
    const values = Object.fromEntries(observed.map((o) => [operandName(o), read(o)]));
    const key = JSON.stringify(values);
    const state = byKey.get(key);
    if (state) state.paths += f.paths;
    else byKey.set(key, { values, paths: f.paths, satisfies: evaluate(test.condition, read) });
  }
  const states = [...byKey.values()].sort((a, b) => compareValues(a.values, b.values));
  const positive = states.filter((s) => s.satisfies).reduce((n, s) => n + s.paths, 0);
  const negative = states.filter((s) => !s.satisfies).reduce((n, s) => n + s.paths, 0);
  const observation = positive === 0 ? 'Never' : negative === 0 ? 'Always' : 'Sometimes';
  const ok =
    test.quantifier === 'exists'
      ? positive > 0
      : test.quantifier === '~exists'
        ? positive === 0
        : negative === 0;
  return {
    kind: 'complete',
    states,
    positive,
    negative,
    observation,
    ok,
    vacuous: isVacuous(test.condition, observed, states),
    explored: result.states,
  };
}

function initialRegs(test: LitmusTest, thread: number): Regs {
  return Object.fromEntries(
    test.registerInit.filter((r) => r.thread === thread).map((r) => [r.name, r.value]),
  );
}

function interpret(
  body: Stmt[],
  ctx: ThreadContext<World>,
  cellOf: Map<string, number>,
  regs: Regs,
): void {
  const cells = ctx.cells;
  const loc = (e: Expr) => cellOf.get((e as { name: string }).name)!;
  const evalExpr = (e: Expr): number => {
    switch (e.kind) {
      case 'num':
        return e.value;
      case 'var':
        return regs[e.name] ?? 0;
      case 'deref':
      case 'addr':
        return cells.load(cellOf.get(e.name)!); // a plain access
      case 'unary': {
        const v = evalExpr(e.operand);
        return e.op === '!' ? Number(v === 0) : e.op === '~' ? ~v : -v | 0;
      }
      case 'binary':
        return binary(e.op, e.left, e.right, evalExpr);
      case 'call': {
        if (FENCES.has(e.name)) return 0; // sequential consistency: fences order nothing more
        const [locArg, prim] = PRIMITIVES.get(e.name)!;
        const args = e.args.filter((_, i) => i !== locArg).map(evalExpr);
        cells.label = e.name;
        return prim(cells, loc(e.args[locArg]!), args);
      }
    }
  };
  const run = (ss: Stmt[]): void => {
    for (const s of ss) {
      if (s.kind === 'decl') regs[s.name] = s.init ? evalExpr(s.init) : 0;
      else if (s.kind === 'assign') regs[s.name] = evalExpr(s.expr);
      else if (s.kind === 'store') {
        const v = evalExpr(s.expr);
        cells.label = `*${s.name} =`;
        cells.store(cellOf.get(s.name)!, v);
      } else if (s.kind === 'expr') evalExpr(s.expr);
      else if (s.kind === 'if') run(evalExpr(s.cond) !== 0 ? s.then : s.else);
    }
  };
  run(body);
  ctx.ghost('final registers', (w) => (w.regs[ctx.thread] = { ...regs }));
}

function binary(op: string, l: Expr, r: Expr, ev: (e: Expr) => number): number {
  if (op === '&&') return Number(ev(l) !== 0 && ev(r) !== 0); // short-circuit, as in C
  if (op === '||') return Number(ev(l) !== 0 || ev(r) !== 0);
  const a = ev(l);
  const b = ev(r);
  switch (op) {
    case '+':
      return (a + b) | 0;
    case '-':
      return (a - b) | 0;
    case '*':
      return Math.imul(a, b);
    case '/':
      return b === 0 ? 0 : (a / b) | 0;
    case '%':
      return b === 0 ? 0 : a % b;
    case '&':
      return a & b;
    case '|':
      return a | b;
    case '^':
      return a ^ b;
    case '<<':
      return a << b;
    case '>>':
      return a >> b;
    case '==':
      return Number(a === b);
    case '!=':
      return Number(a !== b);
    case '<':
      return Number(a < b);
    case '<=':
      return Number(a <= b);
    case '>':
      return Number(a > b);
    default:
      return Number(a >= b);
  }
}

function value(
  o: Operand,
  memory: Int32Array,
  w: World,
  cellOf: Map<string, number>,
  test: LitmusTest,
): number {
  if (o.kind === 'num') return o.value;
  if (o.kind === 'loc') return memory[cellOf.get(o.name) ?? -1] ?? 0;
  const index = test.processes.findIndex((p) => p.id === o.thread);
  return w.regs[index]?.[o.name] ?? 0;
}

function evaluate(p: Prop, read: (o: Operand) => number): boolean {
  switch (p.kind) {
    case 'const':
      return p.value;
    case 'not':
      return !evaluate(p.prop, read);
    case 'and':
      return evaluate(p.left, read) && evaluate(p.right, read);
    case 'or':
      return evaluate(p.left, read) || evaluate(p.right, read);
    case 'atom':
      return (read(p.left) === read(p.right)) === (p.op === '==');
  }
}

const operandName = (o: Operand) =>
  o.kind === 'reg' ? `${o.thread}:${o.name}` : o.kind === 'loc' ? o.name : String(o.value);

/** Registers (by thread, then name) and then locations, as herd lists them. */
function observedOperands(p: Prop): Operand[] {
  const out = new Map<string, Operand>();
  const walk = (q: Prop): void => {
    if (q.kind === 'atom')
      for (const o of [q.left, q.right]) if (o.kind !== 'num') out.set(operandName(o), o);
    if (q.kind === 'and' || q.kind === 'or') {
      walk(q.left);
      walk(q.right);
    }
    if (q.kind === 'not') walk(q.prop);
  };
  walk(p);
  return [...out.values()].sort((a, b) => {
    if (a.kind !== b.kind) return a.kind === 'reg' ? -1 : 1;
    if (a.kind === 'reg' && b.kind === 'reg' && a.thread !== b.thread) return a.thread - b.thread;
    return operandName(a) < operandName(b) ? -1 : 1;
  });
}

function compareValues(a: Record<string, number>, b: Record<string, number>): number {
  for (const k of Object.keys(a)) if (a[k] !== b[k]) return a[k]! - b[k]!;
  return 0;
}

/**
 * A condition is vacuous when no combination of the values each observed location takes
 * in some final state satisfies it: it cannot hold whatever the interleaving, so "Never"
 * says nothing about the race it was written to catch.
 */
function isVacuous(p: Prop, observed: Operand[], states: LitmusState[]): boolean {
  const names = observed.map(operandName);
  const domains = names.map((n) => [...new Set(states.map((s) => s.values[n]!))]);
  const pick: number[] = names.map(() => 0);
  if (domains.some((d) => d.length === 0)) return true;
  for (;;) {
    const env = new Map(names.map((n, i) => [n, domains[i]![pick[i]!]!]));
    if (evaluate(p, (o) => (o.kind === 'num' ? o.value : env.get(operandName(o))!))) return false;
    let i = 0;
    while (i < pick.length && ++pick[i]! === domains[i]!.length) pick[i++] = 0;
    if (i === pick.length) return true;
  }
}
