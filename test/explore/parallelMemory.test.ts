import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { exploreParallel } from '../../src/explore/parallel/exploreParallel.js';
import { SharedInterner } from '../../src/explore/parallel/sharedInterner.js';
import type { ProgramSource } from '../../src/explore/parallel/protocol.js';

/**
 * What a parallel search reserves is released for the next: many searches in one process
 * do not add up (issue 20, item 18: each reserved 1.8 GB of address space for its
 * interners, never collected, until the system gave no more).
 */

const FIXTURES = new URL('./fixtures/programs.js', import.meta.url).href;
const source: ProgramSource = {
  module: FIXTURES,
  name: 'lostUpdates',
  args: { threads: 2, rounds: 1 },
};

/** The process's address space, in MiB (Linux). */
const virtualMiB = () =>
  Number(/^VmSize:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;

describe('parallel searches in one process', () => {
  it('ten searches reserve what one does', async () => {
    const first = await exploreParallel(source, { jobs: 2, soloLayer: 0 });
    const before = virtualMiB();
    for (let i = 0; i < 10; i++) {
      const r = await exploreParallel(source, { jobs: 2, soloLayer: 0 });
      assert.equal(r.kind, first.kind);
      assert.equal(r.states, first.states);
    }
    const grown = virtualMiB() - before;
    assert.ok(grown < 1_500, `the address space grew by ${Math.round(grown)} MiB`);
  });
});

describe('SharedInterner.clear', () => {
  it('empties the buffers: the same keys get the first ids again', () => {
    const buffers = SharedInterner.buffers();
    const make = () =>
      new SharedInterner<string>(
        buffers,
        (v) => v,
        (t) => t,
      );
    const a = make();
    const keys = Array.from({ length: 500 }, (_, i) => `key ${i * 7919}`);
    for (const k of keys) a.id(k, k.toUpperCase());
    SharedInterner.clear(buffers);
    const b = make();
    assert.equal(b.size, 0);
    const reversed = [...keys].reverse();
    reversed.forEach((k, i) => assert.equal(b.id(k, k), i));
    reversed.forEach((k, i) => assert.equal(b.value(i), k));
    assert.equal(b.size, keys.length);
  });
});
