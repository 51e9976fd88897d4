/**
 * The fuzzer (fuzz.ts) on mutants of the repository's litmus files, a bounded count from a
 * fixed seed (FUZZ_SEED and FUZZ_COUNT explore further): no exception but a located
 * LitmusSyntaxError, no mutant over its bound of CPU time, no answer over an unknown name.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLitmus } from '../../src/litmus/parse.js';
import { fuzz, mutate, prng, runMutant, unknownNames } from './fuzz.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DIRS = [
  'test/fixtures/litmus/kernel',
  'test/fixtures/litmus/sc',
  'litmus/seeds',
  'litmus/refcount',
];
const FILES = DIRS.flatMap((d) =>
  readdirSync(join(ROOT, d))
    .filter((f) => f.endsWith('.litmus'))
    .map((f) => join(ROOT, d, f)),
);
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const COUNT = Number(process.env.FUZZ_COUNT ?? 300);

describe('fuzzing litmus input', () => {
  it(`${COUNT} mutants from seed ${SEED}: refused with a location or answered over known names, each within 5 s of CPU (a hang, not a slow machine)`, () => {
    const { tally, findings } = fuzz(FILES, COUNT, SEED, 5000);
    assert.deepEqual(findings, []);
    // the mutants reach past the parser, and the parser refuses some
    assert.ok(tally.answered > COUNT / 5 && tally.refused > COUNT / 5, JSON.stringify(tally));
  });

  it('the mutations are deterministic from the seed', () => {
    const a = prng(1);
    const b = prng(1);
    const text = 'C t\n{ x=0; }\nP0(int *x) { WRITE_ONCE(*x, 1); }\nexists (x=1)';
    for (let i = 0; i < 20; i++) assert.deepEqual(mutate(text, a), mutate(text, b));
  });

  it('the oracle sees an answer over an unknown name (validation keeps them from happening)', () => {
    const test = parseLitmus(
      'C t\n{ x=0; }\nP0(int *x) { int r0; }\nexists (0:r9=0 /\\ z=1 /\\ 0:r0=w)',
    );
    assert.deepEqual(unknownNames(test, new Set(['0:r0']), new Set(['x'])), ['0:r9', 'z', 'w']);
  });

  it('a mutant that is still a test is answered; one that is not is refused', () => {
    const ok = 'C t\n{ x=0; }\nP0(int *x) { WRITE_ONCE(*x, 1); }\nexists (x=1)';
    assert.deepEqual(runMutant(ok, 'm.litmus'), { kind: 'answered' });
    assert.deepEqual(runMutant(ok.replace('(x=1)', '(0:r9=1)'), 'm.litmus'), { kind: 'refused' });
    assert.deepEqual(runMutant(ok.replace('WRITE_ONCE(*x, 1)', 'atomic_inc()'), 'm.litmus'), {
      kind: 'refused',
    });
  });
});
