/**
 * The nine shapes of litmus/refcount/, run as code: each process is frozen-bit's own
 * functions (src/refcount/frozenBit.ts) over recording cells, with the litmus file's
 * weakening applied through the cells' `reorder` (the strategy is never edited), and the
 * file's `exists` clause is asked of the executions the model allows. Under LKMM each answer
 * must be the one the file's .expected gives (herd7's Observation); under SC every bad
 * outcome is Never, as JS Atomics are. (No dependency inside a strategy's call is recorded:
 * the code is a black box; the `if` of a shape around code is, as a branch.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { codeProgram, type CodeThread } from '../../src/axiomatic/codeTraces.js';
import { LKMM, SC } from '../../src/axiomatic/models/index.js';
import type { MemoryModel } from '../../src/axiomatic/models/model.js';
import type { RecordingCells } from '../../src/axiomatic/recordingCells.js';
import { runModel } from '../../src/axiomatic/run.js';
import type { Order } from '../../src/cells/cells.js';
import { frozenBit } from '../../src/refcount/frozenBit.js';

const REF = 0;
const DATA = 1;
const names = ['refcount', 'data'];

/** Every `method` access made with `from` is made with `to` (the variant's weakening). */
type Weaken = { thread: number; method: string; from: Order; to: Order } | undefined;

interface Shape {
  /** The initial refcount (data starts at 0). */
  refcount: number;
  threads: CodeThread[];
  /** The file's `exists` clause over the threads' registers. */
  bad: (r: readonly Readonly<Record<string, number | string>>[]) => boolean;
}

const onceStore = (c: RecordingCells, i: number, v: number) => c.store(i, v, 'once');
const onceLoad = (c: RecordingCells, i: number) => c.load(i, 'once');

/** Unfreeze+TryGet: freeze at 1, write data, unfreeze to 3 ‖ try-get, read data. */
const unfreezeTryGet: Shape = {
  refcount: 1,
  threads: [
    (c) => {
      const won = c.branch(
        () => frozenBit.freeze(c, REF, 1),
        () => {
          onceStore(c, DATA, 1);
          frozenBit.unfreeze(c, REF, 3);
        },
      );
      return { r0: won ? 1 : 0 };
    },
    (c) => {
      const got = frozenBit.tryGet(c, REF);
      return { r1: got ? 1 : 0, r2: onceLoad(c, DATA) };
    },
  ],
  bad: ([p0, p1]) => p0!.r0 === 1 && p1!.r1 === 1 && p1!.r2 === 0,
};

/** Put+Freeze: write data, put ‖ freeze at 1, read data. */
const putFreeze: Shape = {
  refcount: 2,
  threads: [
    (c) => {
      onceStore(c, DATA, 1);
      frozenBit.decAndTest(c, REF); // atomic_dec_and_test(), then the guard
      return {};
    },
    (c) => {
      const won = frozenBit.freeze(c, REF, 1);
      return { r0: won ? 1 : 2, r1: onceLoad(c, DATA) };
    },
  ],
  bad: ([, p1]) => p1!.r0 === 1 && p1!.r1 === 0,
};

/** DecAndTest+DecAndTest: read data, put; the guard's winner writes data (reuse). */
const decAndTest: CodeThread = (c) => {
  const r2 = onceLoad(c, DATA);
  c.branch(
    () => frozenBit.decAndTest(c, REF),
    () => onceStore(c, DATA, 1),
  );
  return { r2 };
};
const decDec: Shape = {
  refcount: 2,
  threads: [decAndTest, decAndTest],
  bad: (r) => r.some((p) => p.r2 === 1),
};

const CASES: [string, Shape, Weaken][] = [
  ['Unfreeze+TryGet', unfreezeTryGet, undefined],
  [
    'UnfreezeRelaxed+TryGet',
    unfreezeTryGet,
    { thread: 0, method: 'store', from: 'release', to: 'once' },
  ],
  [
    'Unfreeze+TryGetAcquire',
    unfreezeTryGet,
    { thread: 1, method: 'add', from: 'mb', to: 'acquire' },
  ],
  [
    'Unfreeze+TryGetRelaxed',
    unfreezeTryGet,
    { thread: 1, method: 'add', from: 'mb', to: 'relaxed' },
  ],
  ['Put+Freeze', putFreeze, undefined],
  ['Put+FreezeAcquire', putFreeze, { thread: 1, method: 'cas', from: 'mb', to: 'acquire' }],
  ['Put+FreezeRelaxed', putFreeze, { thread: 1, method: 'cas', from: 'mb', to: 'relaxed' }],
  ['DecAndTest+DecAndTest', decDec, undefined],
  ['DecRelaxed+DecRelaxed', decDec, { thread: -1, method: 'sub', from: 'mb', to: 'relaxed' }],
];

/** Whether the model allows an execution that satisfies the shape's `exists` clause. */
function answer(shape: Shape, weaken: Weaken, model: MemoryModel): 'Sometimes' | 'Never' {
  const code = codeProgram(
    new Map([
      ['refcount', shape.refcount],
      ['data', 0],
    ]),
    shape.threads,
    {
      cellName: (i) => names[i]!,
      maxEvents: 24,
      reorder: (t, method, order) =>
        weaken &&
        (weaken.thread === -1 || weaken.thread === t) &&
        weaken.method === method &&
        weaken.from === order
          ? weaken.to
          : order,
    },
  );
  assert.ok(
    code.cut.every((c) => c.length === 0),
    'no run is cut',
  );
  const r = runModel(code.program, model, { coherentOnly: true });
  assert.equal(r.kind, 'complete');
  assert.ok(r.kind === 'complete');
  assert.ok(r.allowed.length > 0);
  return r.allowed.some((a) => shape.bad(a.outcome.registers as never)) ? 'Sometimes' : 'Never';
}

describe('the litmus/refcount shapes, run as code', () => {
  for (const [name, shape, weaken] of CASES) {
    it(`${name}: the litmus file's answer under LKMM, Never under SC`, () => {
      const expected = readFileSync(`litmus/refcount/${name}.litmus.expected`, 'utf8');
      const observation = /^Observation \S+ (\w+)/m.exec(expected)![1];
      assert.equal(answer(shape, weaken, LKMM), observation);
      assert.equal(answer(shape, weaken, SC), 'Never');
    });
  }
});
