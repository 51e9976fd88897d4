/**
 * The final condition over an outcome (final registers by process, final memory), whatever
 * model produced it: its evaluation, `filter`, the places a final state shows, and vacuity.
 * Names were checked by validate(), so a place missing from an outcome is a model bug.
 */
import type { Value } from '../axiomatic/events.js';
import {
  chainOf,
  forEachAtomSide,
  type CondLoc,
  type CondValue,
  type LitmusTest,
  type Prop,
  type Stmt,
} from './ast.js';
import { placeName } from './printProp.js';

/** What a model hands back for one execution. */
export interface Outcome {
  /** registers[i]: the final registers of test.processes[i]. */
  registers: readonly Readonly<Record<string, Value>>[];
  /** The final value of every location (its last write in coherence order, else its init). */
  memory: ReadonlyMap<string, Value>;
}

/** A final state as herd7 shows it: the observed places, in herd7's order, and their values. */
export interface FinalState {
  /** `0:r0`, `[x]`: registers by process then name, then locations by name. */
  places: string[];
  values: Value[];
  /** Equal keys, equal states. */
  key: string;
}

function read(l: CondLoc | CondValue, o: Outcome): Value {
  switch (l.kind) {
    case 'num':
      return l.value;
    case 'addr':
      return l.name;
    case 'reg': {
      const v = o.registers[l.thread]?.[l.name];
      if (v === undefined) throw new Error(`[checker bug] outcome lacks ${l.thread}:${l.name}`);
      return v;
    }
    case 'loc': {
      const v = o.memory.get(l.name);
      if (v === undefined) throw new Error(`[checker bug] outcome lacks location ${l.name}`);
      return v;
    }
  }
}

/** The truth of `p` on `o`; chains and `not`s iterate (chainOf), so deep input is fine. */
export function evaluate(p: Prop, o: Outcome): boolean {
  let negated = false;
  for (; p.kind === 'not'; p = p.prop) negated = !negated;
  return negated !== evaluatePositive(p, o);
}

function evaluatePositive(p: Exclude<Prop, { kind: 'not' }>, o: Outcome): boolean {
  switch (p.kind) {
    case 'const':
      return p.value;
    case 'and':
      return chainOf(p).every((q) => evaluate(q, o));
    case 'or':
      return chainOf(p).some((q) => evaluate(q, o));
    case 'implies': {
      // the chain's left spine, ((a => b) => c): herd7 nests => to the right (a => (b => c)),
      // which is a chain of two whose second term is the rest
      const [first, ...rest] = chainOf(p);
      return rest.reduce((holds, q) => !holds || evaluate(q, o), evaluate(first!, o));
    }
    case 'atom':
      return (read(p.left, o) === read(p.right, o)) === (p.op === '==');
  }
}

/** Whether `o` satisfies the condition's proposition (before its quantifier). */
export function satisfies(test: LitmusTest, o: Outcome): boolean {
  return evaluate(test.condition, o);
}

/** Whether `o` passes the test's `filter`; herd7 drops the executions that do not. */
export function passesFilter(test: LitmusTest, o: Outcome): boolean {
  return test.filter === undefined || evaluate(test.filter, o);
}

/** A place a final state shows; an `unsigned` one prints as herd7 prints an unsigned int. */
export type Place = CondLoc & { unsigned?: boolean };

const UNSIGNED = /^(unsigned|unsigned int|u32|uint32_t)$/;
const bare = (type: string) => type.replace(/\b(const|volatile)\b/g, '').trim();

/**
 * Whether herd7 would print a place as an unsigned 32-bit integer (its declared type): a
 * function of the place, built once in time linear in the test (a condition may observe
 * each of 30,000 locations).
 */
function unsignedPlaces(test: LitmusTest): (l: CondLoc) => boolean {
  const locations = new Map<string, string>();
  // a parameter `unsigned int *x` declares x's type (the first process's); init's wins
  for (const p of [...test.processes].reverse())
    for (const q of p.params) locations.set(q.name, q.type.replace(/\*$/, ''));
  for (const i of test.init) if (i.type) locations.set(i.name, i.type);
  const registers = test.processes.map((p) => {
    const types = new Map<string, string>();
    const walk = (ss: Stmt[]): void => {
      for (const s of ss) {
        if (s.kind === 'decl' && !s.pointer && !types.has(s.name)) types.set(s.name, s.type);
        if (s.kind === 'if') {
          walk(s.then);
          walk(s.else);
        }
      }
    };
    walk(p.body);
    return types;
  });
  return (l) => {
    const type = l.kind === 'reg' ? registers[l.thread]?.get(l.name) : locations.get(l.name);
    return type !== undefined && UNSIGNED.test(bare(type));
  };
}

/** The places each final state shows: `locations [...]`, then the condition's, in herd7's order. */
export function observedPlaces(test: LitmusTest): Place[] {
  const out = new Map<string, CondLoc>();
  const add = (l: CondLoc | CondValue) => {
    if (l.kind === 'reg' || l.kind === 'loc') out.set(placeName(l), l);
  };
  test.locations.forEach(add);
  forEachAtomSide(test.condition, add);
  const isUnsigned = unsignedPlaces(test);
  return [...out.values()]
    .sort(comparePlaces)
    .map((l) => (isUnsigned(l) ? { ...l, unsigned: true } : l));
}

/** herd7's Location.location_compare: registers (by process, then name) before locations. */
function comparePlaces(a: CondLoc, b: CondLoc): number {
  if (a.kind !== b.kind) return a.kind === 'reg' ? -1 : 1;
  if (a.kind === 'reg' && b.kind === 'reg' && a.thread !== b.thread) return a.thread - b.thread;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * The final state `o` shows on `places` (from observedPlaces). An unsigned place holds its
 * value as herd7 prints and orders it (0xffffffff is 4294967295, after 1).
 */
export function finalState(places: readonly Place[], o: Outcome): FinalState {
  const values = places.map((l) => {
    const v = read(l, o);
    return l.unsigned && typeof v === 'number' ? v >>> 0 : v;
  });
  return { places: places.map(placeName), values, key: JSON.stringify(values) };
}

/** herd7's value order (Constant.compare): numbers, signed, before addresses, by name. */
export function compareValues(a: Value, b: Value): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** herd7's StateSet order: lexicographic over the values, places in herd7's order. */
export function compareStates(a: FinalState, b: FinalState): number {
  for (let i = 0; i < a.values.length; i++) {
    const c = compareValues(a.values[i]!, b.values[i]!);
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * Vacuity: no candidate satisfies the proposition, so the answer says nothing about the
 * behaviour the condition was written to catch. Under an axiomatic model the candidates
 * are the executions before the model's axioms (after the filter); the SC runner passes
 * its final states. Linear in the candidates: one evaluation each.
 */
export function isVacuous(test: LitmusTest, candidates: Iterable<Outcome>): boolean {
  for (const o of candidates) if (passesFilter(test, o) && satisfies(test, o)) return false;
  return true;
}

/** Three-valued truth: undefined while a place it reads has no value yet. */
function partial(p: Prop, env: ReadonlyMap<string, Value>): boolean | undefined {
  const value = (l: CondLoc | CondValue): Value | undefined =>
    l.kind === 'num' ? l.value : l.kind === 'addr' ? l.name : env.get(placeName(l));
  switch (p.kind) {
    case 'const':
      return p.value;
    case 'atom': {
      const a = value(p.left);
      const b = value(p.right);
      return a === undefined || b === undefined ? undefined : (a === b) === (p.op === '==');
    }
    case 'not': {
      const v = partial(p.prop, env);
      return v === undefined ? undefined : !v;
    }
    case 'and':
    case 'or':
    case 'implies': {
      const [first, ...rest] = chainOf(p);
      return rest.reduce(
        (l, q) => {
          const r = partial(q, env);
          const left = p.kind === 'implies' && l !== undefined ? !l : l;
          if (p.kind === 'and')
            return l === false || r === false ? false : l && r ? true : undefined;
          return left === true || r === true
            ? true
            : left === false && r === false
              ? false
              : undefined;
        },
        partial(first!, env),
      );
    }
  }
}

/**
 * Vacuity for the SC runner, whose candidates are its own final states: whether no
 * combination of the values each observed place takes in some final state satisfies the
 * proposition. Backtracking over the places with three-valued evaluation prunes a
 * combination as soon as its prefix decides the proposition false; `budget` bounds the
 * search (a condition over many places with wide disjunctions could still be exponential).
 * @returns true or false, or undefined when the budget ran out before an answer
 */
export function isVacuousOverValues(
  test: LitmusTest,
  states: readonly FinalState[],
  budget = 100_000,
): boolean | undefined {
  if (states.length === 0) return true;
  const places = states[0]!.places;
  const domains = places.map((_, i) => [...new Set(states.map((s) => s.values[i]!))]);
  const env = new Map<string, Value>();
  let steps = 0;
  const search = (i: number): boolean | undefined => {
    if (++steps > budget) return undefined;
    const now = partial(test.condition, env);
    if (now !== undefined) return now;
    if (i === places.length) return false;
    let unknown = false;
    for (const v of domains[i]!) {
      env.set(places[i]!, v);
      const found = search(i + 1);
      if (found === true) return true;
      if (found === undefined) unknown = true;
      if (steps > budget) break;
    }
    env.delete(places[i]!);
    return unknown || steps > budget ? undefined : false;
  };
  const found = search(0);
  return found === undefined ? undefined : !found;
}
