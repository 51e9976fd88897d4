/**
 * The front end's traces for the axiomatic model: herd7's events and annotations per
 * linux-kernel.def (lkmmv2), dependencies through registers, and the value fixpoint.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ThreadTrace, TraceEvent } from '../../src/axiomatic/events.js';
import { LimitReached } from '../../src/axiomatic/limits.js';
import { parseLitmus, LitmusSyntaxError } from '../../src/litmus/parse.js';
import { programOf, type TraceOptions } from '../../src/litmus/traces.js';

const KERNEL = fileURLToPath(new URL('../../../test/fixtures/litmus/kernel/', import.meta.url));

/** P0's traces for a body, with `init` and more processes as given. */
function traces(
  body: string,
  init = 'x=0; y=0;',
  more = '',
  options?: TraceOptions,
): readonly ThreadTrace[] {
  const text = `C t\n{ ${init} }\nP0(int *x, int *y, spinlock_t *l, int **p) { ${body} }\n${more}\nexists (x=0)`;
  return programOf(parseLitmus(text, 't.litmus'), 't.litmus', options).traces[0]!;
}

/** An event in a compact form: `R x=1 ONCE+RMW`, with deps when any. */
function show(e: TraceEvent): string {
  const deps = (['addr', 'data', 'ctrl'] as const)
    .filter((k) => e[k].length > 0)
    .map((k) => ` ${k}:${e[k].join(',')}`)
    .join('');
  const rmw = e.rmwRead === undefined ? '' : ` rmw:${e.rmwRead}`;
  const access = e.kind === 'F' ? (e.loc ? ` ${e.loc}` : '') : ` ${e.loc}=${e.value}`;
  return [`${e.kind}${access}`, e.tags.join('+'), deps.trim(), rmw.trim()]
    .filter((x) => x)
    .join(' ');
}
const shown = (ts: readonly ThreadTrace[]) => ts.map((t) => t.events.map(show));

describe("herd7's events per linux-kernel.def", () => {
  it('READ_ONCE is R ONCE; a plain access has no annotation', () => {
    assert.deepEqual(shown(traces('int r0 = READ_ONCE(*x); *y = 2;')), [['R x=0 ONCE', 'W y=2']]);
  });
  it('atomic_inc: R and W, both NORETURN and RMW, the write naming its read', () => {
    assert.deepEqual(shown(traces('atomic_inc(x);')), [
      ['R x=0 NORETURN+RMW', 'W x=1 NORETURN+RMW rmw:0'],
    ]);
  });
  it('cmpxchg: success is R+W; failure is one read, tagged MB+RMW, and no write', () => {
    const ts = traces('int r0 = cmpxchg(x, 1, 2);', 'x=0;', 'P1(int *x) { WRITE_ONCE(*x, 1); }');
    assert.deepEqual(shown(ts), [['R x=0 MB+RMW'], ['R x=1 MB+RMW', 'W x=2 MB+RMW rmw:0']]);
    assert.deepEqual(
      ts.map((t) => t.registers.r0),
      [0, 1],
    );
  });
  it('the _relaxed/_acquire/_release variants carry ONCE/ACQUIRE/RELEASE on both events', () => {
    assert.deepEqual(shown(traces('int r0 = atomic_fetch_add_acquire(2, x);')), [
      ['R x=0 ACQUIRE+RMW', 'W x=2 ACQUIRE+RMW rmw:0'],
    ]);
    assert.deepEqual(shown(traces('int r0 = xchg_release(x, 3);')), [
      ['R x=0 RELEASE+RMW', 'W x=3 RELEASE+RMW rmw:0'],
    ]);
  });
  it('spin_is_locked: two traces, an RL read of 1 and an RU read of 0', () => {
    const ts = traces('int r0 = spin_is_locked(l);');
    assert.deepEqual(shown(ts), [['R l=1 RL'], ['R l=0 RU']]);
    assert.deepEqual(
      ts.map((t) => t.registers.r0),
      [1, 0],
    );
  });
  it('spin_trylock: success is LKR+LKW, failure is LF; spin_lock/unlock are LKR+LKW and UL', () => {
    assert.deepEqual(shown(traces('int r0 = spin_trylock(l);')), [
      ['R l=0 LKR', 'W l=1 LKW rmw:0'],
      ['R l=1 LF'],
    ]);
    assert.deepEqual(shown(traces('spin_lock(l); spin_unlock(l);')), [
      ['R l=0 LKR', 'W l=1 LKW rmw:0', 'W l=0 UL'],
    ]);
  });
  it('fences, RCU, smp_store_mb, SRCU', () => {
    assert.deepEqual(
      shown(
        traces(
          'smp_mb(); smp_rmb(); smp_wmb(); rcu_read_lock(); synchronize_rcu(); smp_store_mb(*x, 1);',
        ),
      ),
      [['F MB', 'F rmb', 'F wmb', 'F rcu-lock', 'F sync-rcu', 'W x=1 ONCE', 'F MB']],
    );
    assert.deepEqual(
      shown(traces('int i = srcu_read_lock(x); srcu_read_unlock(x, i); synchronize_srcu(x);')),
      [['R x=307 srcu-lock', 'W x=307 srcu-unlock data:0', 'F x sync-srcu']],
    );
  });
  it('atomic_add_unless: a write when the value differs, a lone read when it equals', () => {
    const ts = traces(
      'int r0 = atomic_add_unless(x, 1, 0);',
      'x=0;',
      'P1(int *x) { WRITE_ONCE(*x, 5); }',
    );
    assert.deepEqual(shown(ts), [['R x=0 MB+RMW'], ['R x=5 MB+RMW', 'W x=6 MB+RMW rmw:0']]);
    assert.deepEqual(
      ts.map((t) => t.registers.r0),
      [0, 1],
    );
  });
});

describe('dependencies through registers', () => {
  it('addr: a pointer read from memory, then dereferenced (MP+onceassign+derefonce)', () => {
    const p = programOf(
      parseLitmus(readFileSync(KERNEL + 'MP+onceassign+derefonce.litmus', 'utf8')),
    );
    assert.deepEqual(shown(p.traces[1]!), [
      ['F rcu-lock', 'R p=y ONCE', 'R y=0 ONCE addr:1', 'F rcu-unlock'],
      ['F rcu-lock', 'R p=x ONCE', 'R x=0 ONCE addr:1', 'F rcu-unlock'],
      ['F rcu-lock', 'R p=x ONCE', 'R x=1 ONCE addr:1', 'F rcu-unlock'],
    ]);
    assert.deepEqual(
      p.traces[1]!.map((t) => t.registers),
      [
        { r0: 'y', r1: 0 },
        { r0: 'x', r1: 0 },
        { r0: 'x', r1: 1 },
      ],
    );
  });
  it("data and ctrl: the condition's reads reach the branch's events, not those after the if (herd7's cond_comp)", () => {
    const [t] = traces(
      'int r0 = READ_ONCE(*x); int r1 = READ_ONCE(*y); if (r0) { WRITE_ONCE(*y, r1 + 1); } smp_mb();',
      'x=1; y=0;',
    );
    assert.deepEqual(t!.events.map(show), [
      'R x=1 ONCE',
      'R y=0 ONCE',
      'W y=1 ONCE data:1 ctrl:0',
      'F MB',
    ]);
  });
  it('plain accesses through memory are events, left to the model (dep+plain)', () => {
    const p = programOf(parseLitmus(readFileSync(KERNEL + 'dep+plain.litmus', 'utf8')));
    assert.deepEqual(shown(p.traces[0]!)[0], [
      'R x=0 ONCE',
      'W z1=0 data:0',
      'R z1=0',
      'W z2=0 data:2',
      'R z2=0',
    ]);
  });
});

describe('the values a read may return', () => {
  it('MP: the reader sees each location at 0 or 1, so four traces', () => {
    const p = programOf(parseLitmus(readFileSync(KERNEL + 'MP+poonceonces.litmus', 'utf8')));
    assert.deepEqual(
      p.traces.map((t) => t.length),
      [1, 4],
    );
    assert.deepEqual(
      [...p.init],
      [
        ['buf', 0],
        ['flag', 0],
      ],
    );
  });
  it('dep+plain: a value written only under a branch not yet taken is a value (herd7 has that candidate)', () => {
    const p = programOf(parseLitmus(readFileSync(KERNEL + 'dep+plain.litmus', 'utf8')));
    const xs = new Set(p.traces[0]!.map((t) => t.events[0]!.value));
    assert.deepEqual([...xs].sort(), [0, 1]);
  });
  it('values that keep growing stop after (write sites + 1) rounds', () => {
    const ts = traces(
      'int r0 = READ_ONCE(*x); WRITE_ONCE(*x, r0 + 1);',
      'x=0;',
      'P1(int *x) { int r0 = READ_ONCE(*x); WRITE_ONCE(*x, r0 + 1); }',
    );
    const values = ts.map((t) => t.events[0]!.value);
    assert.ok(values.length >= 3 && values.length <= 4, String(values));
  });
  it('too many traces stops the run at a named limit (max-traces), saying which process', () => {
    assert.throws(
      () =>
        traces(
          'int r0; ' + 'r0 = READ_ONCE(*x); '.repeat(12),
          'x=0;',
          'P1(int *x) { WRITE_ONCE(*x, 1); }',
          { maxTraces: 1000 },
        ),
      (e: unknown) =>
        e instanceof LimitReached &&
        e.limit === 'max-traces=1000' &&
        /^t\.litmus:3:1: P0 has more than 1000 traces/.test(e.detail ?? ''),
    );
  });
  it('a budget stops the enumeration: its exception passes through untouched', () => {
    class Stop extends Error {}
    let calls = 0;
    const budget = {
      check() {
        if (++calls > 50) throw new Stop('time');
      },
    };
    const many = 'int r0; ' + 'r0 = READ_ONCE(*x); '.repeat(12);
    assert.throws(
      () => traces(many, 'x=0;', 'P1(int *x) { WRITE_ONCE(*x, 1); }', { budget }),
      Stop,
    );
    assert.ok(calls > 50 && calls < 60, String(calls));
  });

  it('a number used as an address is refused where it is dereferenced', () => {
    assert.throws(
      () => traces('int *r0; r0 = READ_ONCE(*p); int r1 = READ_ONCE(*r0);', 'p=0;'),
      (e: unknown) =>
        e instanceof LitmusSyntaxError &&
        /^t\.litmus:3:84: READ_ONCE\(\) uses 0 as an address/.test(e.message),
    );
  });
});
