/**
 * Golden tests: the Linux kernel's 35 litmus tests (tools/memory-model/litmus-tests, GPL-2.0;
 * test/fixtures/litmus/kernel/README.md) under LKMM print herd7's block, line for line, as
 * stored in each NAME.litmus.expected, apart from the Time and Hash lines; pageref's remarks
 * come after the block, each line starting `pageref:`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkLitmusModel } from '../../src/litmus/modelRun.js';
import { SC } from '../../src/axiomatic/models/index.js';
import { litmusIn, matchesHerd7 } from '../helpers/herdGolden.js';

const DIR = fileURLToPath(new URL('../../../test/fixtures/litmus/kernel/', import.meta.url));
const FILES = litmusIn(DIR);

matchesHerd7('kernel litmus tests under LKMM match herd7', DIR, 35);

describe('kernel litmus tests under SC', () => {
  const observation = (f: string) => {
    const r = checkLitmusModel(DIR + f, SC).result;
    assert.equal(r.kind, 'complete');
    return r.kind === 'complete' ? r.positive : -1;
  };
  it('the relaxed outcomes LKMM allows are Never under SC', () => {
    for (const f of [
      'SB+poonceonces',
      'MP+poonceonces',
      'LB+poonceonces',
      'IRIW+poonceonces+OnceOnce',
    ])
      assert.equal(observation(`${f}.litmus`), 0, f);
  });
  it('every test LKMM forbids is forbidden under SC too (SC is stronger)', () => {
    for (const f of FILES) {
      const expected = readFileSync(DIR + f + '.expected', 'utf8');
      if (/Observation \S+ Never/.test(expected)) assert.equal(observation(f), 0, f);
    }
  });
});
