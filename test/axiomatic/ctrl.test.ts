/**
 * herd7's control dependency in C reaches the events of an `if`'s branches and stops there
 * (herd/CSem.ml: `If` composes its condition and branches with event.ml's cond_comp; the
 * statements after it are sequenced by inst_code_comp, which adds no control). A write after
 * the `if` is not ordered after the condition's read, so LB-shaped tests that rely on it are
 * Sometimes, as paulmckrcu/litmus's C-JO-OOTA-3 notes ("LKMM finds the all-ones result,
 * perhaps due to not tracking control dependencies out of the 'if' statement").
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runLitmusModel } from '../../src/litmus/modelRun.js';
import { LKMM } from '../../src/axiomatic/models/index.js';
import { parseLitmus } from '../../src/litmus/parse.js';
import { programOf } from '../../src/litmus/traces.js';

/** LB whose P0 writes y inside the if (`inside`), or z inside it and y after it. */
const lb = (inside: boolean) =>
  parseLitmus(
    `C LB+ctrl-${inside ? 'inside' : 'after'}

{}

P0(int *x, int *y, int *z)
{
	int r0 = READ_ONCE(*x);
	if (r0 == 1) {
		WRITE_ONCE(*${inside ? 'y' : 'z'}, 2);
	}
	${inside ? '' : 'WRITE_ONCE(*y, 1);'}
}

P1(int *x, int *y)
{
	int r1 = READ_ONCE(*y);
	smp_mb();
	WRITE_ONCE(*x, 1);
}

exists (0:r0=1 /\\ 1:r1=${inside ? 2 : 1})
`,
    't.litmus',
  );

describe("herd7's ctrl covers the if's branches only", () => {
  it('a write inside the branch depends on the read; a write after the if does not', () => {
    const program = programOf(lb(false), 't.litmus');
    const taken = program.traces[0]!.find((t) => t.registers.r0 === 1)!;
    const [read, inBranch, after] = taken.events;
    assert.equal(read!.kind, 'R');
    assert.deepEqual([inBranch!.value, inBranch!.ctrl], [2, [0]]);
    assert.deepEqual([after!.value, after!.ctrl], [1, []]);
  });
  it('so LB through the write inside is Never, through the write after it Sometimes', () => {
    const observe = (inside: boolean) => {
      const r = runLitmusModel(lb(inside), LKMM);
      assert.ok(r.kind === 'complete');
      return r.positive > 0;
    };
    assert.equal(observe(true), false);
    assert.equal(observe(false), true);
  });
});
