import { Violation } from '../explore/explore.js';

/** The invariants of the world model, one kind each (see Violation.kind). */
export type WorldViolation =
  | 'allocNotFree'
  | 'getOnFree'
  | 'getOnFrozen'
  | 'dropNotHeld'
  | 'useWithoutRef'
  | 'doubleFree'
  | 'wrongDestructor'
  | 'freeWhileHeld'
  | 'wrongCount'
  | 'leftFrozen'
  | 'leak'
  | 'freeNotFrozen';

const violation = (kind: WorldViolation, message: string) =>
  new Violation<WorldViolation>(kind, message);

/**
 * The ghost world: what the real code does not record but the invariants need (DESIGN.md
 * §3). Each page has a current incarnation (a generation: one allocation of the page, with
 * a type); each incarnation records who holds references to it and who destroyed it.
 *
 * Invariants checked as the ghost updates happen:
 * - a try-get never succeeds on a free page, nor on one frozen by a freezer;
 * - every incarnation is destroyed at most once, with the destructor of its own type, and
 *   not while another thread still holds a reference to it;
 * - a thread touches a page only while it holds a reference (or has it frozen).
 * - a count (count(), the *Return calls) is 0 while the page is free or frozen, and
 *   otherwise the number of references held.
 * At the end (see final() in scenario.ts): no incarnation is left live with no holder,
 * every free page is frozen, and each live counter equals its number of holders.
 */
export interface Incarnation {
  type: number;
  /** References held, by thread. */
  holders: number[];
  /** The thread that ran the destructor, or -1. */
  destroyedBy: number;
}

export interface PageState {
  /** Index into World.incarnations of the page's current incarnation. */
  incarnation: number;
  /** In the allocator: its incarnation is destroyed and no new one began. */
  free: boolean;
  /** The thread that froze the page with freeze(), or -1. */
  frozenBy: number;
}

export interface World {
  pages: PageState[];
  incarnations: Incarnation[];
}

/** Type tags, as a page's type cell holds them. */
export const TYPE_NAMES: Record<number, string> = { 1: 'X', 2: 'Y' };
export const X = 1;
export const Y = 2;
export const typeName = (t: number): string => TYPE_NAMES[t] ?? `type ${t}`;
const T = (t: number) => `T${t}`;

export function cloneWorld(w: World): World {
  return {
    pages: w.pages.map((p) => ({ ...p })),
    incarnations: w.incarnations.map((i) => ({ ...i, holders: i.holders.slice() })),
  };
}

/**
 * The world's key; with `rename`, the key of the world in which thread t is called
 * rename[t] (symmetry reduction: every field that names a thread is renamed).
 */
export function worldKey(w: World, rename?: readonly number[]): string {
  const r = (t: number) => (rename && t >= 0 ? rename[t]! : t);
  let key = '';
  for (const p of w.pages) key += `${p.incarnation}${p.free ? 'f' : ''}${r(p.frozenBy)};`;
  for (const i of w.incarnations) {
    let holders = i.holders;
    if (rename) {
      holders = holders.slice();
      i.holders.forEach((h, t) => (holders[rename[t]!] = h));
    }
    key += `${i.type}:${holders.join('.')}:${r(i.destroyedBy)};`;
  }
  return key;
}

/** Ghost updates, named after what the thread just did. */
export const ghost = {
  /** A new incarnation of page p, held by `holders` (setup, or an allocation). */
  begin(w: World, p: number, type: number, holders: number[]): void {
    w.incarnations.push({ type, holders, destroyedBy: -1 });
    w.pages[p] = { incarnation: w.incarnations.length - 1, free: false, frozenBy: -1 };
  },

  allocated(w: World, t: number, p: number, type: number, threads: number): void {
    if (!w.pages[p]!.free)
      throw violation('allocNotFree', `${T(t)} allocated page p${p}, which is not free`);
    const holders = Array<number>(threads).fill(0);
    holders[t] = 1;
    ghost.begin(w, p, type, holders);
  },

  got(w: World, t: number, p: number, nr: number): void {
    const page = w.pages[p]!;
    if (page.free)
      throw violation('getOnFree', `${T(t)}'s try-get succeeded on page p${p}, which is free`);
    if (page.frozenBy >= 0) {
      throw violation(
        'getOnFrozen',
        `${T(t)}'s try-get succeeded on page p${p}, frozen by ${T(page.frozenBy)}`,
      );
    }
    w.incarnations[page.incarnation]!.holders[t]! += nr;
  },

  /**
   * Thread t read page p's count as `value` (count, or a *Return's result): 0 while the
   * page is free or frozen, else the references its holders hold.
   */
  counted(w: World, t: number, p: number, what: string, value: number): void {
    const page = w.pages[p]!;
    const frozen = page.free || page.frozenBy >= 0;
    const held = w.incarnations[page.incarnation]!.holders.reduce((a, b) => a + b, 0);
    const expected = frozen ? 0 : held;
    if (value !== expected) {
      const state = page.free ? 'free' : frozen ? `frozen by ${T(page.frozenBy)}` : 'live';
      throw violation(
        'wrongCount',
        `${T(t)}'s ${what} of page p${p} returned ${value}${value < 0 ? ` (0x${(value >>> 0).toString(16)})` : ''}, but the page is ${state}${frozen ? '' : ` with ${held} reference(s) held`}: expected ${expected}`,
      );
    }
  },

  added(w: World, t: number, p: number, nr: number): void {
    ghost.touched(w, t, p);
    w.incarnations[w.pages[p]!.incarnation]!.holders[t]! += nr;
  },

  /**
   * Thread t, the only holder of page p, set its count to `nr` (set_page_count): it now
   * holds `nr` references. A scenario that calls set while another thread may hold one is
   * wrong, not the strategy: that is an error of the checker, never a verdict.
   */
  setCount(w: World, t: number, p: number, nr: number): void {
    ghost.touched(w, t, p);
    const holders = w.incarnations[w.pages[p]!.incarnation]!.holders;
    const other = holders.findIndex((h, u) => u !== t && h > 0);
    if (other >= 0)
      throw new Error(`[checker bug] T${t} sets p${p}'s count while T${other} holds a reference`);
    holders[t] = nr;
  },

  dropping(w: World, t: number, p: number, nr: number): void {
    const inc = w.incarnations[w.pages[p]!.incarnation]!;
    if (inc.holders[t]! < nr) {
      throw violation(
        'dropNotHeld',
        `${T(t)} drops ${nr} reference(s) to page p${p} but holds ${inc.holders[t]}`,
      );
    }
    inc.holders[t]! -= nr;
  },

  touched(w: World, t: number, p: number): void {
    const page = w.pages[p]!;
    const inc = w.incarnations[page.incarnation]!;
    if (page.frozenBy === t) return;
    if (page.free || inc.holders[t]! === 0) {
      throw violation(
        'useWithoutRef',
        `${T(t)} touches page p${p} without holding a reference to it (use after free)`,
      );
    }
  },

  froze(w: World, t: number, p: number): void {
    w.pages[p]!.frozenBy = t;
  },

  unfroze(w: World, p: number): void {
    w.pages[p]!.frozenBy = -1;
  },

  /** Thread t won the free of page p and ran the destructor for `dtorType`. */
  destroyed(w: World, t: number, p: number, dtorType: number): void {
    const page = w.pages[p]!;
    const inc = w.incarnations[page.incarnation]!;
    if (page.free || inc.destroyedBy >= 0) {
      throw violation(
        'doubleFree',
        `${T(t)} frees page p${p}, already freed by ${T(inc.destroyedBy)} (double free)`,
      );
    }
    if (dtorType !== inc.type) {
      throw violation(
        'wrongDestructor',
        `${T(t)} ran the destructor of type ${typeName(dtorType)} on page p${p}, now an incarnation of type ${typeName(inc.type)}`,
      );
    }
    const holder = inc.holders.findIndex((h) => h > 0);
    if (holder >= 0) {
      throw violation(
        'freeWhileHeld',
        `${T(t)} frees page p${p} while ${T(holder)} still holds a reference (use after free)`,
      );
    }
    inc.destroyedBy = t;
    page.free = true;
    page.frozenBy = -1;
  },
};
