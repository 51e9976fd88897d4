/**
 * Where herd7 and pageref order one process's accesses differently: herd7 evaluates the two
 * operands of a binary operator in parallel (herd/CSem.ml, Op: `>>|`), so two memory
 * accesses in one expression, `xchg(x, 1) + cmpxchg(x, 1, 2)`, have no program order there,
 * while pageref runs them left to right. herd7 may then count more executions, or allow
 * more; a located warning says so, and what to write instead.
 */
import type { Expr, LitmusTest, Location, Stmt } from './ast.js';

/** `line:column: …` for each binary operator whose two operands both access memory. */
export function unorderedAccesses(test: LitmusTest): { at: Location; what: string }[] {
  const out: { at: Location; what: string }[] = [];
  // an unrolled while's copies share their statements and expressions: each is seen once
  const seen = new Map<Expr, boolean>();
  const walk = (e: Expr): boolean => {
    let accesses = seen.get(e);
    if (accesses === undefined) seen.set(e, (accesses = accessesMemory(e)));
    return accesses;
  };
  // whether e accesses memory, noting each operator under it whose operands both do
  const accessesMemory = (e: Expr): boolean => {
    switch (e.kind) {
      case 'num':
      case 'var':
      case 'addr':
        return false;
      case 'deref':
        walk(e.pointer);
        return true;
      case 'unary':
        return walk(e.operand);
      case 'call':
        e.args.forEach(walk);
        return true;
      case 'binary': {
        const left = walk(e.left);
        const right = walk(e.right);
        if (left && right)
          out.push({
            at: e.at,
            what: `herd7 evaluates the operands of ${e.op} in parallel, so their accesses have no program order there (here, left before right): answers may differ; read each into a register first`,
          });
        return left || right;
      }
    }
  };
  const stmts = (ss: Stmt[]): void => {
    for (const s of ss) {
      if (s.kind === 'decl' && s.init) walk(s.init);
      else if (s.kind === 'assign' || s.kind === 'expr') walk(s.expr);
      else if (s.kind === 'store') {
        walk(s.pointer);
        walk(s.expr);
      } else if (s.kind === 'if') {
        walk(s.cond);
        stmts(s.then);
        stmts(s.else);
      }
    }
  };
  for (const p of test.processes) stmts(p.body);
  return out;
}
