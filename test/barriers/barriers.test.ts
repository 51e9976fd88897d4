/**
 * The barrier guarantees (src/barriers): a strategy against itself is the same
 * everywhere, a variant with one ordering weakened is weaker with a client whose litmus files
 * show the difference, and frozen-bit's put is weaker than classic's through its relaxed
 * cmpxchg. Each test runs a few clients; none depends on timing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkBarriers } from '../../src/barriers/barriers.js';
import { clientsOf, SHAPES, type Client } from '../../src/barriers/clients.js';
import { compareFunction } from '../../src/barriers/compareBarriers.js';
import { classic } from '../../src/refcount/classic.js';
import { frozenBit } from '../../src/refcount/frozenBit.js';
import type { Order } from '../../src/cells/cells.js';

/** Every access of `method` made with `from` is made with `to` instead. */
const weaken =
  (method: string, from: Order, to: Order) =>
  (m: string, o: Order): Order =>
    m === method && o === from ? to : o;

describe('the clients', () => {
  it('cover every shape, with the function in every thread that has two accesses', () => {
    const names = clientsOf('decAndTest').map((c) => c.name);
    for (const shape of Object.keys(SHAPES))
      assert.ok(
        names.some((n) => n.startsWith(`${shape}+`)),
        shape,
      );
    assert.ok(names.includes('MP+decAndTest@P0(live1)'));
    assert.ok(names.includes('MP+decAndTest@P1(live1)'));
    assert.ok(names.some((n) => n.startsWith('WRC+decAndTest@P2.b+')));
  });

  it('put a reader function only where the counter is read', () => {
    assert.ok(clientsOf('count').every((c) => !c.name.includes('@P0.b+') || c.shape !== 'MP'));
  });
});

describe('the barrier guarantees', () => {
  it('classic against itself is the same', () => {
    for (const fn of ['decAndTest', 'tryGet', 'unfreeze'] as const) {
      const f = compareFunction(fn, classic, classic, { filter: (c) => c.shape === 'MP' });
      assert.equal(f.verdict, 'same', fn);
      assert.equal(f.notInBase, 0, fn);
    }
  });

  it('a filter that leaves a function no client is no verdict, never same', () => {
    const f = compareFunction('unfreeze', classic, classic, { filter: () => false });
    assert.equal(f.clients, 0);
    assert.equal(f.verdict, 'no clients');
  });

  it('a client whose runs are cut, or whose search stops at a limit, is incomplete, never same', () => {
    const one = (c: Client) => c.name === 'MP+unfreeze@P0.b+count(frozen)';
    const whole = compareFunction('unfreeze', classic, classic, { filter: one });
    assert.equal(whole.verdict, 'same');
    const cut = compareFunction('unfreeze', classic, classic, { filter: one, maxEvents: 1 });
    assert.equal(cut.verdict, 'incomplete');
    assert.deepEqual(cut.incomplete, ['MP+unfreeze@P0.b+count(frozen)']);
    const stopped = compareFunction('unfreeze', classic, classic, {
      filter: one,
      maxCombinations: 1,
    });
    assert.equal(stopped.verdict, 'incomplete');
  });

  it('an unfreeze with atomic_set instead of atomic_set_release is weaker, and its litmus files show it', () => {
    const r = checkBarriers(classic, classic, {
      functions: ['unfreeze'],
      filter: (c) => c.shape === 'MP',
      reorderTest: weaken('store', 'release', 'once'),
    });
    const f = r.functions[0]!;
    assert.equal(f.verdict, 'weaker');
    assert.ok(f.weaker.some((d) => d.client.name === 'MP+unfreeze@P0.b+count(frozen)'));
    assert.equal(r.litmus.length, 2);
    for (const l of r.litmus) assert.equal(l.answer, l.expected, l.name);
    assert.match(r.litmus[0]!.text, /atomic_set\(c, 1\);/);
    assert.match(r.litmus[1]!.text, /atomic_set_release\(c, 1\);/);
  });

  it('a put whose atomic_sub_and_test is relaxed is weaker', () => {
    const f = compareFunction('decAndTest', classic, classic, {
      filter: (c) => c.shape === 'MP' && c.role === 'fence',
      reorderTest: weaken('sub', 'mb', 'relaxed'),
    });
    assert.equal(f.verdict, 'weaker');
  });

  it("frozen-bit's put is weaker than classic's: what follows a put that returns false is not ordered after its relaxed cmpxchg", () => {
    const r = checkBarriers(classic, frozenBit, {
      functions: ['decAndTest'],
      filter: (c) => c.name === 'MP+decAndTest@P0.a+get(live1)',
    });
    const f = r.functions[0]!;
    assert.equal(f.verdict, 'weaker');
    assert.deepEqual(f.weaker[0]!.outcome, { '0:r0': 0, '1:r0': 1, '1:r1': 1, c: 1, x: 1 });
    assert.equal(r.litmus.length, 2);
    for (const l of r.litmus) assert.equal(l.answer, l.expected, l.name);
    const mine = r.litmus.find((l) => l.strategy === 'frozen-bit')!;
    assert.match(mine.text, /atomic_cmpxchg_relaxed\(c, 0, -2147483648\)/);
  });

  it("a fully ordered cmpxchg does not make frozen-bit's put returning false as ordered as classic's: a failed cmpxchg is relaxed", () => {
    const f = compareFunction('decAndTest', classic, frozenBit, {
      filter: (c) => c.name === 'MP+decAndTest@P0.a+get(live1)',
      reorderTest: weaken('cas', 'relaxed', 'mb'),
    });
    assert.equal(f.verdict, 'weaker');
  });

  it("frozen-bit's get is stronger than classic's: a refused get is fully ordered", () => {
    const f = compareFunction('tryGet', classic, frozenBit, {
      filter: (c) => c.name === 'MP+tryGet@P1.b+put(live1)',
    });
    assert.equal(f.verdict, 'stronger');
    assert.deepEqual(f.stronger[0]!.outcome, { '0:r0': 1, '1:r0': 0, '1:r1': 0, c: -1, x: 1 });
  });
});
