/**
 * The SC runner's interpreter: a litmus process as a thread body for the checker's explorer
 * (src/explore/explore.ts). Every shared access is one ModelCells access, so every access is
 * an interleaving point under sequential consistency, and fences order nothing more.
 *
 * Memory is an Int32Array, so this runner takes the integer subset of the dialect: what needs
 * addresses as values, locks (a blocked spin_lock) or grace periods is refused by
 * `refuseUnderSc`, naming the axiomatic model that runs it.
 */
import type { ThreadContext } from '../explore/explore.js';
import { forEachAtomSide, type Expr, type LitmusTest, type Location, type Stmt } from './ast.js';
import { LitmusSyntaxError } from './parse.js';
import { applyOp, atomicResult } from './primitives.js';
import { primitiveOf } from './herdForms.js';
import { binaryOp, truthy, unaryOp } from './values.js';

export type Regs = Record<string, number>;
export interface World {
  regs: Regs[];
}

const LKMM = 'run it with --model lkmm (the axiomatic Linux-kernel memory model)';

/**
 * Refuses what the SC runner cannot run, at its location.
 * @throws LitmusSyntaxError
 */
export function refuseUnderSc(test: LitmusTest, file: string): void {
  const fail = (at: Location, what: string): never => {
    throw new LitmusSyntaxError(file, at.line, at.column, `${what} under SC: ${LKMM}`);
  };
  for (const item of [...test.init, ...test.registerInit]) {
    if (typeof item.value === 'string')
      fail(item.at, `a pointer value (&${item.value}) cannot be run`);
  }
  const params = (i: number) => new Set(test.processes[i]!.params.map((p) => p.name));
  const locations = new Set(test.init.map((i) => i.name));
  test.processes.forEach((p, i) => {
    const shared = new Set([...params(i), ...locations]);
    const regs = new Set<string>();
    const location = (e: Expr, at: Location): void => {
      if (e.kind !== 'var' || regs.has(e.name) || !shared.has(e.name))
        fail(at, 'an access through a computed pointer cannot be run');
    };
    const expr = (e: Expr): void => {
      if (e.kind === 'addr') fail(e.at, `a pointer value (&${e.name}) cannot be run`);
      if (e.kind === 'var' && !regs.has(e.name))
        fail(e.at, `a pointer value (${e.name}) cannot be run`);
      if (e.kind === 'deref') location(e.pointer, e.at);
      if (e.kind === 'unary') expr(e.operand);
      if (e.kind === 'binary') {
        expr(e.left);
        expr(e.right);
      }
      if (e.kind !== 'call') return;
      const prim = primitiveOf(e.name)!;
      const op = prim.sem.op;
      if (op === 'lock' || op === 'unlock' || op === 'trylock' || op === 'islocked')
        fail(e.at, `${e.name}() cannot be run`);
      if (op.startsWith('srcu') || op === 'sync-srcu') fail(e.at, `${e.name}() cannot be run`);
      if (prim.sem.op === 'fence' && prim.sem.tag === 'sync-rcu')
        fail(e.at, `${e.name}() (a grace period) cannot be run`);
      e.args.forEach((a, k) => {
        const kind = prim.args[k];
        if (kind === 'lval') location((a as Extract<Expr, { kind: 'deref' }>).pointer, e.at);
        else if (kind === 'ptr') location(a, e.at);
        else if (kind === 'val') expr(a);
      });
    };
    const stmts = (ss: Stmt[]): void => {
      for (const s of ss) {
        if (s.kind === 'decl') {
          if (s.pointer) fail(s.at, `a pointer register (${s.name}) cannot be run`);
          if (s.init) expr(s.init);
          regs.add(s.name);
        } else if (s.kind === 'assign' || s.kind === 'expr') expr(s.expr);
        else if (s.kind === 'store') {
          location(s.pointer, s.at);
          expr(s.expr);
        } else if (s.kind === 'cutoff') {
          fail(
            s.at,
            'a while loop (which herd7 unrolls, dropping the executions past it) cannot be run',
          );
        } else if (s.kind === 'if') {
          expr(s.cond);
          stmts(s.then);
          stmts(s.else);
        }
      }
    };
    for (const r of test.registerInit) if (r.thread === i) regs.add(r.name);
    stmts(p.body);
  });
  const addrIn = (q: LitmusTest['condition']): void =>
    forEachAtomSide(q, (side) => {
      if (side.kind === 'addr') fail(side.at, `a pointer value (${side.name}) cannot be observed`);
    });
  addrIn(test.condition);
  if (test.filter) addrIn(test.filter);
}

/** Runs one process's body on the explorer's cells; records its final registers. */
export function interpret(
  body: Stmt[],
  ctx: ThreadContext<World>,
  cellOf: ReadonlyMap<string, number>,
  regs: Regs,
): void {
  const cells = ctx.cells;
  // refuseUnderSc made every location argument a location's name
  const cell = (e: Expr) => cellOf.get((e as { name: string }).name)!;
  const fail = (what: string): never => {
    throw new Error(`[checker bug] ${what} passed refuseUnderSc`);
  };
  const evalExpr = (e: Expr): number => {
    switch (e.kind) {
      case 'num':
        return e.value;
      case 'var':
        return regs[e.name] ?? 0;
      case 'addr':
        return fail('an address');
      case 'deref':
        cells.label = '*';
        return cells.load(cell(e.pointer)); // a plain access
      case 'unary':
        return unaryOp(e.op, evalExpr(e.operand), fail);
      case 'binary':
        // both operands, as herd7 evaluates && and ||
        return binaryOp(e.op, evalExpr(e.left), evalExpr(e.right), fail) as number;
      case 'call':
        return call(e);
    }
  };
  const call = (e: Extract<Expr, { kind: 'call' }>): number => {
    const prim = primitiveOf(e.name)!;
    const sem = prim.sem;
    const locArg = prim.args.findIndex((k) => k === 'lval' || k === 'ptr');
    const target = e.args[locArg];
    const loc =
      target === undefined
        ? -1
        : cell(
            prim.args[locArg] === 'lval'
              ? (target as Extract<Expr, { kind: 'deref' }>).pointer
              : target,
          );
    const vals = e.args.filter((_, k) => prim.args[k] === 'val').map(evalExpr);
    cells.label = e.name;
    switch (sem.op) {
      case 'fence':
        return 0; // sequential consistency: fences order nothing more
      case 'load':
        return cells.load(loc);
      case 'store':
        cells.store(loc, vals[0]!);
        return 0;
      case 'atomic': {
        const operand = sem.constant ?? vals[0]!;
        return cells.rmw(e.name, loc, (old) => {
          const next = applyOp(sem.apply, old, operand);
          return [atomicResult(sem, old, next), next];
        });
      }
      case 'xchg':
        return cells.rmw(e.name, loc, (old) => [old, vals[0]!]);
      case 'cmpxchg':
        return cells.cas(loc, vals[0]!, vals[1]!);
      case 'add_unless':
        return cells.rmw(e.name, loc, (old) =>
          old === vals[1] ? [0, old] : [1, applyOp('+', old, vals[0]!)],
        );
      default:
        return fail(`${e.name}()`);
    }
  };
  const run = (ss: Stmt[]): void => {
    for (const s of ss) {
      if (s.kind === 'decl') regs[s.name] = s.init ? evalExpr(s.init) : 0;
      else if (s.kind === 'assign') regs[s.name] = evalExpr(s.expr);
      else if (s.kind === 'store') {
        const v = evalExpr(s.expr);
        cells.label = '*… =';
        cells.store(cell(s.pointer), v);
      } else if (s.kind === 'expr') evalExpr(s.expr);
      else if (s.kind === 'if') run(truthy(evalExpr(s.cond)) ? s.then : s.else);
    }
  };
  run(body);
  ctx.ghost('final registers', (w) => (w.regs[ctx.thread] = { ...regs }));
}
