/**
 * The header's static inline functions, compiled once into JavaScript closures that run on
 * `Cells`: the explorer replays each thread from its start at every step (explore/modelCells.ts),
 * so the C must run as fast as a port, and a closure per node (no tree walk at run time, no
 * `eval`) gets within a small factor of hand-written code.
 *
 * What is read, and what each thing becomes:
 * - `atomic_*` calls: one Cells call each, with the method and ordering of KERNEL_ATOMICS
 *   (cells/kernelAtomics.ts); `atomic_add_unless` as its generic fallback (KERNEL_FALLBACKS);
 * - `likely(x)`, `unlikely(x)`: `!!(x)`, as compiler.h defines them;
 * - `VM_BUG_ON*` and `VM_WARN_ON*`: with debug checks on, a true condition throws
 *   PageRefDebugError (as the ports' checks do); off, the condition is compiled (so it must
 *   be C we read) but never run, as `BUILD_BUG_ON_INVALID` does without CONFIG_DEBUG_VM;
 * - `page_folio(p)`, `compound_head(p)`, `&folio->page`: the page itself (a folio is its head
 *   page, and every page the checker models is a head page);
 * - tracepoints: `page_ref_tracepoint_active(t)` is the header's own `false` (CONFIG_DEBUG_PAGE_REF
 *   off), and the `__page_ref_*` hooks are the header's empty stubs: no-ops;
 * - the RFC's base only: `rcu_read_lock()`/`rcu_read_unlock()` are no-ops (they order only
 *   against a synchronize_rcu(), which no scenario makes) and `page_count_writable()` is
 *   true (it reads the counter only with the hugetlb_optimize_vmemmap static key on): the
 *   rfc-v1 port leaves both out for the same reasons;
 * - `#define`s, `BIT(n)` (`1UL << n`), int/bool/unsigned/long arithmetic (cValues.ts),
 *   locals, `if`/`else`, `while`, `do`/`while`, `return`.
 * Anything else is refused with file:line:column when a function that reaches it is
 * compiled, never guessed.
 *
 * @module
 */

import type { Node } from 'web-tree-sitter';
import type { Cells, Order } from '../cells/cells.js';
import { KERNEL_ATOMICS, type KernelCall } from '../cells/kernelAtomics.js';
import { PageRefDebugError, type CheckedOperation } from '../refcount/debugChecks.js';
import { functionDeclarator, type CHeader, type Macro } from './cHeader.js';
import {
  arithmetic,
  common,
  compare,
  convert,
  isInt,
  literal,
  truth,
  type CType,
  type IntType,
  type Val,
} from './cValues.js';

/** Where a compiled function runs: the cells, and what a debug check reports. */
export interface CallContext {
  cells: Cells;
  /** The page_ref method being run (named by a debug check). */
  op: string;
  page: number;
  /** The last value an atomic read or replaced: the raw counter a debug check reports. */
  last: number;
}

/** A compiled function: its arguments in C's order, already of its parameters' types. */
export type CompiledFn = (ctx: CallContext, args: Val[]) => Val;

/** A compiled function and its C signature. */
export interface Compiled {
  run: CompiledFn;
  params: CType[];
  returns: CType;
}

interface Frame {
  ctx: CallContext;
  slots: Val[];
  ret: Val;
}

interface Expr {
  type: CType;
  run: (f: Frame) => Val;
  /** Set when the value is known at compile time. */
  value?: Val;
}

/** true: the statement returned. */
type Stmt = (f: Frame) => boolean;

type Binding =
  { kind: 'local'; slot: number; type: CType } | { kind: 'macroArg'; node: Node; scope: Scope };

interface Scope {
  names: Map<string, Binding>;
  fn: FnState;
}

interface FnState {
  slots: number;
  returns: CType;
}

const DEBUG_CHECKS = new Set([
  'VM_BUG_ON',
  'VM_BUG_ON_PAGE',
  'VM_BUG_ON_FOLIO',
  'VM_WARN_ON',
  'VM_WARN_ON_ONCE',
  'VM_WARN_ON_PAGE',
  'VM_WARN_ON_ONCE_PAGE',
  'VM_WARN_ON_FOLIO',
  'VM_WARN_ON_ONCE_FOLIO',
]);

const VOID: Expr = { type: 'void', run: () => 0, value: 0 };

/** Compiles the header's functions on demand, once each; `debug` turns the VM_BUG_ONs on. */
export class CCompiler {
  private readonly done = new Map<string, Compiled>();
  private readonly expanding = new Set<string>();

  constructor(
    readonly header: CHeader,
    readonly debug: boolean,
  ) {}

  /** The function `name` compiled, or undefined if the header does not define it. */
  fn(name: string): Compiled | undefined {
    const known = this.done.get(name);
    if (known) return known;
    const def = this.header.functions.get(name);
    if (!def) return undefined;
    // a placeholder first, so that a recursive call compiles (and runs) through it
    const slot: Compiled = { run: () => 0, params: [], returns: 'void' };
    this.done.set(name, slot);
    Object.assign(slot, this.compileFunction(def.node));
    return slot;
  }

  private refuse(node: Node, why: string): never {
    return this.header.refuse(node, why);
  }

  private compileFunction(node: Node): Compiled {
    const declarator = functionDeclarator(node, this.header);
    const returns = this.typeOf(
      node.childForFieldName('type')!,
      node.childForFieldName('declarator')!,
    );
    const fn: FnState = { slots: 0, returns };
    const scope: Scope = { names: new Map(), fn };
    const params: CType[] = [];
    for (const p of declarator.childForFieldName('parameters')!.namedChildren) {
      if (!p || p.type === 'comment') continue;
      if (p.type !== 'parameter_declaration')
        this.refuse(p, `${p.type.replaceAll('_', ' ')} is not read`);
      const d = p.childForFieldName('declarator');
      const type = this.typeOf(p.childForFieldName('type')!, d);
      if (!d && type === 'void') continue; // f(void)
      if (!d) this.refuse(p, 'a parameter without a name');
      scope.names.set(this.declaredName(d), { kind: 'local', slot: fn.slots++, type });
      params.push(type);
    }
    const body = this.statement(node.childForFieldName('body')!, scope);
    const run: CompiledFn = (ctx, args) => {
      const f: Frame = { ctx, slots: args.slice(), ret: 0 };
      body(f);
      return f.ret;
    };
    return { run, params, returns };
  }

  /** The C type a declaration's type node and declarator give. */
  private typeOf(type: Node, declarator: Node | null): CType {
    const pointer =
      declarator?.type === 'pointer_declarator' ||
      declarator?.type === 'abstract_pointer_declarator';
    if (type.type === 'struct_specifier') {
      const name = type.childForFieldName('name')?.text;
      if (pointer && (name === 'page' || name === 'folio')) return 'page';
      this.refuse(
        type,
        `struct ${name ?? ''}${pointer ? ' *' : ''} is not read (only struct page * and struct folio *)`,
      );
    }
    if (pointer) this.refuse(declarator!, 'a pointer to anything but a page or folio is not read');
    const words = type.text.split(/\s+/).filter((w) => w !== 'signed');
    const name = words.join(' ');
    const known: Record<string, CType> = {
      int: 'int',
      bool: 'bool',
      void: 'void',
      unsigned: 'uint',
      'unsigned int': 'uint',
      long: 'long',
      'long int': 'long',
      'unsigned long': 'ulong',
      'unsigned long int': 'ulong',
    };
    return known[name] ?? this.refuse(type, `type ${name} is not read`);
  }

  private declaredName(d: Node): string {
    let n: Node | null = d;
    while (n && n.type !== 'identifier') n = n.childForFieldName('declarator');
    return n?.text ?? this.refuse(d, 'a declarator without a name');
  }

  // ---- statements ----

  private statement(node: Node, scope: Scope): Stmt {
    switch (node.type) {
      case 'compound_statement': {
        const inner: Scope = { names: new Map(scope.names), fn: scope.fn };
        const body = node.namedChildren
          .filter((c): c is Node => c !== null && c.type !== 'comment')
          .map((c) => this.statement(c, inner));
        return (f) => {
          for (const s of body) if (s(f)) return true;
          return false;
        };
      }
      case 'declaration':
        return this.declaration(node, scope);
      case 'expression_statement': {
        const e = node.namedChildren[0];
        if (!e) return () => false;
        const { run } = this.expression(e, scope);
        return (f) => (run(f), false);
      }
      case 'if_statement': {
        const c = this.conditionExpr(node.childForFieldName('condition')!, scope);
        const then = this.statement(node.childForFieldName('consequence')!, scope);
        const alt = node.childForFieldName('alternative');
        const otherwise = alt ? this.statement(alt.namedChildren[0]!, scope) : undefined;
        // a constant condition (a tracepoint that is off) costs nothing at run time
        if (c.value !== undefined) return truth(c.value) ? then : (otherwise ?? (() => false));
        const cond = c.run;
        return otherwise
          ? (f) => (truth(cond(f)) ? then(f) : otherwise(f))
          : (f) => truth(cond(f)) && then(f);
      }
      case 'while_statement': {
        const cond = this.condition(node.childForFieldName('condition')!, scope);
        const body = this.statement(node.childForFieldName('body')!, scope);
        return (f) => {
          while (truth(cond(f))) if (body(f)) return true;
          return false;
        };
      }
      case 'do_statement': {
        const cond = this.condition(node.childForFieldName('condition')!, scope);
        const body = this.statement(node.childForFieldName('body')!, scope);
        return (f) => {
          do if (body(f)) return true;
          while (truth(cond(f)));
          return false;
        };
      }
      case 'return_statement': {
        const value = node.namedChildren[0];
        if (!value) return () => true;
        const e = this.convertTo(this.expression(value, scope), scope.fn.returns, value);
        const run = e.run;
        return (f) => ((f.ret = run(f)), true);
      }
      default:
        this.refuse(node, `${node.type.replaceAll('_', ' ')} is not read`);
    }
  }

  private declaration(node: Node, scope: Scope): Stmt {
    const inits: Stmt[] = [];
    for (const d of node.childrenForFieldName('declarator')) {
      if (!d) continue;
      const isInit = d.type === 'init_declarator';
      const target = isInit ? d.childForFieldName('declarator')! : d;
      const type = this.typeOf(node.childForFieldName('type')!, target);
      const slot = scope.fn.slots++;
      const name = this.declaredName(target);
      // the initializer sees the scope before the name (C lets it see the name itself, uninitialized)
      const value = isInit
        ? this.convertTo(this.expression(d.childForFieldName('value')!, scope), type, d)
        : undefined;
      scope.names.set(name, { kind: 'local', slot, type });
      if (value) {
        const run = value.run;
        inits.push((f) => ((f.slots[slot] = run(f)), false));
      } else inits.push((f) => ((f.slots[slot] = 0), false)); // never read before a store here
    }
    return (f) => {
      for (const s of inits) s(f);
      return false;
    };
  }

  private condition(node: Node, scope: Scope): (f: Frame) => Val {
    return this.conditionExpr(node, scope).run;
  }

  private conditionExpr(node: Node, scope: Scope): Expr {
    const inner = node.type === 'parenthesized_expression' ? node.namedChildren[0]! : node;
    const e = this.expression(inner, scope);
    if (!isInt(e.type)) this.refuse(inner, `a condition of type ${e.type}`);
    return e;
  }

  // ---- expressions ----

  private expression(node: Node, scope: Scope): Expr {
    switch (node.type) {
      case 'parenthesized_expression':
        return this.expression(node.namedChildren[0]!, scope);
      case 'number_literal': {
        // tree-sitter reads "-1" as one literal: C reads unary minus applied to 1
        if (node.text.startsWith('-')) {
          const lit =
            literal(node.text.slice(1)) ?? this.refuse(node, `number ${node.text} is not read`);
          const zero = this.convertTo(constant('int', 0), common(lit.type, 'int'), node);
          return this.binaryOf('-', zero, constant(lit.type, lit.value), node);
        }
        const lit = literal(node.text) ?? this.refuse(node, `number ${node.text} is not read`);
        return constant(lit.type, lit.value);
      }
      case 'true':
        return constant('int', 1);
      case 'false':
        return constant('int', 0);
      case 'identifier':
        return this.identifier(node, scope);
      case 'call_expression':
        return this.call(node, scope);
      case 'binary_expression':
        return this.binary(node, scope);
      case 'unary_expression':
        return this.unary(node, scope);
      case 'cast_expression': {
        const t = node.childForFieldName('type')!;
        const type = this.typeOf(t.childForFieldName('type')!, t.childForFieldName('declarator'));
        return this.convertTo(this.expression(node.childForFieldName('value')!, scope), type, node);
      }
      case 'pointer_expression':
        return this.addressOf(node, scope);
      case 'assignment_expression':
        return this.assignment(node, scope);
      case 'conditional_expression': {
        const cond = this.expression(node.childForFieldName('condition')!, scope);
        const a = this.expression(node.childForFieldName('consequence')!, scope);
        const b = this.expression(node.childForFieldName('alternative')!, scope);
        if (!isInt(a.type) || !isInt(b.type)) this.refuse(node, 'a conditional of non-integers');
        const t = common(a.type, b.type);
        const [x, y] = [this.convertTo(a, t, node).run, this.convertTo(b, t, node).run];
        const c = cond.run;
        return { type: t, run: (f) => (truth(c(f)) ? x(f) : y(f)) };
      }
      default:
        this.refuse(node, `${node.type.replaceAll('_', ' ')} is not read`);
    }
  }

  private identifier(node: Node, scope: Scope): Expr {
    const name = node.text;
    const b = scope.names.get(name);
    if (b?.kind === 'local') {
      const { slot, type } = b;
      return { type, run: (f) => f.slots[slot]! };
    }
    if (b?.kind === 'macroArg') return this.expression(b.node, b.scope);
    const macro = this.header.macros.get(name);
    if (macro && macro.params === undefined) return this.expand(macro, [], node, scope);
    this.refuse(node, `unknown identifier ${name}`);
  }

  /** A macro's body, compiled where it is used (C substitutes text), its arguments bound. */
  private expand(macro: Macro, args: Node[], at: Node, scope: Scope): Expr {
    if (this.expanding.has(macro.name)) this.refuse(at, `macro ${macro.name} expands itself`);
    if ((macro.params?.length ?? 0) !== args.length)
      this.refuse(
        at,
        `macro ${macro.name} takes ${macro.params?.length ?? 0} arguments, given ${args.length}`,
      );
    let body: Node;
    try {
      body = this.header.expression(macro.body);
    } catch {
      this.refuse(at, `macro ${macro.name} (${macro.where}) is not a C expression: ${macro.body}`);
    }
    const names = new Map(scope.names);
    macro.params?.forEach((p, i) => names.set(p, { kind: 'macroArg', node: args[i]!, scope }));
    this.expanding.add(macro.name);
    try {
      return this.expression(body, { names, fn: scope.fn });
    } finally {
      this.expanding.delete(macro.name);
    }
  }

  private call(node: Node, scope: Scope): Expr {
    const callee = node.childForFieldName('function')!;
    if (callee.type !== 'identifier') this.refuse(callee, 'a call through an expression');
    const name = callee.text;
    const args = node
      .childForFieldName('arguments')!
      .namedChildren.filter((a): a is Node => a !== null && a.type !== 'comment');
    const macro = this.header.macros.get(name);
    if (macro?.params !== undefined) return this.expand(macro, args, node, scope);
    const compiled = this.fn(name);
    if (compiled) return this.callCompiled(name, compiled, args, node, scope);
    if (name in KERNEL_ATOMICS || name === 'atomic_add_unless')
      return this.atomic(name, args, node, scope);
    if (DEBUG_CHECKS.has(name)) return this.debugCheck(name, args, node, scope);
    return this.builtin(name, args, node, scope);
  }

  private callCompiled(name: string, c: Compiled, args: Node[], node: Node, scope: Scope): Expr {
    if (args.length !== c.params.length)
      this.refuse(node, `${name} takes ${c.params.length} arguments, given ${args.length}`);
    const runs = args.map((a, i) => this.convertTo(this.expression(a, scope), c.params[i]!, a).run);
    return {
      type: c.returns,
      run: (f) =>
        c.run(
          f.ctx,
          runs.map((r) => r(f)),
        ),
    };
  }

  /** The kernel's non-atomic helpers the series' headers call. */
  private builtin(name: string, args: Node[], node: Node, scope: Scope): Expr {
    const arity = (n: number) => {
      if (args.length !== n)
        this.refuse(node, `${name} takes ${n} argument${n === 1 ? '' : 's'}, given ${args.length}`);
    };
    switch (name) {
      case 'likely':
      case 'unlikely': {
        arity(1);
        return this.truthOf(this.expression(args[0]!, scope), args[0]!); // !!(x)
      }
      case 'page_folio':
      case 'compound_head': {
        arity(1);
        return this.pageArg(args[0]!, scope); // every modelled page is a head page
      }
      case 'rcu_read_lock':
      case 'rcu_read_unlock':
        arity(0);
        return VOID;
      case 'page_count_writable':
        arity(1);
        this.pageArg(args[0]!, scope);
        return constant('int', 1);
      case 'BIT': {
        arity(1);
        const n = this.convertTo(this.expression(args[0]!, scope), 'ulong', args[0]!);
        return this.binaryOf('<<', constant('ulong', 1n), n, node);
      }
      default:
        this.refuse(
          node,
          `unknown function ${name}: neither in the header nor a kernel call read here (atomic_*, likely, unlikely, VM_BUG_ON*, page_folio, BIT)`,
        );
    }
  }

  private pageArg(node: Node, scope: Scope): Expr {
    const e = this.expression(node, scope);
    if (e.type !== 'page') this.refuse(node, `expected a page or folio, found ${e.type}`);
    return e;
  }

  private atomicArg(node: Node, scope: Scope): (f: Frame) => Val {
    const e = this.expression(node, scope);
    if (e.type !== 'atomic')
      this.refuse(node, `expected an atomic_t pointer (&page->_refcount), found ${e.type}`);
    return e.run;
  }

  private intArg(node: Node, scope: Scope): (f: Frame) => Val {
    return this.convertTo(this.expression(node, scope), 'int', node).run;
  }

  /** An atomic_t call: one Cells call with the kernel's method and ordering. */
  private atomic(name: string, args: Node[], node: Node, scope: Scope): Expr {
    const arity = (n: number) => {
      if (args.length !== n)
        this.refuse(node, `${name} takes ${n} arguments, given ${args.length}`);
    };
    if (name === 'atomic_add_unless') {
      // raw_atomic_fetch_add_unless(): c = read(v); do { if (c == u) break; }
      //   while (!try_cmpxchg(v, &c, c + a)); return c != u;
      arity(3);
      const [v, a, u] = [
        this.atomicArg(args[0]!, scope),
        this.intArg(args[1]!, scope),
        this.intArg(args[2]!, scope),
      ];
      const read = KERNEL_ATOMICS.atomic_read.order as 'once';
      const cas = KERNEL_ATOMICS.atomic_try_cmpxchg.order as 'mb';
      return {
        type: 'bool',
        run: (f) => {
          const [p, add, unless] = [v(f) as number, a(f) as number, u(f) as number];
          const cells = f.ctx.cells;
          let c = (f.ctx.last = cells.load(p, read));
          while (c !== unless) {
            const seen = (f.ctx.last = cells.cas(p, c, (c + add) | 0, cas));
            if (seen === c) return 1;
            c = seen;
          }
          return 0;
        },
      };
    }
    const { method, order } = KERNEL_ATOMICS[name as KernelCall] as {
      method: string;
      order: Order;
    };
    if (method === 'load') {
      arity(1);
      const v = this.atomicArg(args[0]!, scope);
      const o = order as 'once';
      return { type: 'int', run: (f) => (f.ctx.last = f.ctx.cells.load(v(f) as number, o)) };
    }
    if (method === 'store') {
      arity(2);
      const [v, i] = [this.atomicArg(args[0]!, scope), this.intArg(args[1]!, scope)];
      const o = order as 'once';
      return {
        type: 'void',
        run: (f) => (f.ctx.cells.store(v(f) as number, i(f) as number, o), 0),
      };
    }
    if (method === 'cas') {
      if (name.startsWith('atomic_try_cmpxchg'))
        this.refuse(node, `${name} writes through a pointer to a local: not read`);
      arity(3);
      const [v, o1, n1] = [
        this.atomicArg(args[0]!, scope),
        this.intArg(args[1]!, scope),
        this.intArg(args[2]!, scope),
      ];
      const o = order as 'mb';
      return {
        type: 'int',
        run: (f) =>
          (f.ctx.last = f.ctx.cells.cas(v(f) as number, o1(f) as number, n1(f) as number, o)),
      };
    }
    // add or sub: atomic_{add,sub}(i, v), atomic_{inc,dec}(v), and their _return, fetch_ and
    // _and_test forms; the result derives from the old value Cells returns
    const unit = /^atomic_(inc|dec)/.test(name);
    arity(unit ? 1 : 2);
    const v = this.atomicArg(args[unit ? 0 : 1]!, scope);
    const i = unit ? () => 1 : this.intArg(args[0]!, scope);
    const sign = method === 'add' ? 1 : -1;
    const o = order as 'mb';
    const rmw =
      method === 'add'
        ? (f: Frame, p: number, d: number) => (f.ctx.last = f.ctx.cells.add(p, d, o))
        : (f: Frame, p: number, d: number) => (f.ctx.last = f.ctx.cells.sub(p, d, o));
    if (order === 'noreturn')
      return { type: 'void', run: (f) => (rmw(f, v(f) as number, i(f) as number), 0) };
    if (name.startsWith('atomic_fetch_'))
      return { type: 'int', run: (f) => rmw(f, v(f) as number, i(f) as number) };
    const andTest = name.endsWith('_and_test');
    return {
      type: andTest ? 'bool' : 'int',
      run: (f) => {
        const d = i(f) as number;
        const now = (rmw(f, v(f) as number, d) + sign * d) | 0;
        return andTest ? (now === 0 ? 1 : 0) : now;
      },
    };
  }

  /** VM_BUG_ON(cond) and its kin: with debug checks on, a true condition throws. */
  private debugCheck(name: string, args: Node[], node: Node, scope: Scope): Expr {
    const withObject = /_(PAGE|FOLIO)$/.test(name);
    if (args.length !== (withObject ? 2 : 1))
      this.refuse(node, `${name} takes ${withObject ? 2 : 1} arguments`);
    const cond = this.truthOf(this.expression(args[0]!, scope), args[0]!).run;
    if (withObject) this.pageArg(args[1]!, scope);
    if (!this.debug) return VOID; // compiled, never run: BUILD_BUG_ON_INVALID
    const what = `${name}(${args[0]!.text}) at ${this.header.file}:${node.startPosition.row + 1}`;
    return {
      type: 'void',
      run: (f) => {
        if (cond(f)) {
          const { op, page, last } = f.ctx;
          throw new PageRefDebugError(op as CheckedOperation, page, last, what);
        }
        return 0;
      },
    };
  }

  private addressOf(node: Node, scope: Scope): Expr {
    const op = node.childForFieldName('operator')?.text ?? node.child(0)!.text;
    const arg = node.childForFieldName('argument')!;
    if (
      op !== '&' ||
      arg.type !== 'field_expression' ||
      arg.childForFieldName('operator')?.text !== '->'
    )
      this.refuse(node, 'only &page->_refcount, &folio->_refcount and &folio->page are read');
    const base = this.pageArg(arg.childForFieldName('argument')!, scope);
    const field = arg.childForFieldName('field')!.text;
    if (field === '_refcount') return { ...base, type: 'atomic' };
    if (field === 'page') return base; // a folio's head page is the folio
    this.refuse(arg, `field ${field} is not read (only _refcount and page)`);
  }

  private assignment(node: Node, scope: Scope): Expr {
    const left = node.childForFieldName('left')!;
    const op = node.childForFieldName('operator')!.text;
    if (op !== '=') this.refuse(node, `assignment ${op} is not read`);
    const b = left.type === 'identifier' ? scope.names.get(left.text) : undefined;
    if (b?.kind !== 'local') this.refuse(left, 'only a local variable is assigned to');
    const { slot, type } = b;
    const right = this.convertTo(
      this.expression(node.childForFieldName('right')!, scope),
      type,
      node,
    ).run;
    return { type, run: (f) => (f.slots[slot] = right(f)) };
  }

  private unary(node: Node, scope: Scope): Expr {
    const op = node.childForFieldName('operator')!.text;
    const e = this.expression(node.childForFieldName('argument')!, scope);
    if (!isInt(e.type)) this.refuse(node, `${op} of ${e.type}`);
    if (op === '!') {
      const run = e.run;
      return fold({ type: 'int', run: (f) => (truth(run(f)) ? 0 : 1) }, e);
    }
    const t = common(e.type, 'int');
    const x = this.convertTo(e, t, node);
    if (op === '+') return x;
    if (op === '-') return this.binaryOf('-', this.convertTo(constant('int', 0), t, node), x, node);
    if (op === '~')
      return this.binaryOf('^', x, this.convertTo(constant('int', -1), t, node), node);
    this.refuse(node, `unary ${op} is not read`);
  }

  private binary(node: Node, scope: Scope): Expr {
    const op = node.childForFieldName('operator')!.text;
    const a = this.expression(node.childForFieldName('left')!, scope);
    const b = this.expression(node.childForFieldName('right')!, scope);
    if (op === '&&' || op === '||') {
      const [x, y] = [this.truthOf(a, node).run, this.truthOf(b, node).run];
      const and = op === '&&';
      return fold(
        { type: 'int', run: and ? (f) => (x(f) ? y(f) : 0) : (f) => (x(f) ? 1 : y(f)) },
        a,
        b,
      );
    }
    return this.binaryOf(op, a, b, node);
  }

  /** An arithmetic, shift or comparison operator, after C's conversions. */
  private binaryOf(op: string, a: Expr, b: Expr, node: Node): Expr {
    if (!isInt(a.type) || !isInt(b.type)) this.refuse(node, `${a.type} ${op} ${b.type}`);
    const shift = op === '<<' || op === '>>';
    // a shift has the promoted left operand's type; the others the operands' common type
    const t = shift ? common(a.type, 'int') : common(a.type, b.type);
    const x = this.convertTo(a, t, node).run;
    const y = (
      shift
        ? this.convertTo(b, t === 'long' || t === 'ulong' ? t : 'int', node)
        : this.convertTo(b, t, node)
    ).run;
    if (compare(op, 0, 0) !== undefined) {
      return fold({ type: 'int', run: (f) => compare(op, x(f), y(f))! }, a, b);
    }
    if (
      arithmetic(
        op,
        t,
        t === 'long' || t === 'ulong' ? 0n : 0,
        t === 'long' || t === 'ulong' ? 0n : 0,
      ) === undefined
    )
      this.refuse(node, `operator ${op} is not read`);
    return fold({ type: t, run: (f) => arithmetic(op, t, x(f), y(f))! }, a, b);
  }

  /** `!!(e)`: 0 or 1. */
  private truthOf(e: Expr, node: Node): Expr {
    if (!isInt(e.type)) this.refuse(node, `the truth of ${e.type}`);
    const run = e.run;
    return fold({ type: 'int', run: (f) => (truth(run(f)) ? 1 : 0) }, e);
  }

  private convertTo(e: Expr, to: CType, node: Node): Expr {
    if (e.type === to) return e;
    if (to === 'void') return { ...e, type: 'void' };
    if (!isInt(e.type) || !isInt(to)) this.refuse(node, `${e.type} where ${to} is expected`);
    const from = e.type as IntType;
    const run = e.run;
    return fold({ type: to, run: (f) => convert(run(f), from, to as IntType) }, e);
  }
}

const constant = (type: CType, value: Val): Expr => ({ type, run: () => value, value });

/** `e`, computed now if every operand is a constant. */
function fold(e: Expr, ...operands: Expr[]): Expr {
  if (!operands.every((o) => o.value !== undefined)) return e;
  const value = e.run(undefined as unknown as Frame);
  return constant(e.type, value);
}
