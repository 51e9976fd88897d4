import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOG, expectedViolation, scenarioByName } from '../../src/check/catalog.js';
import { mailName } from '../../src/check/seeds.js';
import {
  expectation,
  runScenario,
  type Scenario,
  type ViolationKind,
} from '../../src/check/scenario.js';
import { cx } from './counterexample.js';
import { STRATEGIES, STRATEGY_NAMES } from '../../src/refcount/strategies.js';
import { frozenBit } from '../../src/refcount/frozenBit.js';
import { classic } from '../../src/refcount/classic.js';
import { FROZEN_BIT } from '../../src/refcount/layout.js';
import type { Strategy } from '../../src/refcount/strategy.js';
import { X } from '../../src/check/world.js';
import { describeStep } from '../../src/check/format.js';
import { STRATEGY_FUNCTIONS } from '../../src/check/strategyModule.js';

describe('the catalog: each scenario against each strategy', () => {
  for (const s of CATALOG) {
    for (const name of STRATEGY_NAMES) {
      const expected = s.violates.includes(name) ? 'violation' : 'safe';
      it(`${s.name} × ${name}: ${expected}`, () => {
        const r = runScenario(s, STRATEGIES[name], true);
        assert.equal(r.verdict, expected, r.counterexample?.message);
        assert.equal(r.pages, s.pages);
        assert.equal(r.expected, expected);
      });
    }
  }
  it('is deterministic: same input, same verdicts, states and counterexamples', () => {
    const once = () =>
      CATALOG.map((s) => runScenario(s, frozenBit, true)).map(({ ms: _, ...r }) => r);
    assert.deepEqual(once(), once());
  });
  it('has the scenarios the issue names, each with a description and a seed', () => {
    assert.deepEqual(
      CATALOG.map((s) => s.name),
      [
        'inc-free',
        'free-free',
        'inc-freeze',
        'inc-unfreeze',
        'kiryl',
        'free-page-get',
        'aba-caller-dtor',
        'aba-page-dtor',
        'debug-inc-live',
        'overflow-guard',
        'freeze-put-get',
        'count-frozen',
        'large-folio-pin',
        'add-sub-return',
        'count-widths',
      ],
    );
    for (const s of CATALOG) assert.match(`${s.description} ${s.seed}`, /^\S.* 00[0-4]$/);
  });
  it('what a user reads names each mail by its subject, sender and date, never "seed 00N"', () => {
    for (const seed of new Set(CATALOG.map((s) => s.seed)))
      assert.match(
        mailName(seed),
        /^"(Re: )?\[PATCH [^\]]+\] mm: [^"]+" \([A-Z][a-z]+ [A-Z][a-z]+, 20\d\d-\d\d-\d\d\)$/,
      );
    const reasons = CATALOG.flatMap((s) => Object.values(s.expectedViolations)).map(
      (v) => v.reason,
    );
    for (const r of reasons) assert.doesNotMatch(r, /seed \d/, r);
    assert.ok(reasons.some((r) => r.includes(mailName('003'))));
  });
});

describe('the catalog gives its reason beside each expected violation', () => {
  it('a reason for every pair expected to fail, and for no other', () => {
    const expected = CATALOG.flatMap((s) =>
      STRATEGY_NAMES.filter((name) => expectation(s, name, true) === 'violation').map(
        (name) => `${s.name} × ${name}`,
      ),
    );
    const explained = CATALOG.flatMap((s) =>
      STRATEGY_NAMES.filter((name) => expectedViolation(s.name, name)).map(
        (name) => `${s.name} × ${name}`,
      ),
    );
    assert.deepEqual(explained, expected);
    assert.equal(expected.length, 9);
  });
  it('each reason has a label and a reason, and names a built-in strategy', () => {
    for (const s of CATALOG) {
      assert.deepEqual(s.violates, Object.keys(s.expectedViolations));
      for (const [name, why] of Object.entries(s.expectedViolations)) {
        assert.ok(STRATEGY_NAMES.includes(name as (typeof STRATEGY_NAMES)[number]), name);
        assert.match(why.label, /^expected/, `${s.name} × ${name}`);
        // the mail it comes from, by subject, sender and date (seeds.ts)
        assert.match(
          why.reason,
          /\("(Re: )?\[PATCH [^"]+" \([^)]+, 20\d\d-\d\d-\d\d\)\)/,
          `${s.name} × ${name}`,
        );
      }
    }
  });
  it('no reason for a scenario or strategy the catalog does not know', () => {
    assert.equal(expectedViolation('aba-caller-dtor', 'my-strategy'), undefined);
    assert.equal(expectedViolation('aba-caller-dtor', 'toString'), undefined);
    assert.equal(expectedViolation('no-such-scenario', 'rfc-v1'), undefined);
  });
});

describe('the catalog covers the page_ref API', () => {
  it('every function of the strategy interface runs in some scenario', () => {
    const called = new Set<string>();
    const recording = Object.fromEntries(
      Object.entries(frozenBit).map(([k, f]) => [
        k,
        typeof f === 'function'
          ? (...args: unknown[]) => (called.add(k), (f as (...a: unknown[]) => unknown)(...args))
          : f,
      ]),
    ) as unknown as Strategy;
    for (const s of CATALOG) runScenario(s, recording, true);
    assert.deepEqual([...called].sort(), [...STRATEGY_FUNCTIONS].sort());
  });
});

/** Held-out broken strategies (test/cli/fixtures/) that only the newer scenarios catch. */
const heldOut: [file: string, what: string, caughtBy: string, kind: ViolationKind][] = [
  ['rawCount', 'count returns the raw frozen value', 'count-frozen', 'wrongCount'],
  ['tryAddOne', 'tryAdd adds 1 instead of nr', 'large-folio-pin', 'leak'],
  ['loadStoreFreeze', 'freeze is a load, then a store', 'freeze-put-get', 'freeWhileHeld'],
];

describe('held-out broken strategies are caught', () => {
  const FIXTURES = new URL('../../../test/cli/fixtures/', import.meta.url);
  for (const [file, what, scenario, kind] of heldOut) {
    it(`${what}: ${kind} in ${scenario}`, async () => {
      const strategy = (
        (await import(new URL(`${file}.js`, FIXTURES).href)) as { default: Strategy }
      ).default;
      const r = runScenario(scenarioByName(scenario)!, strategy, false);
      assert.equal(r.verdict, 'violation');
      assert.equal(r.counterexample?.kind, kind, r.counterexample?.message);
    });
  }
  it('a put drops its reference at its sub, on the line of that access', () => {
    const r = runScenario(scenarioByName('aba-caller-dtor')!, frozenBit, true);
    const text = cx(r).steps.map((s) => describeStep(s, r.pages));
    assert.equal(text[0], 'put p0: sub p0 1→0 [drops its ref to p0]');
    assert.equal(text[1], 'get p0: add p0 0→1 [got p0]');
  });
  it('a failed cas shows what it expected and what it found', () => {
    const r = runScenario(
      scenarioByName('kiryl')!,
      {
        ...frozenBit,
        name: 'no-cmpxchg',
        decAndTest: (c, p) => c.sub(p, 1) === 1,
      },
      false,
    );
    assert.equal(r.verdict, 'violation');
    const step = {
      thread: 0,
      access: {
        op: 'cas',
        cell: 0,
        before: 1,
        after: 1,
        label: 'put p0',
        expected: 0,
        replacement: FROZEN_BIT,
      },
      notes: [],
    };
    assert.equal(describeStep(step, 1), 'put p0: cas p0 0→F failed: found 1');
  });
});

describe('limits end in incomplete, never safe', () => {
  it('a state limit too small for the scenario', () => {
    const r = runScenario(scenarioByName('aba-page-dtor')!, frozenBit, true, { maxStates: 10 });
    assert.equal(r.verdict, 'incomplete');
    assert.match(r.limit!, /10 states/);
  });
  it('a depth limit too small for the scenario', () => {
    const r = runScenario(scenarioByName('kiryl')!, classic, true, { maxDepth: 2 });
    assert.equal(r.verdict, 'incomplete');
  });
});

/** Strategies broken in ways the catalog does not name: the checker must catch each. */
const mutants: [string, Strategy, string, ViolationKind][] = [
  [
    'frozen-bit whose decAndTest frees on reaching 0, without the cmpxchg',
    { ...frozenBit, name: 'no-cmpxchg', decAndTest: (c, p) => c.sub(p, 1) === 1 },
    'kiryl',
    'getOnFree',
  ],
  [
    'frozen-bit whose dec_and_test cmpxchg ignores its result',
    {
      ...frozenBit,
      name: 'cmpxchg-ignored',
      decAndTest: (c, p) => c.sub(p, 1) === 1 && (c.cas(p, 0, FROZEN_BIT), true),
    },
    'kiryl',
    'freeWhileHeld',
  ],
  [
    'mainline with a fetch_add try-get (examples/naive-fetch-add.js)',
    { ...classic, name: 'naive', tryGet: (c, p) => c.add(p, 1) !== 0 },
    'free-page-get',
    'freeNotFrozen',
  ],
  [
    'frozen-bit whose freeze is a plain store (no count check)',
    { ...frozenBit, name: 'store-freeze', freeze: (c, p) => (c.store(p, FROZEN_BIT), true) },
    'inc-freeze',
    'wrongCount',
  ],
  [
    'frozen-bit whose setFrozen leaves a plain 0 (the RFC allocator alone)',
    { ...frozenBit, name: 'zero-free', setFrozen: (c, p) => c.store(p, 0) },
    'free-page-get',
    'getOnFree',
  ],
  [
    'frozen-bit whose try-get ignores the frozen bit',
    { ...frozenBit, name: 'no-bit-test', tryGet: (c, p) => (c.add(p, 1), true) },
    'inc-unfreeze',
    'getOnFrozen',
  ],
  [
    'frozen-bit without the overflow guard',
    {
      ...frozenBit,
      name: 'no-guard',
      tryGet: (c, p) => ((c.add(p, 1) + 1) & FROZEN_BIT) === 0,
    },
    'overflow-guard',
    'getOnFree',
  ],
  [
    'classic whose unfreeze adds instead of stores',
    { ...classic, name: 'add-unfreeze', unfreeze: (c, p, n) => void c.add(p, n + 1) },
    'inc-unfreeze',
    'wrongCount',
  ],
];

describe('mutation tests: broken strategies the catalog does not name are caught', () => {
  for (const [what, mutant, scenario, kind] of mutants) {
    it(`${what}: ${kind} in ${scenario}`, () => {
      const r = runScenario(scenarioByName(scenario)!, mutant, false);
      assert.equal(r.verdict, 'violation');
      assert.equal(cx(r).kind, kind, cx(r).message);
      assert.ok(cx(r).steps.length > 0);
    });
  }
  it('a speculative getter that frees by its own belief fails even on mainline', () => {
    // Why aba-caller-dtor lets only the stalled putter choose from belief: on mainline a get
    // can land on the page's next incarnation, so the getter's belief is stale (seed 003,
    // David Hildenbrand: "that can happen today already").
    const base = scenarioByName('aba-caller-dtor')!;
    const getterBelief: Scenario = {
      ...base,
      threads: base.threads.map((t, i) =>
        i === 1
          ? {
              name: 'getter (X)',
              body: (o) => void (o.get(0) && o.put(0, { from: 'belief', type: X })),
            }
          : t,
      ),
    };
    const r = runScenario(getterBelief, classic, true);
    assert.equal(cx(r).kind, 'wrongDestructor');
    assert.match(cx(r).message, /^T1 ran the destructor of type X on page p0, now .* type Y$/);
  });
});

describe('counterexamples are shortest', () => {
  it('overflow-guard × rfc-v1 needs six steps: two leapfrogs and a wrap', () => {
    const r = runScenario(scenarioByName('overflow-guard')!, STRATEGIES['rfc-v1'], true);
    assert.equal(cx(r).steps.length, 6);
    assert.equal(cx(r).kind, 'getOnFree');
  });
  it('aba-caller-dtor × frozen-bit: the seed 003 sequence, 11 steps', () => {
    const r = runScenario(scenarioByName('aba-caller-dtor')!, frozenBit, true);
    const steps = cx(r).steps;
    assert.equal(steps.length, 11);
    assert.deepEqual([steps[0]!.thread, steps.at(-1)!.thread], [0, 0]);
    assert.equal(steps.at(-1)!.access!.op, 'cas');
  });
});
