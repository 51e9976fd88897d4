import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assemble, locationChoices, product } from '../../src/axiomatic/candidates.js';
import type { Program, TraceEvent, Value } from '../../src/axiomatic/events.js';
import { buildStructure, type Execution } from '../../src/axiomatic/execution.js';
import { lockStructure } from '../../src/axiomatic/lock.js';
import { LKMM, lkmmRelations } from '../../src/axiomatic/models/lkmm.js';
import { SC } from '../../src/axiomatic/models/sc.js';
import type { MemoryModel } from '../../src/axiomatic/models/model.js';
import { runModel } from '../../src/axiomatic/run.js';
import { acyclic as acyclicHb } from '../../src/axiomatic/relation.js';
import { f, lock, proc, program, r, unlock, w } from './build.js';

/** "P0:r0=1 P1:r1=0" → executions, for the allowed outcomes of a run. */
function allowed(p: Program, model: MemoryModel): Record<string, number> {
  const res = runModel(p, model);
  assert.equal(res.kind, 'complete');
  if (res.kind !== 'complete') return {};
  const out: Record<string, number> = {};
  for (const a of res.allowed) {
    const key = a.outcome.registers
      .flatMap((regs, i) => Object.entries(regs).map(([k, v]) => `${i}:${k}=${v}`))
      .join(' ');
    out[key] = (out[key] ?? 0) + a.executions;
  }
  return out;
}

/** Every candidate execution of the program (no pruning), with the register values. */
function* executions(p: Program): Generator<[Execution, string]> {
  for (const traces of product(p.traces)) {
    const s = buildStructure(p, traces);
    const l = lockStructure(s);
    for (const pick of product(s.locations.map((loc) => locationChoices(s, l, loc))))
      yield [
        assemble(s, pick, new Set()),
        traces
          .flatMap((t, i) => Object.entries(t.registers).map(([k, v]) => `${i}:${k}=${v}`))
          .join(' '),
      ];
  }
}

/** The one execution ending with `regs` in which `pick` holds. */
function theExecution(p: Program, regs: string, pick: (x: Execution) => boolean = () => true) {
  const found = [...executions(p)].filter(([x, k]) => k === regs && pick(x));
  assert.equal(found.length, 1, `one execution with ${regs}`);
  return found[0]![0];
}

const V = [0, 1];
const once = (tag: string) => (tag === 'once' ? ['ONCE'] : [tag]);

/** SB: P0 writes x, reads y; P1 writes y, reads x; `fence` between, if any. */
function sb(fence?: string): Program {
  const body = (mine: string, other: string) => (v: Value[]) => ({
    events: [w(mine, 1), ...(fence ? [f(fence)] : []), r(other, v[0]!)],
    registers: { r0: v[0]! },
  });
  return program(['x', 'y'], proc([V], body('x', 'y')), proc([V], body('y', 'x')));
}

/** MP: P0 writes x then y; P1 reads y then x. */
function mp(wfence?: string, rfence?: string, rtag = 'once', wtag = 'once'): Program {
  return program(
    ['x', 'y'],
    proc([], () => ({
      events: [w('x', 1), ...(wfence ? [f(wfence)] : []), w('y', 1, once(wtag))],
    })),
    proc([V, V], (v) => ({
      events: [r('y', v[0]!, once(rtag)), ...(rfence ? [f(rfence)] : []), r('x', v[1]!)],
      registers: { r0: v[0]!, r1: v[1]! },
    })),
  );
}

describe('lkmm: store buffering', () => {
  it('SB: 0/0 is allowed under LKMM, not under SC', () => {
    assert.deepEqual(allowed(sb(), LKMM), {
      '0:r0=0 1:r0=0': 1,
      '0:r0=0 1:r0=1': 1,
      '0:r0=1 1:r0=0': 1,
      '0:r0=1 1:r0=1': 1,
    });
    assert.equal(allowed(sb(), SC)['0:r0=0 1:r0=0'], undefined);
    assert.equal(Object.keys(allowed(sb(), SC)).length, 3);
  });

  it("the axioms in herd7's order: lock.cat's, then linux-kernel.cat's", () => {
    const rel = lkmmRelations(theExecution(sb(), '0:r0=0 1:r0=0'));
    assert.deepEqual(
      [...rel.axioms, rel.races.axiom].map(([name]) => name),
      [
        ...['lock-nest', 'nested-is-locked', 'unmatched-locks'],
        ...['coherence', 'atomic', 'happens-before', 'propagation', 'rcu', 'plain-coherence'],
      ],
    );
  });

  it('SB+mbs: 0/0 fails propagation; pb is a cycle through both fences', () => {
    const x = theExecution(sb('MB'), '0:r0=0 1:r0=0');
    assert.deepEqual(LKMM.check(x), { allowed: false, axiom: 'propagation' });
    const rel = lkmmRelations(x);
    // events: IW x=0, IW y=1, P0: W x 2, F 3, R y 4; P1: W y 5, F 6, R x 7
    assert.ok(rel.strongFence.has(2, 4) && rel.strongFence.has(5, 7));
    assert.ok(rel.pb.has(4, 7) && rel.pb.has(7, 4));
    assert.ok(rel.hb.has(2, 4) && rel.hb.has(5, 7), 'the fences are ppo, so hb');
    assert.ok(acyclicHb(rel.hb), 'hb alone has no cycle: it takes pb');
  });
});

describe('lkmm: message passing', () => {
  it('MP without fences: 1/0 is allowed', () => {
    assert.equal(allowed(mp(), LKMM)['1:r0=1 1:r1=0'], 1);
  });

  it('MP+wmb+rmb: 1/0 fails happens-before; ppo holds both fences', () => {
    assert.equal(allowed(mp('wmb', 'rmb'), LKMM)['1:r0=1 1:r1=0'], undefined);
    const x = theExecution(mp('wmb', 'rmb'), '1:r0=1 1:r1=0');
    assert.deepEqual(LKMM.check(x), { allowed: false, axiom: 'happens-before' });
    const rel = lkmmRelations(x);
    // IW x 0, IW y 1; P0: W x 2, F wmb 3, W y 4; P1: R y 5, F rmb 6, R x 7
    assert.deepEqual(rel.ppo.pairs(), [
      [2, 4],
      [5, 7],
    ]);
    assert.ok(rel.rfe.has(4, 5) && rel.fre.has(7, 2));
    assert.ok(rel.prop.has(7, 5), 'prop: R x fre W x, wmb, rfe to R y');
    assert.ok(rel.hb.has(7, 5) && rel.hb.has(5, 7));
  });

  it('MP+release+acquire: 1/0 forbidden, and with only the acquire allowed', () => {
    assert.equal(
      allowed(mp(undefined, undefined, 'ACQUIRE', 'RELEASE'), LKMM)['1:r0=1 1:r1=0'],
      undefined,
    );
    assert.equal(allowed(mp(undefined, undefined, 'ACQUIRE'), LKMM)['1:r0=1 1:r1=0'], 1);
  });
});

describe('lkmm: an RMW', () => {
  // Two atomic_inc_return (MB) on x from 0: each reads v and writes v+1.
  const inc = () =>
    proc([V], (v) => ({
      events: [
        r('x', v[0]!, ['MB', 'RMW']),
        w('x', Number(v[0]) + 1, ['MB', 'RMW'], { rmwRead: 0 }),
      ],
      registers: { r0: Number(v[0]) + 1 },
    }));
  const p = program(['x'], inc(), inc());

  it('both incrementing 0 fails atomic; the two orders are allowed', () => {
    const both = [...executions(p)].filter(([, k]) => k === '0:r0=1 1:r0=1');
    assert.ok(both.length > 0);
    for (const [x] of both) assert.deepEqual(LKMM.check(x), { allowed: false, axiom: 'atomic' });
    assert.deepEqual(allowed(p, LKMM), { '0:r0=1 1:r0=2': 1, '0:r0=2 1:r0=1': 1 });
  });

  it('rmw-sequence links a write to the RMW that reads it', () => {
    const x = theExecution(p, '0:r0=1 1:r0=2', (e) => e.co.has(2, 4));
    const rel = lkmmRelations(x);
    // IW x 0; P0: R 1, W 2; P1: R 3, W 4
    assert.ok(rel.lock.rmw.has(1, 2) && rel.rmwSequence.has(2, 4));
    assert.ok(rel.rfe.has(2, 3) && rel.cumulFence.isEmpty(), 'no fence: rmw alone orders');
  });
});

describe('lkmm: a lock handover', () => {
  // P0: lock; W x=1; unlock.  P1: lock; r0 = x; unlock.
  const p = program(
    ['l', 'x'],
    proc([], () => ({ events: [...lock('l', 0), w('x', 1), unlock('l')] })),
    proc([V], (v) => ({
      events: [...lock('l', 0), r('x', v[0]!), unlock('l')],
      registers: { r0: v[0]! },
    })),
  );

  it('one execution per lock order, as herd7 counts', () => {
    assert.deepEqual(allowed(p, LKMM), { '1:r0=0': 1, '1:r0=1': 1 });
    assert.deepEqual(allowed(p, SC), { '1:r0=0': 1, '1:r0=1': 1 });
  });

  it('P1 after P0: its LKR reads from P0 unlock, po-unlock-lock-po orders W x before R x', () => {
    // IW l 0, IW x 1; P0: LKR 2, LKW 3, W x 4, UL 5; P1: LKR 6, LKW 7, R x 8, UL 9
    const x = theExecution(p, '1:r0=1', (e) => e.co.has(3, 7));
    const rel = lkmmRelations(x);
    assert.ok(x.rf.has(5, 6) && x.rf.has(0, 2));
    assert.deepEqual(rel.lock.critical.pairs(), [
      [3, 5],
      [7, 9],
    ]);
    assert.ok(rel.poUnlockLockPo.has(4, 8));
    assert.ok(x.co.has(5, 7) && x.co.has(3, 5), 'the UL sits between the two LKWs in co');
  });

  it('both critical sections overlapping fails atomic (LKR reading IW, the other LKW first)', () => {
    const bad = [...executions(p)].filter(([x]) => x.rf.has(0, 2) && x.rf.has(0, 6));
    assert.equal(bad.length, 0, 'an LKR reads only from the co-immediate predecessor');
  });
});

describe('lkmm: RCU', () => {
  // P0: rcu_read_lock; r0 = x; r1 = y; rcu_read_unlock.  P1: W y=1; synchronize_rcu; W x=1.
  const p = program(
    ['x', 'y'],
    proc([V, V], (v) => ({
      events: [f('rcu-lock'), r('x', v[0]!), r('y', v[1]!), f('rcu-unlock')],
      registers: { r0: v[0]!, r1: v[1]! },
    })),
    proc([], () => ({ events: [w('y', 1), f('sync-rcu'), w('x', 1)] })),
  );

  it('a grace period cannot end inside a critical section that saw its after-write', () => {
    const a = allowed(p, LKMM);
    assert.equal(a['0:r0=1 0:r1=0'], undefined);
    assert.equal(Object.keys(a).length, 3);
  });

  it('the forbidden execution fails rcu; rcu-rscs matches the lock with the unlock', () => {
    const x = theExecution(p, '0:r0=1 0:r1=0');
    assert.deepEqual(LKMM.check(x), { allowed: false, axiom: 'rcu' });
    const rel = lkmmRelations(x);
    // IW x 0, IW y 1; P0: F 2, R x 3, R y 4, F 5; P1: W y 6, F sync 7, W x 8
    assert.deepEqual(rel.bell.rcuRscs.pairs(), [[2, 5]]);
    assert.ok(rel.rcuOrder.has(7, 2) || rel.rcuOrder.has(5, 7));
    assert.ok(rel.rb.pairs().some(([i, j]) => i === j));
  });
});

describe('lkmm: SRCU', () => {
  // P0: idx = srcu_read_lock(s); r0 = x; r1 = y; srcu_read_unlock(s, idx).
  // P1: W y=1; synchronize_srcu(s); W x=1.  srcu-lock's value is herd7's made-up 307.
  const p = (syncLoc: string) =>
    program(
      ['s', 't', 'x', 'y'],
      proc([V, V], (v) => ({
        events: [
          r('s', 307, ['srcu-lock']),
          r('x', v[0]!),
          r('y', v[1]!),
          w('s', 307, ['srcu-unlock'], { data: [0] }),
        ],
        registers: { r0: v[0]!, r1: v[1]! },
      })),
      proc([], () => ({ events: [w('y', 1), f('sync-srcu', syncLoc), w('x', 1)] })),
    );

  it('srcu_read_lock/unlock are no memory accesses: no rf, no co, and the pair matches', () => {
    const x = theExecution(p('s'), '0:r0=0 0:r1=0');
    const rel = lkmmRelations(x);
    // IW s 0, t 1, x 2, y 3; P0: lock 4, R x 5, R y 6, unlock 7; P1: W y 8, sync 9, W x 10
    assert.ok(!x.R.has(4) && !x.W.has(7) && rel.bell.Marked.has(4) && rel.bell.Marked.has(7));
    assert.deepEqual(rel.bell.srcuRscs.pairs(), [[4, 7]]);
    assert.deepEqual(LKMM.check(x), { allowed: true, flags: [] });
  });

  it('a grace period of the same srcu_struct forbids 1/0; of another one it does not', () => {
    assert.equal(allowed(p('s'), LKMM)['0:r0=1 0:r1=0'], undefined);
    const x = theExecution(p('s'), '0:r0=1 0:r1=0');
    assert.deepEqual(LKMM.check(x), { allowed: false, axiom: 'rcu' });
    assert.equal(allowed(p('t'), LKMM)['0:r0=1 0:r1=0'], 1);
  });
});

describe('lkmm: lock.cat axioms and flags, and mixed accesses', () => {
  it('spin_lock nested on one lock deadlocks: lock-nest fails every candidate', () => {
    const p = program(
      ['l'],
      proc([], () => ({ events: [...lock('l', 0), ...lock('l', 2), unlock('l')] })),
    );
    const all = [...executions(p)];
    assert.ok(all.length > 0);
    for (const [x] of all) assert.deepEqual(LKMM.check(x), { allowed: false, axiom: 'lock-nest' });
    const res = runModel(p, LKMM);
    assert.ok(res.kind === 'complete' && res.allowed.length === 0);
  });

  it('an unlock without a lock is allowed and flagged unmatched-unlock', () => {
    const res = runModel(
      program(
        ['l'],
        proc([], () => ({ events: [unlock('l')] })),
      ),
      LKMM,
    );
    assert.ok(res.kind === 'complete');
    assert.deepEqual(res.flags, ['unmatched-unlock']);
  });

  it('a lock write with no lock read just before it, and the reverse: unpaired-LKW, unpaired-LKR', () => {
    // spin_lock() always makes the pair, so no C litmus test reaches these flags
    const flagsOf = (events: TraceEvent[]) => {
      const res = runModel(
        program(
          ['l'],
          proc([], () => ({ events })),
        ),
        LKMM,
      );
      assert.ok(res.kind === 'complete');
      return res.flags;
    };
    assert.deepEqual(flagsOf([w('l', 1, ['LKW']), unlock('l')]), ['unpaired-LKW']);
    assert.deepEqual(flagsOf([r('l', 0, ['LKR'])]), ['unpaired-LKR']);
    assert.deepEqual(flagsOf([...lock('l', 0), unlock('l')]), []);
  });

  it('a plain write and a marked access of one location in one process: mixed-accesses', () => {
    const p = program(
      ['x'],
      proc([], () => ({ events: [w('x', 1, []), w('x', 2)] })),
    );
    const res = runModel(p, LKMM);
    assert.ok(res.kind === 'complete');
    assert.deepEqual(res.flags, ['mixed-accesses']);
    const fenced = program(
      ['x'],
      proc([], () => ({ events: [w('x', 1, []), f('barrier'), w('x', 2)] })),
    );
    const ok = runModel(fenced, LKMM);
    assert.ok(ok.kind === 'complete' && ok.flags.length === 0);
  });

  it('LB+mbs on a plain x: the read returning the later write fails plain-coherence', () => {
    const body = (first: TraceEvent, last: TraceEvent) => ({ events: [first, f('MB'), last] });
    const p = program(
      ['x', 'y'],
      proc([V], (v) => ({ ...body(r('x', v[0]!, []), w('y', 1)), registers: { r0: v[0]! } })),
      proc([V], (v) => ({ ...body(r('y', v[0]!), w('x', 1, [])), registers: { r1: v[0]! } })),
    );
    const x = theExecution(p, '0:r0=1 1:r1=1');
    assert.deepEqual(LKMM.check(x), { allowed: false, axiom: 'plain-coherence' });
  });
});
