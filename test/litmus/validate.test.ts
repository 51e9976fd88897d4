/**
 * Names and shapes that mean nothing are refused with a location, before any model runs:
 * each case below was answered before (an unknown register read as 0, a missing argument
 * became 0, `atomic_inc();` was a "[checker bug] TypeError").
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseLitmus } from '../../src/litmus/parse.js';
import { validate } from '../../src/litmus/validate.js';
import { refuses } from '../helpers/refuses.js';
import { readLitmusFile } from '../../src/litmus/checkFile.js';

const SEEDS = fileURLToPath(new URL('../../../litmus/seeds/', import.meta.url));

const SB = (cond: string) =>
  `C t\n{ x=0; y=0; }\nP0(int *x, int *y) { int r0; WRITE_ONCE(*x, 1); r0 = READ_ONCE(*y); }\nP1(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); r0 = READ_ONCE(*x); }\n${cond}`;

describe('the condition names only what exists', () => {
  it('exists (0:r9=0): P0 has no r9 (was Always)', () =>
    refuses(SB('exists (0:r9=0)'), /^bad\.litmus:5:9: P0 has no register r9 \(it has r0\)/));
  it('a process that does not exist', () =>
    refuses(
      SB('exists (0:r0=0 /\\ 7:r0=0)'),
      /^bad\.litmus:5:19: 7:r0 names P7, but the test has P0\.\.P1/,
    ));
  it('a location that does not exist, on either side', () => {
    refuses(SB('exists (z=1)'), /^bad\.litmus:5:9: unknown location z/);
    refuses(SB('exists (0:r0=z)'), /^bad\.litmus:5:14: unknown location z/);
  });
  it('in locations [...] and filter too', () => {
    refuses(SB('locations [1:r5]\nexists (0:r0=0)'), /^bad\.litmus:5:12: P1 has no register r5/);
    refuses(SB('filter (w=0)\nexists (0:r0=0)'), /^bad\.litmus:5:9: unknown location w/);
  });
  it("inc_free_race with its P0/P1 headers swapped (was Always): 0:r0 is now P1's", () => {
    const text = readFileSync(SEEDS + 'inc_free_race.litmus', 'utf8')
      .replace('P0(int *refcount)', 'PX(int *refcount)')
      .replace('P1(int *refcount)', 'P0(int *refcount)')
      .replace('PX(int *refcount)', 'P1(int *refcount)');
    refuses(text, /^bad\.litmus:\d+:9: P0 has no register r0 \(it has r1; P1 has r0\)/);
  });
});

describe('the program is well formed', () => {
  const bad: [string, string, RegExp][] = [
    [
      'a duplicate P0',
      'C t\n{ x=0; }\nP0(int *x) { }\nP0(int *x) { }\nexists (x=0)',
      /^bad\.litmus:4:1: P0 is defined twice \(first at line 3\)/,
    ],
    [
      'a gap in the processes',
      'C t\n{ x=0; }\nP0(int *x) { }\nP2(int *x) { }\nexists (x=0)',
      /^bad\.litmus:4:1: P2 without P1/,
    ],
    [
      'a duplicate location in init',
      'C t\n{ x=0; int x = 1; }\nP0(int *x) { }\nexists (x=0)',
      /^bad\.litmus:2:8: x is initialised twice/,
    ],
    [
      'atomic_inc() (a missing argument became 0)',
      'C t\n{ x=0; }\nP0(int *x) { atomic_inc(); }\nexists (x=0)',
      /^bad\.litmus:3:14: atomic_inc\(\) takes 1 argument, not 0/,
    ],
    [
      'an extra argument (was ignored)',
      'C t\n{ x=0; }\nP0(int *x) { WRITE_ONCE(*x, 1, 2); }\nexists (x=0)',
      /^bad\.litmus:3:14: WRITE_ONCE\(\) takes 2 arguments, not 3/,
    ],
    [
      'a void primitive used as a value',
      'C t\n{ l; }\nP0(spinlock_t *l) { int r0 = spin_lock(l); }\nexists (0:r0=0)',
      /^bad\.litmus:3:30: spin_lock\(\) has no value/,
    ],
    [
      'READ_ONCE(x) for READ_ONCE(*x)',
      'C t\n{ x=0; }\nP0(int *x) { int r0 = READ_ONCE(x); }\nexists (0:r0=0)',
      /^bad\.litmus:3:33: READ_ONCE\(\) takes a dereference as argument 1: write READ_ONCE\(\*x\)/,
    ],
    [
      'a number as a pointer',
      'C t\n{ x=0; }\nP0(int *x) { atomic_inc(3); }\nexists (x=0)',
      /^bad\.litmus:3:25: atomic_inc\(\) takes a pointer as argument 1, not the number 3/,
    ],
    [
      'an unknown primitive',
      'C t\n{ x = 0; }\nP0(int *x) { atomic_frob(x); }\nexists (x=0)',
      /^bad\.litmus:3:14: unknown primitive atomic_frob\(\)/,
    ],
    [
      'a primitive outside linux-kernel.def',
      'C t\n{ x = 0; }\nP0(int *x) { int r0 = atomic_inc_not_zero(x); }\nexists (x=0)',
      /^bad\.litmus:3:23: atomic_inc_not_zero\(\) is not in linux-kernel\.def: write atomic_add_unless\(v, 1, 0\)/,
    ],
    [
      'an unknown name',
      'C t\n{ x = 0; }\nP0(int *x) { int r0 = q + 1; }\nexists (x=0)',
      /^bad\.litmus:3:23: unknown name q/,
    ],
    [
      "a location that is not the process's parameter (herd7 reads an unset register, 0)",
      'C t\n{ x = 0; y = 0; }\nP0(int *x) { WRITE_ONCE(*y, 1); }\nP1(int *y) { int r0 = READ_ONCE(*y); }\nexists (1:r0=1)',
      /^bad\.litmus:3:26: y is not a parameter of P0: pass it \(P0\(int \*x, int \*y\)\); herd7 would read y as an unset register \(0\), not as the location$/,
    ],
    [
      'a location as a value, not passed',
      'C t\n{ int *p = x; }\nP0(int **p) { WRITE_ONCE(*p, x); }\nexists (p=x)',
      /^bad\.litmus:3:30: x is not a parameter of P0: pass it \(P0\(int \*\*p, int \*x\)\)/,
    ],
    [
      'assigning a location',
      'C t\n{ x = 0; }\nP0(int *x) { x = 1; }\nexists (x=0)',
      /^bad\.litmus:3:14: x is a shared location: write WRITE_ONCE\(\*x, …\)/,
    ],
    [
      'a register declared twice',
      'C t\n{ x = 0; }\nP0(int *x) { int r0; int r0; }\nexists (x=0)',
      /^bad\.litmus:3:26: register r0 is declared twice/,
    ],
    [
      'an architecture other than C',
      'X86 t\n{ x = 0; }\nP0(int *x) { }\nexists (x=0)',
      /^bad\.litmus:1:1: only C litmus tests are supported, not X86/,
    ],
    [
      'a register init for a missing process',
      'C t\n{ 3:r0=1; }\nP0(int *x) { }\nexists (x=0)',
      /^bad\.litmus:2:3: 3:r0 names P3/,
    ],
  ];
  for (const [what, text, message] of bad) it(what, () => refuses(text, message));

  it('an assignment declares a register, as in herd7 (C-RomanPenyaev-list-rcu-rr)', () => {
    const t = parseLitmus('C t\n{ x=0; }\nP0(int *x) { r9 = READ_ONCE(*x); }\nexists (0:r9=0)');
    assert.deepEqual(validate(t, 't').registers, [['r9']]);
    refuses(
      'C t\n{ x=0; }\nP0(int *x) { int r0 = r9; r9 = 1; }\nexists (x=0)',
      /^bad\.litmus:3:23: unknown name r9/,
    );
  });

  it('processes written out of order are sorted: index i is Pi', () => {
    const t = parseLitmus(
      'C t\n{ x=0; }\nP1(int *x) { int b; }\nP0(int *x) { int a; }\nexists (0:a=0 /\\ 1:b=0)',
    );
    const scope = validate(t, 't');
    assert.deepEqual(
      t.processes.map((p) => p.id),
      [0, 1],
    );
    assert.deepEqual(scope.registers, [['a'], ['b']]);
  });
});

describe('files', () => {
  it('a directory argument names the directory (not a bare EISDIR)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'litmus-'));
    assert.throws(
      () => readLitmusFile(dir),
      new RegExp(`^Error: litmus file ${dir} is a directory`),
    );
  });
  it('a missing file', () => {
    assert.throws(
      () => readLitmusFile('nope.litmus'),
      /^Error: litmus file not found: nope\.litmus$/,
    );
  });
  it('a BOM at the start of a file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'litmus-')), 'bom.litmus');
    writeFileSync(file, '\uFEFFC bom\n{ x=0; }\nP0(int *x) { WRITE_ONCE(*x, 1); }\nexists (x=1)\n');
    assert.equal(readLitmusFile(file).name, 'bom');
  });
});
