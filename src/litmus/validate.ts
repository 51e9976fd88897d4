/**
 * Checks a parsed litmus test before any model runs it: every name the code, the condition,
 * the filter and `locations` use exists; every call is a kernel primitive with the right
 * arity and argument shapes; processes are P0..Pn-1, each once; the init block names each
 * location once. Anything else would be answered over a name that means nothing (a missing
 * register reads as 0), so each is refused with its file:line:column and what to write.
 */
import {
  forEachAtomSide,
  type CondLoc,
  type CondValue,
  type Expr,
  type LitmusTest,
  type Location,
  type Stmt,
} from './ast.js';
import { LitmusSyntaxError } from './parse.js';
import { INSTEAD } from './primitives.js';
import { C11_REFUSED, MEMORY_ORDERS, primitiveOf } from './herdForms.js';

/** Deeper expressions are refused: the checks and the executors recurse once per level. */
export const MAX_EXPR_DEPTH = 500;

/** What validation learned: the shared locations and each process's registers. */
export interface Scope {
  /** Every shared location: declared in init, a parameter, or an address in init. */
  locations: Set<string>;
  /** registers[i]: the registers of test.processes[i], in order of declaration. */
  registers: string[][];
}

/**
 * Validates `test` and sorts its processes by id (so that index i is Pi).
 * @throws LitmusSyntaxError at the first problem
 */
export function validate(test: LitmusTest, file: string): Scope {
  const fail = (at: Location, what: string): never => {
    throw new LitmusSyntaxError(file, at.line, at.column, what);
  };
  if (test.arch !== 'C') fail(test.at.arch, `only C litmus tests are supported, not ${test.arch}`);

  const seen = new Map<number, Location>();
  for (const p of test.processes) {
    if (seen.has(p.id))
      fail(p.at, `P${p.id} is defined twice (first at line ${seen.get(p.id)!.line})`);
    seen.set(p.id, p.at);
  }
  test.processes.sort((a, b) => a.id - b.id);
  test.processes.forEach((p, i) => {
    if (p.id !== i)
      fail(p.at, `P${p.id} without P${i}: processes are numbered P0, P1, … with no gap`);
  });

  const locations = new Set<string>();
  const declared = new Map<string, Location>();
  for (const item of test.init) {
    const first = declared.get(item.name);
    if (first) fail(item.at, `${item.name} is initialised twice (first at line ${first.line})`);
    declared.set(item.name, item.at);
    locations.add(item.name);
  }
  for (const p of test.processes) for (const param of p.params) locations.add(param.name);
  for (const v of [...test.init, ...test.registerInit].map((i) => i.value))
    if (typeof v === 'string') locations.add(v);

  const registers = test.processes.map(() => [] as string[]);
  const regInit = new Set<string>();
  for (const r of test.registerInit) {
    if (!test.processes[r.thread])
      fail(r.at, `${r.thread}:${r.name} names P${r.thread}, which does not exist`);
    const key = `${r.thread}:${r.name}`;
    if (regInit.has(key)) fail(r.at, `${key} is initialised twice`);
    regInit.add(key);
    registers[r.thread]!.push(r.name);
  }

  test.processes.forEach((p, i) => {
    const regs = new Set(registers[i]);
    const params = new Set(p.params.map((q) => q.name));
    const expr = (e: Expr, asValue: boolean): void => {
      switch (e.kind) {
        case 'num':
          return;
        case 'var':
          if (!regs.has(e.name) && !locations.has(e.name))
            fail(
              e.at,
              `unknown name ${e.name}: declare it (int ${e.name};) or pass it (P${p.id}(int *${e.name}))`,
            );
          // herd7 reads a name that is not a parameter as a register, 0 when never set
          // (herd/archExtra_herd.ml, reg_default_value), and refuses *0 ("Non-symbolic
          // memory access"): never the location of that name
          if (!regs.has(e.name) && !params.has(e.name))
            fail(
              e.at,
              `${e.name} is not a parameter of P${p.id}: pass it (P${p.id}(${[...p.params.map((q) => `${q.type.replace(/\*+$/, (stars) => ` ${stars}`)}${q.name}`), `int *${e.name}`].join(', ')})); herd7 would read ${e.name} as an unset register (0), not as the location`,
            );
          return;
        case 'addr':
          if (regs.has(e.name) || !locations.has(e.name))
            fail(e.at, `&${e.name}: only shared locations have addresses`);
          return;
        case 'deref':
          return expr(e.pointer, true);
        case 'unary':
          return expr(e.operand, true);
        case 'binary':
          expr(e.left, true);
          return expr(e.right, true);
        case 'call':
          return call(e, asValue);
      }
    };
    const call = (e: Extract<Expr, { kind: 'call' }>, asValue: boolean): void => {
      const prim = primitiveOf(e.name);
      if (!prim) {
        const instead = INSTEAD.get(e.name);
        const c11 = C11_REFUSED.get(e.name);
        fail(
          e.at,
          instead
            ? `${e.name}() is not in linux-kernel.def: write ${instead}`
            : c11
              ? `${e.name}(): ${c11}`
              : e.name.startsWith('__')
                ? `unknown form ${e.name}: pageref takes one annotation per internal form (linux-kernel.bell's {ONCE}, {ACQUIRE}, {RELEASE}, {MB}, {NORETURN}, or another, which no LKMM set holds)`
                : `unknown primitive ${e.name}(): linux-kernel.def defines READ_ONCE, WRITE_ONCE, smp_*, atomic_*, spin_*, rcu_*, srcu_*`,
        );
      }
      const { args } = prim!;
      if (e.args.length !== args.length)
        fail(
          e.at,
          `${e.name}() takes ${args.length} argument${args.length === 1 ? '' : 's'}, not ${e.args.length}`,
        );
      if (asValue && !prim!.returns) fail(e.at, `${e.name}() has no value: call it as a statement`);
      e.args.forEach((a, k) => {
        if (args[k] === 'lval' && a.kind !== 'deref')
          fail(
            argAt(a, e.at),
            `${e.name}() takes a dereference as argument ${k + 1}: write ${e.name}(*${shown(a)}${args.length > 1 ? ', …' : ''})`,
          );
        if (args[k] === 'lval') return expr((a as Extract<Expr, { kind: 'deref' }>).pointer, true);
        if (args[k] === 'mo') {
          if (a.kind !== 'var' || !MEMORY_ORDERS.includes(a.name))
            fail(
              argAt(a, e.at),
              `${e.name}() takes a memory order as argument ${k + 1}: ${MEMORY_ORDERS.join(', ')}`,
            );
          return;
        }
        if (args[k] === 'ptr' && a.kind === 'num')
          fail(a.at, `${e.name}() takes a pointer as argument ${k + 1}, not the number ${a.value}`);
        expr(a, true);
      });
    };
    const stmts = (ss: Stmt[]): void => {
      for (const s of ss) {
        checkDepth(s, fail);
        switch (s.kind) {
          case 'decl':
            if (s.init) expr(s.init, true);
            if (regs.has(s.name)) fail(s.at, `register ${s.name} is declared twice in P${p.id}`);
            if (params.has(s.name))
              fail(s.at, `${s.name} is a parameter of P${p.id}: name the register otherwise`);
            regs.add(s.name);
            registers[i]!.push(s.name);
            break;
          case 'assign':
            expr(s.expr, true);
            if (params.has(s.name) || (!regs.has(s.name) && locations.has(s.name))) {
              fail(
                s.at,
                `${s.name} is a shared location: write WRITE_ONCE(*${s.name}, …) or *${s.name} = …`,
              );
            }
            // herd7 declares a register by its first assignment (C-RomanPenyaev-list-rcu-rr)
            if (!regs.has(s.name)) {
              regs.add(s.name);
              registers[i]!.push(s.name);
            }
            break;
          case 'store':
            expr(s.pointer, true);
            expr(s.expr, true);
            break;
          case 'expr':
            expr(s.expr, false);
            break;
          case 'if':
            expr(s.cond, true);
            stmts(s.then);
            stmts(s.else);
            break;
        }
      }
    };
    stmts(p.body);
  });

  // a register of another process, as when P0 and P1 are swapped: say whose it is
  const elsewhere = (name: string, thread: number): string => {
    const owners = registers.flatMap((rs, k) =>
      k !== thread && rs.includes(name) ? [`P${k}`] : [],
    );
    return owners.length > 0
      ? `; ${owners.join(' and ')} ${owners.length > 1 ? 'have' : 'has'} ${name}`
      : '';
  };
  const place = (l: CondLoc | CondValue): void => {
    if (l.kind === 'reg') {
      if (!test.processes[l.thread])
        fail(
          l.at,
          `${l.thread}:${l.name} names P${l.thread}, but the test has P0..P${test.processes.length - 1}`,
        );
      if (!registers[l.thread]!.includes(l.name))
        fail(
          l.at,
          `P${l.thread} has no register ${l.name} (it has ${registers[l.thread]!.join(', ') || 'none'}${elsewhere(l.name, l.thread)})`,
        );
    } else if (l.kind === 'loc' || l.kind === 'addr') {
      if (!locations.has(l.name))
        fail(
          l.at,
          `unknown location ${l.name} (the test has ${[...locations].join(', ') || 'none'})`,
        );
    }
  };
  test.locations.forEach(place);
  if (test.filter) forEachAtomSide(test.filter, place);
  forEachAtomSide(test.condition, place);
  return { locations, registers };
}

function argAt(e: Expr, fallback: Location): Location {
  return 'at' in e ? e.at : fallback;
}

function shown(e: Expr): string {
  return e.kind === 'var' ? e.name : e.kind === 'addr' ? e.name : 'p';
}

/** Refuses a statement whose expressions nest deeper than MAX_EXPR_DEPTH, without recursing. */
function checkDepth(s: Stmt, fail: (at: Location, what: string) => never): void {
  const roots: Expr[] =
    s.kind === 'decl'
      ? s.init
        ? [s.init]
        : []
      : s.kind === 'assign' || s.kind === 'expr'
        ? [s.expr]
        : s.kind === 'store'
          ? [s.pointer, s.expr]
          : s.kind === 'if'
            ? [s.cond]
            : [];
  const stack: [Expr, number][] = roots.map((e) => [e, 1]);
  while (stack.length > 0) {
    const [e, d] = stack.pop()!;
    if (d > MAX_EXPR_DEPTH)
      fail(e.at, `expression nested more than ${MAX_EXPR_DEPTH} deep: split it with registers`);
    if (e.kind === 'binary') stack.push([e.left, d + 1], [e.right, d + 1]);
    else if (e.kind === 'unary') stack.push([e.operand, d + 1]);
    else if (e.kind === 'deref') stack.push([e.pointer, d + 1]);
    else if (e.kind === 'call') for (const a of e.args) stack.push([a, d + 1]);
  }
}
