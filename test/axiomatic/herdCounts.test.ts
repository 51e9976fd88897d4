/**
 * herd7's execution counts on kernel litmus tests whose traces are written here by hand
 * (tools/memory-model/litmus-tests in the Linux tree; herd7's answers in
 * test/fixtures/litmus/kernel/*.expected): herd7 counts executions, choices of rf and co, so
 * States and Positive + Negative differ.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Program } from '../../src/axiomatic/events.js';
import { LKMM } from '../../src/axiomatic/models/lkmm.js';
import { runModel } from '../../src/axiomatic/run.js';
import { f, lock, proc, program, r, unlock, w } from './build.js';

const V = [0, 1];

/** MP+polock[mb]once+poacquiresilsil: spin_is_locked is RL (true) or RU (false). */
function silsil(mbAfterSpinlock: boolean): Program {
  const isLocked = (v: number) => (v === 1 ? r('lo', 1, ['RL']) : r('lo', 0, ['RU']));
  return program(
    ['lo', 'x'],
    proc([], () => ({
      events: [
        ...lock('lo', 0),
        ...(mbAfterSpinlock ? [f('after-spinlock')] : []),
        w('x', 1),
        unlock('lo'),
      ],
    })),
    proc([V, V, V], ([a, b, c]) => ({
      events: [r('x', a!, ['ACQUIRE']), isLocked(b as number), isLocked(c as number)],
      registers: { r1: a!, r2: b!, r3: c! },
    })),
  );
}

function states(p: Program): { states: string[]; executions: number } {
  const res = runModel(p, LKMM);
  assert.equal(res.kind, 'complete');
  if (res.kind !== 'complete') return { states: [], executions: 0 };
  const keys = res.allowed.map((a) =>
    a.outcome.registers.map((regs) => Object.values(regs).join('')).join('|'),
  );
  return {
    states: [...new Set(keys)].sort(),
    executions: res.allowed.reduce((n, a) => n + a.executions, 0),
  };
}

describe('herd7 counts', () => {
  it('MP+polockmbonce+poacquiresilsil: States 7, Positive 0, Negative 9', () => {
    const got = states(silsil(true));
    assert.equal(got.executions, 9);
    assert.deepEqual(got.states, ['|000', '|001', '|010', '|011', '|100', '|110', '|111']);
  });

  it('MP+polockonce+poacquiresilsil: States 8, Positive 1, Negative 11', () => {
    const got = states(silsil(false));
    assert.equal(got.executions, 12);
    assert.equal(got.states.length, 8);
  });

  it('dep+plain: States 1, Negative 2 (two rf for x, both of value 0)', () => {
    // P0: a = READ_ONCE(x); *z1 = a; *z2 = *z1; if (*z2 == 1) WRITE_ONCE(*y, 1);
    // P1: r = smp_load_acquire(y); smp_store_release(x, r);
    const p = program(
      ['x', 'y', 'z1', 'z2'],
      proc([V], ([a]) => ({
        events: [
          r('x', a!),
          w('z1', a!, [], { data: [0] }),
          r('z1', a!, []),
          w('z2', a!, [], { data: [2] }),
          r('z2', a!, []),
          ...(a === 1 ? [w('y', 1, ['ONCE'], { ctrl: [4] })] : []),
        ],
      })),
      proc([V], ([v]) => ({
        events: [r('y', v!, ['ACQUIRE']), w('x', v!, ['RELEASE'], { data: [0] })],
        registers: { r: v! },
      })),
    );
    const res = runModel(p, LKMM);
    assert.equal(res.kind, 'complete');
    if (res.kind !== 'complete') return;
    const finals = res.allowed.map(
      (a) => `${a.outcome.memory.get('x')}${a.outcome.memory.get('y')}`,
    );
    assert.deepEqual([...new Set(finals)], ['00']);
    assert.equal(
      res.allowed.reduce((n, a) => n + a.executions, 0),
      2,
    );
    assert.deepEqual(res.flags, []);
  });
});
