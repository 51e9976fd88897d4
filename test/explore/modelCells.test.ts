/**
 * The model cells are the checker's soundness: replay, its determinism check, the pause
 * rules, the range check and the step budget. Unit tests that drive ModelCells directly,
 * step by step as the explorer does (begin, the body, end), and small explore() programs
 * for the setup and the final check. Each pins a behaviour a mutant of modelCells.ts
 * changed without any other test noticing (issue 20, item 22).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_OP_STEPS,
  ModelCells,
  NO_CELL,
  PAUSE,
  STACK_FAULT,
} from '../../src/explore/modelCells.js';
import { emptyLog, type ThreadLog } from '../../src/explore/threadLog.js';
import { Violation, explore, type Program } from '../../src/explore/explore.js';

type Body = (c: ModelCells) => void;
type End = ReturnType<ModelCells['end']>;

/** One step of a thread, as the explorer runs it: begin, the body, end. */
function step(cells: ModelCells, memory: Int32Array, log: ThreadLog, body: Body, t = 0): End {
  cells.begin(memory, log, t);
  return ended(cells, body);
}

/** Runs `body` over cells already begun, and ends the step with what it did. */
function ended(cells: ModelCells, body: Body): End {
  let returned = false;
  let thrown: unknown;
  try {
    body(cells);
    returned = true;
  } catch (e) {
    thrown = e;
  }
  return cells.end(returned, thrown);
}

/** Steps `body` until it ends (done or a fault): the last step's end, and the step count. */
function run(cells: ModelCells, memory: Int32Array, body: Body, log = emptyLog()) {
  for (let steps = 1; steps < 10_000; steps++) {
    const end = step(cells, memory, log, body);
    if (end !== 'paused') return { end, steps, log };
  }
  throw new Error('the body never ended');
}

/** Runs `body` over probe cells: what it returns or the fault it raised. */
function probe(memory: Int32Array, body: Body, cells = new ModelCells()): End {
  cells.beginProbe(memory, 'the probe');
  return ended(cells, body);
}

function assertFault(end: End, kind: string, message?: RegExp): Violation {
  assert.ok(end instanceof Violation, `expected a ${kind} violation, got ${String(end)}`);
  assert.equal(end.kind, kind, end.message);
  if (message) assert.match(end.message, message);
  return end;
}

/** One access of each kind the cells log: the five Cells methods and a litmus primitive. */
const ACCESSES: Record<string, (c: ModelCells, i: number) => unknown> = {
  load: (c, i) => c.load(i),
  store: (c, i) => c.store(i, 1),
  add: (c, i) => c.add(i, 1),
  sub: (c, i) => c.sub(i, 1),
  cas: (c, i) => c.cas(i, 0, 1),
  xchg: (c, i) => c.rmw('xchg', i, (old) => [old, 1]),
};
const TEXT: Record<string, string> = {
  load: 'a load',
  store: 'a store',
  add: 'an add',
  sub: 'a sub',
  cas: 'a cas',
  xchg: 'a primitive',
};

/**
 * The end of the second step of a thread whose first step made access `a` on cell `i`, and
 * whose replay makes access `b` on cell `j` where the log has `a` on `i`.
 */
function replayed(a: string, i: number, b: string, j: number, cells = new ModelCells()): End {
  const memory = new Int32Array(18);
  const log = emptyLog();
  const first = step(cells, memory, log, (c) => {
    ACCESSES[a]!(c, i);
    ACCESSES[a]!(c, i); // pauses
  });
  assert.equal(first, 'paused');
  return step(cells, memory, log, (c) => void ACCESSES[b]!(c, j));
}

describe('replay', () => {
  it('a replayed access returns its logged result and leaves memory alone', () => {
    const cells = new ModelCells();
    const memory = Int32Array.of(5, 0);
    const log = emptyLog();
    const seen: number[] = [];
    const body: Body = (c) => {
      seen.push(c.add(0, 1));
      c.load(1);
    };
    assert.equal(step(cells, memory, log, body), 'paused');
    assert.deepEqual([...memory], [6, 0]);
    memory[0] = 40; // another thread's write
    assert.equal(step(cells, memory, log, body), 'done');
    assert.deepEqual(seen, [5, 5]);
    assert.deepEqual([...memory], [40, 0]);
    assert.equal(cells.access?.op, 'load'); // this step's access is the new one
  });

  it('a replay that makes another kind of access on the same cell is nondeterministic', () => {
    for (const a of Object.keys(ACCESSES))
      for (const b of Object.keys(ACCESSES)) {
        const end = replayed(a, 3, b, 3);
        if (a === b) assert.equal(end, 'done', `${a} then ${b}`);
        else
          assertFault(
            end,
            'nondeterministic',
            new RegExp(
              `^T0's replay diverged from its first run: it made ${TEXT[b]} of cell 3 where it had made ${TEXT[a]} of cell 3\\.`,
            ),
          );
      }
  });

  it('a replay that makes the same access on another cell is nondeterministic', () => {
    for (const a of Object.keys(ACCESSES)) {
      assertFault(
        replayed(a, 0, a, 1),
        'nondeterministic',
        new RegExp(`made ${TEXT[a]} of cell 1 where it had made ${TEXT[a]} of cell 0\\.`),
      );
      assertFault(replayed(a, 2, a, 1), 'nondeterministic');
    }
  });

  it('no two (cell, kind of access) pairs are taken for each other, where cell*k ± op codes collide', () => {
    const cells = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17];
    const kinds = Object.keys(ACCESSES);
    const model = new ModelCells();
    for (const i of cells)
      for (const a of kinds)
        for (const j of cells)
          for (const b of kinds) {
            const end = replayed(a, i, b, j, model);
            if (i === j && a === b) assert.equal(end, 'done');
            else if (!(end instanceof Violation) || end.kind !== 'nondeterministic')
              assert.fail(`${a} of cell ${i} replayed as ${b} of cell ${j}: ${String(end)}`);
          }
  });

  it('a replay that returns early, before an entry of its log, is nondeterministic', () => {
    const cases: [string, Body, string][] = [
      ['an access', (c) => (c.load(2), c.load(2)), 'a load of cell 2'],
      ['a ghost update', (c) => (c.ghost(() => {}), c.load(0), c.load(0)), 'a ghost update'],
      ['an operation begun', (c) => void c.operation(() => (c.load(0), c.load(0))), 'an operation'],
      [
        'an operation completed',
        (c) => (c.operation(() => 1), c.load(0), c.load(0)),
        'an operation',
      ],
    ];
    for (const [what, body, text] of cases) {
      const cells = new ModelCells();
      const memory = new Int32Array(3);
      const log = emptyLog();
      assert.equal(step(cells, memory, log, body), 'paused', what);
      assertFault(
        step(cells, memory, log, () => {}),
        'nondeterministic',
        new RegExp(`it returned where it had gone on to ${text}\\.`),
      );
    }
  });

  it('a replay that makes another kind of entry (access, ghost, operation) is nondeterministic', () => {
    const access: Body = (c) => void c.load(0);
    const ghost: Body = (c) => void c.ghost(() => {});
    const operation: Body = (c) => void c.operation(() => c.load(0));
    const done: Body = (c) => void c.operation(() => 1);
    const cases: [Body, Body, string][] = [
      [access, ghost, 'made a ghost update where it had made a load of cell 0'],
      [access, operation, 'made an operation where it had made a load of cell 0'],
      [ghost, access, 'made a load of cell 0 where it had made a ghost update'],
      [ghost, operation, 'made an operation where it had made a ghost update'],
      [operation, ghost, 'made a ghost update where it had made an operation'],
      [operation, access, 'made a load of cell 0 where it had made an operation'],
      [done, access, 'made a load of cell 0 where it had made an operation'],
      [done, ghost, 'made a ghost update where it had made an operation'],
    ];
    for (const [first, second, message] of cases) {
      const cells = new ModelCells();
      const memory = new Int32Array(2);
      const log = emptyLog();
      // the first body, then accesses until one pauses it (inside its operation, if any)
      const end = step(cells, memory, log, (c) => {
        if (first === operation) c.operation(() => (c.load(0), c.load(1)));
        else {
          first(c);
          c.load(1);
          c.load(1);
        }
      });
      assert.equal(end, 'paused');
      assertFault(step(cells, memory, log, second), 'nondeterministic', new RegExp(message));
    }
  });

  it('a body of several accesses: each is applied once, in its own step, and logged once', () => {
    const cells = new ModelCells();
    const memory = Int32Array.of(10, 20, 30);
    const seen: number[][] = [];
    const r = run(cells, memory, (c) => void seen.push([c.add(0, 1), c.add(1, 1), c.add(2, 1)]));
    assert.equal(r.end, 'done');
    assert.equal(r.steps, 3);
    assert.deepEqual([...memory], [11, 21, 31]);
    assert.equal(r.log.kinds, 'aaa');
    assert.deepEqual(r.log.values, [10, 20, 30]);
    assert.deepEqual(seen, [[10, 20, 30]]);
  });

  it('a completed operation replays as its result, without running again', () => {
    const cells = new ModelCells();
    const memory = new Int32Array(2);
    const log = emptyLog();
    let runs = 0;
    const results: number[] = [];
    const body: Body = (c) => {
      results.push(c.operation(() => (runs++, c.add(0, 1), c.add(0, 1) + 10)));
      c.load(1);
    };
    const r = run(cells, memory, body, log);
    assert.equal(r.end, 'done');
    assert.deepEqual(results, [11, 11]); // completed in step 2, replayed in step 3
    assert.equal(runs, 2); // steps 1 and 2 ran it; step 3 replayed it
    assert.equal(log.kinds, 'oa'); // its accesses collapsed into its result
    assert.deepEqual(log.values, [11, 0]);
    assert.deepEqual(log.sites, [-1, 1 * 8 + 1]);
    assert.equal(memory[0], 2);
  });

  it('a step that ends as it should: paused by the cells, or done', () => {
    const cells = new ModelCells();
    cells.begin(new Int32Array(1), emptyLog());
    assert.equal(cells.end(true, undefined), 'done');
    const v = new Violation('mine', 'the body says so');
    cells.begin(new Int32Array(1), emptyLog());
    assert.equal(cells.end(false, v), v);
    const e = new TypeError('x');
    cells.begin(new Int32Array(1), emptyLog());
    assert.deepEqual(cells.end(false, e), { error: e });
  });
});

describe('indices: converted as Atomics converts them, or outOfRange', () => {
  const LENGTH = 4;
  it('−0.5, −0, NaN and 0.5 are cell 0; length − 1 and length − 0.5 are the last cell', () => {
    const cases: [number, number][] = [
      [-0.5, 0],
      [-0, 0],
      [NaN, 0],
      [0.5, 0],
      [1.5, 1],
      ['2' as unknown as number, 2],
      [LENGTH - 1, LENGTH - 1],
      [LENGTH - 0.5, LENGTH - 1],
    ];
    for (const [i, cell] of cases) {
      for (const [name, access] of Object.entries(ACCESSES)) {
        if (name === 'xchg') continue; // rmw takes a cell, not an index: below
        const cells = new ModelCells();
        const memory = new Int32Array(LENGTH);
        assert.equal(
          probe(memory, (c) => void access(c, i), cells),
          'done',
          `${name} of ${String(i)}`,
        );
        assert.ok(cells.access?.cell === cell, `${name} of ${String(i)}`); // -0 is 0
        if (name !== 'load') assert.equal(memory[cell], name === 'sub' ? -1 : 1);
      }
      // and in a thread's step, replayed as the same cell
      const cells = new ModelCells();
      const memory = new Int32Array(LENGTH);
      const r = run(cells, memory, (c) => (c.add(i, 1), c.add(i, 1)));
      assert.equal(r.end, 'done');
      assert.equal(memory[cell], 2, String(i));
    }
  });

  it('−1, −1.5, length, length + 0.5, 2^32 and ±Infinity are outOfRange, and touch nothing', () => {
    const cases: [number, string][] = [
      [-1, '-1'],
      [-1.5, '-1.5'],
      [LENGTH, `${LENGTH}`],
      [LENGTH + 0.5, `${LENGTH + 0.5}`],
      [2 ** 32, '4294967296'],
      [Infinity, 'Infinity'],
      [-Infinity, '-Infinity'],
    ];
    for (const [i, text] of cases)
      for (const [name, access] of Object.entries(ACCESSES)) {
        if (name === 'xchg') continue;
        const cells = new ModelCells();
        const memory = new Int32Array(LENGTH);
        assertFault(
          probe(memory, (c) => void access(c, i), cells),
          'outOfRange',
          new RegExp(`^the probe's body made ${TEXT[name]} of cell ${text}, outside the 4 cells$`),
        );
        assert.equal(cells.access, undefined);
        assert.deepEqual([...memory], [0, 0, 0, 0]);
        // a thread's first access too
        assertFault(
          step(new ModelCells(), memory, emptyLog(), (c) => void access(c, i)),
          'outOfRange',
          new RegExp(`^T0's body made ${TEXT[name]} of cell ${text}, outside`),
        );
      }
  });

  it('an index out of range is shown as the code wrote it: a string quoted, an object safely', () => {
    const cases: [unknown, string][] = [
      ['9', 'cell "9"'],
      ['-1', 'cell "-1"'],
      [
        {
          valueOf: () => 9,
          toString: () => {
            throw new Error('no');
          },
        },
        'cell object',
      ],
      [{ valueOf: () => 9, toString: () => 'nine' }, 'cell nine'],
    ];
    for (const [i, text] of cases)
      assertFault(
        probe(new Int32Array(LENGTH), (c) => void c.load(i as number)),
        'outOfRange',
        new RegExp(`^the probe's body made a load of ${text}, outside the 4 cells$`),
      );
  });

  it('rmw (the litmus primitives) takes cells 0 … length − 1 only: −1, 0.5 and length are outOfRange', () => {
    for (const i of [0, LENGTH - 1]) {
      const memory = new Int32Array(LENGTH);
      assert.equal(
        probe(memory, (c) => void c.rmw('xchg', i, (old) => [old, 7])),
        'done',
      );
      assert.equal(memory[i], 7);
    }
    for (const i of [-1, 0.5, LENGTH, LENGTH + 1]) {
      const memory = new Int32Array(LENGTH);
      assertFault(
        probe(memory, (c) => void c.rmw('xchg', i, (old) => [old, 7])),
        'outOfRange',
        new RegExp(`^the probe's body made a xchg of cell ${i}, outside the 4 cells$`),
      );
      assert.deepEqual([...memory], [0, 0, 0, 0]);
    }
  });

  it('while a strategy function runs on page p, only cell p is in range', () => {
    const memory = new Int32Array(LENGTH);
    const on = (page: number, i: number) =>
      probe(memory, (c) => {
        c.page = page;
        c.callee = 'tryGet';
        c.add(i, 1);
      });
    assert.equal(on(-1, 0), 'done');
    assert.equal(on(-1, 3), 'done');
    assert.equal(on(1, 1), 'done');
    assert.equal(on(1, 1.5), 'done'); // ToIndex(1.5) = 1
    assertFault(
      on(1, 0),
      'outOfRange',
      /tryGet made an add of cell 0, which is not the counter of p1/,
    );
    assertFault(on(1, 2), 'outOfRange', /not the counter of p1/);
    assertFault(on(0, 1), 'outOfRange', /made an add of cell 1, which is not the counter of p0:/);
    assertFault(on(0, LENGTH), 'outOfRange', /outside the 4 cells/);
    assertFault(
      on(NO_CELL, 0),
      'outOfRange',
      /an add of cell 0, but this function is given no cells/,
    );
    assert.deepEqual([...memory], [1, 2, 0, 1]);
  });
});

describe('the step budget', () => {
  const N = 6;
  /** A thread whose body is one operation of `k` accesses (and `ghosts` ghost updates first). */
  const opOf =
    (k: number, ghosts = 0): Body =>
    (c) =>
      void c.operation(() => {
        for (let g = 0; g < ghosts; g++) c.ghost(() => {});
        for (let a = 0; a < k; a++) c.load(0);
        return 0;
      });
  const runWith = (body: Body, n = N) => {
    const cells = new ModelCells();
    cells.maxOpSteps = n;
    return run(cells, new Int32Array(1), body).end;
  };
  const SPINS = new RegExp(`^T0's body did not finish in ${N} steps \\(it spins\\)$`);

  it('an operation counts its log entries, its start among them: N − 1 accesses finish, N spin', () => {
    assert.equal(runWith(opOf(N - 1)), 'done');
    assertFault(runWith(opOf(N)), 'spins', SPINS);
    assertFault(runWith(opOf(N + 1)), 'spins', SPINS);
  });

  it('ghost updates count toward it', () => {
    assert.equal(runWith(opOf(N - 3, 2)), 'done');
    assertFault(runWith(opOf(N - 2, 2)), 'spins', SPINS);
  });

  it('a nested operation counts from the outermost one’s start', () => {
    const nested = (outer: number, inner: number): Body => {
      return (c) =>
        void c.operation(() => {
          for (let a = 0; a < outer; a++) c.load(0);
          return c.operation(() => {
            for (let a = 0; a < inner; a++) c.load(0);
            return 0;
          });
        });
    };
    assert.equal(runWith(nested(0, N - 2)), 'done'); // two starts, N − 2 accesses: N entries
    assert.equal(runWith(nested(2, N - 4)), 'done');
    assertFault(runWith(nested(2, N - 3)), 'spins', SPINS);
    assertFault(runWith(nested(0, N - 1)), 'spins', SPINS);
  });

  it('a completed operation is one entry: the next operation gets a budget of its own', () => {
    assert.equal(
      runWith((c) => {
        for (let op = 0; op < 3; op++) opOf(N - 1)(c);
      }),
      'done',
    );
  });

  it('outside operations a thread has none (a litmus process is loop-free)', () => {
    assert.equal(
      runWith((c) => {
        for (let a = 0; a < 3 * N; a++) c.load(0);
      }),
      'done',
    );
  });

  it('the default is MAX_OP_STEPS', () => {
    assert.equal(new ModelCells().maxOpSteps, MAX_OP_STEPS);
    assert.equal(run(new ModelCells(), new Int32Array(1), opOf(MAX_OP_STEPS - 1)).end, 'done');
    assertFault(
      run(new ModelCells(), new Int32Array(1), opOf(MAX_OP_STEPS)).end,
      'spins',
      /did not finish in 100 steps/,
    );
  });

  describe('probe cells (the setup, the final check): each outermost strategy call', () => {
    const calls = (...counts: number[]): Body => {
      return (c) => {
        for (const k of counts) {
          c.callee = 'tryGet';
          for (let a = 0; a < k; a++) c.load(0);
          c.callee = '';
        }
      };
    };
    const probeWith = (body: Body, cells = new ModelCells()) => {
      cells.maxOpSteps = N;
      return probe(new Int32Array(1), body, cells);
    };
    const PROBE_SPINS = new RegExp(
      `^the probe's tryGet did not finish in ${N} steps \\(it spins\\)$`,
    );

    it('may make N accesses; the N + 1-th spins', () => {
      assert.equal(probeWith(calls(N)), 'done');
      assertFault(probeWith(calls(N + 1)), 'spins', PROBE_SPINS);
    });

    it('a later call gets a budget of its own', () => {
      assert.equal(probeWith(calls(N, N, N)), 'done');
      assertFault(probeWith(calls(N, N + 1)), 'spins', PROBE_SPINS);
    });

    it('a nested call counts from the outermost call’s start', () => {
      const nested = (outer: number, inner: number): Body => {
        return (c) => {
          c.callee = 'tryGet';
          for (let a = 0; a < outer; a++) c.load(0);
          c.callee = 'count'; // called by tryGet
          for (let a = 0; a < inner; a++) c.load(0);
          c.callee = 'tryGet';
          c.callee = '';
        };
      };
      assert.equal(probeWith(nested(2, N - 2)), 'done');
      assertFault(
        probeWith(nested(2, N - 1)),
        'spins',
        new RegExp(`^the probe's count did not finish in ${N} steps`),
      );
    });

    it('outside every call, counts from the probe’s start, whatever the cells ran before', () => {
      const body: Body = (c) => {
        for (let a = 0; a < N; a++) c.load(0);
      };
      const over: Body = (c) => {
        for (let a = 0; a <= N; a++) c.load(0);
      };
      assert.equal(probeWith(body), 'done');
      assertFault(probeWith(over), 'spins', /^the probe's body did not finish in 6 steps/);
      // the same cells, after a step whose strategy call began late in its log
      const used = new ModelCells();
      const log = emptyLog();
      used.begin(new Int32Array(1), log);
      used.operation(() => 0);
      used.operation(() => 0);
      used.operation(() => 0);
      used.callee = 'tryGet';
      used.callee = '';
      assert.equal(probeWith(body, used), 'done');
      assertFault(probeWith(over, used), 'spins', /^the probe's body did not finish in 6 steps/);
    });

    it('never pause: every access is applied at once', () => {
      const memory = new Int32Array(1);
      const cells = new ModelCells();
      cells.beginProbe(memory, 'the probe');
      for (let a = 0; a < 5; a++) assert.equal(cells.add(0, 1), a);
      assert.equal(cells.end(true, undefined), 'done');
      assert.equal(memory[0], 5);
      // and a thread's step after a probe pauses again
      const log = emptyLog();
      assert.equal(
        step(cells, memory, log, (c) => (c.add(0, 1), c.add(0, 1))),
        'paused',
      );
      assert.equal(memory[0], 6);
    });
  });

  describe("in a scenario's setup and final check (explore)", () => {
    /** A program whose setup and final check each run a strategy call of k accesses. */
    const program = (setup: number, final: number): Program<null> => ({
      threads: [{ name: 'T0', body: (ctx) => void ctx.operation(() => ctx.cells.add(0, 1)) }],
      init(cells) {
        const memory = new Int32Array(1);
        cells.beginProbe(memory, 'the setup');
        cells.callee = 'tryGet';
        for (let a = 0; a < setup; a++) cells.load(0);
        cells.callee = '';
        return { memory, world: null };
      },
      final(cells) {
        cells.callee = 'count';
        for (let a = 0; a < final; a++) cells.load(0);
        cells.callee = '';
        return undefined;
      },
      cloneWorld: () => null,
      worldKey: () => '',
    });

    it('the setup may make N accesses in a call; N + 1 spin', () => {
      assert.equal(explore(program(N, 0), { maxOpSteps: N }).kind, 'safe');
      const r = explore(program(N + 1, 0), { maxOpSteps: N });
      assert.equal(r.kind, 'violation');
      if (r.kind !== 'violation') return;
      assert.equal(r.violation, 'spins');
      assert.equal(r.message, `the setup's tryGet did not finish in ${N} steps (it spins)`);
      assert.equal(r.states, 0);
    });

    it('the final check too', () => {
      assert.equal(explore(program(0, N), { maxOpSteps: N }).kind, 'safe');
      const r = explore(program(0, N + 1), { maxOpSteps: N });
      assert.equal(r.kind, 'violation');
      if (r.kind !== 'violation') return;
      assert.equal(r.violation, 'spins');
      assert.equal(r.message, `the final check's count did not finish in ${N} steps (it spins)`);
    });
  });
});

describe('a pause the body catches is pauseSwallowed, wherever it is caught', () => {
  const memory = () => new Int32Array(2);
  /** First step of a body that catches the pause of its second access, then does `after`. */
  const catching =
    (after: (c: ModelCells) => void): Body =>
    (c) => {
      c.load(0);
      try {
        c.load(1);
      } catch {
        // swallowed
      }
      after(c);
    };

  it('caught outside an operation, then returned', () => {
    const end = step(
      new ModelCells(),
      memory(),
      emptyLog(),
      catching(() => {}),
    );
    assertFault(
      end,
      'pauseSwallowed',
      /^T0's body caught the exception the checker throws through the cells to pause a thread, and returned:/,
    );
  });

  it('caught outside an operation, then something else thrown', () => {
    const end = step(
      new ModelCells(),
      memory(),
      emptyLog(),
      catching(() => {
        throw new TypeError('mine');
      }),
    );
    assertFault(end, 'pauseSwallowed', /caught the exception .* and threw something else instead:/);
  });

  it('caught inside an operation, which then returned', () => {
    const cells = new ModelCells();
    const log = emptyLog();
    const end = step(cells, memory(), log, (c) => {
      c.operation(() => (catching(() => {})(c), 1));
      c.load(0);
    });
    assertFault(end, 'pauseSwallowed', /caught the exception .*, and returned:/);
    assert.equal(log.kinds, 'ba'); // the operation is not taken as completed
  });

  it('caught, then any call into the cells: guard() throws the pause again, and nothing is applied', () => {
    const calls: Record<string, (c: ModelCells, done: () => void) => unknown> = {
      load: (c) => c.load(0),
      store: (c) => c.store(0, 9),
      add: (c) => c.add(0, 9),
      sub: (c) => c.sub(0, 9),
      cas: (c) => c.cas(0, 1, 9),
      rmw: (c) => c.rmw('xchg', 0, () => [0, 9]),
      ghost: (c, done) => c.ghost(done, 'ghost'),
      ghostAtWrite: (c, done) => c.ghostAtWrite(0, 'ghost', done),
      operation: (c, done) => c.operation(() => (done(), 0)),
    };
    for (const [name, call] of Object.entries(calls)) {
      const cells = new ModelCells();
      const mem = Int32Array.of(1, 0);
      const log = emptyLog();
      let applied = false;
      let rethrown: unknown;
      const end = step(
        cells,
        mem,
        log,
        catching((c) => {
          try {
            call(c, () => (applied = true));
          } catch (e) {
            rethrown = e;
          }
        }),
      );
      assert.equal(rethrown, PAUSE, name);
      assertFault(
        end,
        'pauseSwallowed',
        /caught the exception .*, and called into the cells again:/,
      );
      assert.equal(applied, false, name);
      assert.deepEqual([...mem], [1, 0], name);
      assert.deepEqual(cells.notes, [], name);
      assert.equal(log.kinds, 'a', name);
    }
  });

  it('names the strategy function the pause was thrown in', () => {
    const end = step(new ModelCells(), memory(), emptyLog(), (c) => {
      c.load(0);
      c.callee = 'tryGet';
      try {
        c.load(1);
      } catch {
        // swallowed
      }
      c.callee = '';
    });
    assertFault(end, 'pauseSwallowed', /^T0's tryGet caught the exception/);
  });

  it('a pause rethrown is a pause', () => {
    const end = step(new ModelCells(), memory(), emptyLog(), (c) => {
      c.load(0);
      try {
        c.load(1);
      } catch (e) {
        if (e !== PAUSE) throw new Error('unexpected', { cause: e });
        throw e;
      }
    });
    assert.equal(end, 'paused');
  });
});

/** Runs `fn`, ignoring what it throws. */
function tryIt(fn: () => void): void {
  try {
    fn();
  } catch {
    // ignored
  }
}

describe('a fault is kept, whatever the body catches', () => {
  it('outOfRange caught: later calls throw the pause and apply nothing; the fault is the verdict', () => {
    const cells = new ModelCells();
    const mem = new Int32Array(2);
    let ghosted = false;
    const end = step(cells, mem, emptyLog(), (c) => {
      tryIt(() => c.load(5));
      tryIt(() => c.store(0, 9));
      tryIt(() => c.ghost(() => (ghosted = true)));
      tryIt(() => void c.operation(() => (c.store(1, 9), 1)));
    });
    assertFault(end, 'outOfRange', /made a load of cell 5/);
    assert.deepEqual([...mem], [0, 0]);
    assert.equal(ghosted, false);
    assert.equal(cells.access, undefined);
  });

  it('a Violation raised in a ghost update the body catches is the verdict; its note is shown', () => {
    const cells = new ModelCells();
    const mem = new Int32Array(1);
    const broken = new Violation('leak', 'a reference leaked');
    const end = step(cells, mem, emptyLog(), (c) => {
      tryIt(() =>
        c.ghost(() => {
          throw broken;
        }, 'put p0'),
      );
      tryIt(() => c.store(0, 1));
    });
    assert.equal(end, broken);
    assert.deepEqual(cells.notes, ['put p0']);
    assert.equal(mem[0], 0);
  });

  it('a Violation raised in a ghostAtWrite update at its access, caught by the body, is the verdict', () => {
    const cells = new ModelCells();
    const mem = Int32Array.of(1);
    const broken = new Violation('useAfterFree', 'freed twice');
    const end = step(cells, mem, emptyLog(), (c) => {
      tryIt(
        () =>
          void c.operation(() => {
            c.ghostAtWrite(0, 'drop', () => {
              throw broken;
            });
            return c.sub(0, 1);
          }),
      );
    });
    assert.equal(end, broken);
    assert.deepEqual(cells.notes, ['drop']);
  });

  it('an ordinary error from a ghost update is the body’s own to handle', () => {
    const cells = new ModelCells();
    const end = step(cells, new Int32Array(1), emptyLog(), (c) => {
      tryIt(() =>
        c.ghost(() => {
          throw new TypeError('not a violation');
        }),
      );
    });
    assert.equal(end, 'done');
  });

  it('the first fault is the one reported', () => {
    const cells = new ModelCells();
    const mem = new Int32Array(2);
    const log = emptyLog();
    step(cells, mem, log, (c) => (c.load(0), c.load(0)));
    const end = step(cells, mem, log, (c) => {
      tryIt(() => c.load(1)); // diverges
      tryIt(() => c.load(7));
    });
    assertFault(
      end,
      'nondeterministic',
      /made a load of cell 1 where it had made a load of cell 0/,
    );
  });
});

describe('ghost updates', () => {
  it('a ghost update is applied once, in its step, and skipped on replay', () => {
    const cells = new ModelCells();
    const mem = new Int32Array(1);
    const log = emptyLog();
    let applied = 0;
    const returns: boolean[] = [];
    const body: Body = (c) => {
      c.load(0);
      returns.push(c.ghost(() => applied++, 'note'));
      c.load(0);
    };
    assert.equal(step(cells, mem, log, body), 'paused'); // the load, the ghost; paused
    assert.deepEqual(cells.notes, ['note']);
    assert.equal(step(cells, mem, log, body), 'done');
    assert.deepEqual(cells.notes, []);
    assert.equal(applied, 1);
    assert.deepEqual(returns, [true, false]);
    assert.equal(log.kinds, 'aga');
  });

  it('a ghost update without a note adds none', () => {
    const cells = new ModelCells();
    assert.equal(
      step(cells, new Int32Array(1), emptyLog(), (c) => void c.ghost(() => {})),
      'done',
    );
    assert.deepEqual(cells.notes, []);
  });

  describe('ghostAtWrite', () => {
    /** Steps an operation: ghostAtWrite(cell 0), then `accesses`, then a load of cell 1. */
    function trace(accesses: Body, mem = Int32Array.of(1, 0, 0)) {
      const cells = new ModelCells();
      const log = emptyLog();
      let applied = 0;
      const notes: string[][] = [];
      const body: Body = (c) => {
        c.operation(() => {
          c.ghostAtWrite(0, 'drop', () => applied++);
          accesses(c);
          return 0;
        });
        c.load(1);
      };
      for (let s = 0; s < 20; s++) {
        const end = step(cells, mem, log, body);
        notes.push(cells.notes);
        if (end !== 'paused') {
          assert.equal(end, 'done');
          break;
        }
      }
      return { applied, notes, log };
    }

    it('applies at the first access that changes the cell, in that access’s step', () => {
      const t = trace(
        (c) => (c.load(0), c.add(0, 0), c.cas(0, 5, 9), c.add(2, 1), c.sub(0, 1), c.add(0, 1)),
      );
      assert.equal(t.applied, 1);
      // steps: load, add 0, failed cas, add of cell 2, the sub (here), add, the op's end + load
      assert.deepEqual(t.notes, [[], [], [], [], ['drop'], [], []]);
      assert.equal(t.log.kinds, 'oa');
    });

    it('replays past the access it was applied at, and never applies again', () => {
      const t = trace((c) => (c.store(0, 3), c.load(2), c.load(2)));
      assert.equal(t.applied, 1);
      assert.deepEqual(t.notes, [['drop'], [], [], []]);
    });

    it('a replay that leaves out a ghostAtWrite applied in its first run is nondeterministic', () => {
      const cells = new ModelCells();
      const mem = Int32Array.of(1, 0);
      const log = emptyLog();
      let first = true;
      const body: Body = (c) => {
        if (first) c.ghostAtWrite(0, 'drop', () => {});
        c.sub(0, 1);
        c.load(1);
      };
      assert.equal(step(cells, mem, log, body), 'paused');
      assert.equal(log.kinds, 'ad');
      first = false;
      assertFault(
        step(cells, mem, log, body),
        'nondeterministic',
        /made a load of cell 1 where it had made a ghost update/,
      );
    });

    it('with no access that changes the cell, applies when the outermost operation returns', () => {
      const t = trace((c) => {
        c.load(0);
        c.operation(() => c.add(2, 1)); // an inner operation's end is not the end
        c.store(0, 1); // the same value
      });
      assert.equal(t.applied, 1);
      // steps: the load, the inner operation, the store with the outer operation's end
      assert.deepEqual(t.notes, [[], [], ['drop'], []]);
    });

    it('at the write, even when it was made in an inner operation', () => {
      const t = trace((c) => {
        c.load(0);
        c.operation(() => c.sub(0, 1));
        c.load(2);
      });
      assert.equal(t.applied, 1);
      assert.deepEqual(t.notes, [[], ['drop'], [], []]);
    });
  });
});

describe("a RangeError in the cells' own code is the checker's stack, never the strategy's", () => {
  /** An operand or index whose conversion throws `error`, as a stack overflow there would. */
  const throwing = (error: unknown) =>
    ({
      valueOf: () => {
        throw error;
      },
    }) as unknown as number;
  const calls: Record<string, (c: ModelCells, bad: number) => unknown> = {
    'load (index)': (c, bad) => c.load(bad),
    'store (index)': (c, bad) => c.store(bad, 1),
    'store (value)': (c, bad) => c.store(0, bad),
    'add (delta)': (c, bad) => c.add(0, bad),
    'sub (delta)': (c, bad) => c.sub(0, bad),
    'cas (expected)': (c, bad) => c.cas(0, bad, 1),
    'cas (replacement)': (c, bad) => c.cas(0, 0, bad),
  };

  it('kept as STACK_FAULT and thrown as the pause, whatever the caller catches', () => {
    assert.equal(STACK_FAULT.kind, 'checkerStack');
    assert.match(STACK_FAULT.message, /the checker's own code ran out of stack/);
    for (const [name, call] of Object.entries(calls)) {
      const cells = new ModelCells();
      const memory = new Int32Array(1);
      let thrown: unknown;
      const end = step(cells, memory, emptyLog(), (c) => {
        try {
          call(c, throwing(new RangeError('Maximum call stack size exceeded')));
        } catch (e) {
          thrown = e;
        }
        tryIt(() => c.store(0, 5));
      });
      assert.equal(thrown, PAUSE, name);
      assert.equal(end, STACK_FAULT, name);
      assert.equal(memory[0], 0, name);
    }
  });

  it('any other error of a conversion is the strategy’s own, thrown as it is', () => {
    for (const [name, call] of Object.entries(calls)) {
      const cells = new ModelCells();
      const error = new TypeError('not a number');
      let thrown: unknown;
      const end = step(cells, new Int32Array(1), emptyLog(), (c) => {
        try {
          call(c, throwing(error));
        } catch (e) {
          thrown = e;
        }
      });
      assert.equal(thrown, error, name);
      assert.equal(end, 'done', name);
      assert.equal(cells.fault, undefined, name);
    }
  });

  it('a pause passes through each method as a pause, not a fault', () => {
    for (const [name, access] of Object.entries(ACCESSES)) {
      const cells = new ModelCells();
      const end = step(cells, new Int32Array(1), emptyLog(), (c) => {
        c.load(0);
        access(c, 0);
      });
      assert.equal(end, 'paused', name);
      assert.equal(cells.fault, undefined, name);
    }
  });
});

describe('what each access records, and what each step starts from', () => {
  it('an access records its op, cell, values, label, the exchange of a cas, and an ordering only if named', () => {
    const cells = new ModelCells();
    cells.beginProbe(Int32Array.of(4, 0), 'the probe');
    cells.label = 'get p1';
    cells.cas(1, 0, 7);
    assert.deepEqual(cells.access, {
      op: 'cas',
      cell: 1,
      before: 0,
      after: 7,
      label: 'get p1',
      expected: 0,
      replacement: 7,
    });
    cells.add(0, 1, 'relaxed');
    assert.deepEqual(cells.access, {
      op: 'add',
      cell: 0,
      before: 4,
      after: 5,
      label: 'get p1',
      order: 'relaxed',
    });
  });

  it('begin forgets the previous step: fault, pause, page, label, callee, notes, pending ghost', () => {
    const cells = new ModelCells();
    const mem = new Int32Array(3);
    let applied = 0;
    step(cells, mem, emptyLog(), (c) => {
      c.label = 'put p2';
      c.callee = 'decAndTest';
      c.page = 2;
      c.ghost(() => {}, 'old');
      c.operation(() => {
        c.ghostAtWrite(0, 'old write', () => applied++);
        c.load(2);
        tryIt(() => c.load(2)); // paused, swallowed
        return 0;
      });
    });
    assert.ok(cells.fault);
    const log = emptyLog();
    const end = step(cells, mem, log, (c) => {
      assert.equal(c.label, '');
      assert.equal(c.callee, '');
      assert.equal(c.page, -1);
      assert.deepEqual(c.notes, []);
      assert.equal(c.fault, undefined);
      assert.equal(c.access, undefined);
      c.store(0, 5); // cell 0: no longer restricted to page 2; the old pending ghost is gone
    });
    assert.equal(end, 'done');
    assert.equal(applied, 0);
    assert.equal(cells.who(), "T0's body");
    assert.deepEqual(cells.access, { op: 'store', cell: 0, before: 0, after: 5, label: '' });
  });

  it('who() names the thread or probe, the function and the label', () => {
    const cells = new ModelCells();
    cells.begin(new Int32Array(1), emptyLog(), 1);
    assert.equal(cells.who(), "T1's body");
    cells.label = 'get p0';
    assert.equal(cells.who(), "T1's get p0");
    cells.callee = 'tryGet';
    assert.equal(cells.who(), "T1's tryGet (get p0)");
    cells.label = '';
    assert.equal(cells.who(), "T1's tryGet");
    cells.beginProbe(new Int32Array(1), 'the setup');
    assert.equal(cells.who(), "the setup's body");
    assert.equal(cells.thread, -1); // the setup or final check, to the watchdog
  });
});
