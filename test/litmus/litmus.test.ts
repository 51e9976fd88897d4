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

function run(text: string, file = 't.litmus') {
  const test = parseLitmus(text, file);
  validate(test, file);
  const r = runLitmus(test);
  assert.equal(r.kind, 'complete');
  if (r.kind !== 'complete') throw new Error('incomplete');
  return { test, r };
}

describe("the authors' four litmus files, read unmodified", () => {
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
      assert.deepEqual(readdirSync(SEEDS).sort(), Object.keys(expected).sort());
      for (const f of readdirSync(SHARED).filter((f) => f.endsWith('.litmus')))
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
      const out = formatLitmus(test, r, 0);
      assert.match(out, new RegExp(`^Test ${want.name} Allowed\\nStates \\d+\\n`));
      assert.match(
        out,
        new RegExp(
          `\\nNo\\nWitnesses\\nPositive: 0 Negative: ${want.negative}\\nCondition exists \\(`,
        ),
      );
      assert.match(out, new RegExp(`\\nObservation ${want.name} Never 0 ${want.negative}`));
      assert.equal(out.includes('vacuous'), want.vacuous);
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

describe('classic shapes under sequential consistency', () => {
  const shapes: [string, string, 'Never' | 'Sometimes' | 'Always'][] = [
    [
      'SB',
      `C SB
{ x = 0; y = 0; }
P0(int *x, int *y) { int r0; WRITE_ONCE(*x, 1); smp_mb(); r0 = READ_ONCE(*y); }
P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); r0 = READ_ONCE(*x); }
exists (0:r0=0 /\\ 1:r0=0)`,
      'Never',
    ],
    [
      'MP',
      `C MP
{ x = 0; y = 0; }
P0(int *x, int *y) { WRITE_ONCE(*x, 1); smp_store_release(y, 1); }
P1(int *x, int *y) { int r0; int r1; r0 = smp_load_acquire(y); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\\ 1:r1=0)`,
      'Never',
    ],
    [
      'LB',
      `C LB
{ x = 0; y = 0; }
P0(int *x, int *y) { int r0; r0 = READ_ONCE(*x); WRITE_ONCE(*y, 1); }
P1(int *x, int *y) { int r0; r0 = READ_ONCE(*y); WRITE_ONCE(*x, 1); }
exists (0:r0=1 /\\ 1:r0=1)`,
      'Never',
    ],
    [
      '2+2W-ish counter',
      `C counter
{ atomic_t c = ATOMIC_INIT(0); }
P0(atomic_t *c) { atomic_inc(c); }
P1(atomic_t *c) { int r0; r0 = atomic_fetch_add_relaxed(1, c); }
forall (c=2)`,
      'Always',
    ],
    [
      'racy flag',
      `C racy
{ x = 0; }
P0(int *x) { WRITE_ONCE(*x, 1); }
P1(int *x) { int r0 = READ_ONCE(*x); if (r0 == 1) { r0 = 5; } else r0 = 7; }
exists (1:r0=5)`,
      'Sometimes',
    ],
  ];
  for (const [name, text, observation] of shapes) {
    it(`${name}: ${observation}`, () => assert.equal(run(text).r.observation, observation));
  }
  it('~exists and forall validate as herd does', () => {
    const never = run(`C t\n{ x = 0; }\nP0(int *x) { WRITE_ONCE(*x, 1); }\n~exists (x=2)`).r;
    assert.equal(never.ok, true);
    const always = run(
      `C t\n{ x = 0; }\nP0(int *x) { WRITE_ONCE(*x, 1); }\nforall (x=1 \\/ x=2)`,
    ).r;
    assert.equal(always.ok, true);
  });
});

describe('malformed litmus input', () => {
  const bad: [string, string, RegExp][] = [
    [
      'a missing semicolon',
      'C t\n{ int x = 0 }\nP0(int *x) { }\nexists (x=0)',
      /^bad\.litmus:2:13: expected ";", found "}"$/,
    ],
    [
      'a while loop',
      'C t\n{ x = 0; }\nP0(int *x) {\n  while (1) { }\n}\nexists (x=0)',
      /^bad\.litmus:4:3: while statements are not supported/,
    ],
    [
      'an unknown primitive',
      'C t\n{ x = 0; }\nP0(int *x) { atomic_frob(x); }\nexists (x=0)',
      /^bad\.litmus:3:14: unsupported primitive atomic_frob\(\)/,
    ],
    [
      'an undeclared register',
      'C t\n{ x = 0; }\nP0(int *x) { r9 = 1; }\nexists (x=0)',
      /^bad\.litmus:3:14: assignment to undeclared register r9/,
    ],
    [
      'a missing condition',
      'C t\n{ x = 0; }\nP0(int *x) { }\n',
      /^bad\.litmus:4:1: expected .*"exists".*found end of input/,
    ],
    ['no processes', 'C t\n{ x = 0; }\nexists (x=0)', /^bad\.litmus:3:1: expected .*"P"/],
    [
      'a primitive on a register',
      'C t\n{ x = 0; }\nP0(int *x) { int r0; atomic_inc(r0); }\nexists (x=0)',
      /^bad\.litmus:3:33: expected a shared location argument/,
    ],
  ];
  for (const [what, text, message] of bad) {
    it(`${what}: file:line:column, what was expected, what was found`, () => {
      assert.throws(
        () => validate(parseLitmus(text, 'bad.litmus'), 'bad.litmus'),
        (e: unknown) => {
          assert.ok(e instanceof LitmusSyntaxError);
          assert.match(e.message, message);
          return true;
        },
      );
    });
  }
});
