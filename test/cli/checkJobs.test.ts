import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pageref } from '../helpers/pageref.js';
import { maxJobs } from '../../src/cli/check.js';

/**
 * `pageref check --jobs N`: a search whose layers grow wide (25,000 states) goes on on N
 * workers, with the answers of the search on one thread.
 */

/**
 * A time limit far past what these searches take on a busy machine (under 15 s): what
 * stops them is their size or --max-states, never how busy the machine is.
 */
const NO_TIME_LIMIT = ['--max-seconds', '3600'];

/** The output without the time it took. */
const untimed = (stdout: string) => stdout.replace(/, [\d,]+ ms of exploration/, '');

describe('pageref check --jobs', () => {
  it('getters:3x3 on classic (217,590 states, its layers narrower): the same with --jobs 2 as with --jobs 1', () => {
    const args = ['check', '--scenario', 'getters:3x3', '--strategy', 'classic', ...NO_TIME_LIMIT];
    const one = pageref(...args, '--jobs', '1');
    const two = pageref(...args, '--jobs', '2');
    assert.equal(one.status, 0, one.stderr);
    assert.equal(two.status, 0, two.stderr);
    assert.match(two.stdout, /^getters:3x3\s+safe\s+3 threads × 3 rounds, counts ≤ 6$/m);
    assert.match(two.stdout, /^1 run, 217,590 states, /m);
    assert.equal(untimed(two.stdout), untimed(one.stdout));
  });

  it('getters:3x4 on classic, on workers from a layer of 29,372 states: the same table line, and incomplete at --max-states', () => {
    const args = ['check', '--scenario', 'getters:3x4', '--strategy', 'classic', ...NO_TIME_LIMIT];
    const limited = [...args, '--max-states', '150000'];
    const one = pageref(...limited, '--jobs', '1');
    const two = pageref(...limited, '--jobs', '2');
    const table = (stdout: string) => stdout.split('\n').find((l) => l.startsWith('getters:3x4'));
    assert.equal(table(two.stdout), table(one.stdout));
    assert.match(
      table(two.stdout) ?? '',
      /^getters:3x4\s+incomplete ≠ safe!\s+3 threads × 4 rounds$/,
    );
    const json = pageref(...limited, '--jobs', '2', '--json');
    const [r] = (JSON.parse(json.stdout) as { results: Record<string, unknown>[] }).results;
    assert.equal(r!.verdict, 'incomplete');
    assert.equal(r!.limit, '150000 states');
    assert.ok((r!.states as number) > 150_000, `${r!.states as number} states`);
  });

  for (const bad of ['0', 'x', '-1', '1.5', String(maxJobs() + 1), '1000']) {
    it(`--jobs ${bad} is a usage error (exit 2), before anything runs`, () => {
      const out = pageref('check', '--scenario', 'inc-free', '--jobs', bad);
      assert.equal(out.status, 2);
      assert.match(out.stderr, new RegExp(`--jobs must be an integer from 1 to ${maxJobs()}`));
      assert.equal(out.stdout, '');
    });
  }

  it('--max-states past 100,000,000 is a usage error (exit 2): no search could keep it', () => {
    const out = pageref('check', '--scenario', 'inc-free', '--max-states', '1000000000');
    assert.equal(out.status, 2);
    assert.match(out.stderr, /^pageref: --max-states must be an integer from 1 to 100000000/);
    assert.equal(out.stdout, '');
  });
});
