import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  acyclic,
  complement,
  cross,
  diff,
  domain,
  fencerel,
  id,
  inter,
  inv,
  irreflexive,
  opt,
  plus,
  range,
  relFromPairs,
  seq,
  setOf,
  star,
  union,
  type EventSet,
  type Relation,
} from '../../src/axiomatic/relation.js';

/** The naive model: a relation is a set of "i,j" strings. */
type Naive = Set<string>;
const key = (i: number, j: number) => `${i},${j}`;
const naive = (r: Relation): Naive => new Set(r.pairs().map(([i, j]) => key(i, j)));
const naivePairs = (s: Naive): [number, number][] =>
  [...s].map((k) => k.split(',').map(Number) as [number, number]);

function naiveSeq(a: Naive, b: Naive): Naive {
  const out = new Set<string>();
  for (const [i, j] of naivePairs(a))
    for (const [k, l] of naivePairs(b)) if (j === k) out.add(key(i, l));
  return out;
}
function naivePlus(a: Naive): Naive {
  let cur = new Set(a);
  for (;;) {
    const next = new Set([...cur, ...naiveSeq(cur, a)]);
    if (next.size === cur.size) return cur;
    cur = next;
  }
}

const rel = (n: number, pairs: [number, number][]) => relFromPairs(n, pairs);
const sorted = (r: Relation) => r.pairs().map(([i, j]) => key(i, j));
const members = (s: EventSet) => s.members();

describe('relation: table', () => {
  const n = 4;
  const a = rel(n, [
    [0, 1],
    [1, 2],
  ]);
  const b = rel(n, [
    [1, 2],
    [2, 3],
  ]);
  const cases: [string, () => string[] | number[] | boolean, string[] | number[] | boolean][] = [
    ['a | b', () => sorted(union(a, b)), ['0,1', '1,2', '2,3']],
    ['a & b', () => sorted(inter(a, b)), ['1,2']],
    ['a \\ b', () => sorted(diff(a, b)), ['0,1']],
    ['a ; b', () => sorted(seq(a, b)), ['0,2', '1,3']],
    ['a ; b ; b', () => sorted(seq(a, b, b)), ['0,3']],
    ['a^-1', () => sorted(inv(a)), ['1,0', '2,1']],
    ['(a|b)+', () => sorted(plus(union(a, b))), ['0,1', '0,2', '0,3', '1,2', '1,3', '2,3']],
    ['a*', () => sorted(star(a)), ['0,0', '0,1', '0,2', '1,1', '1,2', '2,2', '3,3']],
    ['a?', () => sorted(opt(a)), ['0,0', '0,1', '1,1', '1,2', '2,2', '3,3']],
    ['domain(a)', () => members(domain(a)), [0, 1]],
    ['range(a)', () => members(range(a)), [1, 2]],
    ['[{1,3}]', () => sorted(id(setOf(n, (j) => j % 2 === 1))), ['1,1', '3,3']],
    [
      '{0} * {2,3}',
      () =>
        sorted(
          cross(
            setOf(n, (j) => j === 0),
            setOf(n, (j) => j > 1),
          ),
        ),
      ['0,2', '0,3'],
    ],
    ['~{0,1}', () => members(complement(setOf(n, (j) => j < 2))), [2, 3]],
    ['acyclic a', () => acyclic(a), true],
    ['acyclic a | a^-1', () => acyclic(union(a, inv(a))), false],
    ['irreflexive a*', () => irreflexive(star(a)), false],
    ['irreflexive a+', () => irreflexive(plus(a)), true],
  ];
  for (const [name, got, want] of cases) it(name, () => assert.deepEqual(got(), want));

  it('fencerel: a po f po b, f in B', () => {
    const po = plus(
      rel(n, [
        [0, 1],
        [1, 2],
        [2, 3],
      ]),
    );
    const f = setOf(n, (j) => j === 1);
    assert.deepEqual(sorted(fencerel(po, f)), ['0,2', '0,3']);
  });

  it('sizes past one word (70 events)', () => {
    const chain = relFromPairs(
      70,
      Array.from({ length: 69 }, (_, i) => [i, i + 1] as [number, number]),
    );
    const closure = plus(chain);
    assert.ok(closure.has(0, 69) && closure.has(33, 34) && !closure.has(69, 0));
    assert.equal(closure.pairs().length, (70 * 69) / 2);
    assert.deepEqual(members(range(chain)).length, 69);
  });
});

describe('relation: against a naive implementation', () => {
  const arbRel = (n: number) =>
    fc
      .array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: n * 3 })
      .map((ps) => relFromPairs(n, ps));
  const arbPair = fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(arbRel(n), arbRel(n)));

  it('union, inter, diff, seq, inv, plus agree', () => {
    fc.assert(
      fc.property(arbPair, ([a, b]) => {
        const na = naive(a);
        const nb = naive(b);
        assert.deepEqual(naive(union(a, b)), new Set([...na, ...nb]));
        assert.deepEqual(naive(inter(a, b)), new Set([...na].filter((k) => nb.has(k))));
        assert.deepEqual(naive(diff(a, b)), new Set([...na].filter((k) => !nb.has(k))));
        assert.deepEqual(naive(seq(a, b)), naiveSeq(na, nb));
        assert.deepEqual(naive(inv(a)), new Set(naivePairs(na).map(([i, j]) => key(j, i))));
        assert.deepEqual(naive(plus(a)), naivePlus(na));
        const cyclic = naivePairs(naivePlus(na)).some(([i, j]) => i === j);
        assert.equal(acyclic(a), !cyclic);
      }),
      { numRuns: 300 },
    );
  });
});
