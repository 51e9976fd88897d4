/**
 * The front end's half of the axiomatic seam (src/axiomatic/events.ts): from a litmus test to
 * every trace each process can produce (symbolic.ts runs a process), and each location's
 * initial value.
 *
 * The values a read may return are a fixpoint: start from the initial values, run every
 * process, add every value written to each location, and run again until nothing changes.
 * Without loops a value that a real execution can produce comes from a chain of distinct
 * static writes, so (static write sites + 1) rounds find them all; a program whose values
 * keep growing (`WRITE_ONCE(*x, READ_ONCE(*x) + 1)` in two processes) stops there.
 */
import type { Program, Value } from '../axiomatic/events.js';
import { LimitReached } from '../axiomatic/limits.js';
import type { Expr, LitmusTest, Stmt } from './ast.js';
import { primitiveOf } from './herdForms.js';
import { tracesOf, type Domains, type Mode } from './symbolic.js';
import { validate } from './validate.js';

export interface TraceOptions {
  /** Refuse a process with more traces than this. Default 10,000 (each holds its events). */
  maxTraces?: number;
  /** Refuse a location that may hold more values than this. Default 1,000. */
  maxValues?: number;
  /**
   * Checked in each round, each trace and each read; it throws (the model's LimitReached) to
   * stop a run that would take too long, and that exception passes through untouched.
   */
  budget?: { check(): void };
}

/**
 * Every trace of every process of `test`, and every location's initial value.
 * @throws LitmusSyntaxError when the test is invalid, with a location; LimitReached
 *   (src/axiomatic/limits.ts) past maxTraces (`max-traces=N`), maxValues (`max-values=N`) or
 *   the budget: a run stopped by a limit, which runLitmusModel reports as incomplete
 */
export function programOf(
  test: LitmusTest,
  file = '<litmus>',
  options: TraceOptions = {},
): Program {
  const scope = validate(test, file);
  const init = new Map<string, Value>();
  for (const name of scope.locations) init.set(name, 0);
  for (const item of test.init) init.set(item.name, item.value);

  const domains: Domains = new Map(
    [...init].map(([loc, v]) => [loc, [{ value: v, writer: -1, line: 0, column: 0 }]]),
  );
  const seen = new Set<string>();
  const run = (mode: Mode) =>
    test.processes.map((p, i) =>
      tracesOf({ test, proc: p, index: i, scope, domains, file, mode }, options),
    );
  const rounds = writeSites(test) + 1;
  for (let round = 0; round < rounds; round++) {
    options.budget?.check();
    let grew = false;
    const max = options.maxValues ?? 1000;
    run('values').forEach((traces, writer) => {
      for (const t of traces) {
        for (const e of t.events) {
          if (e.kind !== 'W' || e.value === undefined) continue;
          // numbers and addresses apart: 1 and '1' are different values
          const key = `${e.loc} ${typeof e.value} ${e.value} ${writer} ${e.at.line}:${e.at.column}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const d = domains.get(e.loc!)!;
          d.push({ value: e.value, writer, ...e.at });
          grew = true;
          if (!d.slice(0, -1).some((w) => w.value === e.value) && distinct(d) > max) {
            throw new LimitReached(
              `max-values=${max}`,
              `${file}:${e.at.line}:${e.at.column}: location ${e.loc} may hold more than ${max} values`,
            );
          }
        }
      }
    });
    if (!grew) break;
  }
  return { init, traces: run('trace') };
}

const distinct = (d: { value: Value }[]) => new Set(d.map((w) => w.value)).size;

/** Places in the code that may write memory: the cap on the fixpoint's rounds. */
function writeSites(test: LitmusTest): number {
  let n = 0;
  const expr = (e: Expr): void => {
    if (e.kind === 'call') {
      const op = primitiveOf(e.name)?.sem.op;
      if (op && op !== 'load' && op !== 'fence' && op !== 'srcu-lock' && op !== 'sync-srcu') n++;
      e.args.forEach(expr);
    } else if (e.kind === 'binary') {
      expr(e.left);
      expr(e.right);
    } else if (e.kind === 'unary') expr(e.operand);
    else if (e.kind === 'deref') expr(e.pointer);
  };
  const stmts = (ss: Stmt[]): void => {
    for (const s of ss) {
      if (s.kind === 'store') {
        n++;
        expr(s.pointer);
        expr(s.expr);
      } else if (s.kind === 'decl' && s.init) expr(s.init);
      else if (s.kind === 'assign' || s.kind === 'expr') expr(s.expr);
      else if (s.kind === 'if') {
        expr(s.cond);
        stmts(s.then);
        stmts(s.else);
      }
    }
  };
  for (const p of test.processes) stmts(p.body);
  return n;
}
