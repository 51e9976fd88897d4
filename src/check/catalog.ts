import type { Scenario, Setup } from './scenario.js';
import type { DestructorFrom, PageOps } from './pageOps.js';
import { X, Y } from './world.js';
import type { StrategyName } from '../refcount/strategy.js';
import { isStrategyName } from '../refcount/strategies.js';
import { mailName } from './seeds.js';

/**
 * Why the catalog expects a built-in strategy to violate a scenario, for the report to
 * print beside the red cell and above the counterexample.
 */
export interface ExpectedViolation {
  /** A few words for the verdict table's cell. */
  label: string;
  /** What goes wrong, and whether and how it is avoided. */
  reason: string;
}

/**
 * A scenario of the catalog. Its expected violations are written once, each strategy with
 * its reason; `violates` is derived from them, so no violation is expected without one.
 */
export interface CatalogScenario extends Scenario {
  /** Each built-in strategy expected to violate the scenario, with why; the others are safe. */
  expectedViolations: Readonly<Partial<Record<StrategyName, ExpectedViolation>>>;
}

const ABA: ExpectedViolation = {
  label: 'expected by design: take the destructor from the page (aba-page-dtor)',
  reason: `Expected by design (${mailName('003')}). A fetch_add get succeeds on any count without the frozen bit, 0 included, so between a put's decrement to 0 and its freeze a getter can revive the page, drop it, free it, and the allocator can hand it out again; the stalled put's freeze then succeeds on the page's next incarnation. The put still frees exactly what it froze: the bug is only in running the destructor the caller believed in. The rule: a put that frees takes the destructor from the page itself. With that rule (aba-page-dtor) every strategy is safe. Mainline's get (add unless 0) cannot revive a zero, so classic and classic-optimistic pass both.`,
};

const HISTORICAL = 'expected: a historical version, broken on purpose';

/** The catalog as written: each scenario with its expected violations, without `violates`. */
const SCENARIOS: readonly Omit<CatalogScenario, 'violates'>[] = [
  {
    name: 'inc-free',
    description: 'a speculative get races the put of the last reference (litmus 1)',
    seed: '000',
    pages: 1,
    expectedViolations: {},
    setup: heldByT0,
    threads: [
      { name: 'putter', body: (o) => void o.put(0) },
      { name: 'getter', body: (o) => void (o.get(0) && o.touch(0)) },
    ],
  },
  {
    name: 'free-free',
    description: 'two puts race to drop the last two references; exactly one frees (litmus 2)',
    seed: '000',
    pages: 1,
    expectedViolations: {},
    setup: (s) => (s.refs.set(0, 2), s.live(0, X, [1, 1])),
    threads: [
      { name: 'putter', body: (o) => void o.put(0) },
      { name: 'putter', body: (o) => void o.put(0) },
    ],
  },
  {
    name: 'inc-freeze',
    description: 'a speculative get races freeze at the expected count 3 (litmus 3)',
    seed: '000',
    pages: 1,
    expectedViolations: {},
    setup: (s) => (s.refs.set(0, 3), s.live(0, X, [3])),
    threads: [
      {
        name: 'freezer',
        body: (o) => {
          if (!o.freeze(0, 3)) return;
          o.touch(0);
          o.unfreeze(0, 3);
        },
      },
      { name: 'getter', body: (o) => void (o.get(0) && o.touch(0)) },
    ],
  },
  {
    name: 'inc-unfreeze',
    description: 'a speculative get races unfreeze of a page frozen at 3 (litmus 4)',
    seed: '000',
    pages: 1,
    expectedViolations: {},
    setup: (s) => {
      s.refs.set(0, 3);
      s.refs.freeze(0, 3);
      s.live(0, X, [3]);
      s.frozenBy(0, 0);
    },
    threads: [
      { name: 'unfreezer', body: (o) => o.unfreeze(0, 3) },
      { name: 'getter', body: (o) => void (o.get(0) && o.touch(0)) },
    ],
  },
  {
    name: 'kiryl',
    description:
      "a put races a speculative get-then-put; the loser's false is honoured (not a bug)",
    seed: '000',
    pages: 1,
    expectedViolations: {},
    setup: heldByT0,
    threads: [
      { name: 'putter', body: (o) => void o.put(0) },
      { name: 'getter', body: (o) => void (o.get(0) && (o.touch(0), o.put(0))) },
    ],
  },
  {
    name: 'free-page-get',
    description: 'a speculative get on a page that sits free in the allocator, which hands it out',
    seed: '001',
    pages: 1,
    expectedViolations: {
      'rfc-v1': {
        label: HISTORICAL,
        reason: `The RFC's allocator leaves a free page at a plain 0, which its fetch_add get takes as a live page (${mailName('001')}). The series fixed it by keeping free pages frozen.`,
      },
      'v2-inverted': {
        label: HISTORICAL,
        reason: `v2's patch 2/2 leaves set_page_count_as_frozen() at set_page_count(page, 0), so its allocator too leaves a free page at a plain 0, which the fetch_add get takes as live (${mailName('004')}); v4's patch 2/2 sets the frozen bit there. Found by running v2's own page_ref.h (docs/kernel-header.md).`,
      },
    },
    setup: (s) => s.free(0, X),
    threads: [
      { name: 'getter', body: (o) => void (o.get(0) && (o.touch(0), o.put(0))) },
      { name: 'allocator', body: (o) => void (o.alloc(0, Y) && o.put(0)) },
    ],
  },
  {
    name: 'aba-caller-dtor',
    description: 'the ABA race; a stalled put that wins runs the destructor it believed in',
    seed: '003',
    pages: 1,
    expectedViolations: { 'frozen-bit': ABA, 'rfc-v1': ABA, 'v2-inverted': ABA },
    userExpectation: 'depends',
    setup: heldByT0,
    threads: abaRace({ from: 'belief', type: X }),
  },
  {
    name: 'aba-page-dtor',
    description: 'the ABA race; the winning put takes the destructor from the page (the fix)',
    seed: '003',
    pages: 1,
    expectedViolations: {},
    setup: heldByT0,
    threads: abaRace({ from: 'page' }),
  },
  {
    name: 'debug-inc-live',
    description: 'inc and dec on a live page with debug checks on, beside a get and put',
    seed: '004',
    pages: 1,
    expectedViolations: {
      'v2-inverted': {
        label: HISTORICAL,
        reason: `v2's debug helper was inverted (count > 0 && !(count & FROZEN_BIT) reads "frozen"), so with debug checks on, every inc of a live page fires (${mailName('004')}).`,
      },
    },
    setup: heldByT0,
    threads: [
      { name: 'owner', body: (o) => (o.inc(0), o.dec(0)) },
      { name: 'getter', body: (o) => void (o.get(0) && o.put(0)) },
    ],
  },
  {
    name: 'overflow-guard',
    description: 'two getters retry 3 times each on a free page frozen 4 steps below 2^32',
    seed: '002',
    pages: 1,
    expectedViolations: {
      'rfc-v1': {
        label: HISTORICAL,
        reason: `The RFC undoes a failed get with one CAS that gives up when it loses a race, so retrying getters drift a frozen counter upwards until it wraps to 0, which a get takes as live. The final series' get has an overflow guard (${mailName('002')}).`,
      },
    },
    setup: (s) => {
      s.free(0, X);
      // Failed gets have drifted the frozen counter near the top; a strategy whose only
      // frozen value is 0 (mainline) has no such state and starts at its frozen 0.
      s.raw(0, -4);
      if (!s.refs.isFrozen(0)) s.refs.setFrozen(0);
    },
    threads: [
      { name: 'getter', body: retryingGetter },
      { name: 'getter', body: retryingGetter },
    ],
  },
  {
    name: 'freeze-put-get',
    description: 'an evictor freezes at 1, a holder puts, a getter gets, on a page with 2 refs',
    seed: '002',
    pages: 1,
    expectedViolations: {},
    setup: (s) => (s.refs.set(0, 2), s.live(0, X, [1, 1])),
    threads: [
      { name: 'evictor', body: (o) => void (o.evict(0, 1) || o.put(0)) },
      { name: 'putter', body: (o) => void o.put(0) },
      { name: 'getter', body: (o) => void (o.get(0) && (o.touch(0), o.put(0))) },
    ],
  },
  // The three scenarios below put every call of the page_ref API in some scenario. Every
  // built-in is safe in the first two: their counts mask the frozen bit (or, on mainline,
  // frozen is 0), and their tryAdd adds nr as one fetch_add or CAS. In add-sub-return,
  // v2-inverted's debug helper fires on the add of a live page, as in debug-inc-live.
  {
    name: 'count-frozen',
    description: 'a reader counts a page that an evictor freezes while a get fails on it',
    seed: '002',
    pages: 1,
    expectedViolations: {},
    setup: heldByT0,
    threads: [
      { name: 'evictor', body: (o) => void (o.evict(0, 1) || o.put(0)) },
      { name: 'getter', body: (o) => void (o.get(0) && o.put(0)) },
      // page_count() without a reference (a compaction scanner): 0 once frozen
      { name: 'reader', body: (o) => void o.count(0) },
    ],
  },
  {
    name: 'large-folio-pin',
    description: 'a pin of 4 references at once (tryAdd) races the put of the last reference',
    seed: '002',
    pages: 1,
    expectedViolations: {},
    setup: heldByT0,
    threads: [
      { name: 'putter', body: (o) => void o.put(0) },
      { name: 'pinner', body: (o) => void (o.pin(0, 4) && (o.touch(0), o.unpin(0, 4))) },
    ],
  },
  {
    name: 'add-sub-return',
    description: 'a holder counts with add, sub and the *Return calls, beside a get and put',
    seed: '002',
    pages: 1,
    expectedViolations: {
      'v2-inverted': {
        label: HISTORICAL,
        reason: `The same inverted debug helper as in debug-inc-live: with debug checks on, the add of a live page fires (${mailName('004')}).`,
      },
    },
    setup: heldByT0,
    threads: [
      {
        name: 'owner',
        body: (o) => {
          o.add(0, 3);
          o.sub(0, 1);
          o.changeReturn(0, +1); // incReturn
          o.changeReturn(0, -1); // decReturn
          o.changeReturn(0, -2); // subReturn
          o.put(0);
        },
      },
      { name: 'getter', body: (o) => void (o.get(0) && o.put(0)) },
    ],
  },
  // Width bugs (a put that tests four bits of the count frees at 17 → 16) live at bit
  // boundaries, which the races above, at counts of 1 to 4, never reach.
  {
    name: 'count-widths',
    description:
      'an owner takes the count across every bit boundary up to the frozen bit; a reader counts',
    seed: '002',
    pages: 1,
    expectedViolations: {
      'v2-inverted': {
        label: HISTORICAL,
        reason: `The same inverted debug helper as in debug-inc-live: with debug checks on, the inc of a live page fires (${mailName('004')}).`,
      },
    },
    setup: heldByT0,
    threads: [
      { name: 'owner', body: crossEveryBit },
      // page_count() without a reference, at any point of the walk
      { name: 'reader', body: (o) => void o.count(0) },
    ],
  },
];

/**
 * The scenario catalog: every race the thread's reviewers raised, each run against every
 * strategy. Threads are T0, T1, … in the order listed. Every free is checked to run the
 * destructor of the incarnation's own type, exactly once, with no reference outstanding.
 * A scenario's `violates` is the strategies its `expectedViolations` give a reason for.
 */
export const CATALOG: readonly CatalogScenario[] = SCENARIOS.map((s) => ({
  ...s,
  violates: Object.keys(s.expectedViolations),
}));

/**
 * The ABA race of seed 003: T0 holds the page (type X) and puts it, taking the destructor
 * from `putterDtor`; T1 gets and puts; T2 allocates the page as type Y once it is free, and
 * puts. Only the stalled putter may choose from belief, as in the seed: its belief was true
 * while it held its reference. (A speculative getter that did so would be wrong even on
 * mainline, whose get can land on the page's next incarnation: see the checker tests.)
 */
function abaRace(putterDtor: DestructorFrom): Scenario['threads'] {
  return [
    {
      name: putterDtor.from === 'belief' ? 'putter (X)' : 'putter',
      body: (o) => void o.put(0, putterDtor),
    },
    { name: 'getter', body: (o) => void (o.get(0) && o.put(0)) },
    { name: 'allocator (Y)', body: (o) => void (o.alloc(0, Y) && o.put(0)) },
  ];
}

/** Setup: page 0 is live, of type X, with one reference, held by T0. */
function heldByT0(s: Setup): void {
  s.refs.init(0);
  s.live(0, X, [1]);
}

/**
 * For each bit k from 1 to 30, takes the count across 2^k in both directions with every
 * call that changes or reads it: set to 2^k + 1, put to 2^k (which must not free), dec to
 * 2^k − 1, inc, incReturn and decReturn back, a get and a put, a freeze at 2^k and its
 * unfreeze, a pin of 2^k − 1 (to 2^31 − 1 at k = 30: the largest live count) and its unpin,
 * then subReturn down to 1. The last put frees the page.
 */
function crossEveryBit(o: PageOps): void {
  for (let k = 1; k <= 30; k++) {
    const b = 2 ** k;
    o.set(0, b + 1);
    o.put(0);
    o.dec(0);
    o.inc(0);
    o.changeReturn(0, +1);
    o.changeReturn(0, -1);
    if (o.get(0)) o.put(0);
    if (o.freeze(0, b)) o.unfreeze(0, b);
    if (o.pin(0, b - 1)) o.unpin(0, b - 1);
    o.changeReturn(0, -(b - 1));
  }
  o.put(0);
}

function retryingGetter(o: PageOps): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (o.get(0)) {
      o.touch(0);
      o.put(0);
      return;
    }
  }
}

/** The catalog scenario called `name`, or undefined if there is none. */
export function scenarioByName(name: string): CatalogScenario | undefined {
  return CATALOG.find((s) => s.name === name);
}

/** Why the catalog expects `scenario` to fail for `strategy`, or undefined if it does not. */
export function expectedViolation(
  scenario: string,
  strategy: string,
): ExpectedViolation | undefined {
  if (!isStrategyName(strategy)) return undefined;
  return scenarioByName(scenario)?.expectedViolations[strategy];
}
