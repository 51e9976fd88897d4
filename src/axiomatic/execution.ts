/**
 * The events of one execution and the relations fixed by the traces chosen for it.
 *
 * Events are numbered 0..n-1: first one initial write (IW) per location, in the order of
 * `Program.init`, then each process's trace in program order. Everything here depends only on
 * the traces (herd7's event structure); `rf`, `co` and what follows from them are the choices
 * of candidates.ts.
 *
 * Sets are herd7's *before* lock.cat: R and W are the ordinary reads and writes (IW
 * included), without the lock events, which lock.cat adds itself, and without SRCU's
 * read-side events, which herd7 never counts as memory accesses.
 */

import type { Program, ThreadTrace, Value } from './events.js';
import { Relation, inter, relOf, setOf, type EventSet } from './relation.js';

/** One event of an execution. */
export interface Event {
  id: number;
  /** The process, or -1 for an initial write. */
  thread: number;
  /** Position in its process's trace (-1 for an initial write). */
  index: number;
  kind: 'R' | 'W' | 'F';
  loc?: string;
  value?: Value;
  tags: ReadonlySet<string>;
}

/** The lock events' tags (lock.cat), kept out of herd7's native R and W. */
export const LOCK_TAGS = ['LKR', 'LKW', 'UL', 'LF', 'RL', 'RU'] as const;

/**
 * Events that herd7 does not count as memory accesses at all (herd/CAction.ml: is_mem_load
 * and is_mem_store are false for them): lock events, until lock.cat adds them, and SRCU's
 * srcu_read_lock/unlock, which have a location and a value but no rf and no co.
 */
export const NOT_MEMORY: readonly string[] = [...LOCK_TAGS, 'srcu-lock', 'srcu-unlock'];

/** An execution's events and the relations its traces fix (herd7's event structure). */
export interface Structure {
  n: number;
  events: readonly Event[];
  /** The trace of each process, for the final registers. */
  traces: readonly ThreadTrace[];
  /** Every location, in the order of `Program.init`. */
  locations: readonly string[];
  IW: EventSet;
  /** Ordinary reads (herd7's R before lock.cat; no lock or SRCU event). */
  R: EventSet;
  /** Ordinary writes, IW included (herd7's W before lock.cat; no lock or SRCU event). */
  W: EventSet;
  /** Fences (SRCU's sync-srcu included). */
  F: EventSet;
  po: Relation;
  /** Same location (fences with a location, sync-srcu, included). */
  loc: Relation;
  int: Relation;
  ext: Relation;
  addr: Relation;
  data: Relation;
  ctrl: Relation;
  /** A successful RMW's read to its write (herd7's native rmw; lock.cat adds lk-rmw). */
  rmw: Relation;
  /** The events carrying an annotation, e.g. tagged('ONCE'), tagged('rcu-lock'). */
  tagged(tag: string): EventSet;
}

/** A candidate execution: the structure plus a reads-from and a coherence order. */
export interface Execution extends Structure {
  /** Reads-from of the ordinary reads only (herd7's native rf, which linux-kernel.bell sees). */
  rfNative: Relation;
  /** Every reads-from edge, lock reads included (lock.cat's final rf). */
  rf: Relation;
  /** The coherence order, unlocks merged (lock.cat's final co). */
  co: Relation;
  /** The co-last write of each observed location (herd7's FW). */
  FW: EventSet;
}

/** Builds the events and fixed relations of the execution whose process i runs traces[i]. */
export function buildStructure(program: Program, traces: readonly ThreadTrace[]): Structure {
  const events: Event[] = [];
  const locations = [...program.init.keys()];
  for (const loc of locations)
    events.push({
      id: events.length,
      thread: -1,
      index: -1,
      kind: 'W',
      loc,
      value: program.init.get(loc)!,
      tags: new Set(['IW']),
    });
  const firstOf: number[] = [];
  traces.forEach((trace, thread) => {
    firstOf.push(events.length);
    trace.events.forEach((e, index) => {
      if (e.loc !== undefined && !program.init.has(e.loc))
        throw new Error(`[checker bug] location ${e.loc} is missing from Program.init`);
      events.push({
        id: events.length,
        thread,
        index,
        kind: e.kind,
        ...(e.loc !== undefined ? { loc: e.loc } : {}),
        ...(e.value !== undefined ? { value: e.value } : {}),
        tags: new Set(e.tags),
      });
    });
  });
  const n = events.length;
  const ev = (j: number): Event => events[j]!;
  const isMemory = (e: Event) => !NOT_MEMORY.some((t) => e.tags.has(t));
  const dep = (pick: (t: ThreadTrace['events'][number]) => readonly number[]): Relation => {
    const r = new Relation(n);
    traces.forEach((trace, thread) =>
      trace.events.forEach((e, index) => {
        for (const from of pick(e)) r.add(firstOf[thread]! + from, firstOf[thread]! + index);
      }),
    );
    return r;
  };
  const rmw = new Relation(n);
  traces.forEach((trace, thread) =>
    trace.events.forEach((e, index) => {
      if (e.rmwRead !== undefined && !e.tags.includes('LKW'))
        rmw.add(firstOf[thread]! + e.rmwRead, firstOf[thread]! + index);
    }),
  );
  const cache = new Map<string, EventSet>();
  const int = relOf(n, (i, j) => ev(i).thread === ev(j).thread);
  return {
    n,
    events,
    traces,
    locations,
    IW: setOf(n, (j) => ev(j).thread === -1),
    R: setOf(n, (j) => ev(j).kind === 'R' && isMemory(ev(j))),
    W: setOf(n, (j) => ev(j).kind === 'W' && isMemory(ev(j))),
    F: setOf(n, (j) => ev(j).kind === 'F'),
    po: relOf(n, (i, j) => ev(i).thread >= 0 && ev(i).thread === ev(j).thread && i < j),
    loc: relOf(n, (i, j) => ev(i).loc !== undefined && ev(i).loc === ev(j).loc),
    int,
    ext: relOf(n, (i, j) => !int.has(i, j)),
    addr: dep((e) => e.addr),
    data: dep((e) => e.data),
    ctrl: dep((e) => e.ctrl),
    rmw,
    tagged(tag) {
      let s = cache.get(tag);
      if (!s) cache.set(tag, (s = setOf(n, (j) => ev(j).tags.has(tag))));
      return s;
    },
  };
}

/** The events of `s` at location `loc`. */
export function atLoc(s: Structure, loc: string): EventSet {
  return setOf(s.n, (j) => s.events[j]!.loc === loc);
}

/** The writes to `loc` in the coherence order of `x`, its initial write first. */
export function coOrder(x: Execution, loc: string): Event[] {
  const writes = x.events.filter((e) => e.kind === 'W' && e.loc === loc);
  const before = (e: { id: number }) => writes.filter((w) => x.co.has(w.id, e.id)).length;
  return writes.sort((a, b) => before(a) - before(b));
}

/** po restricted to one location (stdlib's po-loc). */
export const poLoc = (s: Structure): Relation => inter(s.po, s.loc);

/**
 * Whether every ordinary read of these traces has some write of its value to read from
 * (an initial value or a write of any of the traces): a cheap necessary condition for a
 * candidate, checked before building anything. Most combinations of the traces of tests
 * with many values fail it.
 */
export function valuesCanMatch(program: Program, traces: readonly ThreadTrace[]): boolean {
  const memory = (e: ThreadTrace['events'][number]) => !e.tags.some((t) => NOT_MEMORY.includes(t));
  const written = new Map<string, Set<Value>>();
  for (const [loc, v] of program.init) written.set(loc, new Set([v]));
  for (const t of traces)
    for (const e of t.events)
      if (e.kind === 'W' && e.loc !== undefined && memory(e)) written.get(e.loc)?.add(e.value!);
  return traces.every((t) =>
    t.events.every(
      // an unknown location passes, for buildStructure to report
      (e) => e.kind !== 'R' || !memory(e) || (written.get(e.loc!)?.has(e.value!) ?? true),
    ),
  );
}
