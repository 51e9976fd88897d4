/**
 * Golden tests that keep the model honest: small kernel-dialect litmus tests, each written to
 * tell src/axiomatic/models/lkmm apart from mutants of it that the other fixtures let through
 * (a fence tag, a non-returning atomic, a bell or lock.cat flag, an smp_rmb() bound of the
 * data-race check), each with herd7's own answer in NAME.litmus.expected
 * (test/fixtures/litmus/mutants/README.md: how they were made and what each one guards).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { litmusIn, matchesHerd7 } from '../helpers/herdGolden.js';

const DIR = fileURLToPath(new URL('../../../test/fixtures/litmus/mutants/', import.meta.url));

matchesHerd7('litmus tests against the model mutants match herd7', DIR, 30);

describe('litmus tests against the model mutants', () => {
  it("each header's Result: is herd7's Observation", () => {
    for (const f of litmusIn(DIR)) {
      const result = /Result: (\w+)/.exec(readFileSync(DIR + f, 'utf8'));
      assert.ok(result, `${f} states its Result:`);
      const golden = readFileSync(DIR + f + '.expected', 'utf8');
      assert.match(golden, new RegExp(`\\nObservation \\S+ ${result[1]} `), f);
    }
  });
});
