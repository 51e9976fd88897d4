import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Violation, explore, type Program, type ThreadContext } from '../../src/explore/explore.js';

/**
 * Random small programs, explored with and without each reduction: the verdict and the
 * counterexample's length must not change, and sleep sets must visit every state. The
 * programs share bodies between threads (symmetry), touch two cells with every kind of
 * access (so some steps commute and most do not), keep a ghost world that names threads,
 * fail on some values read, and may run two accesses as one operation (so that paths of
 * unequal length meet, and sleep sets must step a state again).
 */
type Access =
  | { op: 'load' | 'add'; cell: number }
  | { op: 'store'; cell: number; value: number }
  | { op: 'cas'; cell: number; expected: number; value: number };
/**
 * `operation`: the body starts with a CAS-loop increment of a cell, as one operation: it
 * retries as often as others interfere, so paths of unequal length meet.
 */
type Body = { accesses: Access[]; failOn: number; ghost: boolean; operation: boolean };

const access: fc.Arbitrary<Access> = fc.oneof(
  fc.record({ op: fc.constantFrom('load' as const, 'add' as const), cell: fc.nat(1) }),
  fc.record({ op: fc.constant('store' as const), cell: fc.nat(1), value: fc.nat(2) }),
  fc.record({
    op: fc.constant('cas' as const),
    cell: fc.nat(1),
    expected: fc.nat(2),
    value: fc.nat(2),
  }),
);
const body: fc.Arbitrary<Body> = fc.record({
  accesses: fc.array(access, { minLength: 1, maxLength: 4 }),
  failOn: fc.integer({ min: 2, max: 6 }),
  ghost: fc.boolean(),
  operation: fc.boolean(),
});
const programArb = fc.record({
  bodies: fc.array(body, { minLength: 1, maxLength: 2 }),
  assignment: fc.array(fc.nat(1), { minLength: 2, maxLength: 4 }),
});

function run(ctx: ThreadContext<Counts>, a: Access): number {
  switch (a.op) {
    case 'load':
      return ctx.cells.load(a.cell);
    case 'add':
      return ctx.cells.add(a.cell, 1);
    case 'store':
      ctx.cells.store(a.cell, a.value);
      return a.value;
    case 'cas':
      return ctx.cells.cas(a.cell, a.expected, a.value);
  }
}

/**
 * World: how many accesses each thread has made, and which thread counted last (a ghost
 * record naming threads; two threads' updates do not commute, as in the checker's world).
 */
type Counts = { counts: number[]; last: number };

function program({
  bodies,
  assignment,
}: {
  bodies: Body[];
  assignment: number[];
}): Program<Counts> {
  const fns = bodies.map((b) => (ctx: ThreadContext<Counts>) => {
    const step = (a: Access) => {
      const seen = run(ctx, a);
      if (b.ghost) {
        ctx.ghost('counted', (w) => {
          w.counts[ctx.thread]! += 1;
          w.last = ctx.thread;
        });
      }
      if (seen === b.failOn) throw new Violation('saw', `saw ${seen}`);
      return seen;
    };
    if (b.operation) {
      ctx.operation(() => {
        let v = ctx.cells.load(1);
        while (ctx.cells.cas(1, v, v + 1) !== v) v = ctx.cells.load(1);
        return v;
      });
    }
    const rest = b.accesses;
    for (const a of rest) step(a);
  });
  const which = assignment.map((i) => i % bodies.length);
  return {
    threads: which.map((i) => ({ name: `B${i}`, body: fns[i]! })),
    init: () => ({ memory: new Int32Array(2), world: { counts: which.map(() => 0), last: -1 } }),
    cloneWorld: (w) => ({ counts: w.counts.slice(), last: w.last }),
    worldKey: (w, rename) => {
      const out = w.counts.slice();
      if (rename) w.counts.forEach((v, t) => (out[rename[t]!] = v));
      return `${out.join(',')}/${rename && w.last >= 0 ? rename[w.last] : w.last}`;
    },
    symmetry: which,
  };
}

describe('reductions keep verdicts, shortest counterexamples and states', () => {
  it('on random programs: symmetry and sleep sets, alone and together', () => {
    fc.assert(
      fc.property(programArb, (spec) => {
        const p = program(spec);
        // a few programs (four threads retrying increments) are too big to compare quickly
        const maxStates = 20_000;
        const base = explore(p, { symmetry: false, maxStates });
        fc.pre(base.kind !== 'incomplete');
        const length = (r: typeof base) => (r.kind === 'violation' ? r.trace.length : -1);
        const runs = {
          symmetry: explore(p, { maxStates }),
          sleepSets: explore(p, { symmetry: false, sleepSets: true, maxStates }),
          both: explore(p, { sleepSets: true, maxStates }),
        };
        for (const [name, r] of Object.entries(runs)) {
          assert.equal(r.kind, base.kind, name);
          assert.equal(length(r), length(base), name);
        }
        if (base.kind === 'safe') {
          assert.equal(runs.sleepSets.states, base.states, 'sleep sets lost states');
          assert.equal(runs.both.states, runs.symmetry.states, 'sleep sets lost states');
        }
        // symmetry keeps the very same counterexample (symmetry.ts says why)
        assert.deepEqual(
          runs.symmetry.kind === 'violation' && runs.symmetry.trace,
          base.kind === 'violation' && base.trace,
        );
      }),
      { numRuns: 400, seed: 13 },
    );
  });
});
