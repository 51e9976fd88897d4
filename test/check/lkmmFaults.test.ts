/**
 * Strategy code that catches what the LKMM engine throws through the recording cells to stop
 * a run (a cut at the event bound, a run no interleaving reaches, a run off its known
 * accesses) is the strategy's fault, as a swallowed pause is under SC (faults.test.ts): never
 * a run taken for complete, never `safe`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scenarioByName } from '../../src/check/catalog.js';
import { runScenarioLkmm } from '../../src/check/lkmm/lkmmScenario.js';
import { frozenBit } from '../../src/refcount/frozenBit.js';
import type { Strategy } from '../../src/refcount/strategy.js';
import { runScenario } from '../../src/check/scenario.js';
import { TraceInfeasible } from '../../src/axiomatic/recordingCells.js';
import { PageRefDebugError } from '../../src/refcount/debugChecks.js';

const FIXTURES = new URL('../../../test/cli/fixtures/', import.meta.url);

/** frozen-bit with each method wrapped by `wrap`. */
function wrapped(name: string, wrap: <T>(f: () => T, fallback: T) => T): Strategy {
  return {
    ...frozenBit,
    name,
    tryGet: (c, p) => wrap(() => frozenBit.tryGet(c, p), false),
    decAndTest: (c, p) => wrap(() => frozenBit.decAndTest(c, p), false),
  };
}

const swallowing = wrapped('swallows', (f, fallback) => {
  try {
    return f();
  } catch {
    return fallback;
  }
});
const rethrowing = wrapped('rethrows', (f) => {
  try {
    return f();
  } catch (e) {
    if (e instanceof Error) throw e; // what it does not handle (everything, here), rethrown
    return f();
  }
});

describe('a strategy that catches the LKMM engine signals', () => {
  it('the try/catch fixture (test/cli/fixtures/tryCatch.js): signalSwallowed, not a verdict on its runs', async () => {
    const s = ((await import(new URL('tryCatch.js', FIXTURES).href)) as { default: Strategy })
      .default;
    const r = runScenarioLkmm(scenarioByName('inc-free')!, s);
    assert.equal(r.verdict, 'violation');
    assert.equal(r.kind, 'signalSwallowed');
    assert.match(r.message!, /must not catch exceptions from the cells/);
  });

  it('a cut caught and turned into a return: signalSwallowed where the honest code is bounded', () => {
    const s = scenarioByName('inc-free')!;
    // the bound falls between the put's decrement and its cmpxchg
    const honest = runScenarioLkmm(s, frozenBit, { maxEvents: 3 });
    assert.equal(honest.verdict, 'bounded', honest.message);
    const r = runScenarioLkmm(s, swallowing, { maxEvents: 3 });
    assert.equal(r.verdict, 'violation', r.message);
    assert.equal(r.kind, 'signalSwallowed');
  });

  it('catching and rethrowing is no fault: the same verdicts as the code without the catch', () => {
    for (const name of ['inc-free', 'kiryl']) {
      const s = scenarioByName(name)!;
      for (const maxEvents of [3, 24]) {
        const a = runScenarioLkmm(s, frozenBit, { maxEvents });
        const b = runScenarioLkmm(s, rethrowing, { maxEvents });
        assert.equal(b.verdict, a.verdict, `${name} at ${maxEvents}`);
        assert.equal(b.kind, a.kind, `${name} at ${maxEvents}`);
      }
    }
  });

  it('calling the cells again after catching, then rethrowing: still signalSwallowed', () => {
    const again = wrapped('calls-again', (f) => {
      try {
        return f();
      } catch (e) {
        try {
          f(); // the cells throw the same signal again; the code catches that too
        } catch {
          /* empty */
        }
        throw e;
      }
    });
    const r = runScenarioLkmm(scenarioByName('inc-free')!, again, { maxEvents: 3 });
    assert.equal(r.verdict, 'violation', r.message);
    assert.equal(r.kind, 'signalSwallowed');
  });
});

describe('a strategy that is not deterministic given what it reads', () => {
  // sometimes frozen-bit, sometimes a get that reads then adds: the latter alone breaks
  // inc-free, and before each run was run twice the mix was called safe there
  const readThenAdd: Strategy['tryGet'] = (c, p) => c.load(p) > 0 && (c.add(p, 1), true);
  let calls = 0;
  const flaky: Strategy = {
    ...frozenBit,
    name: 'flaky',
    tryGet: (c, p) => (calls++ % 2 === 0 ? frozenBit.tryGet(c, p) : readThenAdd(c, p)),
  };

  it('is nondeterministic, never safe', () => {
    for (const name of ['inc-free', 'inc-freeze', 'debug-inc-live']) {
      const r = runScenarioLkmm(scenarioByName(name)!, flaky);
      assert.equal(r.verdict, 'violation', name);
      assert.equal(r.kind, 'nondeterministic', name);
      assert.match(r.message!, /Is it deterministic\?/);
    }
  });

  it('a deterministic strategy that is not built in gets the built-in verdicts (no false alarm)', () => {
    const copy: Strategy = { ...frozenBit, name: 'copy-of-frozen-bit' };
    for (const name of ['inc-free', 'kiryl', 'count-frozen', 'count-widths']) {
      const a = runScenarioLkmm(scenarioByName(name)!, frozenBit);
      const b = runScenarioLkmm(scenarioByName(name)!, copy);
      assert.equal(b.verdict, a.verdict, name);
      assert.equal(b.kind, a.kind, name);
    }
  });
});

describe('a strategy that reaches past its page or its types', () => {
  const run = (name: string, s: Strategy) => runScenarioLkmm(scenarioByName(name)!, s);

  it('touching another cell is outOfRange, in the threads, the setup and the final check, as under SC', () => {
    // the next cell is page 1's counter or, with one page, the page's type
    const next: Strategy = {
      ...frozenBit,
      name: 'next-cell',
      tryGet: (c, p) => (c.add(p + 1, 1), frozenBit.tryGet(c, p)),
    };
    // past every cell: on real memory, a RangeError; before the guard, a crash of the check
    const far: Strategy = {
      ...frozenBit,
      name: 'far-cell',
      tryGet: (c, p) => (c.store(p + 7, 1), false),
    };
    for (const s of [next, far])
      for (const name of ['inc-free', 'kiryl', 'free-free']) {
        const r = run(name, s);
        assert.equal(r.verdict, 'violation', `${s.name} ${name}`);
        assert.equal(r.kind, 'outOfRange', `${s.name} ${name}: ${r.message}`);
        assert.match(r.message!, /not the counter of p0/);
      }
  });

  it('a fault the strategy catches is still the verdict', () => {
    const hides: Strategy = {
      ...frozenBit,
      name: 'hides-a-fault',
      tryGet: (c, p) => {
        try {
          c.add(p + 1, 1);
        } catch {
          /* hidden */
        }
        return frozenBit.tryGet(c, p);
      },
    };
    assert.equal(run('inc-free', hides).kind, 'outOfRange');
  });

  it('a result of the wrong type is badResult (5 for true), never read as truthy', () => {
    const five: Strategy = {
      ...frozenBit,
      name: 'five',
      tryGet: (c, p) => (frozenBit.tryGet(c, p) ? 5 : 0) as unknown as boolean,
    };
    const r = run('inc-free', five);
    assert.equal(r.verdict, 'violation', r.message);
    assert.equal(r.kind, 'badResult');
    assert.match(r.message!, /tryGet returned 5/);
  });

  it('the cells a strategy gets are a door: the recording cells themselves are out of reach', () => {
    let seen: unknown;
    const peeks: Strategy = {
      ...frozenBit,
      name: 'peeks',
      tryGet: (c, p) => (
        (seen = (c as unknown as { events?: unknown }).events),
        frozenBit.tryGet(c, p)
      ),
    };
    const a = run('inc-free', peeks);
    assert.equal(seen, undefined);
    assert.equal(a.verdict, run('inc-free', frozenBit).verdict);
  });
});

describe('what a review forged (each was a wrong verdict or a crash before)', () => {
  const run = (name: string, s: Strategy, options = {}) =>
    runScenarioLkmm(scenarioByName(name)!, s, options);
  const sc = (name: string, s: Strategy) => runScenario(scenarioByName(name)!, s, false);
  const FROZEN = 0x80000000 | 0;

  it('a delta means what Atomics makes of it: add(p, -0.5) drops nothing, under both models', () => {
    const halfDec: Strategy = {
      ...frozenBit,
      name: 'half-dec',
      decAndTest: (c, p) => c.add(p, -0.5, 'mb') === 1 && c.cas(p, 0, FROZEN, 'relaxed') === 0,
    };
    const stringDelta: Strategy = {
      ...frozenBit,
      name: 'string-delta',
      tryGet: (c, p) => ((c.add(p, '1' as unknown as number, 'mb') + 1) & FROZEN) === 0,
    };
    for (const name of ['inc-free', 'free-free']) {
      // LKMM said safe here: it subtracted half a reference and rounded
      assert.equal(sc(name, halfDec).verdict, 'violation', name);
      assert.equal(run(name, halfDec).verdict, 'violation', name);
    }
    // '1' is 1 to Atomics: frozen-bit's get, safe under SC; LKMM concatenated it ('11')
    assert.equal(sc('inc-free', stringDelta).verdict, 'safe');
    assert.equal(run('inc-free', stringDelta).verdict, 'safe');
  });

  it("a thrown copy of the engine's own signal, a revoked Proxy, a forged debug error: a verdict, never a crash", () => {
    const forgedCut: Strategy = {
      ...frozenBit,
      name: 'forged-signal',
      tryGet: (c, p) => {
        if (c.add(p, 1, 'mb') & FROZEN) throw new TraceInfeasible('p0');
        return true;
      },
    };
    const revoked: Strategy = {
      ...frozenBit,
      name: 'revoked',
      tryGet: (c, p) => {
        if (c.add(p, 1, 'mb') & FROZEN) {
          const { proxy, revoke } = Proxy.revocable({}, {});
          revoke();
          throw proxy;
        }
        return true;
      },
    };
    const forgedDebug: Strategy = {
      ...frozenBit,
      name: 'forged-debug',
      count: (c, p) => {
        const v = c.load(p, 'once');
        if (v === 1) throw new PageRefDebugError('add', p, v, 'forged');
        return v & FROZEN ? 0 : v;
      },
    };
    for (const s of [forgedCut, revoked, forgedDebug]) {
      const r = run('inc-free', s);
      assert.equal(r.verdict, 'violation', s.name);
      assert.equal(r.kind, 'threw', `${s.name}: ${r.message}`);
    }
  });

  it('an ordering no kernel call has is badOrdering (a load with mb would be a full fence)', () => {
    const loadMb: Strategy = {
      ...frozenBit,
      name: 'load-mb',
      tryGet: (c, p) => c.load(p, 'mb' as 'acquire') >= 0 && frozenBit.tryGet(c, p),
    };
    const r = run('inc-free', loadMb);
    assert.equal(r.kind, 'badOrdering', r.message);
    assert.match(r.message!, /a load takes 'once', 'acquire' or none/);
  });

  it("the final check's fault is the judged execution's own, not one latched from another", () => {
    // isFrozen answers 'bad' only at raw 1; a successful get makes 8 more loads, so the
    // executions that end at 1 are long, and a latched fault was stamped on shorter ones
    const latch: Strategy = {
      ...frozenBit,
      name: 'latch',
      tryGet: (c, p) => {
        if ((c.add(p, 1, 'mb') + 1) & FROZEN) return false;
        for (let i = 0; i < 8; i++) c.load(p, 'once');
        return true;
      },
      isFrozen: (c, p) => {
        const v = c.load(p, 'once');
        return (v === 1 ? 'bad' : (v & FROZEN) !== 0) as boolean;
      },
    };
    const r = run('inc-free', latch, { maxEvents: 30 });
    assert.equal(r.kind, 'badResult', r.message);
    // the probe read the counter's last value in coherence order: 1, where isFrozen faults
    assert.match(r.execution!, /co p0: .*\(1\)$/m);
  });
});
