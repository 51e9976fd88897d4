import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Violation, explore, type Program } from '../../src/explore/explore.js';
import { arrangementCode, symmetryOf } from '../../src/explore/symmetry.js';

/** World: how many times each thread has loaded; names threads as the checker's world does. */
type Loads = number[];
const loadsKey = (w: Loads, rename?: readonly number[]) => {
  const out = w.slice();
  if (rename) w.forEach((v, t) => (out[rename[t]!] = v));
  return out.join(',');
};

/** `n` threads that each load shared cell 0 `k` times, all running one body. */
function loaders(n: number, k: number, start: Loads = Array<number>(n).fill(0)): Program<Loads> {
  const body: Program<Loads>['threads'][number]['body'] = (ctx) => {
    for (let i = 0; i < k; i++) {
      ctx.cells.load(0);
      ctx.ghost('loaded', (w) => (w[ctx.thread]! += 1));
    }
  };
  return {
    threads: Array.from({ length: n }, () => ({ name: 'loader', body })),
    init: () => ({ memory: new Int32Array(1), world: start.slice() }),
    cloneWorld: (w) => w.slice(),
    worldKey: loadsKey,
    symmetry: Array<number>(n).fill(0),
  };
}

const binomial = (n: number, k: number): number =>
  k === 0 ? 1 : (binomial(n, k - 1) * (n - k + 1)) / k;

describe('symmetry reduction', () => {
  for (const [n, k] of [
    [2, 2],
    [3, 2],
    [4, 3],
  ] as const) {
    it(`${n} identical threads of ${k} steps: (k+1)^n states become the C(n+k, n) multisets`, () => {
      const full = explore(loaders(n, k), { symmetry: false });
      const reduced = explore(loaders(n, k));
      assert.equal(full.states, (k + 1) ** n);
      assert.equal(reduced.states, binomial(n + k, n));
      assert.equal(reduced.kind, 'safe');
    });
  }

  it('does not apply to threads whose initial world differs (the class is dropped)', () => {
    const lopsided = loaders(3, 2, [1, 0, 0]); // T0 "has loaded once" before the start
    assert.equal(explore(lopsided).states, explore(lopsided, { symmetry: false }).states);
    const sym = symmetryOf(lopsided.symmetry, loadsKey, [1, 0, 0]);
    assert.equal(sym, undefined);
    // T1 and T2 alone would be symmetric; the class is dropped as a whole (conservative)
  });

  it('keys every permutation of a state alike, and only those', () => {
    const sym = symmetryOf([0, 0, 1], loadsKey, [0, 0, 0])!;
    assert.deepEqual(sym.classes, [[0, 1]]);
    const key = (logs: number[], world: Loads) => {
      const l = logs.slice();
      return `${sym.canonical(l, world)}|${l.join(',')}`;
    };
    // T0 and T1 swapped, with the world renamed alike: one state
    assert.equal(key([5, 3, 9], [2, 1, 7]), key([3, 5, 9], [1, 2, 7]));
    // T2 is in no class: swapping it is a different state
    assert.notEqual(key([5, 3, 9], [2, 1, 7]), key([5, 9, 3], [2, 7, 1]));
    // equal logs, different worlds: the smallest world key over the ties decides
    assert.equal(key([4, 4, 9], [2, 1, 7]), key([4, 4, 9], [1, 2, 7]));
    // but logs and world must be permuted together
    assert.notEqual(key([5, 3, 9], [2, 1, 7]), key([3, 5, 9], [2, 1, 7]));
  });

  it('numbers arrangements one to one (the memo of canonical worlds relies on it)', () => {
    const perms = (xs: number[]): number[][] =>
      xs.length <= 1
        ? [xs]
        : xs.flatMap((x, i) => perms(xs.filter((_, j) => j !== i)).map((p) => [x, ...p]));
    const tieSets = [
      [],
      [[0, 1]],
      [[1, 2]],
      [[0, 1, 2]],
      [
        [0, 1],
        [2, 3],
      ],
      [[0, 1, 2, 3]],
    ];
    const codes = new Set<number>();
    for (const rename of perms([0, 1, 2, 3]))
      for (const ties of tieSets) codes.add(arrangementCode({ rename, ties })!);
    assert.equal(codes.size, 24 * tieSets.length);
    assert.equal(
      arrangementCode({ rename: Array.from({ length: 9 }, (_, t) => t), ties: [] }),
      undefined,
    );
  });

  it('finds the same shortest counterexample as the unreduced search', () => {
    // any thread seeing the other two's loads done first fails: a 5-step path
    const program: Program<Loads> = {
      ...loaders(3, 2),
      final: undefined,
    };
    const failing: Program<Loads> = {
      ...program,
      threads: program.threads.map(() => ({
        name: 'loader',
        body: sharedBody,
      })),
    };
    const a = explore(failing, { symmetry: false });
    const b = explore(failing);
    assert.equal(a.kind, 'violation');
    assert.deepEqual(b, { ...a, states: b.states, steps: b.steps });
    assert.ok(b.states < a.states);
    assert.ok(b.steps < a.steps);
  });
});

/** Adds one to cell 0 twice; fails on seeing 4 (the fifth add overall). */
function sharedBody(ctx: Parameters<Program<Loads>['threads'][number]['body']>[0]): void {
  for (let i = 0; i < 2; i++) {
    if (ctx.cells.add(0, 1) === 4) throw new Violation('saw4', `T${ctx.thread} saw 4`);
  }
}
