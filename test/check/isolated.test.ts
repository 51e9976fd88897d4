import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runIsolated, type IsolatedOptions } from '../../src/check/isolated.js';
import type { ScenarioResult } from '../../src/check/scenario.js';
import type { ExploreOptions } from '../../src/explore/explore.js';
import { ROOT } from '../helpers/pageref.js';

/**
 * runIsolated (what `pageref check` runs) on user strategies that a count of workers, the
 * memory limit or a dying thread could fool (issue 20).
 */

const fixture = (name: string) => `${ROOT}test/cli/fixtures/${name}.js`;

async function results(o: IsolatedOptions): Promise<ScenarioResult[]> {
  const run = await runIsolated(o);
  assert.equal(run.kind, 'done', run.kind === 'loadError' ? run.message : '');
  return run.kind === 'done' ? run.results : [];
}

/** What must not depend on the number of workers. */
const answer = (r: ScenarioResult) => ({
  verdict: r.verdict,
  states: r.states,
  counterexample: r.counterexample,
});

// The search goes to the workers from its first layer (it would wait for a wide one).
const onWorkers = { soloLayer: 0 } as ExploreOptions;

describe('a user strategy: the same answer whatever --jobs says', () => {
  it('state kept between calls (a leak after its 6,000th put): the same leak on 1 and 2 jobs', async () => {
    const o = { scenarios: ['putters:3x2'], builtIns: [], strategyFile: fixture('hiddenState') };
    const [one] = await results({ ...o, jobs: 1 });
    const [two] = await results({ ...o, jobs: 2, options: onWorkers });
    assert.equal(one!.verdict, 'violation');
    assert.deepEqual(answer(two!), answer(one!));
  });
  it('process.exit in a get: the documented violation on 1 and 2 jobs', async () => {
    const o = { scenarios: ['inc-freeze'], builtIns: [], strategyFile: fixture('exitsInGet') };
    const [one] = await results({ ...o, jobs: 1 });
    const [two] = await results({ ...o, jobs: 2, options: onWorkers });
    assert.equal(one!.counterexample?.kind, 'threw');
    assert.match(
      one!.counterexample!.message,
      /^T1's tryGet ended the checker's thread \(process.exit\(3\)\)$/,
    );
    assert.deepEqual(answer(two!), answer(one!));
  });

  it('a get that spins without touching memory: the same SPINS, naming the function, on 1 and 2 jobs', async () => {
    const o = { scenarios: ['inc-freeze'], builtIns: [], strategyFile: fixture('spinsInJs') };
    const [one] = await results({ ...o, jobs: 1 });
    const [two] = await results({ ...o, jobs: 2, options: onWorkers });
    assert.match(one!.counterexample!.message, /^T1's tryGet ran 1 s without a shared access/);
    assert.deepEqual(answer(two!), answer(one!));
  });
});

describe('memory: the limit counts what the process holds', () => {
  it('a strategy that hoards ArrayBuffers (outside the heap) is stopped: incomplete', async () => {
    const [r] = await results({
      scenarios: ['getters:3x2'],
      builtIns: [],
      strategyFile: fixture('hoards'),
      options: { maxMemoryMB: 64 },
    });
    assert.equal(r!.verdict, 'incomplete');
    assert.equal(r!.limit, '64 MiB of memory');
  });
});

describe('a search on many workers is not a spin', () => {
  it('16 workers on a built-in strategy, slow to start, under a short stall limit: safe, as on one', async () => {
    const o = { scenarios: ['getters:3x2'], builtIns: ['classic' as const], stallMs: 100 };
    const [one] = await results({ ...o, jobs: 1 });
    const [many] = await results({ ...o, jobs: 16, options: onWorkers });
    assert.equal(one!.verdict, 'safe');
    assert.deepEqual(answer(many!), answer(one!));
  });
});

describe('a strategy file whose import never finishes is stopped as a load error', () => {
  // Neither test can pass early or late by the machine's load: the import never ends, so
  // the only question is which limit ends it, and the message names it.
  it('one that waits (no CPU time): by the wall-clock limit for a waiting import', async () => {
    const run = await runIsolated({
      scenarios: ['inc-free'],
      builtIns: [],
      strategyFile: fixture('waitsOnImport'),
      loadMs: 3_600_000,
      loadWaitMs: 400,
    });
    assert.equal(run.kind, 'loadError');
    assert.match(
      run.kind === 'loadError' ? run.message : '',
      /did not finish loading in 0.4 s \(does it wait/,
    );
  });
  it('one that computes: by the CPU and wall limit', async () => {
    const run = await runIsolated({
      scenarios: ['inc-free'],
      builtIns: [],
      strategyFile: fixture('spinsOnImport'),
      loadMs: 200,
      loadWaitMs: 3_600_000,
    });
    assert.equal(run.kind, 'loadError');
    assert.match(
      run.kind === 'loadError' ? run.message : '',
      /did not finish loading in 0.2 s \(does it loop/,
    );
  });
});
