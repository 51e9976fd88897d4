import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Violation, explore, type Program } from '../../src/explore/explore.js';
import { onCpu } from '../helpers/cpuTime.js';

/** Threads that each make `k` loads of a private cell: no shared state at all. */
function independent(steps: number[]): Program<null> {
  return {
    threads: steps.map((k, t) => ({
      name: `T${t}`,
      body: (ctx) => {
        for (let i = 0; i < k; i++) ctx.cells.load(t);
      },
    })),
    init: () => ({ memory: new Int32Array(steps.length), world: null }),
    cloneWorld: () => null,
    worldKey: () => '',
  };
}

const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
const multinomial = (ks: number[]) =>
  factorial(ks.reduce((a, b) => a + b, 0)) / ks.reduce((p, k) => p * factorial(k), 1);
// A thread with no access still takes one step: the one in which it returns.
const stepsOf = (k: number) => Math.max(k, 1);

describe('the explorer on programs whose interleavings are known in closed form', () => {
  const cases = [
    [1, 1],
    [2, 3],
    [4, 4],
    [1, 2, 3],
    [2, 2, 2],
    [3, 0],
  ];
  for (const ks of cases) {
    const steps = ks.map(stepsOf);
    it(`threads of ${ks.join(', ')} accesses: (Σk)!/Πk! = ${multinomial(steps)} interleavings`, () => {
      const r = explore(independent(ks));
      assert.equal(r.kind, 'safe');
      if (r.kind !== 'safe') return;
      assert.equal(r.finals.length, 1);
      assert.equal(r.finals[0]!.paths, multinomial(steps));
      // the states are the grid of per-thread progress: Π(k+1)
      assert.equal(
        r.states,
        steps.reduce((p, k) => p * (k + 1), 1),
      );
    });
  }

  it('two unsynchronized increments (load, then store) lose an update in some interleavings', () => {
    const program: Program<null> = {
      ...independent([0, 0]),
      threads: [0, 1].map((t) => ({
        name: `T${t}`,
        body: (ctx) => ctx.cells.store(0, ctx.cells.load(0) + 1),
      })),
      init: () => ({ memory: new Int32Array(1), world: null }),
    };
    const r = explore(program);
    assert.equal(r.kind, 'safe');
    if (r.kind !== 'safe') return;
    const outcomes: Record<number, number> = {};
    for (const f of r.finals) outcomes[f.memory[0]!] = (outcomes[f.memory[0]!] ?? 0) + f.paths;
    // 4!/(2!2!) = 6 interleavings: 2 serial ones give 2, the 4 overlapping ones give 1
    assert.deepEqual(outcomes, { 1: 4, 2: 2 });
  });

  it('finds a violation raised by a thread and returns the shortest path to it', () => {
    const program: Program<null> = {
      ...independent([0, 0]),
      threads: [
        {
          name: 'writer',
          body: (ctx) => (ctx.cells.load(1), ctx.cells.load(1), ctx.cells.store(0, 1)),
        },
        {
          name: 'reader',
          body: (ctx) => {
            if (ctx.cells.load(0) === 1) throw new Violation('saw', 'saw the write');
          },
        },
      ],
      init: () => ({ memory: new Int32Array(2), world: null }),
    };
    const r = explore(program);
    assert.equal(r.kind, 'violation');
    if (r.kind !== 'violation') return;
    assert.equal(r.message, 'saw the write');
    assert.equal(r.violation, 'saw');
    assert.deepEqual(
      r.trace.map((s) => s.thread),
      [0, 0, 0, 1],
    );
  });
});

describe('limits are checked inside a layer, not only between layers', () => {
  it('a time limit stops a layer of 180,000 steps long before it ends', () => {
    // 600 threads of one access each: layer 1 has 600 states, layer 2 needs 600 × 599 steps
    const { result: r, ms } = onCpu(() =>
      explore(independent(Array<number>(600).fill(1)), { maxMs: 100 }),
    );
    assert.equal(r.kind, 'incomplete');
    if (r.kind !== 'incomplete') return;
    assert.equal(r.limit, '100 ms');
    assert.ok(r.states < 10_000, `${r.states} states`);
    assert.ok(ms < 5_000, `${ms} ms of CPU`); // the layer would take far longer
  });
  it('a memory limit too', () => {
    const r = explore(independent(Array<number>(600).fill(1)), { maxMemoryMB: 1 });
    assert.equal(r.kind, 'incomplete');
    if (r.kind === 'incomplete') assert.equal(r.limit, '1 MiB of memory');
  });
});

describe('the step budget', () => {
  it('holds inside an operation: a spin is a spins violation', () => {
    const program: Program<null> = {
      ...independent([0]),
      threads: [{ name: 'T0', body: (ctx) => void ctx.operation(() => spin(ctx.cells)) }],
    };
    const r = explore(program, { maxOpSteps: 50 });
    assert.equal(r.kind, 'violation');
    if (r.kind === 'violation') {
      assert.equal(r.violation, 'spins');
      assert.equal(r.message, "T0's body did not finish in 50 steps (it spins)");
    }
  });
  it('does not hold outside operations: a litmus process of 500 accesses is fine', () => {
    const r = explore(independent([500]), { maxOpSteps: 50 });
    assert.equal(r.kind, 'safe');
  });
});

function spin(cells: { load(i: number): number }): number {
  for (;;) if (cells.load(0) === 1) return 1;
}

describe('operations: a completed operation stands for its accesses', () => {
  /** Each thread increments cell 0 with a load + CAS retry loop, optionally as one operation. */
  function casIncrements(asOperation: boolean): Program<null> {
    const increment = (ctx: { cells: import('../../src/explore/modelCells.js').ModelCells }) => {
      let v = ctx.cells.load(0);
      while (ctx.cells.cas(0, v, v + 1) !== v) v = ctx.cells.load(0);
      return v;
    };
    return {
      threads: [0, 1].map((t) => ({
        name: `T${t}`,
        body: (ctx) => {
          if (asOperation) ctx.operation(() => increment(ctx));
          else increment(ctx);
          ctx.cells.load(1);
        },
      })),
      init: () => ({ memory: new Int32Array(2), world: null }),
      cloneWorld: () => null,
      worldKey: () => '',
    };
  }

  it('paths that differ only by a CAS retry inside an operation merge', () => {
    const raw = explore(casIncrements(false));
    const ops = explore(casIncrements(true));
    assert.ok(raw.kind === 'safe' && ops.kind === 'safe');
    if (raw.kind !== 'safe' || ops.kind !== 'safe') return;
    assert.ok(raw.finals.every((f) => f.memory[0] === 2));
    assert.ok(ops.finals.every((f) => f.memory[0] === 2));
    // without operations a retrying thread's log stays distinct to the end
    assert.ok(
      raw.finals.length > ops.finals.length,
      `${raw.finals.length} vs ${ops.finals.length}`,
    );
    assert.ok(ops.states < raw.states);
  });

  it('a nested operation is not mistaken for the one around it on replay', () => {
    const program: Program<null> = {
      threads: [
        {
          name: 'T0',
          body: (ctx) => {
            const outer = ctx.operation(() => {
              const inner = ctx.operation(() => ctx.cells.load(0));
              ctx.cells.store(1, inner + 10); // a second step, after the inner one completed
              return 7;
            });
            ctx.cells.store(2, outer);
          },
        },
        { name: 'T1', body: (ctx) => ctx.cells.store(0, 5) },
      ],
      init: () => ({ memory: new Int32Array(3), world: null }),
      cloneWorld: () => null,
      worldKey: () => '',
    };
    const r = explore(program);
    assert.equal(r.kind, 'safe');
    if (r.kind !== 'safe') return;
    for (const f of r.finals) {
      assert.equal(f.memory[2], 7);
      assert.ok(f.memory[1] === 10 || f.memory[1] === 15);
    }
  });
});
