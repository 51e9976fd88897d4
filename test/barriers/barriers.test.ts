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
import { PAGE_REF_FUNCTIONS } from '../../src/refcount/pageRefApi.js';
import { parseLitmus } from '../../src/litmus/parse.js';
import { validate } from '../../src/litmus/validate.js';
import { compareFunction } from '../../src/barriers/compareBarriers.js';
import { classic } from '../../src/refcount/classic.js';
import { frozenBit } from '../../src/refcount/frozenBit.js';
import type { Order } from '../../src/cells/cells.js';
import { runClient } from '../../src/barriers/runClient.js';
import { LKMM } from '../../src/axiomatic/models/lkmm.js';
import type { MemoryModel } from '../../src/axiomatic/models/model.js';

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

  it('have IRIW clients: the function as the fence of either reader, and as an access of the counter', () => {
    const names = clientsOf('decAndTest').map((c) => c.name);
    assert.ok(names.includes('IRIW+decAndTest@P2(live1)'));
    assert.ok(names.includes('IRIW+decAndTest@P3(live1)'));
    assert.ok(names.includes('IRIW+decAndTest@P2.a+get-put,count(live1)'));
    const iriw = clientsOf('decAndTest').find((c) => c.name === 'IRIW+decAndTest@P2(live1)')!;
    assert.equal(iriw.threads.length, 4);
    assert.deepEqual(
      iriw.threads.map((t) => t.map((s) => s.op).join(' ')),
      ['write', 'write', 'read call read', 'read mb read'],
    );
  });

  it('have release/acquire partners, each partner thread ordered by them alone', () => {
    const all = PAGE_REF_FUNCTIONS.flatMap((fn) => clientsOf(fn));
    assert.equal(new Set(all.map((c) => c.name)).size, all.length, 'names are unique');
    const relAcq = all.filter((c) => c.partners === 'rel-acq');
    assert.ok(relAcq.length > 0);
    for (const c of relAcq) {
      assert.match(c.name, /\+rel-acq\(/, c.name);
      c.threads.forEach((steps, t) => {
        assert.ok(!steps.some((s) => s.op === 'mb'), `${c.name}: P${t} has no smp_mb()`);
        const own = steps.some((s) => s.op === 'call' && s.test);
        // a partner thread with two accesses: one of x or y is an acquire or a release
        if (!own && SHAPES[c.shape][t]!.length >= 2)
          assert.ok(
            steps.some((s) => (s.op === 'read' || s.op === 'write') && s.order !== undefined),
            `${c.name}: P${t} is ordered`,
          );
      });
    }
    // a write then a read: nothing but a full fence orders it, so SB has no such client
    assert.ok(!relAcq.some((c) => c.shape === 'SB' && c.role === 'fence'));
    const wrc = relAcq.find((c) => c.name === 'WRC+decAndTest@P1+rel-acq(live1)')!;
    assert.deepEqual(wrc.threads[2], [
      { op: 'read', loc: 'y', reg: 'r0', order: 'acquire' },
      { op: 'read', loc: 'x', reg: 'r1' },
    ]);
    const mp = relAcq.find((c) => c.name === 'MP+decAndTest@P1+rel-acq(live1)')!;
    assert.deepEqual(mp.threads[0], [
      { op: 'write', loc: 'x', value: 1 },
      { op: 'write', loc: 'y', value: 1, order: 'release' },
    ]);
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

  it('a relaxed put is weaker as the fence of an IRIW reader, and of WRC with release/acquire partners', () => {
    for (const name of ['IRIW+decAndTest@P2(live1)', 'WRC+decAndTest@P1+rel-acq(live1)']) {
      const same = compareFunction('decAndTest', classic, classic, {
        filter: (c) => c.name === name,
      });
      assert.equal(same.verdict, 'same', name);
      const f = compareFunction('decAndTest', classic, classic, {
        filter: (c) => c.name === name,
        reorderTest: weaken('sub', 'mb', 'relaxed'),
      });
      assert.equal(f.verdict, 'weaker', name);
    }
  });

  it("frozen-bit's refused get is an IRIW reader's full fence, classic's is not", () => {
    const f = compareFunction('tryGet', classic, frozenBit, {
      filter: (c) => c.name === 'IRIW+tryGet@P2(frozen)',
    });
    assert.equal(f.verdict, 'stronger');
    // P2 saw x, then not y; P3 saw y, then not x: the writes in two orders
    const o = f.stronger[0]!.outcome;
    assert.deepEqual([o['2:r0'], o['2:r2'], o['3:r0'], o['3:r1']], [1, 0, 1, 0]);
  });

  it('a release/acquire client is written with smp_store_release and smp_load_acquire, and parses', () => {
    const r = checkBarriers(classic, classic, {
      functions: ['decAndTest'],
      filter: (c) => c.name === 'WRC+decAndTest@P1+rel-acq(live1)',
      reorderTest: weaken('sub', 'mb', 'relaxed'),
    });
    assert.equal(r.litmus.length, 2);
    for (const l of r.litmus) {
      assert.match(l.text, /r0 = smp_load_acquire\(y\);/);
      const test = parseLitmus(l.text, l.name);
      validate(test, l.name);
      assert.equal(test.processes.length, 3);
      // answerOf parsed it too: the weakened put allows the outcome, classic's forbids it
      assert.equal(l.answer, l.expected, l.name);
    }
    const mp = checkBarriers(classic, classic, {
      functions: ['decAndTest'],
      filter: (c) => c.name === 'MP+decAndTest@P1+rel-acq(live1)',
      reorderTest: weaken('sub', 'mb', 'relaxed'),
    });
    assert.equal(mp.litmus.length, 2);
    for (const l of mp.litmus) {
      assert.match(l.text, /smp_store_release\(y, 1\);/);
      assert.equal(l.answer, l.expected, l.name);
    }
  });

  it("frozen-bit's get is stronger than classic's: a refused get is fully ordered", () => {
    const f = compareFunction('tryGet', classic, frozenBit, {
      filter: (c) => c.name === 'MP+tryGet@P1.b+put(live1)',
    });
    assert.equal(f.verdict, 'stronger');
    assert.deepEqual(f.stronger[0]!.outcome, { '0:r0': 1, '1:r0': 0, '1:r1': 0, c: -1, x: 1 });
  });
});

describe('no execution allowed is no verdict', () => {
  // a model that forbids every execution: a broken model, or a pipeline that lost its
  // executions; before, both strategies' empty outcome sets compared as the same
  const nothing: MemoryModel = {
    name: 'nothing',
    title: 'forbids every execution',
    requiresCoherence: true,
    check: () => ({ allowed: false, axiom: 'nothing' }),
  };
  it('a client run under a model that allows nothing is incomplete, never complete and empty', () => {
    const client = clientsOf('decAndTest').find((c) => c.shape === 'MP')!;
    const r = runClient(client, classic, nothing);
    assert.equal(r.kind, 'incomplete');
    assert.ok(r.kind === 'incomplete' && /allowed no execution/.test(r.limit));
    assert.equal(runClient(client, classic, LKMM).kind, 'complete');
  });
});
