/**
 * Hand-made traces for the model's tests, before (and apart from) the litmus front end:
 * `proc(domains, body)` runs `body` once per combination of the values its reads may return,
 * as the front end does.
 */

import type { Program, ThreadTrace, TraceEvent, Value } from '../../src/axiomatic/events.js';
import { product } from '../../src/axiomatic/candidates.js';

const AT = { line: 0, column: 0 };
type Deps = { addr?: number[]; data?: number[]; ctrl?: number[]; rmwRead?: number };

export function r(
  loc: string,
  value: Value,
  tags: string[] = ['ONCE'],
  deps: Deps = {},
): TraceEvent {
  return { kind: 'R', loc, value, tags, addr: [], data: [], ctrl: [], ...deps, at: AT };
}
export function w(
  loc: string,
  value: Value,
  tags: string[] = ['ONCE'],
  deps: Deps = {},
): TraceEvent {
  return { kind: 'W', loc, value, tags, addr: [], data: [], ctrl: [], ...deps, at: AT };
}
export function f(tag: string, loc?: string): TraceEvent {
  return { kind: 'F', ...(loc ? { loc } : {}), tags: [tag], addr: [], data: [], ctrl: [], at: AT };
}
/** spin_lock(l): LKR then LKW, the LKW pointing at its read (index `at` of the LKR). */
export function lock(l: string, at: number): TraceEvent[] {
  return [r(l, 0, ['LKR']), w(l, 1, ['LKW'], { rmwRead: at })];
}
export const unlock = (l: string): TraceEvent => w(l, 0, ['UL']);

/** Every trace of a process whose k-th read may return any of domains[k]. */
export function proc(
  domains: Value[][],
  body: (v: Value[]) => { events: TraceEvent[]; registers?: Record<string, Value> },
): ThreadTrace[] {
  return [...product(domains)].map((v) => {
    const { events, registers } = body(v);
    return { events, registers: registers ?? {} };
  });
}

export function program(locations: string[], ...traces: ThreadTrace[][]): Program {
  return { init: new Map(locations.map((l) => [l, 0])), traces };
}
