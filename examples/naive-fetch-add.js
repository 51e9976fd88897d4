// An example strategy module for `pageref check --strategy-file`.
//
// The obvious "optimization" the 2025 series had to avoid: keep mainline's 0-means-frozen
// counter, but make the speculative get a single fetch_add. It is fast and it is wrong:
// a get can move a freed page's 0 to 1. Run:
//
//   npx pageref check --strategy-file examples/naive-fetch-add.js
//
// A strategy is an object with a name and the page_ref functions below; each takes the
// cells (load, store, add, sub, cas on Int32 cells; add/sub/cas return the old value) and
// a page index p. See docs/strategy-interface.md.

/** @type {import('pageref').Strategy} */
const strategy = {
  name: 'naive-fetch-add',
  isFrozenCount: (raw) => raw === 0,
  count: (c, p) => c.load(p),
  set: (c, p, v) => c.store(p, v),
  init: (c, p) => c.store(p, 1),
  setFrozen: (c, p) => c.store(p, 0),
  add: (c, p, nr) => void c.add(p, nr),
  sub: (c, p, nr) => void c.sub(p, nr),
  inc: (c, p) => void c.add(p, 1),
  dec: (c, p) => void c.sub(p, 1),
  incReturn: (c, p) => (c.add(p, 1) + 1) | 0,
  decReturn: (c, p) => (c.sub(p, 1) - 1) | 0,
  subReturn: (c, p, nr) => (c.sub(p, nr) - nr) | 0,
  subAndTest: (c, p, nr) => c.sub(p, nr) === nr,
  decAndTest: (c, p) => c.sub(p, 1) === 1,
  // The bug: succeeds whenever the old value was not 0, but leaves its increment behind
  // when it was, reviving a free page for the next getter.
  tryAdd: (c, p, nr) => c.add(p, nr) !== 0,
  tryGet: (c, p) => c.add(p, 1) !== 0,
  freeze: (c, p, count) => c.cas(p, count, 0) === count,
  unfreeze: (c, p, count) => c.store(p, count),
  isFrozen: (c, p) => c.load(p) === 0,
};

export default strategy;
