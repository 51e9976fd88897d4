/**
 * `pageref barriers`: for every page_ref function, whether a strategy keeps the memory
 * barrier guarantees of another (classic, mainline page_ref.h) under LKMM: same, stronger
 * or weaker, and for each difference the distinguishing client as two kernel litmus files
 * (one per strategy), each checked by pageref's LKMM litmus checker so that the files show
 * the difference on their own: the one whose strategy allows the outcome answers
 * `Sometimes`, the other `Never`.
 *
 * @module
 */

import { LKMM } from '../axiomatic/models/lkmm.js';
import { modelRuns } from '../axiomatic/codeTraces.js';
import { Budget, LimitReached } from '../axiomatic/limits.js';
import type { Outcome } from '../axiomatic/run.js';
import { observedPlaces, passesFilter, satisfies } from '../litmus/condition.js';
import { programOf } from '../litmus/traces.js';
import { parseLitmus } from '../litmus/parse.js';
import { validate } from '../litmus/validate.js';
import { PAGE_REF_FUNCTIONS } from '../refcount/pageRefApi.js';
import type { Strategy } from '../refcount/strategy.js';
import type { PageRefFunction } from './clients.js';
import {
  compareFunction,
  type BarrierOptions,
  type Difference,
  type FunctionBarriers,
} from './compareBarriers.js';
import { clientLitmus, kernelName } from './litmusOut.js';
import { formatTable } from '../text/table.js';

/** A litmus file written for a difference, with pageref's LKMM answer. */
export interface BarrierLitmus {
  /** The file's name without `.litmus`; also the test's name. */
  name: string;
  strategy: string;
  text: string;
  /** pageref's LKMM answer for the exists clause. */
  answer: 'Sometimes' | 'Never' | 'Always' | 'incomplete';
  /** What the difference needs: Sometimes for the allowing strategy, Never for the other. */
  expected: 'Sometimes' | 'Never';
}

export interface BarrierReport {
  base: string;
  test: string;
  functions: FunctionBarriers[];
  litmus: BarrierLitmus[];
}

export interface BarrierRunOptions extends BarrierOptions {
  /** Only these functions. Default: every page_ref function. */
  functions?: readonly PageRefFunction[];
  /** Called after each function. */
  progress?: (f: FunctionBarriers) => void;
}

/** Compares `test` with `base`, function by function, and writes out each difference. */
export function checkBarriers(
  base: Strategy,
  test: Strategy,
  options: BarrierRunOptions = {},
): BarrierReport {
  const functions: FunctionBarriers[] = [];
  const litmus: BarrierLitmus[] = [];
  for (const fn of options.functions ?? PAGE_REF_FUNCTIONS) {
    const f = compareFunction(fn, base, test, options);
    functions.push(f);
    options.progress?.(f);
    for (const d of [f.weaker[0], f.stronger[0]]) {
      if (!d) continue;
      const [allowing, forbidding] = d.direction === 'weaker' ? [test, base] : [base, test];
      litmus.push(
        litmusFor(d, allowing, d.allows.calls, 'Sometimes'),
        litmusFor(d, forbidding, d.forbids.calls, 'Never'),
      );
    }
  }
  return { base: base.name, test: test.name, functions, litmus };
}

/** A difference's client for one strategy, and pageref's LKMM answer. */
function litmusFor(
  d: Difference,
  strategy: Strategy,
  calls: Difference['allows']['calls'],
  expected: 'Sometimes' | 'Never',
): BarrierLitmus {
  const name = `${litmusName(d)}+${strategy.name}`;
  const comment = [
    `pageref barriers: ${kernelName(d.client.fn)}() in ${d.client.name}, as ${strategy.name} writes it.`,
    `The exists clause is an outcome that ${expected === 'Sometimes' ? 'this strategy allows and the other forbids' : 'the other strategy allows and this one forbids'}`,
    `under LKMM (pageref's answer: ${expected}). Regenerate: pageref barriers --out DIR.`,
  ].join('\n');
  const text = clientLitmus(name, d.client, strategy, calls, d.outcome, comment);
  return { name, strategy: strategy.name, text, answer: answerOf(text, name), expected };
}

/** A litmus name herd7 takes: the client's name with only letters, digits, + and -. */
function litmusName(d: Difference): string {
  return d.client.name
    .replace(d.client.fn, kernelName(d.client.fn))
    .replace(/[@.(),]+/g, '-')
    .replace(/-+$/, '')
    .replace(/[^A-Za-z0-9+_-]/g, '-');
}

/**
 * pageref's LKMM answer for a litmus text: its parser, trace builder and LKMM, as `pageref
 * check` runs them, with one difference: the traces are combined as the code engine
 * combines them (only choices whose reads can be matched, and whose RMWs can form one
 * coherence chain, one model run each), because an unrolled page_ref call reads values the
 * litmus front end's bounds would refuse (`max-traces`). The executions counted are the same.
 */
export function answerOf(text: string, file: string): BarrierLitmus['answer'] {
  const test = parseLitmus(text, file);
  validate(test, file);
  // a safety net only: the files are small, and a verdict must not depend on the load
  const budget = new Budget({ maxSeconds: 600 });
  const observed = new Set(
    observedPlaces(test)
      .filter((p) => p.kind === 'loc')
      .map((p) => p.name),
  );
  let positive = 0;
  let negative = 0;
  try {
    const program = programOf(test, file, { budget, maxTraces: 1_000_000 });
    const options = { budget, observed, filter: (o: Outcome) => passesFilter(test, o) };
    for (const { result: r } of modelRuns(
      program,
      LKMM,
      () => options,
      () => budget.check(),
    )) {
      if (r.kind !== 'complete') return 'incomplete';
      for (const a of r.allowed) {
        if (satisfies(test, a.outcome)) positive += a.executions;
        else negative += a.executions;
      }
    }
  } catch (e) {
    if (e instanceof LimitReached) return 'incomplete';
    throw e;
  }
  // no execution at all is no answer, not Never (what a base file expects)
  if (positive + negative === 0) return 'incomplete';
  if (positive === 0) return 'Never';
  return negative === 0 ? 'Always' : 'Sometimes';
}

/** The per-function table, as text. */
export function formatBarriers(r: BarrierReport): string {
  const rows = r.functions.map((f) => [
    kernelName(f.fn),
    f.fn,
    String(f.clients),
    f.verdict,
    String(f.weaker.length),
    String(f.stronger.length),
    String(f.notInBase),
    String(f.scDiffers),
    f.weaker[0]?.client.name ?? f.stronger[0]?.client.name ?? '',
  ]);
  const head = [
    'kernel function',
    'api',
    'clients',
    `${r.test} vs ${r.base}`,
    'weaker',
    'stronger',
    'not in base',
    'SC differs',
    'first distinguishing client',
  ];
  const out = [
    `Barrier guarantees under LKMM: ${r.test} against ${r.base}, per page_ref function`,
    '',
    ...formatTable(head, rows),
  ];
  const bad = r.functions.filter((f) => f.incomplete.length > 0);
  for (const f of bad)
    out.push(
      `${f.fn}: ${f.incomplete.length} client(s) with no verdict (cut or limit): ${f.incomplete.slice(0, 3).join(', ')}`,
    );
  if (r.litmus.length > 0) {
    out.push('', 'Distinguishing clients as kernel litmus files (pageref LKMM answer):');
    for (const l of r.litmus) {
      const ok = l.answer === l.expected ? 'as expected' : `EXPECTED ${l.expected}`;
      out.push(`  ${l.name}.litmus  ${l.answer}  (${ok})`);
    }
  }
  return out.join('\n');
}
