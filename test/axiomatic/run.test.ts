import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LKMM, SC } from '../../src/axiomatic/models/index.js';
import { runModel } from '../../src/axiomatic/run.js';
import { proc, program, r, w } from './build.js';

const V = [0, 1];
/** P0 writes x, P1 reads it, both with `tags` ([] = plain C accesses). */
const wr = (tags: string[]) =>
  program(
    ['x'],
    proc([], () => ({ events: [w('x', 1, tags)] })),
    proc([V], ([v]) => ({ events: [r('x', v!, tags)], registers: { r0: v! } })),
  );

describe('runModel', () => {
  it('plain accesses that race raise data-race (herd7: Flag data-race); marked ones do not', () => {
    const plain = runModel(wr([]), LKMM);
    assert.ok(plain.kind === 'complete');
    assert.deepEqual(plain.flags, ['data-race']);
    assert.ok(plain.allowed.every((a) => a.flags.includes('data-race')));
    const marked = runModel(wr(['ONCE']), LKMM);
    assert.ok(marked.kind === 'complete');
    assert.deepEqual(marked.flags, []);
  });

  it('past maxExecutions: incomplete, with no outcome at all', () => {
    const res = runModel(wr(['ONCE']), LKMM, { maxExecutions: 1 });
    assert.equal(res.kind, 'incomplete');
    assert.deepEqual(Object.keys(res).sort(), ['explored', 'kind', 'limit', 'model']);
    assert.ok(res.kind === 'incomplete' && res.limit === 'max-states=1');
  });

  it('past timeoutMs: incomplete', () => {
    // 10 processes each writing x: 10! coherence orders of one location, minutes of work.
    const writers = Array.from({ length: 10 }, (_, i) =>
      proc([], () => ({ events: [w('x', i + 1)] })),
    );
    const res = runModel(program(['x'], ...writers), SC, { timeoutMs: 1 });
    assert.equal(res.kind, 'incomplete');
    assert.ok(res.kind === 'incomplete' && res.limit === 'max-seconds=0.001');
    const capped = runModel(program(['x'], ...writers), SC, { maxExecutions: 1000 });
    assert.ok(capped.kind === 'incomplete' && capped.limit === 'max-states=1000');
  });

  it('filter drops executions before any count; candidates follow it too', () => {
    const res = runModel(wr(['ONCE']), LKMM, { filter: (o) => o.registers[1]!.r0 === 1 });
    assert.ok(res.kind === 'complete');
    assert.deepEqual(
      res.allowed.map((a) => [a.outcome.registers[1]!.r0, a.executions]),
      [[1, 1]],
    );
    assert.ok(res.candidates.every((o) => o.registers[1]!.r0 === 1));
  });

  it('final memory is the co-last write; candidates vary only observed locations', () => {
    const twoWriters = program(
      ['x'],
      proc([], () => ({ events: [w('x', 1)] })),
      proc([], () => ({ events: [w('x', 2)] })),
    );
    const res = runModel(twoWriters, LKMM, { observed: new Set(['x']) });
    assert.ok(res.kind === 'complete');
    assert.deepEqual(res.allowed.map((a) => a.outcome.memory.get('x')).sort(), [1, 2]);
    assert.deepEqual(res.candidates.map((o) => o.memory.get('x')).sort(), [1, 2]);
    const unobserved = runModel(twoWriters, LKMM);
    assert.ok(unobserved.kind === 'complete' && unobserved.candidates.length === 1);
  });

  it('identical traces of a process count once', () => {
    const once = proc([], () => ({ events: [w('x', 1)] }));
    const res = runModel(program(['x'], [...once, ...once]), LKMM);
    assert.ok(res.kind === 'complete' && res.explored === 1);
  });
});
