/**
 * The clients of the barrier check: small programs that put one page_ref function between
 * accesses to other locations, in every two- and three-thread shape that can observe an
 * ordering (MP, SB, LB, R, S, 2+2W, WRC), so that what LKMM lets the other accesses observe
 * says which ordering the function provides.
 *
 * Each shape is written over two abstract locations `a` and `b`. A client puts the
 * function under test (`F`) into the shape in one of two roles:
 * - **fence**: a = x, b = y (plain ints, WRITE_ONCE/READ_ONCE); F on the page counter `c`
 *   sits between the two accesses of one thread, and every other thread has `smp_mb()`
 *   there. The client observes whether F orders its thread's accesses to x and y.
 * - **access**: the counter is one of the shape's locations (a = c or b = c, the other
 *   x). F is one access to c (a write slot if F writes the counter, a read slot if it
 *   returns what it read); each other access to c is a partner call of a fixed kind (a
 *   writer: decAndTest, a revive-and-put tryGet + decAndTest, unfreeze; a reader: count,
 *   or tryGet in a two-thread shape), and the partners' threads have `smp_mb()` between their two accesses, F's
 *   thread nothing. The client observes whether F's own access to c is ordered with its
 *   thread's access to x: F on either side, in either thread.
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

/** One step of a client thread. */
export type Step =
  /** WRITE_ONCE(*loc, value) */
  | { op: 'write'; loc: 'x' | 'y'; value: number }
  /** reg = READ_ONCE(*loc) */
  | { op: 'read'; loc: 'x' | 'y'; reg: string }
  /** smp_mb() */
  | { op: 'mb' }
  /** a page_ref function on the counter; `reg` holds what it returns, when it returns */
  | { op: 'call'; fn: PageRefFunction; args: readonly number[]; reg?: string; test: boolean };

/** A client: a shape with the function under test placed in it. */
export interface Client {
  /** herd-style: `MP+dec_and_test@P0.b` (shape, function, where). */
  name: string;
  shape: ShapeName;
  fn: PageRefFunction;
  role: 'fence' | 'access';
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
 * three-thread shape (WRC) only the count reads, which keeps the shape's one writer (and the
 * search small: three RMW calls on one counter make tens of thousands of trace choices).
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
}

/** Every client of `fn`, in a fixed order. */
export function clientsOf(fn: PageRefFunction): Client[] {
  const out: Client[] = [];
  const use = FUNCTION_USE[fn];
  for (const start of use.starts) {
    for (const [shape, threads] of Object.entries(SHAPES) as [
      ShapeName,
      readonly (readonly Access[])[],
    ][]) {
      const placement = { fn, args: use.args, start, shape, threads };
      out.push(...fenceClients(placement), ...accessClients(placement));
    }
  }
  return out;
}

/** The function between the two accesses of one thread; smp_mb() in the others. */
function fenceClients({ fn, args, start, shape, threads }: Placement): Client[] {
  const out: Client[] = [];
  threads.forEach((accesses, here) => {
    if (accesses.length < 2) return;
    const regs = registers();
    const values = writeValues();
    const steps = threads.map((t, i) => {
      const s: Step[] = [];
      t.forEach((a, k) => {
        if (k === 1) {
          if (i === here) s.push({ op: 'call', fn, args, test: true, ...retReg(fn, regs, i) });
          else s.push({ op: 'mb' });
        }
        const loc = a.loc === 'a' ? 'x' : 'y';
        s.push(
          a.kind === 'W'
            ? { op: 'write', loc, value: values(loc) }
            : { op: 'read', loc, reg: regs(i) },
        );
      });
      return s;
    });
    out.push({
      name: `${shape}+${fn}@P${here}(${start})`,
      shape,
      fn,
      role: 'fence',
      start,
      threads: steps,
    });
  });
  return out;
}

/** The counter as one location of the shape, F as one of its accesses. */
function accessClients({ fn, args, start, shape, threads }: Placement): Client[] {
  const out: Client[] = [];
  for (const counter of ['a', 'b'] as const) {
    const slots: [number, number][] = [];
    threads.forEach((t, i) => t.forEach((a, k) => a.loc === counter && slots.push([i, k])));
    for (const [ti, ki] of slots) {
      const mine = threads[ti]![ki]!;
      if (!(mine.kind === 'W' ? FUNCTION_USE[fn].writes : FUNCTION_USE[fn].returns)) continue;
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
            if (k === 1 && i !== ti) s.push({ op: 'mb' });
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
            s.push(
              a.kind === 'W'
                ? { op: 'write', loc: 'x', value: values('x') }
                : { op: 'read', loc: 'x', reg: regs(i) },
            );
          });
          return s;
        });
        const partners = pick.map((p) => p.name).join(',');
        out.push({
          name: `${shape}+${fn}@P${ti}.${counter}${partners ? `+${partners}` : ''}(${start})`,
          shape,
          fn,
          role: 'access',
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
