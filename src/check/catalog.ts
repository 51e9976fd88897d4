import type { Scenario, Setup } from './scenario.js';
import type { DestructorFrom, PageOps } from './pageOps.js';
import { X, Y } from './world.js';

/**
 * The scenario catalog: every race the thread's reviewers raised, each run against every
 * strategy. Threads are T0, T1, … in the order listed. Every free is checked to run the
 * destructor of the incarnation's own type, exactly once, with no reference outstanding.
 */
export const CATALOG: readonly Scenario[] = [
  {
    name: 'inc-free',
    description: 'a speculative get races the put of the last reference (litmus 1)',
    seed: '000',
    pages: 1,
    violates: [],
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
    violates: [],
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
    violates: [],
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
    violates: [],
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
    violates: [],
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
    violates: ['rfc-v1'],
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
    violates: ['frozen-bit', 'rfc-v1', 'v2-inverted'],
    userExpectation: 'depends',
    setup: heldByT0,
    threads: abaRace({ from: 'belief', type: X }),
  },
  {
    name: 'aba-page-dtor',
    description: 'the ABA race; the winning put takes the destructor from the page (the fix)',
    seed: '003',
    pages: 1,
    violates: [],
    setup: heldByT0,
    threads: abaRace({ from: 'page' }),
  },
  {
    name: 'debug-inc-live',
    description: 'inc and dec on a live page with debug checks on, beside a get and put',
    seed: '004',
    pages: 1,
    violates: ['v2-inverted'],
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
    violates: ['rfc-v1'],
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
    violates: [],
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
    violates: [],
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
    violates: [],
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
    violates: ['v2-inverted'],
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
];

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

function retryingGetter(o: PageOps): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (o.get(0)) {
      o.touch(0);
      o.put(0);
      return;
    }
  }
}

export function scenarioByName(name: string): Scenario | undefined {
  return CATALOG.find((s) => s.name === name);
}
