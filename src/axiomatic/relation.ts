/**
 * A relation algebra over the events 0..n-1 of one execution, as cat writes it.
 *
 * A set is a bitset (`Uint32Array`, one bit per event) and a relation is one bitset row per
 * event (row i holds the j with i→j). Executions of litmus tests have tens of events, so a row
 * is one or two words and every operator is a few loops over words; nothing is sparse.
 *
 * Values are immutable once built: every operator returns a fresh set or relation, so a model
 * reads like its .cat file (`seq(id(Acquire), po, id(M))` for `[Acquire] ; po ; [M]`).
 *
 * cat → here: `|` union, `&` inter, `\` diff, `;` seq, `^-1` inv, `[S]` id(S), `S1 * S2`
 * cross, `r+` plus, `r*` star, `r?` opt, `domain`, `range`, `~S` complement, and the checks
 * `acyclic`, `irreflexive`, `empty` (isEmpty).
 *
 * Every loop over rows checks the run's budget every ROWS rows (limits.ts, withBudget), and
 * a large relation asks it before it is allocated: a test with thousands of locations has
 * thousands of events, and then one operator is n² bits and seconds of work.
 */

import { allocating, checkBudget } from './limits.js';

/** Rows between two checks of the budget: once per operator on a litmus test's tens of events. */
export const ROWS = 64;
const tick = (i: number): void => {
  if (i % ROWS === 0) checkBudget();
};

/** Words per row for n events. */
const wordsFor = (n: number): number => (n + 31) >>> 5;

/** Fresh zero words, once the budget has room for them. */
function newBits(words: number): Uint32Array {
  allocating(words * 4);
  return new Uint32Array(words);
}

/** A copy of `bits`, once the budget has room for it. */
function copyBits(bits: Uint32Array): Uint32Array {
  allocating(bits.byteLength);
  return bits.slice();
}

/** A set of events of an n-event execution. */
export class EventSet {
  constructor(
    readonly n: number,
    /** Bit j of word j>>>5 is set when event j is a member. */
    readonly bits: Uint32Array = new Uint32Array(wordsFor(n)),
  ) {}

  has(j: number): boolean {
    return ((this.bits[j >>> 5]! >>> (j & 31)) & 1) === 1;
  }

  /** Adds event j in place; only while building a set. */
  add(j: number): this {
    this.bits[j >>> 5]! |= 1 << (j & 31);
    return this;
  }

  isEmpty(): boolean {
    return this.bits.every((w) => w === 0);
  }

  /** The members in increasing order. */
  members(): number[] {
    const out: number[] = [];
    for (let j = 0; j < this.n; j++) {
      tick(j);
      if (this.has(j)) out.push(j);
    }
    return out;
  }

  get size(): number {
    return this.members().length;
  }
}

/** A binary relation over the events of an n-event execution. */
export class Relation {
  readonly words: number;

  constructor(
    readonly n: number,
    /** Row i occupies words [i*words, (i+1)*words). */
    readonly bits: Uint32Array = newBits(n * wordsFor(n)),
  ) {
    this.words = wordsFor(n);
  }

  has(i: number, j: number): boolean {
    return ((this.bits[i * this.words + (j >>> 5)]! >>> (j & 31)) & 1) === 1;
  }

  /** Adds i→j in place; only while building a relation. */
  add(i: number, j: number): this {
    this.bits[i * this.words + (j >>> 5)]! |= 1 << (j & 31);
    return this;
  }

  /** The j with i→j, as a set (a copy). */
  row(i: number): EventSet {
    return new EventSet(this.n, this.bits.slice(i * this.words, (i + 1) * this.words));
  }

  /** Every pair, rows in order. */
  pairs(): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < this.n; i++) {
      tick(i);
      for (let j = 0; j < this.n; j++) if (this.has(i, j)) out.push([i, j]);
    }
    return out;
  }

  isEmpty(): boolean {
    return this.bits.every((w) => w === 0);
  }
}

/** The set of all n events (cat's `_`). */
export function universe(n: number): EventSet {
  const s = new EventSet(n);
  for (let j = 0; j < n; j++) s.add(j);
  return s;
}

/** The set of the events for which `p` holds. */
export function setOf(n: number, p: (j: number) => boolean): EventSet {
  const s = new EventSet(n);
  for (let j = 0; j < n; j++) {
    tick(j);
    if (p(j)) s.add(j);
  }
  return s;
}

/** The relation of the pairs for which `p` holds. */
export function relOf(n: number, p: (i: number, j: number) => boolean): Relation {
  const r = new Relation(n);
  for (let i = 0; i < n; i++) {
    tick(i);
    for (let j = 0; j < n; j++) if (p(i, j)) r.add(i, j);
  }
  return r;
}

/** A relation from a list of pairs. */
export function relFromPairs(n: number, pairs: Iterable<readonly [number, number]>): Relation {
  const r = new Relation(n);
  let k = 0;
  for (const [i, j] of pairs) {
    tick(k++);
    r.add(i, j);
  }
  return r;
}

function zip<T extends EventSet | Relation>(
  xs: readonly T[],
  f: (a: number, b: number) => number,
): T {
  const first = xs[0];
  if (!first) throw new Error('[checker bug] an operator needs at least one operand');
  const bits = copyBits(first.bits);
  // a row's worth of words between two checks of the budget
  const stride = wordsFor(first.n);
  for (const x of xs.slice(1)) {
    if (x.n !== first.n) throw new Error(`[checker bug] sizes differ: ${first.n} and ${x.n}`);
    for (let w = 0; w < bits.length; w++) {
      if (w % stride === 0) tick(w / stride);
      bits[w] = f(bits[w]!, x.bits[w]!);
    }
  }
  return (
    first instanceof EventSet ? new EventSet(first.n, bits) : new Relation(first.n, bits)
  ) as T;
}

/** cat's `|` on sets or on relations. */
export const union = <T extends EventSet | Relation>(...xs: T[]): T => zip(xs, (a, b) => a | b);
/** cat's `&`. */
export const inter = <T extends EventSet | Relation>(...xs: T[]): T => zip(xs, (a, b) => a & b);
/** cat's `\`: the first operand less all the others. */
export const diff = <T extends EventSet | Relation>(...xs: T[]): T => zip(xs, (a, b) => a & ~b);

/** cat's `~S`: every event not in S. */
export function complement(s: EventSet): EventSet {
  return diff(universe(s.n), s);
}

/** cat's `[S]`: the identity on S. */
export function id(s: EventSet): Relation {
  const r = new Relation(s.n);
  for (let j = 0; j < s.n; j++) {
    tick(j);
    if (s.has(j)) r.add(j, j);
  }
  return r;
}

/** cat's `S1 * S2`. */
export function cross(a: EventSet, b: EventSet): Relation {
  const r = new Relation(a.n);
  for (let i = 0; i < a.n; i++) {
    tick(i);
    if (a.has(i)) r.bits.set(b.bits, i * r.words);
  }
  return r;
}

/** cat's `r ; s ; ...`: i→k when i→j in the first and j→k in the rest. */
export function seq(...rs: Relation[]): Relation {
  let acc = rs[0];
  if (!acc) throw new Error('[checker bug] seq needs at least one relation');
  for (const s of rs.slice(1)) acc = seq2(acc, s);
  return acc;
}

function seq2(r: Relation, s: Relation): Relation {
  const { n, words } = r;
  const out = new Relation(n);
  for (let i = 0; i < n; i++) {
    tick(i);
    const base = i * words;
    for (let j = 0; j < n; j++) {
      if (!r.has(i, j)) continue;
      for (let w = 0; w < words; w++) out.bits[base + w]! |= s.bits[j * words + w]!;
    }
  }
  return out;
}

/** cat's `r^-1`. */
export function inv(r: Relation): Relation {
  const out = new Relation(r.n);
  for (let i = 0; i < r.n; i++) {
    tick(i);
    for (let j = 0; j < r.n; j++) if (r.has(i, j)) out.add(j, i);
  }
  return out;
}

/** cat's `r+`: the transitive closure (Warshall, on rows). */
export function plus(r: Relation): Relation {
  const { n, words } = r;
  const bits = copyBits(r.bits);
  for (let k = 0; k < n; k++) {
    tick(k);
    const kBase = k * words;
    const kWord = k >>> 5;
    const kBit = 1 << (k & 31);
    for (let i = 0; i < n; i++) {
      const iBase = i * words;
      if ((bits[iBase + kWord]! & kBit) === 0) continue;
      for (let w = 0; w < words; w++) bits[iBase + w]! |= bits[kBase + w]!;
    }
  }
  return new Relation(n, bits);
}

/** cat's `r*`: the reflexive-transitive closure (over all events). */
export const star = (r: Relation): Relation => union(plus(r), id(universe(r.n)));

/** cat's `r?`: r or the identity (over all events). */
export const opt = (r: Relation): Relation => union(r, id(universe(r.n)));

/** cat's `domain(r)`: the i with some i→j. */
export function domain(r: Relation): EventSet {
  return setOf(r.n, (i) => {
    for (let w = 0; w < r.words; w++) if (r.bits[i * r.words + w] !== 0) return true;
    return false;
  });
}

/** cat's `range(r)`: the j with some i→j. */
export function range(r: Relation): EventSet {
  const s = new EventSet(r.n);
  for (let i = 0; i < r.n; i++) {
    tick(i);
    for (let w = 0; w < r.words; w++) s.bits[w]! |= r.bits[i * r.words + w]!;
  }
  return s;
}

/** cat's `irreflexive r`: no i→i. */
export function irreflexive(r: Relation): boolean {
  for (let i = 0; i < r.n; i++) {
    tick(i);
    if (r.has(i, i)) return false;
  }
  return true;
}

/** cat's `acyclic r`: no i→…→i. */
export const acyclic = (r: Relation): boolean => irreflexive(plus(r));

/** stdlib.cat's `fencerel(B) = (po & (_ * B)) ; po`: a→b when a po f po b for some f in B. */
export function fencerel(po: Relation, b: EventSet): Relation {
  return seq(inter(po, cross(universe(po.n), b)), po);
}

/** Whether two sets, or two relations, have the same members. */
export function equals(a: EventSet | Relation, b: EventSet | Relation): boolean {
  return a.n === b.n && a.bits.every((w, k) => w === b.bits[k]);
}

/** cat's `let rec r = f(r)` for one relation: the least fixpoint, iterating from empty. */
export function fixpoint(n: number, f: (r: Relation) => Relation): Relation {
  let r = new Relation(n);
  for (;;) {
    checkBudget();
    const next = f(r);
    if (equals(next, r)) return r;
    r = next;
  }
}
