/**
 * The clients of the barrier check: small programs that put one page_ref function between
 * accesses to other locations, in every two-, three- and four-thread shape that can observe an
 * ordering (MP, SB, LB, R, S, 2+2W, WRC, IRIW), so that what LKMM lets the other accesses
 * observe says which ordering the function provides.
 *
 * Each shape is written over two abstract locations `a` and `b`. A client puts the
 * function under test (`F`) into the shape in one of two roles:
 * - **fence**: a = x, b = y (plain ints, WRITE_ONCE/READ_ONCE); F on the page counter `c`
 *   sits between the two accesses of one thread, and every other thread with two accesses
 *   orders them (see partners below). The client observes whether F orders its thread's
 *   accesses to x and y.
 * - **access**: the counter is one of the shape's locations (a = c or b = c, the other
 *   x). F is one access to c (a write slot if F writes the counter, a read slot if it
 *   returns what it read); each other access to c is a partner call of a fixed kind (a
 *   writer: decAndTest, a revive-and-put tryGet + decAndTest, unfreeze; a reader: count,
 *   or tryGet in a two-thread shape), and the partners' threads order their two accesses,
 *   F's thread nothing. The client observes whether F's own access to c is ordered with its
 *   thread's access to x: F on either side, in any thread.
 *
 * How the other threads order their two accesses is the client's partner kind
 * ({@link PartnerKind}): `smp_mb()` between them, or release/acquire accesses, which LKMM
 * makes weaker than a full fence (a release is only A-cumulative, an acquire not cumulative
 * at all, and neither orders a write before a later read), so that a shape can tell apart
 * orderings of F that a full fence beside it would hide (WRC+pooncerelease+fencermbonceonce,
 * ISA2+pooncerelease+poacquirerelease+poacquireonce, IRIW).
 *
 * The counter starts live (1 or 2 references) or frozen, as each function's contract
 * allows (a put never drops a reference it does not hold, unfreeze takes a frozen page).
 *
 * @module
 */

import type { PageRefApi } from '../refcount/pageRefApi.js';
import { product } from '../axiomatic/candidates.js';

/** A page_ref function, by its name in {@link PageRefApi}. */
export type PageRefFunction = keyof PageRefApi;

/** Where the counter starts: live with 1 or 2 references, or frozen (free). */
export type CounterStart = 'live1' | 'live2' | 'frozen';

/**
 * How the threads other than F's order their two accesses: `smp_mb()` between them (`mb`),
 * or (`rel-acq`) the thread's first access, if a read of x or y, as `smp_load_acquire` and its
 * second, if a write of x or y, as `smp_store_release`, as in the kernel's ISA2 and WRC
 * litmus tests. A thread that gets neither (a write then a read, or its x access on the wrong
 * side of its counter access) has nothing that orders it, and the client is not made.
 */
export type PartnerKind = 'mb' | 'rel-acq';

/** Every partner kind, in the order of the clients. */
export const PARTNER_KINDS: readonly PartnerKind[] = ['mb', 'rel-acq'];

/** One step of a client thread. */
export type Step =
  /** WRITE_ONCE(*loc, value), or smp_store_release(loc, value) */
  | { op: 'write'; loc: 'x' | 'y'; value: number; order?: 'release' }
  /** reg = READ_ONCE(*loc), or reg = smp_load_acquire(loc) */
  | { op: 'read'; loc: 'x' | 'y'; reg: string; order?: 'acquire' }
  /** smp_mb() */
  | { op: 'mb' }
  /** a page_ref function on the counter; `reg` holds what it returns, when it returns */
  | { op: 'call'; fn: PageRefFunction; args: readonly number[]; reg?: string; test: boolean };

/** A client: a shape with the function under test placed in it. */
export interface Client {
  /**
   * herd-style: `MP+decAndTest@P0.b+get(live1)` (shape, function, where, partner calls,
   * counter start), with `+rel-acq` before the start for that partner kind.
   */
  name: string;
  shape: ShapeName;
  fn: PageRefFunction;
  role: 'fence' | 'access';
  partners: PartnerKind;
  start: CounterStart;
  threads: readonly (readonly Step[])[];
}

/** An abstract access of a shape. */
interface Access {
  kind: 'W' | 'R';
  loc: 'a' | 'b';
}

/** One shape: each thread's accesses in short, `'Wa Rb'` (a write of a, then a read of b). */
function shape(...threads: string[]): Access[][] {
  return threads.map((t) =>
    t.split(' ').map((a) => ({ kind: a[0] as Access['kind'], loc: a[1] as Access['loc'] })),
  );
}

/** The shapes, herd's names, over locations a and b. */
export const SHAPES = {
  MP: shape('Wa Wb', 'Rb Ra'),
  SB: shape('Wa Rb', 'Wb Ra'),
  LB: shape('Ra Wb', 'Rb Wa'),
  R: shape('Wa Wb', 'Wb Ra'),
  S: shape('Wa Wb', 'Rb Wa'),
  '2+2W': shape('Wa Wb', 'Wb Wa'),
  WRC: shape('Wa', 'Ra Wb', 'Rb Ra'),
  IRIW: shape('Wa', 'Wb', 'Ra Rb', 'Rb Ra'),
} satisfies Record<string, readonly (readonly Access[])[]>;

export type ShapeName = keyof typeof SHAPES;

/** What the clients need to know of each function. */
interface FunctionUse {
  /** Its arguments after the page. */
  args: readonly number[];
  /** The counter starts its contract allows. */
  starts: readonly CounterStart[];
  /** Whether it writes the counter (on some path). */
  writes: boolean;
  /** Whether it returns what it read of the counter (else it returns nothing). */
  returns: boolean;
}

/** Each function's {@link FunctionUse}. */
export const FUNCTION_USE: Readonly<Record<PageRefFunction, FunctionUse>> = {
  count: { args: [], starts: ['live1', 'frozen'], writes: false, returns: true },
  set: { args: [2], starts: ['live1'], writes: true, returns: false },
  init: { args: [], starts: ['frozen'], writes: true, returns: false },
  setFrozen: { args: [], starts: ['frozen'], writes: true, returns: false },
  add: { args: [1], starts: ['live1'], writes: true, returns: false },
  sub: { args: [1], starts: ['live2'], writes: true, returns: false },
  inc: { args: [], starts: ['live1'], writes: true, returns: false },
  dec: { args: [], starts: ['live2'], writes: true, returns: false },
  incReturn: { args: [], starts: ['live1'], writes: true, returns: true },
  decReturn: { args: [], starts: ['live2'], writes: true, returns: true },
  subReturn: { args: [1], starts: ['live2'], writes: true, returns: true },
  subAndTest: { args: [1], starts: ['live1', 'live2'], writes: true, returns: true },
  decAndTest: { args: [], starts: ['live1', 'live2'], writes: true, returns: true },
  tryAdd: { args: [1], starts: ['live1', 'frozen'], writes: true, returns: true },
  tryGet: { args: [], starts: ['live1', 'frozen'], writes: true, returns: true },
  freeze: { args: [1], starts: ['live1', 'live2'], writes: true, returns: true },
  unfreeze: { args: [1], starts: ['frozen'], writes: true, returns: false },
  isFrozen: { args: [], starts: ['live1', 'frozen'], writes: false, returns: true },
};

/** A partner: the fixed calls that fill a slot of the counter that F does not take. */
interface Partner {
  name: string;
  calls: readonly { fn: PageRefFunction; args: readonly number[] }[];
}

/** Partners in a write slot, by counter start: a put, a revive-and-put, an unfreeze. */
function writerPartners(start: CounterStart): Partner[] {
  const put: Partner = { name: 'put', calls: [{ fn: 'decAndTest', args: [] }] };
  const revivePut: Partner = {
    name: 'get-put',
    calls: [
      { fn: 'tryGet', args: [] },
      { fn: 'decAndTest', args: [] },
    ],
  };
  const unfreeze: Partner = { name: 'unfreeze', calls: [{ fn: 'unfreeze', args: [1] }] };
  return start === 'frozen' ? [unfreeze, revivePut] : [put, revivePut];
}

/**
 * Partners in a read slot: a plain count, a try-get. A try-get also writes the counter; in a
 * three- or four-thread shape (WRC, IRIW) only the count reads, which keeps the shape's
 * writers (and the search small: three RMW calls on one counter make tens of thousands of
 * trace choices).
 */
const READ_PARTNERS: readonly Partner[] = [
  { name: 'count', calls: [{ fn: 'count', args: [] }] },
  { name: 'get', calls: [{ fn: 'tryGet', args: [] }] },
];

/** One function in one shape, from one counter start: what its clients are made of. */
interface Placement {
  fn: PageRefFunction;
  args: readonly number[];
  start: CounterStart;
  shape: ShapeName;
  threads: readonly (readonly Access[])[];
  partners: PartnerKind;
}

/**
 * Every client of `fn`, in a fixed order: the `smp_mb()` partners' clients first, in the
 * order they had before the partner kinds existed.
 */
export function clientsOf(fn: PageRefFunction): Client[] {
  const out: Client[] = [];
  const use = FUNCTION_USE[fn];
  for (const partners of PARTNER_KINDS) {
    for (const start of use.starts) {
      for (const [shape, threads] of Object.entries(SHAPES) as [
        ShapeName,
        readonly (readonly Access[])[],
      ][]) {
        const placement = { fn, args: use.args, start, shape, threads, partners };
        out.push(...fenceClients(placement), ...accessClients(placement));
      }
    }
  }
  return out;
}

/**
 * Whether a partner thread's access of x or y (its `k`th) is ordered under `partners`: see
 * {@link PartnerKind}.
 */
function partnerOrdered(partners: PartnerKind, a: Access, k: number): boolean {
  return partners === 'rel-acq' && (k === 0 ? a.kind === 'R' : a.kind === 'W');
}

/**
 * A shape's access of x or y as a step; `ordered`: as a release or acquire (see
 * {@link partnerOrdered}).
 */
function accessStep(
  a: Access,
  loc: 'x' | 'y',
  reg: () => string,
  value: (loc: string) => number,
  ordered: boolean,
): Step {
  return a.kind === 'W'
    ? { op: 'write', loc, value: value(loc), ...(ordered ? { order: 'release' as const } : {}) }
    : { op: 'read', loc, reg: reg(), ...(ordered ? { order: 'acquire' as const } : {}) };
}

/** The client's name: `+rel-acq` before the start for that partner kind. */
function clientName(where: string, partners: PartnerKind, start: CounterStart): string {
  return `${where}${partners === 'mb' ? '' : `+${partners}`}(${start})`;
}

/**
 * Whether each partner thread (not `here`) with two accesses is ordered: always with
 * `smp_mb()`, with release/acquire only where one of its accesses of x or y (not `counter`)
 * gets an ordering.
 */
function partnersOrdered(
  threads: readonly (readonly Access[])[],
  here: number,
  partners: PartnerKind,
  counter?: 'a' | 'b',
): boolean {
  return threads.every(
    (t, i) =>
      partners === 'mb' ||
      i === here ||
      t.length < 2 ||
      t.some((a, k) => a.loc !== counter && partnerOrdered(partners, a, k)),
  );
}

/** The function between the two accesses of one thread; the others ordered by their partners. */
function fenceClients({ fn, args, start, shape, threads, partners }: Placement): Client[] {
  const out: Client[] = [];
  threads.forEach((accesses, here) => {
    if (accesses.length < 2) return;
    if (!partnersOrdered(threads, here, partners)) return;
    const regs = registers();
    const values = writeValues();
    const steps = threads.map((t, i) => {
      const s: Step[] = [];
      t.forEach((a, k) => {
        if (k === 1) {
          if (i === here) s.push({ op: 'call', fn, args, test: true, ...retReg(fn, regs, i) });
          else if (partners === 'mb') s.push({ op: 'mb' });
        }
        const ordered = i !== here && partnerOrdered(partners, a, k);
        s.push(accessStep(a, a.loc === 'a' ? 'x' : 'y', () => regs(i), values, ordered));
      });
      return s;
    });
    out.push({
      name: clientName(`${shape}+${fn}@P${here}`, partners, start),
      shape,
      fn,
      role: 'fence',
      partners,
      start,
      threads: steps,
    });
  });
  return out;
}

/** The counter as one location of the shape, F as one of its accesses. */
function accessClients({ fn, args, start, shape, threads, partners }: Placement): Client[] {
  const out: Client[] = [];
  for (const counter of ['a', 'b'] as const) {
    const slots: [number, number][] = [];
    threads.forEach((t, i) => t.forEach((a, k) => a.loc === counter && slots.push([i, k])));
    for (const [ti, ki] of slots) {
      const mine = threads[ti]![ki]!;
      if (!(mine.kind === 'W' ? FUNCTION_USE[fn].writes : FUNCTION_USE[fn].returns)) continue;
      if (!partnersOrdered(threads, ti, partners, counter)) continue;
      // one partner per other slot of the counter, every combination
      const others = slots.filter(([i, k]) => i !== ti || k !== ki);
      const choices = others.map(([i, k]) =>
        threads[i]![k]!.kind === 'W'
          ? writerPartners(start)
          : threads.length > 2
            ? READ_PARTNERS.slice(0, 1)
            : READ_PARTNERS,
      );
      for (const pick of product(choices)) {
        const regs = registers();
        const values = writeValues();
        const steps = threads.map((t, i) => {
          const s: Step[] = [];
          t.forEach((a, k) => {
            if (k === 1 && i !== ti && partners === 'mb') s.push({ op: 'mb' });
            if (a.loc === counter) {
              if (i === ti && k === ki) {
                s.push({ op: 'call', fn, args, test: true, ...retReg(fn, regs, i) });
                return;
              }
              const p = pick[others.findIndex(([oi, ok]) => oi === i && ok === k)]!;
              for (const c of p.calls)
                s.push({
                  op: 'call',
                  fn: c.fn,
                  args: c.args,
                  test: false,
                  ...retReg(c.fn, regs, i),
                });
              return;
            }
            const ordered = i !== ti && partnerOrdered(partners, a, k);
            s.push(accessStep(a, 'x', () => regs(i), values, ordered));
          });
          return s;
        });
        const calls = pick.map((p) => p.name).join(',');
        out.push({
          name: clientName(
            `${shape}+${fn}@P${ti}.${counter}${calls ? `+${calls}` : ''}`,
            partners,
            start,
          ),
          shape,
          fn,
          role: 'access',
          partners,
          start,
          threads: steps,
        });
      }
    }
  }
  return out;
}

function retReg(fn: PageRefFunction, regs: (t: number) => string, t: number): { reg?: string } {
  return FUNCTION_USE[fn].returns ? { reg: regs(t) } : {};
}

/** Register names per thread: r0, r1, … in program order. */
function registers(): (t: number) => string {
  const next = new Map<number, number>();
  return (t) => {
    const n = next.get(t) ?? 0;
    next.set(t, n + 1);
    return `r${n}`;
  };
}

/** Each write to a location writes the next value: 1, 2, … (so co shows in the final value). */
function writeValues(): (loc: string) => number {
  const next = new Map<string, number>();
  return (loc) => {
    const n = (next.get(loc) ?? 0) + 1;
    next.set(loc, n);
    return n;
  };
}
