import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cloneWorld, ghost, worldKey, X, Y, type World } from '../../src/check/world.js';

/** A world in which every field that names a thread names a different one. */
function sample(): World {
  const w: World = { pages: [], incarnations: [] };
  ghost.begin(w, 0, X, [2, 0, 1]);
  w.incarnations[0]!.destroyedBy = 1;
  ghost.begin(w, 0, Y, [0, 1, 0]);
  w.pages[0]!.frozenBy = 2;
  return w;
}

/** The same world with thread t renamed rename[t], built field by field. */
function renamed(w: World, rename: number[]): World {
  const r = (t: number) => (t >= 0 ? rename[t]! : t);
  const out = cloneWorld(w);
  for (const p of out.pages) p.frozenBy = r(p.frozenBy);
  for (const i of out.incarnations) {
    i.destroyedBy = r(i.destroyedBy);
    const holders = i.holders.slice();
    i.holders.forEach((h, t) => (holders[rename[t]!] = h));
    i.holders = holders;
  }
  return out;
}

describe("the ghost world's key under a renaming of threads (symmetry)", () => {
  it('is the key of the world with its threads renamed', () => {
    const w = sample();
    for (const rename of [
      [1, 0, 2],
      [2, 1, 0],
      [1, 2, 0],
    ]) {
      assert.equal(worldKey(w, rename), worldKey(renamed(w, rename)));
      assert.notEqual(worldKey(w, rename), worldKey(w));
    }
  });
  it('knows every field of the world: a new field that names a thread must be renamed too', () => {
    // If this fails, a field was added to the world: rename it in worldKey (if it names a
    // thread) and in renamed() above, then list it here.
    const w = sample();
    assert.deepEqual(Object.keys(w).sort(), ['incarnations', 'pages']);
    assert.deepEqual(Object.keys(w.pages[0]!).sort(), ['free', 'frozenBy', 'incarnation']);
    assert.deepEqual(Object.keys(w.incarnations[0]!).sort(), ['destroyedBy', 'holders', 'type']);
  });
});
