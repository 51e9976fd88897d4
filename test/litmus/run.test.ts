/**
 * The SC interleaving runner (src/litmus/run.ts on the checker's explorer): the authors'
 * seeds, read unmodified, with the interleaving counts it has always given, and what it
 * refuses, naming the model that runs it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseLitmus, LitmusSyntaxError } from '../../src/litmus/parse.js';
import { runLitmus, validate } from '../../src/litmus/run.js';
import { formatLitmus } from '../../src/litmus/format.js';

// The authors' files, copied unmodified from shared/litmus (a test below checks they match).
const SEEDS = fileURLToPath(new URL('../../../litmus/seeds/', import.meta.url));
const SHARED = fileURLToPath(new URL('../../../../shared/litmus/', import.meta.url));
const KERNEL = fileURLToPath(new URL('../../../test/fixtures/litmus/kernel/', import.meta.url));

function run(text: string, file = 't.litmus') {
  const test = parseLitmus(text, file);
  validate(test, file);
  const r = runLitmus(test, {}, file);
  assert.equal(r.kind, 'complete');
  if (r.kind !== 'complete') throw new Error('incomplete');
  return { test, r };
}

describe("the authors' four litmus files, read unmodified, under SC", () => {
  const expected: Record<
    string,
    { name: string; positive: number; negative: number; vacuous: boolean }
  > = {
    'free_free_race.litmus': {
      name: 'free_vs_free_race',
      positive: 0,
      negative: 2,
      vacuous: false,
    },
    'inc_free_race.litmus': { name: 'inc_free_race', positive: 0, negative: 3, vacuous: false },
    'inc_freeze_race.litmus': { name: 'inc_freeze_race', positive: 0, negative: 2, vacuous: true },
    'inc_unfreeze_race.litmus': {
      name: 'inc_unfreeze_race',
      positive: 0,
      negative: 2,
      vacuous: false,
    },
  };
  it(
    'are the four of shared/litmus, byte for byte',
    { skip: !existsSync(SHARED) && 'no shared/ beside this checkout' },
    () => {
      const seeds = readdirSync(SEEDS).filter((f) => f.endsWith('.litmus'));
      assert.deepEqual(seeds.sort(), Object.keys(expected).sort());
      for (const f of seeds)
        assert.equal(readFileSync(SEEDS + f, 'utf8'), readFileSync(SHARED + f, 'utf8'));
    },
  );
  for (const [file, want] of Object.entries(expected)) {
    it(`${file}: Never, positive ${want.positive}, negative ${want.negative}${want.vacuous ? ', vacuous' : ''}`, () => {
      const { test, r } = run(readFileSync(SEEDS + file, 'utf8'), file);
      assert.equal(test.name, want.name);
      assert.equal(r.observation, 'Never');
      assert.deepEqual(
        [r.positive, r.negative, r.vacuous],
        [want.positive, want.negative, want.vacuous],
      );
      const out = formatLitmus(test, r, 1234);
      assert.match(out, new RegExp(`^Test ${want.name} Allowed\\nStates \\d+\\n`));
      assert.match(
        out,
        new RegExp(
          `\\nNo\\nWitnesses\\nPositive: 0 Negative: ${want.negative}\\nCondition exists \\(`,
        ),
      );
      assert.match(out, new RegExp(`\\nObservation ${want.name} Never 0 ${want.negative}\\n`));
      // pageref's remark, if any, after herd7's block and its Time line
      const remark = want.vacuous ? 'pageref: vacuous: [^\\n]+\\n' : '';
      assert.match(out, new RegExp(`\\nTime ${want.name} 1\\.23\\n${remark}$`));
    });
  }
  it("inc_freeze_race is vacuous because P0 keeps cmpxchg's old value (3 or 4), P1 a flag (0 or 1)", () => {
    const { r } = run(readFileSync(SEEDS + 'inc_freeze_race.litmus', 'utf8'));
    assert.deepEqual(
      r.states.map((s) => s.values),
      [
        { '0:r0': 3, '1:r0': 0 },
        { '0:r0': 4, '1:r0': 1 },
      ],
    );
  });
});

describe('quantifiers under SC', () => {
  it('~exists and forall validate as herd does', () => {
    const never = run(`C t\n{ x = 0; }\nP0(int *x) { WRITE_ONCE(*x, 1); }\n~exists (x=2)`).r;
    assert.equal(never.ok, true);
    const always = run(
      `C t\n{ x = 0; }\nP0(int *x) { WRITE_ONCE(*x, 1); }\nforall (x=1 \\/ x=2)`,
    ).r;
    assert.equal(always.ok, true);
  });
});

describe('what only the axiomatic model runs is refused, naming --model lkmm', () => {
  const refused: [string, RegExp][] = [
    [
      'MP+polocks.litmus',
      /MP\+polocks\.litmus:\d+:\d+: spin_lock\(\) cannot be run under SC: run it with --model lkmm/,
    ],
    [
      'MP+onceassign+derefonce.litmus',
      /MP\+onceassign\+derefonce\.litmus:13:1: a pointer value \(&y\) cannot be run under SC: run it with --model lkmm/,
    ],
    ['MP+polockmbonce+poacquiresilsil.litmus', /spin_lock\(\) cannot be run under SC/],
  ];
  for (const [file, message] of refused) {
    it(file, () => {
      const test = parseLitmus(readFileSync(KERNEL + file, 'utf8'), file);
      validate(test, file);
      assert.throws(
        () => runLitmus(test, {}, file),
        (e: unknown) => e instanceof LitmusSyntaxError && message.test(e.message),
      );
    });
  }
  it('synchronize_rcu and a pointer register', () => {
    for (const body of ['synchronize_rcu();', 'int *r0 = x;']) {
      const test = parseLitmus(`C t\n{ x=0; }\nP0(int *x) { ${body} }\nexists (x=0)`, 't');
      validate(test, 't');
      assert.throws(() => runLitmus(test, {}, 't'), /under SC: run it with --model lkmm/);
    }
  });
});
