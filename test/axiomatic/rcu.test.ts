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
import { parseLitmus } from '../../src/litmus/parse.js';

const observation = (text: string, model = LKMM) => {
  const r = runLitmusModel(parseLitmus(text, '<rcu>'), model);
  assert.equal(r.kind, 'complete');
  return r.kind === 'complete' ? [r.positive, r.negative] : [];
};

const GP1_RSCS2 = `C RCU-1gp-2rscs

{}

P0(int *x, int *y)
{
	int r0;

	rcu_read_lock();
	r0 = READ_ONCE(*x);
	WRITE_ONCE(*y, 1);
	rcu_read_unlock();
}

P1(int *y, int *z)
{
	int r1;

	rcu_read_lock();
	r1 = READ_ONCE(*y);
	WRITE_ONCE(*z, 1);
	rcu_read_unlock();
}

P2(int *z, int *x)
{
	int r2;

	r2 = READ_ONCE(*z);
	synchronize_rcu();
	WRITE_ONCE(*x, 1);
}

exists (0:r0=1 /\\ 1:r1=1 /\\ 2:r2=1)
`;

const GP2_RSCS1 = `C RCU-2gp-1rscs

{}

P0(int *x, int *y)
{
	int r0;

	rcu_read_lock();
	r0 = READ_ONCE(*x);
	WRITE_ONCE(*y, 1);
	rcu_read_unlock();
}

P1(int *y, int *z)
{
	int r1;

	r1 = READ_ONCE(*y);
	synchronize_rcu();
	WRITE_ONCE(*z, 1);
}

P2(int *z, int *x)
{
	int r2;

	r2 = READ_ONCE(*z);
	synchronize_rcu();
	WRITE_ONCE(*x, 1);
}

exists (0:r0=1 /\\ 1:r1=1 /\\ 2:r2=1)
`;

const GP2_RSCS2 = `C RCU-2gp-2rscs

{}

P0(int *x, int *y)
{
	int r0;

	rcu_read_lock();
	r0 = READ_ONCE(*x);
	WRITE_ONCE(*y, 1);
	rcu_read_unlock();
}

P1(int *y, int *z)
{
	int r1;

	r1 = READ_ONCE(*y);
	synchronize_rcu();
	WRITE_ONCE(*z, 1);
}

P2(int *z, int *w)
{
	int r2;

	rcu_read_lock();
	r2 = READ_ONCE(*z);
	WRITE_ONCE(*w, 1);
	rcu_read_unlock();
}

P3(int *w, int *x)
{
	int r3;

	r3 = READ_ONCE(*w);
	synchronize_rcu();
	WRITE_ONCE(*x, 1);
}

exists (0:r0=1 /\\ 1:r1=1 /\\ 2:r2=1 /\\ 3:r3=1)
`;

describe('lkmm: RCU counting rule', () => {
  it('1 grace period, 2 critical sections: the cycle is allowed', () => {
    assert.deepEqual(observation(GP1_RSCS2), [1, 7]);
    assert.deepEqual(observation(GP1_RSCS2, SC), [0, 7]);
  });
  it('2 grace periods, 1 critical section: forbidden', () => {
    assert.deepEqual(observation(GP2_RSCS1), [0, 7]);
  });
  it('2 grace periods, 2 critical sections (alternating): forbidden', () => {
    assert.deepEqual(observation(GP2_RSCS2), [0, 15]);
  });
});
