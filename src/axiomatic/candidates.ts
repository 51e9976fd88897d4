/**
 * Candidate executions, one location at a time.
 *
 * rf and co only relate events of one location, so a candidate execution is a choice of
 * (rf, co) per location, and the choices of different locations combine freely. Per location:
 * - co: every total order of its writes with IW first (cos-opt.cat's linearisations), the
 *   writes being herd7's W at that point of lock.cat: ordinary writes and LKW, where each LKW
 *   precedes every unmatched LKW (`co0 | ([LKW] ; loc ; [UNMATCHED-LKW]) \ [UNMATCHED-LKW]`);
 *   then each UL goes right after the LKW of its critical section
 *   (`co = (co | critical | (critical^-1 ; co))+`);
 * - rf: each ordinary read from a write (IW included) of the value its trace assumed; each LKR
 *   from the IW or UL just before its LKW in co (`[IW | UL] ; singlestep(co) ; lk-rmw^-1`);
 *   each LF from its critical section's LKW (rfi-lf) or else one external LKW; each RU from
 *   one of possible-rf-ru. A read with no possible write leaves the location no choice.
 *
 * Each choice records whether it passes the two axioms that only look at one location,
 * coherence (`acyclic po-loc | rf | co | fr`) and atomicity (`empty rmw & (fre ; coe)`), so a
 * model that requires both can skip the others: those executions would fail it anyway, so
 * no count changes.
 */

import { atLoc, poLoc, type Execution, type Structure } from './execution.js';
import { possibleRfLf, possibleRfRu, type LockStructure } from './lock.js';
import {
  acyclic,
  cross,
  inter,
  inv,
  Relation,
  relFromPairs,
  setOf,
  seq,
  union,
  type EventSet,
} from './relation.js';

/** One way to choose rf and co at one location. */
export interface LocationChoice {
  /** Every read of the location with the write it reads from. */
  rf: Relation;
  /** The coherence order of the location, ULs merged. */
  co: Relation;
  /** The writes in co order: the last one gives the location's final value. */
  order: readonly number[];
  /** Passes coherence and atomicity restricted to this location. */
  consistent: boolean;
}

/** Every (rf, co) choice at location `loc`. */
export function locationChoices(
  s: Structure,
  l: LockStructure,
  loc: string,
  /** Called once per choice built; throws to stop (run.ts's limits). */
  tick: () => void = () => {},
): LocationChoice[] {
  const { here, at } = eventsAt(s, loc);
  const iw = at(s.IW);
  const writes = [...at(s.W), ...at(l.LKW)].filter((j) => !s.IW.has(j));
  const unmatched = at(l.unmatchedLkw);
  const ulAfter = new Map(l.critical.pairs());
  const lkrOf = new Map(l.lkRmw.pairs().map(([r, w]) => [w, r]));

  const sameValue = (r: number) => (w: number) => s.events[w]!.value === s.events[r]!.value;
  // Each read with the writes it may read from.
  const sources: [number, number[]][] = [
    ...at(s.R).map((r): [number, number[]] => [r, at(s.W).filter(sameValue(r))]),
    ...at(l.LF).map((r): [number, number[]] => [r, possibleRfLf(s, l, r)]),
    ...at(l.RU).map((r): [number, number[]] => [r, possibleRfRu(s, l, r)]),
  ];
  // An LF inside a critical section reads from every LKW of rfi-lf: not a choice.
  const rfiLfEdges = l.rfiLf.pairs().filter(([, r]) => here.has(r));
  const choosing = sources.filter(([r]) => !rfiLfEdges.some(([, rr]) => rr === r));
  if (choosing.some(([, ws]) => ws.length === 0)) return [];

  const axioms = oneLocationAxioms(s, l, here);
  const out: LocationChoice[] = [];
  // No LKW after an unmatched one (a second unmatched LKW included: co0 is then cyclic).
  const fits = (w: number, before: readonly number[]) =>
    !l.LKW.has(w) || !before.some((b) => unmatched.includes(b));
  for (const base of orders(writes, fits)) {
    const order = [...iw];
    for (const w of base) {
      order.push(w);
      const ul = ulAfter.get(w);
      if (ul !== undefined) order.push(ul);
    }
    const co = totalOrder(s.n, order);
    const lkrEdges: [number, number][] = [];
    for (let i = 1; i < order.length; i++) {
      const lkr = lkrOf.get(order[i]!);
      const prev = order[i - 1]!;
      if (lkr !== undefined && (s.IW.has(prev) || l.UL.has(prev))) lkrEdges.push([prev, lkr]);
    }
    for (const picks of product(choosing.map(([, ws]) => ws))) {
      tick();
      const rf = relFromPairs(s.n, [
        ...rfiLfEdges,
        ...lkrEdges,
        ...choosing.map(([r], i): [number, number] => [picks[i]!, r]),
      ]);
      out.push({ rf, co, order, consistent: axioms(rf, co) });
    }
  }
  return out;
}

/**
 * The choices of locationChoices at `loc` that pass coherence and atomicity, in the same
 * order, built without the others: a coherence order keeps each thread's writes in program
 * order (coherence), each RMW reads from its write's immediate co-predecessor (atomicity,
 * given coherence), and no read reads from a write later in its own program order
 * (coherence). What survives these cuts is checked exactly as locationChoices checks it. A
 * location with lock events goes through locationChoices, filtered.
 */
export function coherentLocationChoices(
  s: Structure,
  l: LockStructure,
  loc: string,
  tick: () => void = () => {},
): LocationChoice[] {
  const { here, at } = eventsAt(s, loc);
  if (!inter(l.allLocks, here).isEmpty())
    return locationChoices(s, l, loc, tick).filter((c) => c.consistent);
  const iw = at(s.IW);
  const all = at(s.W);
  const writes = all.filter((j) => !s.IW.has(j));
  const value = (j: number) => s.events[j]!.value;
  const thread = (j: number) => s.events[j]!.thread;
  const readOf = new Map<number, number>();
  for (const [r, w] of s.rmw.pairs()) if (here.has(w)) readOf.set(w, r);
  const pinned = new Set(readOf.values());
  // each read that is not an RMW's, with the writes it may read from
  const free: [number, number[]][] = at(s.R)
    .filter((r) => !pinned.has(r))
    .map((r) => [r, all.filter((w) => value(w) === value(r) && !s.po.has(r, w))]);
  if (free.some(([, ws]) => ws.length === 0)) return [];
  const axioms = oneLocationAxioms(s, l, here);
  const out: LocationChoice[] = [];
  // the coherence orders: each thread's writes in program order (ids follow it), each RMW
  // right after a write of the value it read, built a write at a time so that a prefix that
  // breaks either is dropped with every order it begins; the eligible writes are tried in id
  // order, which keeps the order of locationChoices's permutations
  const queues = new Map<number, number[]>();
  for (const w of writes) queues.set(thread(w), [...(queues.get(thread(w)) ?? []), w]);
  const lists = [...queues.values()];
  const next = lists.map(() => 0);
  const built = [...iw];
  const complete = iw.length + writes.length;
  function* coherentOrders(): Generator<number[]> {
    if (built.length === complete) {
      yield built.slice();
      return;
    }
    const heads = lists
      .map((l, k) => [l[next[k]!], k] as const)
      .filter(([w]) => w !== undefined)
      .sort((a, b) => a[0]! - b[0]!);
    for (const [w, k] of heads) {
      const r = readOf.get(w!);
      const prev = built[built.length - 1];
      if (r !== undefined && (prev === undefined || value(prev) !== value(r))) continue;
      built.push(w!);
      next[k]!++;
      yield* coherentOrders();
      next[k]!--;
      built.pop();
    }
  }
  for (const order of coherentOrders()) {
    tick();
    const fixed: [number, number][] = [];
    for (let i = 1; i < order.length; i++) {
      const r = readOf.get(order[i]!);
      if (r !== undefined) fixed.push([order[i - 1]!, r]);
    }
    const co = totalOrder(s.n, order);
    for (const picks of product(free.map(([, ws]) => ws))) {
      tick();
      const rf = relFromPairs(s.n, [
        ...fixed,
        ...free.map(([r], i): [number, number] => [picks[i]!, r]),
      ]);
      if (axioms(rf, co)) out.push({ rf, co, order, consistent: true });
    }
  }
  return out;
}

/** The events at `loc`, and `at`, which keeps the members of a set that are there. */
function eventsAt(s: Structure, loc: string) {
  const here = atLoc(s, loc);
  const at = (set: { members(): number[] }) => set.members().filter((j) => here.has(j));
  return { here, at };
}

/**
 * The two axioms that look only at the location `here`, as a test of one (rf, co) choice
 * there: coherence (`acyclic po-loc | rf | co | fr`) and atomicity (`empty rmw & (fre ; coe)`).
 */
function oneLocationAxioms(
  s: Structure,
  l: LockStructure,
  here: EventSet,
): (rf: Relation, co: Relation) => boolean {
  const poloc = inter(poLoc(s), cross(here, here));
  const rmw = union(s.rmw, l.lkRmw);
  return (rf, co) => {
    const fr = seq(inv(rf), co);
    return (
      acyclic(union(poloc, rf, co, fr)) &&
      inter(rmw, seq(inter(fr, s.ext), inter(co, s.ext))).isEmpty()
    );
  };
}

/** The total order of the events `order`, first to last, as a relation. */
function totalOrder(n: number, order: readonly number[]): Relation {
  return relFromPairs(
    n,
    order.flatMap((a, i) => order.slice(i + 1).map((b): [number, number] => [a, b])),
  );
}

/** The execution made of one choice per location. */
export function assemble(
  s: Structure,
  pick: readonly LocationChoice[],
  observed: ReadonlySet<string>,
): Execution {
  const rf = new Relation(s.n);
  const co = new Relation(s.n);
  for (const c of pick) {
    for (let w = 0; w < rf.bits.length; w++) {
      rf.bits[w]! |= c.rf.bits[w]!;
      co.bits[w]! |= c.co.bits[w]!;
    }
  }
  const last = new Set(
    pick.map((c) => c.order[c.order.length - 1]!).filter((j) => observed.has(s.events[j]!.loc!)),
  );
  const ordinary = s.R;
  const rfNative = new Relation(s.n);
  for (const [w, r] of rf.pairs()) if (ordinary.has(r)) rfNative.add(w, r);
  return { ...s, rf, co, rfNative, FW: setOf(s.n, (j) => last.has(j)) };
}

/** Every ordering of `items` in which `ok(item, itemsBefore)` holds for each item. */
function* orders(
  items: readonly number[],
  ok: (item: number, before: readonly number[]) => boolean,
  before: number[] = [],
): Generator<number[]> {
  if (items.length === 0) {
    yield [...before];
    return;
  }
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (!ok(item, before)) continue;
    before.push(item);
    yield* orders([...items.slice(0, i), ...items.slice(i + 1)], ok, before);
    before.pop();
  }
}

/** The cartesian product of the lists, the last one varying fastest. */
export function* product<T>(lists: readonly (readonly T[])[]): Generator<T[]> {
  if (lists.some((l) => l.length === 0)) return;
  const idx = lists.map(() => 0);
  for (;;) {
    yield idx.map((i, k) => lists[k]![i]!);
    let k = lists.length - 1;
    while (k >= 0 && ++idx[k]! === lists[k]!.length) idx[k--] = 0;
    if (k < 0) return;
  }
}
