import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { explore, type ExploreOptions } from '../../src/explore/explore.js';
import {
  exploreParallel,
  type ParallelExploration,
  type ParallelOptions,
} from '../../src/explore/parallel/exploreParallel.js';
import type { ProgramSource } from '../../src/explore/parallel/protocol.js';
import {
  lateFirstParent,
  lostUpdates,
  slowViolation,
  throwsInBody,
  type LostUpdatesArgs,
} from './fixtures/programs.js';
import { CHILD_HANG_MS, HANG_MS } from '../helpers/hang.js';

/**
 * The parallel explorer against the one-thread search, on programs of fixtures/programs.ts:
 * the same verdict, the same states and steps when the search completes, and the same
 * shortest counterexample, however the workers interleave.
 */

const FIXTURES = new URL('./fixtures/programs.js', import.meta.url).href;
const source = (name: string, args: unknown): ProgramSource => ({ module: FIXTURES, name, args });
const lost = (args: LostUpdatesArgs) => source('lostUpdates', args);

/**
 * What must agree: everything explore() says but its final states; steps only when the
 * search completes (a cut search's steps depend on where each worker was), states only
 * when it completes or explores everything.
 */
function answer(
  r: ParallelExploration | ReturnType<typeof explore>,
  { states = false, message = true }: { states?: boolean; message?: boolean } = {},
) {
  switch (r.kind) {
    case 'safe':
      return { kind: r.kind, states: r.states, steps: r.steps };
    case 'violation':
      return {
        kind: r.kind,
        violation: r.violation,
        ...(message ? { message: r.message } : {}),
        trace: r.trace,
        ...(states ? { states: r.states, steps: r.steps } : {}),
      };
    case 'incomplete':
      return { kind: r.kind, limit: r.limit };
  }
}

interface Compare {
  /** Runs of the parallel search, each compared. */
  runs?: number;
  /** Options for both searches. */
  both?: ExploreOptions;
  /** See answer(). */
  states?: boolean;
  message?: boolean;
}

async function assertSameAsOneThread(
  args: LostUpdatesArgs,
  options: ParallelOptions,
  { runs = 1, both = {}, ...compare }: Compare = {},
): Promise<ParallelExploration> {
  const one = explore(lostUpdates(args), both);
  let last: ParallelExploration | undefined;
  for (let run = 0; run < runs; run++) {
    last = await exploreParallel(lost(args), { ...both, ...options });
    assert.deepEqual(answer(last, compare), answer(one, compare), `run ${run + 1} of ${runs}`);
    // a search told to start on workers did: else it tested the one-thread search twice
    if (options.soloLayer === 0) assert.equal(last.workers, options.jobs);
  }
  return last!;
}

describe('exploreParallel: the one-thread search on workers', () => {
  for (const jobs of [2, 3]) {
    it(`a complete search (lost updates 3x3, 50,536 states): the same states and steps, jobs ${jobs}`, async () => {
      const r = await assertSameAsOneThread(
        { threads: 3, rounds: 3, check: 'none' },
        { soloLayer: 0, jobs },
      );
      assert.equal(r.kind, 'safe');
      assert.equal(r.states, 50_536);
    });

    it(`a deep violation in a thread, in many states of its layer: the same counterexample, 5 runs, jobs ${jobs}`, async () => {
      const r = await assertSameAsOneThread(
        { threads: 3, rounds: 2, check: 'last' },
        { soloLayer: 0, jobs },
        { runs: 5 },
      );
      assert.equal(r.kind, 'violation');
      if (r.kind === 'violation') assert.equal(r.trace.length, 16);
    });

    it(`a violation of the final check, in many final states: the same counterexample, 5 runs, jobs ${jobs}`, async () => {
      // the message is left out here: see the next test
      const r = await assertSameAsOneThread(
        { threads: 3, rounds: 2, check: 'final' },
        { soloLayer: 0, jobs },
        { runs: 5, message: false },
      );
      assert.equal(r.kind, 'violation');
      if (r.kind === 'violation') assert.equal(r.violation, 'lostFinal');
    });
  }

  it('a state keeps its first parent in the one-thread order, though another worker reached it first', async () => {
    const args = { slowMs: 50 };
    const one = explore(lateFirstParent(args));
    assert.equal(one.kind === 'violation' && one.trace.map((s) => s.thread).join(''), '011');
    for (const jobs of [2, 3])
      for (let run = 0; run < 3; run++) {
        const r = await exploreParallel(source('lateFirstParent', args), { soloLayer: 0, jobs });
        assert.deepEqual(answer(r), answer(one), `jobs ${jobs}, run ${run + 1}`);
      }
  });

  it("a violation of the final check found by a worker keeps the check's message", async () => {
    const r = await assertSameAsOneThread(
      { threads: 3, rounds: 2, check: 'final' },
      { soloLayer: 0, jobs: 2 },
    );
    assert.equal(r.kind === 'violation' && r.message, 'the counter ends at 5');
  });

  it('handed over mid-search (at the first layer of 200 states, with 410 of 24,292 seen): the same answers as one thread', async () => {
    for (const check of ['none', 'final', 'last'] as const) {
      const args = { threads: 4, rounds: 2, check };
      await assertSameAsOneThread(
        args,
        { soloLayer: 200, jobs: 2 },
        { message: check !== 'final' },
      );
    }
  });

  it('a search whose layers stay narrower than soloLayer ends on the calling thread, with the same answers', async () => {
    for (const check of ['none', 'final'] as const)
      await assertSameAsOneThread({ threads: 3, rounds: 2, check }, { soloLayer: 10_000, jobs: 2 });
  });

  it('stopAtViolation false: explores every state, and keeps the first violation', async () => {
    // 'thread': violations in several layers, at many states of each; 'last': in the
    // last layers only
    for (const check of ['thread', 'last'] as const)
      for (const jobs of [1, 2])
        await assertSameAsOneThread(
          { threads: 3, rounds: 2, check },
          { soloLayer: 0, jobs },
          { both: { stopAtViolation: false }, states: true },
        );
  });
});

describe('exploreParallel: limits', () => {
  it('maxStates: incomplete, with the limit, never safe, and more states than the limit', async () => {
    for (const soloLayer of [0, 100]) {
      const r = await exploreParallel(lost({ threads: 3, rounds: 3, check: 'none' }), {
        soloLayer,
        jobs: 2,
        maxStates: 1000,
      });
      assert.equal(r.kind, 'incomplete');
      if (r.kind !== 'incomplete') return;
      assert.equal(r.limit, '1000 states');
      assert.ok(r.states > 1000, `${r.states} states`);
    }
  });

  it('maxStates at the exact size of the search: safe; one less: incomplete (as one thread)', async () => {
    const args = { threads: 3, rounds: 2, check: 'none' } as const; // 859 states
    for (const maxStates of [859, 858])
      await assertSameAsOneThread(args, { soloLayer: 0, jobs: 2 }, { both: { maxStates } });
  });

  it('maxDepth: incomplete at the same depth as one thread', async () => {
    const r = await assertSameAsOneThread(
      { threads: 3, rounds: 2, check: 'none' },
      { soloLayer: 0, jobs: 2 },
      { both: { maxDepth: 5 } },
    );
    assert.equal(r.kind === 'incomplete' && r.limit, 'depth 5');
  });

  it('a violation that one thread finds before the state limit, the workers find too', async () => {
    // One thread: T0 fails at the first state of layer 1, with 22 states seen. On two
    // workers, the second expands layer 1's other states, past 40, while T0 waits.
    const args = { others: 20, loads: 3, slowMs: 300 };
    const one = explore(slowViolation(args), { maxStates: 40 });
    assert.equal(one.kind, 'violation');
    const r = await exploreParallel(source('slowViolation', args), {
      soloLayer: 0,
      jobs: 2,
      maxStates: 40,
    });
    assert.deepEqual(answer(r), answer(one));
  });
});

describe('exploreParallel: what it refuses', () => {
  it('sleep sets, naming them', async () => {
    await assert.rejects(
      exploreParallel(lost({ threads: 2, rounds: 1, check: 'none' }), { sleepSets: true }),
      /sleep sets/,
    );
  });

  it('a module without the named builder, naming it, without starting workers', async () => {
    await assert.rejects(
      exploreParallel(source('notABuilder', {}), { soloLayer: 0, jobs: 2 }),
      /exports no function named notABuilder/,
    );
    await assert.rejects(
      exploreParallel(source('nothingByThisName', {}), { soloLayer: 0, jobs: 2 }),
      /exports no function named nothingByThisName/,
    );
  });

  it('fewer than one job, or a fraction of one, is refused: never safe having explored nothing', async () => {
    const args = { threads: 3, rounds: 2, check: 'final' } as const;
    for (const jobs of [0, -1, NaN, 1.5])
      await assert.rejects(
        exploreParallel(lost(args), { soloLayer: 0, jobs }),
        /jobs must be a whole number of workers, at least 1/,
        `jobs ${jobs}`,
      );
  });

  it('more threads than a tag holds', async () => {
    await assert.rejects(
      exploreParallel(lost({ threads: 32, rounds: 1, check: 'none' }), { soloLayer: 0, jobs: 2 }),
      /at most 31 threads, not 32/,
    );
  });

  it(
    'an unclassified error in a body, thrown in a worker: rejects as a checker bug, no hang',
    {
      timeout: HANG_MS,
    },
    async () => {
      assert.throws(() => explore(throwsInBody({ steps: 4, throwAt: 2 })), /\[checker bug\]/);
      for (const jobs of [1, 2]) {
        await assert.rejects(
          exploreParallel(source('throwsInBody', { steps: 4, throwAt: 2 }), {
            soloLayer: 0,
            jobs,
          }),
          (e: Error) => {
            assert.match(e.message, /\[checker bug\] T1 threw TypeError: the body broke/);
            return true;
          },
        );
      }
      // and when the search is still on the calling thread
      await assert.rejects(
        exploreParallel(source('throwsInBody', { steps: 4, throwAt: 2 }), {
          soloLayer: 1000,
          jobs: 2,
        }),
        /\[checker bug\] T1 threw TypeError: the body broke/,
      );
    },
  );
});

describe('exploreParallel: the layer handshake', () => {
  it(
    'many searches of many small layers: none fails, none hangs',
    {
      timeout: HANG_MS,
    },
    () => {
      // in a child process, with a time limit: a failure here can also hang the search
      const out = spawnSync(
        process.execPath,
        [fileURLToPath(new URL('./fixtures/manyLayers.js', import.meta.url)), '10', '2'],
        { encoding: 'utf8', timeout: CHILD_HANG_MS },
      );
      assert.equal(out.signal, null, 'the searches hung');
      assert.equal(out.status, 0, out.stderr);
      assert.deepEqual(JSON.parse(out.stdout), { runs: 10, failed: 0 });
    },
  );
});
