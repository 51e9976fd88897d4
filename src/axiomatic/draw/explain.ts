/**
 * An execution as a picture: what to draw, shared by the text (text.ts) and the SVG (svg.ts).
 *
 * Events sit in one column per thread, in program order, lettered as herd7 letters them
 * (a, b, c, … in thread order). Edges are the execution's communication relations, each
 * pair drawn once: rf (reads-from), co (coherence, immediate successors only) and fr
 * (from-read, to the immediate co-successor of the write read, across threads), from or to an initial write only when
 * that says something (an initial write is drawn as `init x=0` beside the read, not as an
 * event); and ctrl, the one dependency recorded. Over them, the reason the execution matters:
 * - a data race: the two plain accesses LKMM's data-race flag names (races.ts's ww-, wr- and
 *   rw-race);
 * - a forbidden execution: a cycle of the first axiom that fails (coherence, happens-before,
 *   propagation), each edge named by the base relation it is (po, rf, co, fr) or else by the
 *   axiom's relation (hb, pb);
 * - otherwise the caller's words (a final-state violation, a litmus condition).
 *
 * @module
 */

import type { Value } from '../events.js';
import type { Execution } from '../execution.js';
import { lkmmRelations } from '../models/lkmm.js';
import { inter, union, type Relation } from '../relation.js';

export type EdgeKind = 'rf' | 'co' | 'fr' | 'ctrl' | 'race' | 'cycle';

export interface DrawnEvent {
  id: number;
  /** herd7's letter: a, b, …, z, then a1, b1, …. */
  letter: string;
  thread: number;
  /** Position in program order. */
  index: number;
  /** `W x=1`, `R y=0`, `F mb`. */
  access: string;
  /** The tags as herd7 prints them (`once`, `release`, `rmw mb`), `plain` if none. */
  tags: string;
  /** For a read of an initial value: the initial write's text (`init x=0`). */
  fromInit?: string;
}

export interface Edge {
  from: number;
  to: number;
  kind: EdgeKind;
  /** The relation's name as drawn: rf, co, fr, ctrl, race, or the cycle edge's relation. */
  label: string;
}

export interface Drawing {
  title: string;
  threads: string[];
  /** The drawn events (initial writes excluded), by thread then program order. */
  events: DrawnEvent[];
  edges: Edge[];
  /** One or two lines: why the execution is drawn (allowed with a race, forbidden by …). */
  verdict: string;
}

export interface ExplainOptions {
  title: string;
  /** Thread names; default P0, P1, …. */
  threads?: readonly string[];
  /** What the execution shows, when it is neither a race nor forbidden. */
  note?: string;
  /**
   * `race`: mark the racing plain accesses; `cycle`: the execution is forbidden, find the
   * cycle of `axiom` (the first that fails). Default: neither.
   */
  reason?: { kind: 'race' } | { kind: 'cycle'; axiom: string };
}

const show = (v: Value | undefined) =>
  v === undefined
    ? ''
    : typeof v === 'number' && (v < 0 || v > 0xffff)
      ? `0x${(v >>> 0).toString(16)}`
      : String(v);

/** herd7's event letters: a … z, then a1 … z1, …. */
export function letterOf(k: number): string {
  const c = String.fromCharCode(97 + (k % 26));
  return k < 26 ? c : `${c}${Math.floor(k / 26)}`;
}

const TAG_ORDER = ['RMW', 'NORETURN', 'ONCE', 'ACQUIRE', 'RELEASE', 'MB'];

/** Builds the drawing of `x` under LKMM. */
export function explain(x: Execution, options: ExplainOptions): Drawing {
  const threadCount = Math.max(0, ...x.events.map((e) => e.thread + 1));
  const threads = [...Array(threadCount).keys()].map((t) => options.threads?.[t] ?? `P${t}`);
  const drawn = x.events.filter((e) => e.thread >= 0);
  const letters = new Map(drawn.map((e, k) => [e.id, letterOf(k)]));
  const rfSource = new Map<number, number>();
  for (const [w, r] of x.rf.pairs()) rfSource.set(r, w);
  const isInit = (id: number) => x.events[id]!.thread < 0;
  const events: DrawnEvent[] = drawn.map((e) => {
    const tags = [...e.tags]
      .filter((t) => t !== 'IW')
      .sort((a, b) => TAG_ORDER.indexOf(a) - TAG_ORDER.indexOf(b))
      .map((t) => t.toLowerCase());
    const src = rfSource.get(e.id);
    const what =
      e.kind === 'F' ? `F ${tags.join(' ')}` : `${e.kind} ${e.loc ?? ''}=${show(e.value)}`;
    return {
      id: e.id,
      letter: letters.get(e.id)!,
      thread: e.thread,
      index: e.index,
      access: what,
      tags: e.kind === 'F' ? '' : tags.join(' ') || 'plain',
      ...(src !== undefined && isInit(src)
        ? { fromInit: `init ${x.events[src]!.loc}=${show(x.events[src]!.value)}` }
        : {}),
    };
  });

  const edges: Edge[] = [];
  const seen = new Set<string>();
  const add = (from: number, to: number, kind: EdgeKind, label: string = kind) => {
    const key = `${from} ${to} ${kind}`;
    if (seen.has(key) || !letters.has(from) || !letters.has(to)) return;
    seen.add(key);
    edges.push({ from, to, kind, label });
  };
  for (const [w, r] of x.rf.pairs()) add(w, r, 'rf');
  const coNext = immediate(x.co);
  for (const [w, v] of coNext) add(w, v, 'co');
  // fr to the immediate co-successor of the write read from, across threads only: a read's
  // fr to a write of its own thread is po (coherence), an RMW's to its own write included
  for (const [r, w] of rfSource) {
    if (!letters.has(r)) continue;
    for (const [a, s] of coNext)
      if (a === w && x.events[s]!.thread !== x.events[r]!.thread) add(r, s, 'fr');
  }
  for (const [r, e] of x.ctrl.pairs()) add(r, e, 'ctrl');

  let verdict = options.note ?? '';
  const rel = lkmmRelations(x);
  if (options.reason?.kind === 'race') {
    const races = union(rel.races.wwRace, rel.races.wrRace, rel.races.rwRace).pairs();
    const pairs = races.filter(([a, b]) => a < b || !races.some(([c, d]) => c === b && d === a));
    for (const [a, b] of pairs) add(a, b, 'race');
    const names = pairs.map(([a, b]) => `${letters.get(a)} and ${letters.get(b)}`).join(', ');
    verdict = `allowed, with a data race: ${names || '?'} (plain accesses to one location, unordered by LKMM)${verdict ? `\n${verdict}` : ''}`;
  } else if (options.reason?.kind === 'cycle') {
    const axiom = options.reason.axiom;
    const c = rel.lock;
    const poloc = inter(x.po, x.loc);
    const r: Relation | undefined =
      axiom === 'coherence'
        ? union(poloc, c.rf, c.co, c.fr)
        : axiom === 'happens-before'
          ? rel.hb
          : axiom === 'propagation'
            ? rel.pb
            : axiom === 'rcu'
              ? rel.rb
              : undefined;
    const found = r ? findCycle(r) : undefined;
    const base = union(x.po, c.rf, c.co, c.fr);
    const cycle = found && expand(found, r!, base, x.po);
    if (cycle) {
      const name = (a: number, b: number) =>
        c.rf.has(a, b)
          ? 'rf'
          : c.co.has(a, b)
            ? 'co'
            : c.fr.has(a, b)
              ? 'fr'
              : x.po.has(a, b)
                ? 'po'
                : ({ 'happens-before': 'hb', propagation: 'pb', rcu: 'rb' }[axiom] ?? axiom);
      const steps = cycle.map((a, k) => [a, cycle[(k + 1) % cycle.length]!] as const);
      for (const [a, b] of steps) add(a, b, 'cycle', name(a, b));
      const text = steps.map(([a, b]) => `${letters.get(a) ?? 'init'} -${name(a, b)}->`);
      verdict = `forbidden by ${axiom}: the cycle ${text.join(' ')} ${letters.get(cycle[0]!)}${verdict ? `\n${verdict}` : ''}`;
    } else verdict = `forbidden by ${axiom}${verdict ? `\n${verdict}` : ''}`;
  }
  return { title: options.title, threads, events, edges, verdict };
}

/**
 * The cycle with each edge of `r` that is no base relation (po, rf, co, fr) replaced by a
 * shortest path of base relations between its ends that leaves the thread (an hb edge made by
 * prop: fr, then po over a fence, then rf), so that every edge drawn is one a reader can check.
 */
function expand(cycle: number[], r: Relation, base: Relation, po: Relation): number[] {
  const out: number[] = [];
  cycle.forEach((a, k) => {
    const b = cycle[(k + 1) % cycle.length]!;
    out.push(a);
    if (!r.has(a, b) || base.has(a, b)) return;
    const path = shortestPath(base, a, b, (u, v) => !po.has(u, v) || u !== a);
    if (path) out.push(...path.slice(1, -1));
  });
  return out;
}

/** A shortest path from a to b along `r` whose first step passes `first`, inner nodes only. */
function shortestPath(
  r: Relation,
  a: number,
  b: number,
  first: (u: number, v: number) => boolean,
): number[] | undefined {
  const parent = new Map<number, number>([[a, a]]);
  const queue = [a];
  for (let q = 0; q < queue.length; q++) {
    const u = queue[q]!;
    for (let v = 0; v < r.n; v++) {
      if (!r.has(u, v) || parent.has(v) || (u === a && !first(u, v))) continue;
      parent.set(v, u);
      if (v === b) {
        const path = [b];
        while (path[0] !== a) path.unshift(parent.get(path[0]!)!);
        return path;
      }
      queue.push(v);
    }
  }
  return undefined;
}

/** The pairs of a strict order with nothing between them. */
function immediate(order: Relation): [number, number][] {
  const pairs = order.pairs();
  return pairs.filter(([a, b]) => !pairs.some(([c, d]) => c === a && d !== b && order.has(d, b)));
}

/** A shortest cycle of `r` (by breadth-first search from each event), or undefined. */
export function findCycle(r: Relation): number[] | undefined {
  let best: number[] | undefined;
  for (let s = 0; s < r.n; s++) {
    const parent = new Map<number, number>();
    const queue = [s];
    let found: number | undefined;
    for (let q = 0; q < queue.length && found === undefined; q++) {
      const a = queue[q]!;
      for (let b = 0; b < r.n; b++) {
        if (!r.has(a, b)) continue;
        if (b === s) {
          found = a;
          break;
        }
        if (!parent.has(b)) {
          parent.set(b, a);
          queue.push(b);
        }
      }
    }
    if (found === undefined) continue;
    const path = [found];
    while (path[0] !== s) path.unshift(parent.get(path[0]!)!);
    if (!best || path.length < best.length) best = path;
  }
  return best;
}
