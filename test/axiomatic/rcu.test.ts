/**
 * RCU's counting rule (tools/memory-model/Documentation/explanation.txt, "RCU
 * relations"): a cycle through read-side critical sections and grace periods is forbidden
 * when it holds at least as many grace periods as critical sections. This exercises
 * rcu-order's recursion (a least fixpoint) and rcu-link, via the litmus front end.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runLitmusModel } from '../../src/litmus/modelRun.js';
import { LKMM, SC } from '../../src/axiomatic/models/index.js';
import type { MemoryModel } from '../../src/axiomatic/models/model.js';
import { parseLitmus } from '../../src/litmus/parse.js';

type Link = 'gp' | 'rscs';

/**
 * A ring of processes: process i reads its own location, then writes the next one's, either
 * inside rcu_read_lock/unlock ('rscs') or on both sides of synchronize_rcu ('gp'). The
 * condition is the cycle: every process reads the write of the one before it.
 */
function ring(links: readonly Link[]): string {
  const loc = (i: number) => `v${i % links.length}`;
  const processes = links.map((link, i) => {
    const body =
      link === 'rscs'
        ? `\trcu_read_lock();\n\tr${i} = READ_ONCE(*${loc(i)});\n\tWRITE_ONCE(*${loc(i + 1)}, 1);\n\trcu_read_unlock();`
        : `\tr${i} = READ_ONCE(*${loc(i)});\n\tsynchronize_rcu();\n\tWRITE_ONCE(*${loc(i + 1)}, 1);`;
    return `P${i}(int *${loc(i)}, int *${loc(i + 1)})\n{\n\tint r${i};\n\n${body}\n}\n`;
  });
  const cycle = links.map((_, i) => `${i}:r${i}=1`).join(' /\\ ');
  return `C RCU-${links.join('-')}\n\n{}\n\n${processes.join('\n')}\nexists (${cycle})\n`;
}

const observation = (links: readonly Link[], model: MemoryModel = LKMM) => {
  const r = runLitmusModel(parseLitmus(ring(links), '<rcu>'), model);
  assert.equal(r.kind, 'complete');
  return r.kind === 'complete' ? [r.positive, r.negative] : [];
};

describe('lkmm: RCU counting rule', () => {
  it('1 grace period, 2 critical sections: the cycle is allowed', () => {
    assert.deepEqual(observation(['rscs', 'rscs', 'gp']), [1, 7]);
    assert.deepEqual(observation(['rscs', 'rscs', 'gp'], SC), [0, 7]);
  });
  it('2 grace periods, 1 critical section: forbidden', () => {
    assert.deepEqual(observation(['rscs', 'gp', 'gp']), [0, 7]);
  });
  it('2 grace periods, 2 critical sections (alternating): forbidden', () => {
    assert.deepEqual(observation(['rscs', 'gp', 'rscs', 'gp']), [0, 15]);
  });
  it('the ring is the litmus test it describes', () => {
    assert.equal(
      ring(['rscs', 'gp']),
      'C RCU-rscs-gp\n\n{}\n\nP0(int *v0, int *v1)\n{\n\tint r0;\n\n\trcu_read_lock();\n\tr0 = READ_ONCE(*v0);\n\tWRITE_ONCE(*v1, 1);\n\trcu_read_unlock();\n}\n\nP1(int *v1, int *v0)\n{\n\tint r1;\n\n\tr1 = READ_ONCE(*v1);\n\tsynchronize_rcu();\n\tWRITE_ONCE(*v0, 1);\n}\n\nexists (0:r0=1 /\\ 1:r1=1)\n',
    );
  });
});
