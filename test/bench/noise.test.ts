/**
 * Numbers that say when they are noise: the marking rule (a pure function, table-driven), the
 * tables and the report's words that carry it, and the load average in the bench's JSON.
 * Behaviour only: the measurements are made up, or their values are not asserted.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExperiment, type BenchResult, type BenchRun } from '../../src/bench/experiment.js';
import { benchTables, formatTables, isNoise, loadLine } from '../../src/bench/report.js';
import { noiseWords } from '../../src/report/benchTable.js';
import { pageref } from '../helpers/pageref.js';

describe('isNoise: a spread wider than the difference reported', () => {
  const cases: [string, number[], number[], boolean][] = [
    ['spreads 0, a difference', [10, 10], [12, 12], false],
    ['spread 1 < difference 2', [10, 11], [12, 13], false],
    ['spread 2 = difference 2: not wider', [9, 11], [12, 12], false],
    ['spread 3 > difference 2', [9, 12], [12, 12], true],
    ['the second cell is the wide one', [10, 10], [5, 20], true],
    ['equal medians, any spread', [9, 11], [10, 10], true],
    ['equal medians, no spread', [10, 10], [10, 10], false],
    ['issue 19 at load 7: [4.9M–17.1M] against a 21% drop', [4.9e6, 17.1e6], [11e6, 14e6], true],
    ['one repetition each: no spread, never marked', [10], [12], false],
    ['three repetitions: the median, not the mean', [10, 10, 100], [11, 11, 11], true],
    ['the order of the cells does not matter', [12, 13], [10, 11], false],
  ];
  for (const [name, a, b, noise] of cases)
    it(`${name}: ${noise ? 'noise' : 'a difference'}`, () => {
      assert.equal(isNoise(a, b), noise);
      assert.equal(isNoise(b, a), noise);
    });
});

/** A getput × classic, frozen-bit result with the ceiling, each cell's repetitions given. */
function result(
  cells: { classic: number[]; frozen: number[]; ceiling: number[] },
  load?: BenchResult['load'],
): BenchResult {
  const repetitions = cells.classic.length;
  const runs: BenchRun[] = [
    { workload: 'getput', strategy: 'classic', workers: 1, opsPerSec: cells.classic },
    { workload: 'getput', strategy: 'frozen-bit', workers: 1, opsPerSec: cells.frozen },
    { workload: 'ceiling', strategy: 'none', workers: 1, opsPerSec: cells.ceiling },
  ];
  return {
    machine: { cpu: 'test cpu', cores: 2, node: 'v20', os: 'x' },
    config: {
      workloads: ['getput', 'ceiling'],
      strategies: ['classic', 'frozen-bit'],
      workers: [1],
      durationMs: 250,
      warmupMs: 100,
      repetitions,
      oversubscribedFrom: 3,
    },
    runs,
    ...(load ? { load } : {}),
  };
}

describe('the tables and the report mark what is noise', () => {
  const steady = result({ classic: [40e6, 41e6], frozen: [48e6, 49e6], ceiling: [60e6, 61e6] });
  const noisy = result(
    { classic: [4.9e6, 17.1e6], frozen: [9e6, 10e6], ceiling: [60e6, 61e6] },
    { before: [7.01, 5, 4], after: [6.8, 5.1, 4] },
  );

  it('a difference wider than the spreads is not marked, and no note is added', () => {
    const t = benchTables(steady);
    assert.deepEqual(t.tables[0]!.rows[1]!.slice(3), ['+19.8', '60.5M [60.0M–61.0M]', '80%']);
    assert.deepEqual(t.comparisons, { made: 2, noise: 0 });
    assert.doesNotMatch(formatTables(steady), /~/);
  });

  it('a boost within the noise carries ~, and the footnote counts the marked comparisons', () => {
    const t = benchTables(noisy);
    assert.equal(t.tables[0]!.rows[1]![3], '-13.6 ~');
    assert.equal(t.tables[0]!.rows[1]![5], '16%'); // frozen-bit against the ceiling: clear
    assert.deepEqual(t.comparisons, { made: 2, noise: 1 });
    assert.match(formatTables(noisy), /^~: within the noise \(1 of 2\): the spread/m);
  });

  it('the load average heads the tables when it was recorded', () => {
    assert.match(
      formatTables(noisy),
      /\nload average \(1, 5, 15 min\): 7\.01 5\.00 4\.00 before, 6\.80 5\.10 4\.00 after\n/,
    );
    assert.doesNotMatch(formatTables(steady), /load average/);
    assert.equal(
      loadLine({ before: [0, 0.5, 1], after: [2, 2, 2] }),
      'load average (1, 5, 15 min): 0.00 0.50 1.00 before, 2.00 2.00 2.00 after',
    );
  });

  it('the report says in words what the load and the marks mean', () => {
    const words = noiseWords(noisy);
    assert.match(
      words,
      /^The load average was 7\.01 before the run and 6\.80 after \(1 minute; 2 cores\)\./,
    );
    assert.match(words, /More processes wanted a core than there are cores/);
    assert.match(
      words,
      /1 of the 2 comparisons \(boost %, of ceiling\) is within the noise, marked ~/,
    );
    const calm = noiseWords({ ...steady, load: { before: [0.5, 0, 0], after: [1, 0, 0] } });
    assert.doesNotMatch(calm, /wanted a core/);
    assert.match(calm, /Each of the 2 comparisons .* reports a difference wider than the spread/);
    assert.match(noiseWords(steady), /not recorded/);
    const once = result({ classic: [40e6], frozen: [48e6], ceiling: [60e6] });
    assert.match(noiseWords(once), /With 1 repetition per cell no spread was measured/);
    assert.match(formatTables(once), /^1 repetition per cell: no spread measured/m);
  });
});

describe('the load average in the bench JSON', () => {
  const isLoad = (l: unknown) =>
    Array.isArray(l) && l.length === 3 && l.every((x) => typeof x === 'number' && x >= 0);

  it('runExperiment records it before the first measurement and after the last', async () => {
    const r = await runExperiment(
      {
        workloads: ['ceiling'],
        strategies: [],
        workers: [1],
        durationMs: 1,
        warmupMs: 1,
        repetitions: 1,
      },
      () => {},
      async () => 1000,
    );
    assert.ok(r.load && isLoad(r.load.before) && isLoad(r.load.after), JSON.stringify(r.load));
  });

  it('pageref bench --json writes it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pageref-bench-'));
    try {
      const file = join(dir, 'bench.json');
      const out = pageref(
        'bench',
        ...['--workload', 'ceiling', '--workers', '1', '--reps', '1'],
        ...['--duration', '1', '--warmup', '1', '--json', file],
      );
      assert.equal(out.status, 0, out.stderr);
      const json = JSON.parse(readFileSync(file, 'utf8')) as BenchResult;
      assert.deepEqual(Object.keys(json.load ?? {}), ['before', 'after']);
      assert.ok(isLoad(json.load!.before) && isLoad(json.load!.after));
      assert.match(out.stdout, /^load average \(1, 5, 15 min\): /m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
