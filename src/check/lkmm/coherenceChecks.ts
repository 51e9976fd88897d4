/**
 * The checks along a coherence order: whether each free ran the destructor of the
 * incarnation it destroyed (the free flag's), and whether each count a thread observed is
 * what the SC world expects at its moment (the counter's).
 */

import { coOrder, type Execution } from '../../axiomatic/execution.js';
import type { Outcome } from '../../axiomatic/run.js';
import { typeName } from '../world.js';
import type { FoundViolation } from './lkmmResult.js';
import type { Ghost } from './lkmmOps.js';
import { holdersAtStart, type PageLayout, type Start } from './pageMemory.js';

/** One execution the model allows, with the page memory it ran over. */
export interface Allowed {
  x: Execution;
  /** Its final state: memory and each thread's registers (LkmmOps.registers). */
  o: Outcome;
  l: PageLayout;
  st: Start;
}

/**
 * Whether each free ran the destructor of the incarnation it destroyed: the one the
 * allocation before it began (or the setup's), in the coherence order of the page's free
 * flag, where each free writes 1 and each allocation's cmpxchg writes 0.
 */
export function wrongDestructor({ x, o, l, st }: Allowed, p: number): FoundViolation | undefined {
  const loc = l.name(l.freeCell(p));
  const writes = coOrder(x, loc).filter((e) => e.thread >= 0);
  let type = st.types[p]!;
  const frees = o.registers.map(() => 0);
  for (const w of writes) {
    const r = o.registers[w.thread]!;
    if (w.value === 0) {
      type = Number(r[`alloc${p}`]);
      continue;
    }
    const d = Number(r[`dtor${p}.${frees[w.thread]!++}`]);
    if (d !== type)
      return {
        kind: 'wrongDestructor',
        message: `T${w.thread} ran the destructor of ${typeName(d)} on p${p}, an incarnation of ${typeName(type)}`,
      };
  }
  return undefined;
}

/**
 * Whether each count a thread observed (count, the *Return calls) is what the SC world
 * expects at its moment: the moment is a write of the counter, in its coherence order (the
 * one a count reads from, a *Return's own); the holders, frozen and free there are the
 * ghost updates of the writes up to it. 0 while frozen or free, else the references held.
 */
export function wrongObservation({ x, o, l, st }: Allowed, p: number): FoundViolation | undefined {
  if (!o.registers.some((r) => r[`obs${p}`] !== undefined)) return undefined;
  const loc = l.name(p);
  const id = (thread: number, index: number) =>
    x.events.find((e) => e.thread === thread && e.index === index)!.id;
  const ghostsAt = new Map<number, Ghost[]>();
  o.registers.forEach((r, t) => {
    const gs = r[`ghost${p}`];
    if (typeof gs !== 'string') return;
    for (const g of JSON.parse(gs) as Ghost[]) {
      const w = id(t, g[0]);
      ghostsAt.set(w, [...(ghostsAt.get(w) ?? []), g]);
    }
  });
  // the state after each write, in co order
  const writes = coOrder(x, loc);
  const state = { held: holdersAtStart(st, p), frozen: st.frozenBy[p]! >= 0, free: st.free[p]! };
  const after = new Map<number, { held: number; frozen: boolean; free: boolean }>();
  for (const w of writes) {
    for (const [, what, amount] of ghostsAt.get(w.id) ?? []) {
      if (what === 'held') state.held += amount;
      else if (what === 'frozen') state.frozen = amount === 1;
      else state.free = amount === 1;
    }
    after.set(w.id, { ...state });
  }
  const rfOf = new Map<number, number>();
  for (const [w, r] of x.rf.pairs()) rfOf.set(r, w);
  const label = (e: number) => {
    const ev = x.events[e]!;
    return ev.thread < 0 ? 'the initial value' : `T${ev.thread}.${ev.index}`;
  };
  for (const [t, r] of o.registers.entries()) {
    const obs = r[`obs${p}`];
    if (typeof obs !== 'string') continue;
    for (const [index, value, call] of JSON.parse(obs) as [number, number, string][]) {
      const e = id(t, index);
      const w = x.events[e]!.kind === 'R' ? rfOf.get(e)! : e;
      const at = after.get(w)!;
      const expected = at.frozen || at.free ? 0 : at.held;
      if (value !== expected)
        return {
          kind: 'wrongCount',
          message: `T${t}'s ${call} of p${p} gave ${value}, but at that point of p${p}'s coherence order (${label(w)}) ${at.free ? 'the page is free' : at.frozen ? 'the page is frozen' : `${at.held} reference(s) are held`}: ${expected} expected`,
        };
    }
  }
  return undefined;
}
