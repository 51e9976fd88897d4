import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { checkLitmusModel, formatModelRun } from '../../src/litmus/modelRun.js';
import { LKMM } from '../../src/axiomatic/models/index.js';

/**
 * herd7's block without Time and Hash (they vary from run to run and machine to machine),
 * and without pageref's remarks, which follow the block on lines of their own (`pageref:`).
 */
export const herdBlock = (text: string): string =>
  text
    .split('\n')
    .filter((l) => l !== '' && !/^(Time |Hash=|pageref: )/.test(l))
    .join('\n');

/** The `.litmus` files of `dir`, sorted. */
export const litmusIn = (dir: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.litmus'))
    .sort();

/**
 * A suite: each of the `count` litmus files in `dir` prints, under LKMM, the block herd7
 * stored in its NAME.litmus.expected.
 */
export function matchesHerd7(title: string, dir: string, count: number): void {
  const files = litmusIn(dir);
  describe(title, () => {
    it(`all ${count} are here, each with its .expected`, () => {
      assert.equal(files.length, count);
      for (const f of files) assert.ok(readFileSync(dir + f + '.expected', 'utf8').length > 0, f);
    });
    for (const f of files) {
      it(f, () => {
        const got = formatModelRun(checkLitmusModel(dir + f, LKMM));
        assert.equal(herdBlock(got), herdBlock(readFileSync(dir + f + '.expected', 'utf8')));
      });
    }
  });
}
