/**
 * SRCU and data races, the two things neither the kernel's 35 tests nor herdtools7's
 * catalogue exercise: Paul McKenney's manual/srcu and manual/plain tests
 * (test/fixtures/litmus/paulmck/README.md: origin, GPL-2.0) under LKMM give the result each
 * states in its `Result:` line, judged as the kernel's judgelitmus.sh judges herd7's output:
 * `DATARACE` predicted if and only if `Flag data-race` is raised, and when a race is
 * predicted the Never/Sometimes/Always part is forgiven.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkLitmusModel } from '../../src/litmus/modelRun.js';
import { LKMM } from '../../src/axiomatic/models/index.js';
import { observation } from '../../src/litmus/format.js';

const DIR = fileURLToPath(new URL('../../../test/fixtures/litmus/paulmck/', import.meta.url));
const files = (sub: string) =>
  readdirSync(DIR + sub)
    .filter((f) => f.endsWith('.litmus'))
    .sort()
    .map((f) => `${sub}/${f}`);

for (const [sub, count] of [
  ['srcu', 10],
  ['plain', 29],
] as const) {
  describe(`paulmckrcu/litmus manual/${sub} under LKMM: each file's Result: line`, () => {
    it(`all ${count} are here`, () => assert.equal(files(sub).length, count));
    for (const f of files(sub)) {
      it(f, () => {
        const stated = /Result: (Never|Sometimes|Always)( DATARACE)?/.exec(
          readFileSync(DIR + f, 'utf8'),
        );
        assert.ok(stated, 'a Result: line');
        const r = checkLitmusModel(DIR + f, LKMM).result;
        assert.ok(r.kind === 'complete');
        const race = (r.flags ?? []).includes('data-race');
        assert.equal(race, stated[2] !== undefined, 'DATARACE predicted iff Flag data-race');
        if (!race) assert.equal(observation(r.positive, r.negative), stated[1]);
      });
    }
  });
}
