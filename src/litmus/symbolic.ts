/**
 * The symbolic executor behind programOf (traces.ts): one process run once per combination
 * of the values its reads may return, producing herd7's events (linux-kernel.def, variant
 * lkmmv2: an RMW's read and write both carry the annotation), the addr/data/ctrl
 * dependencies that flow through registers, and the final registers.
 *
 * A run takes each read's value from a replayed choice vector; tracesOf walks every vector
 * depth-first. Plain accesses are events like any other: dependencies through memory are the
 * model's carry-dep.
 */
import type { ThreadTrace, TraceEvent, Value } from '../axiomatic/events.js';
import { forEachChoice } from '../axiomatic/choices.js';
import { LimitReached } from '../axiomatic/limits.js';
import type { Expr, LitmusTest, Location, Process, Stmt } from './ast.js';
import { LitmusSyntaxError } from './parse.js';
import { applyOp, atomicResult, type Annotation } from './primitives.js';
import { primitiveOf } from './herdForms.js';
import type { TraceOptions } from './traces.js';
import type { Scope } from './validate.js';
import { binaryOp, truthy, unaryOp } from './values.js';

/**
 * 'values' runs collect the values each location may be written with: every branch is
 * taken whatever its condition, as herd7 explores both sides of a branch on a value it
 * has not solved yet (dep+plain's `if (*z2 == 1) WRITE_ONCE(*y, 1)` gives y the value 1,
 * which the candidate where x=1 needs), and a path that would fault is dropped.
 * 'trace' runs follow the conditions and produce the traces; a fault there is an error.
 */
export type Mode = 'values' | 'trace';

/**
 * Per location, the values it may be written with and where: a process reads its own
 * write only if the write's site comes first in the text, which without loops is program
 * order (an atomic_inc does not read the value it writes).
 */
export type Domains = Map<string, { value: Value; writer: number; line: number; column: number }[]>;

/** A path of a 'values' run that cannot happen (it faults on a value it assumed). */
class Infeasible extends Error {}

/** A run that reached an unrolled while loop's cutoff (ast.ts, `cutoff`). */
class Cutoff extends Error {}

/**
 * The register that marks a trace cut off by herd7's unrolling limit: a name no litmus
 * register can have. modelRun.ts drops the executions whose outcome holds it, as herd7 drops
 * those with its CutOff event, and says `Loop` when there were some.
 */
export const CUTOFF_REGISTER = '(cutoff)';

export interface RunContext {
  test: LitmusTest;
  proc: Process;
  index: number;
  scope: Scope;
  domains: Domains;
  file: string;
  mode: Mode;
}

/** A value and the reads (event indices in this trace) it was computed from. */
interface Tainted {
  v: Value;
  deps: readonly number[];
}
const PURE: readonly number[] = [];

function union(...sets: (readonly number[])[]): readonly number[] {
  const nonEmpty = sets.filter((s) => s.length > 0);
  // the common cases: no dependency, or one operand's
  if (nonEmpty.length === 0) return PURE;
  if (nonEmpty.length === 1 || nonEmpty.every((s) => s === nonEmpty[0])) return nonEmpty[0]!;
  return [...new Set(nonEmpty.flat())].sort((a, b) => a - b);
}

/** Every trace of one process: depth-first over the choice vector, by replay. */
export function tracesOf(run: RunContext, options: TraceOptions): ThreadTrace[] {
  const { proc, file } = run;
  const max = options.maxTraces ?? 10_000;
  const out: ThreadTrace[] = [];
  // the values each read site may return: fixed while the domains are
  const valuesAt = new Map<string, Value[]>();
  forEachChoice(
    (choose) => {
      try {
        out.push(runOnce(run, choose, options.budget, valuesAt));
      } catch (e) {
        if (!(e instanceof Infeasible)) throw e;
      }
      if (out.length > max) {
        // a limit of the run, not an error of the file: the run is incomplete (exit 1)
        throw new LimitReached(
          `max-traces=${max}`,
          `${file}:${proc.at.line}:${proc.at.column}: P${proc.id} has more than ${max} traces (its reads may return too many values)`,
        );
      }
    },
    () => options.budget?.check(),
  );
  return out;
}

/** One run of `proc`, taking each read's value from `choose`. */
function runOnce(
  { test, proc, index, scope, domains, file, mode }: RunContext,
  choose: (alternatives: number) => number,
  budget: TraceOptions['budget'],
  valuesAt: Map<string, Value[]>,
): ThreadTrace {
  const events: TraceEvent[] = [];
  const regs = new Map<string, Tainted>();
  for (const r of test.registerInit)
    if (r.thread === index) regs.set(r.name, { v: r.value, deps: PURE });
  let ctrl: readonly number[] = PURE;
  // inside an unrolled while loop, a read may return a value its own process writes later
  // in the text (in the previous iteration)
  let loops = 0;

  const fail = (at: Location, what: string): never => {
    if (mode === 'values') throw new Infeasible(what);
    throw new LitmusSyntaxError(file, at.line, at.column, what);
  };
  const push = (e: Omit<TraceEvent, 'ctrl' | 'data' | 'addr'> & Partial<TraceEvent>): number => {
    events.push({ addr: PURE, data: PURE, ...e, ctrl });
    return events.length - 1;
  };
  /** The location a pointer value designates; a number is not one. */
  const address = (p: Tainted, at: Location, what: string): string => {
    if (typeof p.v !== 'string') {
      return fail(
        at,
        `${what} uses ${p.v} as an address (in P${proc.id}'s run where its reads return ${describeReads(events)})`,
      );
    }
    return p.v;
  };
  const number = (t: Tainted, at: Location, what: string): number => {
    if (typeof t.v !== 'number') return fail(at, `${what}: the pointer &${t.v} is not a number`);
    return t.v;
  };
  const read = (loc: string, tags: string[], addr: readonly number[], at: Location): Tainted => {
    budget?.check();
    const site = `${loc} ${at.line}:${at.column}`;
    let values = valuesAt.get(site);
    if (!values) {
      const earlier = (w: { writer: number; line: number; column: number }) =>
        loops > 0 ||
        w.writer !== index ||
        w.line < at.line ||
        (w.line === at.line && w.column < at.column);
      values = [
        ...new Set(
          domains
            .get(loc)!
            .filter(earlier)
            .map((w) => w.value),
        ),
      ];
      valuesAt.set(site, values);
    }
    const value = values[choose(values.length)]!;
    return { v: value, deps: [push({ kind: 'R', loc, value, tags, addr, at })] };
  };

  const ev = (e: Expr): Tainted => {
    switch (e.kind) {
      case 'num':
        return { v: e.value, deps: PURE };
      case 'var':
        // a register, or a shared location's name, which denotes its address
        return (
          regs.get(e.name) ??
          (scope.registers[index]!.includes(e.name)
            ? { v: 0, deps: PURE }
            : { v: e.name, deps: PURE })
        );
      case 'addr':
        return { v: e.name, deps: PURE };
      case 'deref': {
        const p = ev(e.pointer);
        return read(address(p, e.at, '*'), [], p.deps, e.at);
      }
      case 'unary': {
        const o = ev(e.operand);
        return { v: unaryOp(e.op, o.v, (what) => fail(e.at, what)), deps: o.deps };
      }
      case 'binary': {
        // herd7 evaluates both operands of && and || (no short circuit in its C semantics)
        const l = ev(e.left);
        const r = ev(e.right);
        return {
          v: binaryOp(e.op, l.v, r.v, (what) => fail(e.at, what)),
          deps: union(l.deps, r.deps),
        };
      }
      case 'call':
        return call(e);
    }
  };

  const call = (e: Extract<Expr, { kind: 'call' }>): Tainted => {
    const prim = primitiveOf(e.name)!;
    const sem = prim.sem;
    const at = e.at;
    // the location argument: `*p` for 'lval', `p` for 'ptr'
    const locArg = prim.args.findIndex((k) => k === 'lval' || k === 'ptr');
    const pointer =
      locArg < 0
        ? undefined
        : ev(
            prim.args[locArg] === 'lval'
              ? (e.args[locArg] as Extract<Expr, { kind: 'deref' }>).pointer
              : e.args[locArg]!,
          );
    const loc = pointer && address(pointer, at, `${e.name}()`);
    const addr = pointer?.deps ?? PURE;
    const vals = e.args
      .map((a, k) => (prim.args[k] === 'val' ? ev(a) : undefined))
      .filter((v): v is Tainted => v !== undefined);
    const tags = (annot: Annotation) => [annot, 'RMW'];
    const plainOr = (annot: Annotation | null) => (annot === null ? [] : [annot]);
    /** The write half of a read-modify-write whose read is `old`. */
    const rmwWrite = (annot: Annotation, value: Value, data: readonly number[], old: Tainted) =>
      push({
        kind: 'W',
        loc,
        value,
        tags: tags(annot),
        addr,
        data,
        rmwRead: old.deps[0]!,
        at,
      });
    switch (sem.op) {
      case 'load':
        return read(loc!, plainOr(sem.annot), addr, at);
      case 'store': {
        const v = vals[0]!;
        push({ kind: 'W', loc, value: v.v, tags: plainOr(sem.annot), addr, data: v.deps, at });
        if (sem.thenMb) push({ kind: 'F', tags: ['MB'], at });
        return { v: 0, deps: PURE };
      }
      case 'fence':
        push({ kind: 'F', tags: sem.tag === null ? [] : [sem.tag], at });
        return { v: 0, deps: PURE };
      case 'atomic': {
        const operand: Tainted =
          sem.constant !== undefined ? { v: sem.constant, deps: PURE } : vals[0]!;
        const old = read(loc!, tags(sem.annot), addr, at);
        const next = applyOp(sem.apply, number(old, at, e.name), number(operand, at, e.name));
        rmwWrite(sem.annot, next, operand.deps, old);
        const v = atomicResult(sem, old.v as number, next);
        return { v, deps: sem.returns === 'new' ? union(old.deps, operand.deps) : old.deps };
      }
      case 'xchg': {
        const v = vals[0]!;
        const old = read(loc!, tags(sem.annot), addr, at);
        rmwWrite(sem.annot, v.v, v.deps, old);
        return old;
      }
      case 'cmpxchg': {
        const [expected, desired] = vals as [Tainted, Tainted];
        const old = read(loc!, tags(sem.annot), addr, at);
        // success writes; failure is the lone read, still tagged RMW (FailedRMW in the bell)
        if (old.v === expected.v) {
          rmwWrite(sem.annot, desired.v, desired.deps, old);
        }
        return old;
      }
      case 'add_unless': {
        const [add, unless] = vals as [Tainted, Tainted];
        const old = read(loc!, tags(sem.annot), addr, at);
        if (old.v === unless.v) return { v: 0, deps: union(old.deps, unless.deps) };
        const next = applyOp('+', number(old, at, e.name), number(add, at, e.name));
        rmwWrite(sem.annot, next, add.deps, old);
        return { v: 1, deps: union(old.deps, unless.deps) };
      }
      case 'lock': {
        const r = push({ kind: 'R', loc, value: 0, tags: ['LKR'], addr, at });
        push({ kind: 'W', loc, value: 1, tags: ['LKW'], addr, rmwRead: r, at });
        return { v: 0, deps: PURE };
      }
      case 'unlock':
        push({ kind: 'W', loc, value: 0, tags: ['UL'], addr, at });
        return { v: 0, deps: PURE };
      case 'trylock': {
        // herd7's result is a constant: no dependency on the lock's events
        if (choose(2) === 0) {
          const r = push({ kind: 'R', loc, value: 0, tags: ['LKR'], addr, at });
          push({ kind: 'W', loc, value: 1, tags: ['LKW'], addr, rmwRead: r, at });
          return { v: 1, deps: PURE };
        }
        push({ kind: 'R', loc, value: 1, tags: ['LF'], addr, at });
        return { v: 0, deps: PURE };
      }
      case 'islocked': {
        const locked = choose(2) === 0;
        push({ kind: 'R', loc, value: locked ? 1 : 0, tags: [locked ? 'RL' : 'RU'], addr, at });
        return { v: locked ? 1 : 0, deps: PURE };
      }
      case 'srcu-lock': {
        // herd7 makes up the index: (proc + 1) * 307 + po * 599; not a memory read (no rf)
        const value = (index + 1) * 307 + events.length * 599;
        return { v: value, deps: [push({ kind: 'R', loc, value, tags: ['srcu-lock'], addr, at })] };
      }
      case 'srcu-unlock': {
        const v = vals[0]!;
        push({ kind: 'W', loc, value: v.v, tags: ['srcu-unlock'], addr, data: v.deps, at });
        return { v: 0, deps: PURE };
      }
      case 'sync-srcu':
        push({ kind: 'F', loc, tags: ['sync-srcu'], addr, at });
        return { v: 0, deps: PURE };
    }
  };

  const run = (ss: Stmt[]): void => {
    for (const s of ss) {
      switch (s.kind) {
        case 'decl':
          regs.set(s.name, s.init ? ev(s.init) : { v: 0, deps: PURE });
          break;
        case 'assign':
          regs.set(s.name, ev(s.expr));
          break;
        case 'store': {
          const p = ev(s.pointer);
          const v = ev(s.expr);
          const loc = address(p, s.at, '*… =');
          push({ kind: 'W', loc, value: v.v, tags: [], addr: p.deps, data: v.deps, at: s.at });
          break;
        }
        case 'expr':
          ev(s.expr);
          break;
        case 'if': {
          const c = ev(s.cond);
          // herd7's ctrl: from the reads the condition depends on to the events of the
          // branches only (CSem's If composes condition and branches with cond_comp); the
          // statements after the if are sequenced without control (inst_code_comp)
          const outside = ctrl;
          ctrl = union(ctrl, c.deps);
          const taken = mode === 'values' ? choose(2) === 0 : truthy(c.v);
          if (s.loop) loops++;
          run(taken ? s.then : s.else);
          if (s.loop) loops--;
          ctrl = outside;
          break;
        }
        case 'cutoff':
          throw new Cutoff();
      }
    }
  };
  let cutoff = false;
  try {
    run(proc.body);
  } catch (e) {
    if (!(e instanceof Cutoff)) throw e;
    cutoff = true;
  }
  const registers: Record<string, Value> = {};
  for (const name of scope.registers[index]!) registers[name] = regs.get(name)?.v ?? 0;
  if (cutoff) registers[CUTOFF_REGISTER] = 1;
  return { events, registers };
}

function describeReads(events: TraceEvent[]): string {
  const reads = events.filter((e) => e.kind === 'R').map((e) => `${e.loc}=${e.value}`);
  return reads.length === 0 ? 'nothing' : reads.join(', ');
}
