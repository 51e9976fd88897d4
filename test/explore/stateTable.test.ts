import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Violation, explore, type Program } from '../../src/explore/explore.js';
import { StateTable } from '../../src/explore/stateTable.js';
import { emptyLog } from '../../src/explore/threadLog.js';

/** One thread that loads cell 0 `k` times and fails at the end if `fail`. */
function loads(k: number, fail: boolean): Program<null> {
  return {
    threads: [
      {
        name: 'T0',
        body: (ctx) => {
          for (let i = 0; i < k; i++) ctx.cells.load(0);
          if (fail) throw new Violation('end', 'reached the end');
        },
      },
    ],
    init: () => ({ memory: new Int32Array(1), world: null }),
    cloneWorld: () => null,
    worldKey: () => '',
  };
}

describe('the state table: compact keys, parent links, paths rebuilt by replay', () => {
  it("a state's key has one word per cell, one for the world, one per thread: not per step", () => {
    const program = loads(500, false);
    const table = new StateTable(program, program.init(undefined as never), true);
    const long = emptyLog();
    for (let i = 0; i < 500; i++) {
      long.values.push(0);
      long.kinds += 'a';
      long.sites.push(0);
    }
    const key = table.key(new Int32Array(1), null, [table.internLog(long, 0)]);
    assert.equal(key.length, 1 + 1 + 1);
  });
  it('a 90-step counterexample comes back whole, rebuilt from the parent links', () => {
    const r = explore(loads(90, true));
    assert.equal(r.kind, 'violation');
    if (r.kind !== 'violation') return;
    assert.equal(r.trace.length, 90);
    assert.ok(r.trace.every((s) => s.thread === 0 && s.access?.op === 'load'));
    assert.equal(r.message, 'reached the end');
  });
  it('paths name threads past 127 (the links are not bytes)', () => {
    const program: Program<null> = {
      ...loads(0, false),
      threads: Array.from({ length: 200 }, (_, t) => ({
        name: `T${t}`,
        body: (ctx) => {
          if (t === 199) ctx.cells.store(0, 1);
          else if (t === 0 && ctx.cells.load(0) === 1) throw new Violation('saw', 'saw 1');
        },
      })),
    };
    const r = explore(program);
    assert.equal(r.kind, 'violation');
    if (r.kind === 'violation')
      assert.deepEqual(
        r.trace.map((s) => s.thread),
        [199, 0],
      );
  });
  it('a body that goes otherwise when the path is replayed: nondeterministic, not a crash', () => {
    let runs = 0;
    const program: Program<null> = {
      ...loads(0, false),
      threads: [
        {
          name: 'T0',
          body: (ctx) => {
            // stores 1 in the search and 2 when the path is replayed (replay does not look
            // at a store's value, so the search itself cannot tell)
            ctx.cells.store(0, ++runs === 1 ? 1 : 2);
            ctx.cells.load(0);
            throw new Violation('end', 'reached the end');
          },
        },
      ],
    };
    const r = explore(program);
    assert.equal(r.kind, 'violation');
    if (r.kind !== 'violation') return;
    assert.equal(r.violation, 'nondeterministic');
    assert.match(r.message, /went otherwise \(it reached another state\)/);
  });
});
