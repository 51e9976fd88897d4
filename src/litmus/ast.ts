/** The syntax tree of a C litmus test (herd7's C dialect, the subset DESIGN.md §3 lists). */

export interface Location {
  line: number;
  column: number;
}

export type Expr =
  | { kind: 'num'; value: number }
  | { kind: 'var'; name: string; at: Location }
  | { kind: 'deref'; name: string; at: Location }
  | { kind: 'addr'; name: string; at: Location }
  | { kind: 'call'; name: string; args: Expr[]; at: Location }
  | { kind: 'binary'; op: string; left: Expr; right: Expr }
  | { kind: 'unary'; op: string; operand: Expr };

export type Stmt =
  | { kind: 'decl'; name: string; init: Expr | undefined; at: Location }
  | { kind: 'assign'; name: string; expr: Expr; at: Location }
  | { kind: 'store'; name: string; expr: Expr; at: Location }
  | { kind: 'expr'; expr: Expr }
  | { kind: 'if'; cond: Expr; then: Stmt[]; else: Stmt[] }
  | { kind: 'unsupported'; what: string; at: Location };

export type Operand =
  | { kind: 'reg'; thread: number; name: string }
  | { kind: 'loc'; name: string }
  | { kind: 'num'; value: number };

export type Prop =
  | { kind: 'atom'; op: '==' | '!='; left: Operand; right: Operand }
  | { kind: 'and' | 'or'; left: Prop; right: Prop }
  | { kind: 'not'; prop: Prop }
  | { kind: 'const'; value: boolean };

export interface Process {
  id: number;
  params: string[];
  body: Stmt[];
  at: Location;
}

export interface LitmusTest {
  arch: string;
  name: string;
  /** Shared locations and their initial values, in order of declaration. */
  init: { name: string; value: number }[];
  /** Initial register values, e.g. `0:r0=1;` in the init block. */
  registerInit: { thread: number; name: string; value: number }[];
  processes: Process[];
  quantifier: 'exists' | '~exists' | 'forall';
  condition: Prop;
  /** The condition as written, whitespace normalized. */
  conditionText: string;
}
