/**
 * The syntax tree of a C litmus test in herd7's dialect, as the Linux kernel's
 * tools/memory-model/litmus-tests write them. Every node that a message may point at carries
 * its source position; checking names and arities is validate.ts's job, not the grammar's.
 */
import type { Value } from '../axiomatic/events.js';

export type { Value };

/** A position in the litmus file (1-based), for messages. */
export interface Location {
  line: number;
  column: number;
}

export type Expr =
  | { kind: 'num'; value: number; at: Location }
  /** A register, or a shared location's name (which denotes its address, as a parameter). */
  | { kind: 'var'; name: string; at: Location }
  /** `*e`: a plain (unannotated) access through the pointer `e`. */
  | { kind: 'deref'; pointer: Expr; at: Location }
  /** `&x`: the address of the shared location x. */
  | { kind: 'addr'; name: string; at: Location }
  | { kind: 'call'; name: string; args: Expr[]; at: Location }
  | { kind: 'binary'; op: string; left: Expr; right: Expr; at: Location }
  | { kind: 'unary'; op: '!' | '~' | '-'; operand: Expr; at: Location };

export type Stmt =
  /** `int r0;`, `int *r0;`, `int a = READ_ONCE(*x);` (type: `int`, `unsigned int`, …) */
  | {
      kind: 'decl';
      name: string;
      type: string;
      pointer: boolean;
      init: Expr | undefined;
      at: Location;
    }
  /** `r0 = e;` */
  | { kind: 'assign'; name: string; expr: Expr; at: Location }
  /** `*p = e;`: a plain store through the pointer `p`. */
  | { kind: 'store'; pointer: Expr; expr: Expr; at: Location }
  | { kind: 'expr'; expr: Expr; at: Location }
  /** `if`; `loop` when it is one of the tests of an unrolled `while` (grammar.ts, unrollWhile). */
  | { kind: 'if'; cond: Expr; then: Stmt[]; else: Stmt[]; loop?: true; at: Location }
  /**
   * Where an unrolled `while` would start one iteration more than herd7 runs (its `-unroll`,
   * 2): the process stops there, and herd7 drops every execution that gets there.
   */
  | { kind: 'cutoff'; at: Location };

/** A place the final condition reads: a process's register or a shared location. */
export type CondLoc =
  | { kind: 'reg'; thread: number; name: string; at: Location }
  | { kind: 'loc'; name: string; at: Location };

/** The right of `=` in a condition: a number, the address of a location (`1:r0=x`), or a place. */
export type CondValue =
  | CondLoc
  | { kind: 'num'; value: number; at: Location }
  | { kind: 'addr'; name: string; at: Location };

export type Prop =
  | { kind: 'atom'; op: '==' | '!='; left: CondLoc; right: CondValue }
  | { kind: 'and' | 'or' | 'implies'; left: Prop; right: Prop }
  | { kind: 'not'; prop: Prop }
  | { kind: 'const'; value: boolean };

/**
 * Calls `visit` on both sides of every atom of `p`, left before right, in source order.
 * Iterative: a condition of 50,000 terms is a tree 50,000 deep.
 */
export function forEachAtomSide(p: Prop, visit: (side: CondLoc | CondValue) => void): void {
  const stack = [p];
  for (let q = stack.pop(); q !== undefined; q = stack.pop()) {
    if (q.kind === 'atom') {
      visit(q.left);
      visit(q.right);
    } else if (q.kind === 'not') stack.push(q.prop);
    else if (q.kind !== 'const') stack.push(q.right, q.left);
  }
}

/** A chain of one connective (`and`, `or` or `implies`). */
export type Chain = Extract<Prop, { kind: 'and' | 'or' | 'implies' }>;

/**
 * The operands of a chain of one connective, left to right, walking its left spine without
 * recursion: `a \/ b \/ c`, parsed ((a \/ b) \/ c), gives [a, b, c]. The grammar makes
 * every `/\` and `\/` chain left-deep, so a recursion over a proposition that goes through
 * chainOf nests only as deep as its brackets, `not`s (which parse.ts bounds, MAX_NESTING)
 * and `=>`s, which herd7 nests to the right: `a => b => c` gives [a, (b => c)].
 */
export function chainOf(p: Chain): Prop[] {
  const rights: Prop[] = [];
  let q: Prop = p;
  for (; q.kind === p.kind; q = (q as Chain).left) rights.push((q as Chain).right);
  rights.push(q);
  return rights.reverse();
}

export interface Process {
  id: number;
  params: { name: string; type: string; at: Location }[];
  body: Stmt[];
  at: Location;
}

/** A shared location's declaration in the init block: `int x = 1;`, `p=y;`, `spinlock_t l;`. */
export interface InitItem {
  name: string;
  /** The type as written (`int`, `atomic_t`, `spinlock_t`, `int *`); '' when none. */
  type: string;
  value: Value;
  at: Location;
}

export interface LitmusTest {
  arch: string;
  name: string;
  /** Shared locations and their initial values, in order of declaration. */
  init: InitItem[];
  /** Initial register values, e.g. `0:r0=1;` or `0:r1=x;` in the init block. */
  registerInit: { thread: number; name: string; value: Value; at: Location }[];
  /** Processes in the order written (validate checks the ids are 0..n-1, each once). */
  processes: Process[];
  /** `locations [0:r1; x]`: more places to show in each final state. */
  locations: CondLoc[];
  /** `filter (...)`: executions that fail it are dropped before anything is counted. */
  filter: Prop | undefined;
  quantifier: 'exists' | '~exists' | 'forall';
  condition: Prop;
  /** The condition as herd7 prints it: `exists (1:r0=1 /\ [x]=0)`. */
  conditionText: string;
  at: { arch: Location; condition: Location };
  /**
   * Constructs that pageref reads but herd7 7.58's C front end refuses (a hex constant in
   * code, `&&`, `unsigned`, …), in source order: the file runs here, not under herd7.
   */
  herd7Refuses: { at: Location; what: string }[];
}
