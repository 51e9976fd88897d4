/**
 * Forced schedules on real workers: the handshakes make each outcome certain, whatever the
 * machine's load, so each test asserts what happened, not what probably happens.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FORCED, runForced } from '../../src/torture/forced.js';
import { PRODUCTION_STRATEGIES, STRATEGY_NAMES } from '../../src/refcount/strategies.js';
import type { StrategyName } from '../../src/refcount/strategy.js';
import { pageref } from '../helpers/pageref.js';
import { HANG_MS } from '../helpers/hang.js';

/** The historical strategy each scenario catches, with its violation; the others pass. */
const CAUGHT: Record<string, [StrategyName, RegExp][]> = {
  // v2 as written leaves a free page at a plain 0, as the RFC did (src/kernel found it)
  'free-page-get': (['rfc-v1', 'v2-inverted'] as const).map((s) => [
    s,
    /^T0's tryGet took page 0, which is free \(raw 0x1\)$/,
  ]),
  'overflow-guard': [['rfc-v1', /^T1's tryGet took page 0, which is free \(raw 0x0\)$/]],
  'inc-free': [],
  // expected by design for every strategy whose get can revive a zero (the catalog says so)
  'aba-caller-dtor': (['frozen-bit', 'rfc-v1', 'v2-inverted'] as const).map((s) => [
    s,
    /^T0 ran the destructor of type X on page 0, now an incarnation of type Y$/,
  ]),
  'aba-page-dtor': [],
  'debug-inc-live': [
    ['v2-inverted', /^T0: PageRefDebugError: inc\(page 0\): page is frozen \(raw counter 0x1\)$/],
  ],
};

describe('forced schedules: a checker counterexample, replayed on real workers', () => {
  for (const scenario of FORCED) {
    for (const strategy of STRATEGY_NAMES) {
      const caught = CAUGHT[scenario.name]!.find(([s]) => s === strategy);
      const title = `${scenario.name} × ${strategy}: ${caught ? 'caught' : '0 violations'}`;
      it(title, { timeout: HANG_MS }, async () => {
        const r = await runForced(scenario.name, strategy);
        if (caught) {
          assert.equal(r.violations.length, 1, r.violations.join('\n'));
          assert.match(r.violations[0]!, caught[1]);
        } else assert.deepEqual(r.violations, []);
        // the handshakes kept the schedule: each numbered access is its entry's thread
        for (const a of r.trace) if (a.step >= 0) assert.equal(a.thread, r.schedule[a.step]);
      });
    }
  }

  it('overflow-guard × rfc-v1 replays the checker counterexample step for step', async () => {
    const r = await runForced('overflow-guard', 'rfc-v1');
    assert.deepEqual(
      r.trace.filter((a) => a.step >= 0).map((a) => `T${a.thread} ${a.what}`),
      [
        'T0 add 0xfffffffc→0xfffffffd',
        'T1 add 0xfffffffd→0xfffffffe',
        'T0 cas 0xfffffffd→0x80000000 failed: found 0xfffffffe',
        'T0 add 0xfffffffe→0xffffffff',
        'T1 cas 0xfffffffe→0x80000000 failed: found 0xffffffff',
        'T1 add 0xffffffff→0x0',
      ],
    );
  });

  it("inc-free: the get revives frozen-bit's transitional zero; classic's get is refused", async () => {
    // The detector is quiet both ways, and the page is freed once, by the right thread.
    const fb = await runForced('inc-free', 'frozen-bit');
    assert.deepEqual([fb.gets, fb.frees, fb.freedBy], [1, 1, 1]);
    const classic = await runForced('inc-free', 'classic');
    assert.deepEqual([classic.gets, classic.frees, classic.freedBy], [0, 1, 0]);
  });

  it('aba-page-dtor × frozen-bit: the stalled put frees the new incarnation, by its own type', async () => {
    const r = await runForced('aba-page-dtor', 'frozen-bit');
    // T1 freed X, T0's stalled cmpxchg froze and freed Y, T2's put freed nothing
    assert.deepEqual([r.gets, r.frees, r.freedBy], [1, 2, 0]);
    assert.deepEqual(r.violations, []);
  });

  for (const strategy of PRODUCTION_STRATEGIES)
    it(`torture --forced overflow-guard --strategy ${strategy}: exit 0`, () => {
      const out = pageref('torture', '--forced', 'overflow-guard', '--strategy', strategy);
      assert.equal(out.status, 0, out.stdout + out.stderr);
      assert.match(out.stdout, /^violations: 0$/m);
    });

  it('torture --forced overflow-guard --strategy rfc-v1: the trace, the violation, exit 1', () => {
    const out = pageref('torture', '--forced', 'overflow-guard', '--strategy', 'rfc-v1');
    assert.equal(out.status, 1, out.stderr);
    assert.match(out.stdout, /^ {4}5 {2}T1 {6}add 0xffffffff→0x0$/m);
    assert.match(out.stdout, /✗ T1's tryGet took page 0, which is free/);
  });

  it('torture --forced nope: one line, exit 2', () => {
    const out = pageref('torture', '--forced', 'nope');
    assert.equal(out.status, 2);
    assert.match(out.stderr, /unknown forced scenario "nope": expected one of free-page-get/);
  });
});
