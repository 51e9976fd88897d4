/**
 * The relation algebra: a table of small cases; every operator against a reference written the
 * obvious way (a relation as a set of `i,j` keys, a set as a set of events) on random operands
 * over 0..70 events, so that rows of one, two and three 32-bit words and the sizes at their
 * boundaries all occur; the guards; and the budget, which every loop over rows checks once
 * per ROWS rows.
 *
 * The reference and the guard and budget cases answer the mutants StrykerJS left alive in
 * relation.ts (issue 18, item 8); test/fixtures/litmus/mutants/README.md has the score and
 * why the mutants still alive cannot be told from the original.
 */

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Budget, withBudget } from '../../src/axiomatic/limits.js';
import {
  acyclic,
  complement,
  cross,
  diff,
  domain,
  equals,
  EventSet,
  fencerel,
  id,
  inter,
  inv,
  irreflexive,
  opt,
  plus,
  range,
  Relation,
  relFromPairs,
  relOf,
  ROWS,
  seq,
  setOf,
  star,
  union,
  universe,
} from '../../src/axiomatic/relation.js';

/** The reference: a relation is a set of `i,j` keys, a set is a set of events. */
type RefRel = Set<string>;
type RefSet = Set<number>;
const key = (i: number, j: number) => `${i},${j}`;
const refPairs = (r: RefRel): [number, number][] =>
  [...r].map((k) => k.split(',').map(Number) as [number, number]);
const refOf = (pairs: readonly [number, number][]): RefRel =>
  new Set(pairs.map(([i, j]) => key(i, j)));
const events = (n: number) => Array.from({ length: n }, (_, j) => j);

const refUnion = <T>(a: Set<T>, b: Set<T>) => new Set([...a, ...b]);
const refInter = <T>(a: Set<T>, b: Set<T>) => new Set([...a].filter((x) => b.has(x)));
const refDiff = <T>(a: Set<T>, b: Set<T>) => new Set([...a].filter((x) => !b.has(x)));
const refId = (s: RefSet): RefRel => new Set([...s].map((j) => key(j, j)));
const refCross = (a: RefSet, b: RefSet): RefRel =>
  new Set([...a].flatMap((i) => [...b].map((j) => key(i, j))));
const refInv = (r: RefRel): RefRel => new Set(refPairs(r).map(([i, j]) => key(j, i)));
const refDomain = (r: RefRel): RefSet => new Set(refPairs(r).map(([i]) => i));
const refRange = (r: RefRel): RefSet => new Set(refPairs(r).map(([, j]) => j));
const refRow = (r: RefRel, i: number): RefSet =>
  new Set(refPairs(r).flatMap(([h, j]) => (h === i ? [j] : [])));
const refReflexive = (r: RefRel) => refPairs(r).some(([i, j]) => i === j);

function refSeq(a: RefRel, b: RefRel): RefRel {
  const out: RefRel = new Set();
  for (const [i, j] of refPairs(a)) for (const k of refRow(b, j)) out.add(key(i, k));
  return out;
}

/** r+ as r ∪ r;r ∪ r;r;r ∪ …, until nothing is added. */
function refPlus(r: RefRel): RefRel {
  let closure = r;
  for (;;) {
    const next = refUnion(closure, refSeq(closure, r));
    if (next.size === closure.size) return closure;
    closure = next;
  }
}

/**
 * `got` has exactly the pairs of `want`, and its bits are those of the relation built from them
 * pair by pair: a bit set past event n-1 would not show in pairs(), but would in equals and
 * isEmpty.
 */
function assertRel(got: Relation, n: number, want: RefRel, what: string): void {
  assert.equal(got.n, n, what);
  assert.deepEqual(
    got.pairs().map(([i, j]) => key(i, j)),
    refPairs(want)
      .sort(([i, j], [k, l]) => i - k || j - l)
      .map(([i, j]) => key(i, j)),
    what,
  );
  assert.deepEqual(got.bits, relFromPairs(n, refPairs(want)).bits, what);
}

/** `got` has exactly the members of `want`, and no bit besides. */
function assertSet(got: EventSet, n: number, want: RefSet, what: string): void {
  assert.equal(got.n, n, what);
  assert.deepEqual(
    got.members(),
    [...want].sort((i, j) => i - j),
    what,
  );
  assert.deepEqual(got.bits, setOf(n, (j) => want.has(j)).bits, what);
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

describe('relation: against the reference, on random operands of 0..70 events', () => {
  // the sizes at the words' boundaries, and any other
  const size = fc.oneof(
    fc.constantFrom(0, 1, 31, 32, 33, 63, 64, 65),
    fc.integer({ min: 0, max: 70 }),
  );
  const arbPairs = (n: number) =>
    n === 0
      ? fc.constant([] as [number, number][])
      : fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 2 * n });
  const arbMembers = (n: number) =>
    n === 0
      ? fc.constant([] as number[])
      : fc.oneof(
          // a few members: most words empty, so a check that reads one word is wrong
          fc.uniqueArray(fc.nat(n - 1), { maxLength: 3 }),
          fc
            .array(fc.boolean(), { minLength: n, maxLength: n })
            .map((bs) => events(n).filter((j) => bs[j])),
        );
  const operands = size.chain((n) =>
    fc.record({
      n: fc.constant(n),
      rels: fc.tuple(arbPairs(n), arbPairs(n), arbPairs(n)),
      sets: fc.tuple(arbMembers(n), arbMembers(n)),
    }),
  );

  it('every operator gives the reference’s pairs and members, and no stray bit', () => {
    fc.assert(
      fc.property(operands, ({ n, rels, sets }) => {
        const [a, b, c] = rels.map((ps) => relFromPairs(n, ps)) as [Relation, Relation, Relation];
        const [ra, rb, rc] = rels.map(refOf) as [RefRel, RefRel, RefRel];
        const [s, t] = sets.map((js) => setOf(n, (j) => js.includes(j))) as [EventSet, EventSet];
        const [rs, rt] = sets.map((js) => new Set(js)) as [RefSet, RefSet];
        const all: RefSet = new Set(events(n));

        // reading
        for (const i of events(n)) {
          for (const j of events(n)) assert.equal(a.has(i, j), ra.has(key(i, j)), `has ${i},${j}`);
          assertSet(a.row(i), n, refRow(ra, i), `row ${i}`);
        }
        assert.equal(a.isEmpty(), ra.size === 0, 'isEmpty (relation)');
        assert.equal(s.isEmpty(), rs.size === 0, 'isEmpty (set)');
        assert.equal(s.size, rs.size, 'size');
        assertRel(
          relOf(n, (i, j) => ra.has(key(i, j))),
          n,
          ra,
          'relOf',
        );
        assertSet(universe(n), n, all, 'universe');

        // sets
        assertSet(union(s, t), n, refUnion(rs, rt), 's | t');
        assertSet(inter(s, t), n, refInter(rs, rt), 's & t');
        assertSet(diff(s, t), n, refDiff(rs, rt), 's \\ t');
        assertSet(complement(s), n, refDiff(all, rs), '~s');
        assertSet(complement(universe(n)), n, new Set(), '~_');
        assertSet(domain(a), n, refDomain(ra), 'domain');
        assertSet(range(a), n, refRange(ra), 'range');

        // relations
        assertRel(union(a, b, c), n, refUnion(refUnion(ra, rb), rc), 'a | b | c');
        assertRel(inter(a, b, c), n, refInter(refInter(ra, rb), rc), 'a & b & c');
        assertRel(diff(a, b, c), n, refDiff(refDiff(ra, rb), rc), 'a \\ b \\ c');
        assertRel(seq(a), n, ra, 'seq(a)');
        assertRel(seq(a, b, c), n, refSeq(refSeq(ra, rb), rc), 'a ; b ; c');
        assertRel(inv(a), n, refInv(ra), 'a^-1');
        const closure = refPlus(ra);
        assertRel(plus(a), n, closure, 'a+');
        assertRel(star(a), n, refUnion(closure, refId(all)), 'a*');
        assertRel(opt(a), n, refUnion(ra, refId(all)), 'a?');
        assertRel(id(s), n, refId(rs), '[s]');
        assertRel(cross(s, t), n, refCross(rs, rt), 's * t');
        assertRel(fencerel(a, s), n, refSeq(refSeq(ra, refId(rs)), ra), 'fencerel(a, s)');
        assert.equal(irreflexive(a), !refReflexive(ra), 'irreflexive');
        assert.equal(acyclic(a), !refReflexive(closure), 'acyclic');

        // equality
        const sameRel = ra.size === rb.size && [...ra].every((k) => rb.has(k));
        assert.equal(equals(a, b), sameRel, 'equals (relations)');
        assert.equal(equals(union(a, b), union(b, a)), true, 'a | b = b | a');
        const sameSet = rs.size === rt.size && [...rs].every((j) => rt.has(j));
        assert.equal(equals(s, t), sameSet, 'equals (sets)');
      }),
      { numRuns: 200, seed: 0x5eed },
    );
  });
});

describe('relation: the guards', () => {
  it('an operator with no operand is a checker bug', () => {
    assert.throws(() => union(), /^Error: \[checker bug\] an operator needs at least one operand$/);
    assert.throws(() => seq(), /^Error: \[checker bug\] seq needs at least one relation$/);
  });
  it('operands of different sizes are a checker bug', () => {
    assert.throws(
      () => union(new Relation(3), new Relation(5)),
      /^Error: \[checker bug\] sizes differ: 3 and 5$/,
    );
    assert.throws(
      () => diff(new EventSet(5), new EventSet(3)),
      /^Error: \[checker bug\] sizes differ: 5 and 3$/,
    );
  });
  it('sets or relations of different sizes are never equal, even when both are empty', () => {
    // one word each, so the words alone would agree
    assert.equal(equals(new EventSet(3), new EventSet(5)), false);
    assert.equal(equals(new Relation(3), new Relation(5)), false);
    assert.equal(equals(new Relation(3), new Relation(3)), true);
  });
  it('a set or relation with a member past event 31 only is not empty', () => {
    assert.equal(new EventSet(70).add(40).isEmpty(), false);
    assert.equal(new Relation(70).add(0, 40).isEmpty(), false);
    assert.deepEqual(domain(new Relation(70).add(0, 40)).members(), [0]);
  });
});

/** A budget that counts its checks and records what it is asked to allocate; it never stops. */
class CountingBudget extends Budget {
  checks = 0;
  readonly asked: number[] = [];
  override check(): void {
    this.checks++;
  }
  override allocate(bytes: number): void {
    this.asked.push(bytes);
  }
}

function budgetDuring(f: () => unknown): CountingBudget {
  const budget = new CountingBudget();
  withBudget(budget, f);
  return budget;
}

describe('relation: the budget of the run', () => {
  // at ROWS and twice it, one past a multiple, and 100 (four words a row, a stride that is no
  // divisor of ROWS)
  const sizes = [1, 33, ROWS, 100, 2 * ROWS, 2 * ROWS + 2];
  const operands = (n: number) => ({
    // a path, acyclic: irreflexive and acyclic read every row
    chain: relFromPairs(
      n,
      events(n - 1).map((i) => [i, i + 1] as [number, number]),
    ),
    s: setOf(n, (j) => j % 3 === 0),
  });
  // the operator, and its loops over rows, each of which checks the budget at rows 0, ROWS, …
  const cases: [string, (o: ReturnType<typeof operands>) => unknown, number][] = [
    ['members', ({ s }) => s.members(), 1],
    ['size', ({ s }) => s.size, 1],
    ['pairs', ({ chain }) => chain.pairs(), 1],
    ['setOf', ({ s }) => setOf(s.n, () => true), 1],
    ['relOf', ({ s }) => relOf(s.n, () => false), 1],
    [
      'union of three relations (a loop per operand past the first)',
      ({ chain }) => union(chain, chain, chain),
      2,
    ],
    ['id', ({ s }) => id(s), 1],
    ['cross', ({ s }) => cross(s, s), 1],
    ['seq of three', ({ chain }) => seq(chain, chain, chain), 2],
    ['inv', ({ chain }) => inv(chain), 1],
    ['plus', ({ chain }) => plus(chain), 1],
    ['star: plus, id and union', ({ chain }) => star(chain), 3],
    ['opt: id and union', ({ chain }) => opt(chain), 2],
    ['domain', ({ chain }) => domain(chain), 1],
    ['range', ({ chain }) => range(chain), 1],
    ['irreflexive', ({ chain }) => irreflexive(chain), 1],
    ['acyclic: plus and irreflexive', ({ chain }) => acyclic(chain), 2],
    ['fencerel: cross, inter and seq', ({ chain, s }) => fencerel(chain, s), 3],
  ];
  for (const [name, op, loops] of cases)
    it(`${name}: checks once per ${ROWS} rows`, () => {
      for (const n of sizes) {
        const o = operands(n);
        assert.equal(budgetDuring(() => op(o)).checks, loops * Math.ceil(n / ROWS), `n=${n}`);
      }
    });

  it('a set operator checks once per operand past the first: a set is one row of words', () => {
    for (const n of sizes) {
      const { s } = operands(n);
      assert.equal(budgetDuring(() => union(s, s, s)).checks, 2, `n=${n}`);
      assert.equal(budgetDuring(() => complement(s)).checks, 1, `n=${n}`);
    }
  });

  it('relFromPairs checks once per ROWS pairs', () => {
    for (const n of sizes) {
      const pairs = operands(n).chain.pairs();
      assert.equal(
        budgetDuring(() => relFromPairs(n, pairs)).checks,
        Math.ceil(pairs.length / ROWS),
      );
    }
  });

  it('a relation of a megabyte or more asks the budget for its bytes before it is allocated', () => {
    const n = 3000; // 94 words a row, 1.1 MB
    const r = new Relation(n); // outside a run: nothing is asked
    assert.deepEqual(budgetDuring(() => new Relation(n)).asked, [r.bits.byteLength]);
    assert.deepEqual(budgetDuring(() => union(r, r)).asked, [r.bits.byteLength]);
  });
});
