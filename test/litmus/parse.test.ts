/**
 * The reader on the whole dialect of the kernel's litmus tests, and on text that must be
 * refused with a location: herd7's `(*` comments only outside code, 32-bit integers,
 * nesting, a BOM, and time linear in the size of the file.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseLitmus, MAX_NESTING } from '../../src/litmus/parse.js';
import { validate } from '../../src/litmus/validate.js';
import { refuses } from '../helpers/refuses.js';
import { onCpu } from '../helpers/cpuTime.js';
import { litmusIn } from '../helpers/herdGolden.js';
import type { Stmt } from '../../src/litmus/ast.js';

const KERNEL = fileURLToPath(new URL('../../../test/fixtures/litmus/kernel/', import.meta.url));
const SEEDS = fileURLToPath(new URL('../../../litmus/seeds/', import.meta.url));

describe('the kernel tests and the seeds', () => {
  it('reads all 35 kernel tests and the 4 seeds, and prints each Condition as herd7 does', () => {
    const files = litmusIn(KERNEL);
    assert.equal(files.length, 35);
    for (const f of files) {
      const test = parseLitmus(readFileSync(KERNEL + f, 'utf8'), f);
      validate(test, f);
      const expected = readFileSync(KERNEL + f + '.expected', 'utf8');
      assert.equal(`Condition ${test.conditionText}`, expected.match(/^Condition .*$/m)![0], f);
    }
    assert.equal(litmusIn(SEEDS).length, 4);
    for (const f of litmusIn(SEEDS)) validate(parseLitmus(readFileSync(SEEDS + f, 'utf8'), f), f);
  });

  it('MP+onceassign+derefonce: a pointer initialiser, pointer registers, RCU', () => {
    const t = parseLitmus(readFileSync(KERNEL + 'MP+onceassign+derefonce.litmus', 'utf8'));
    assert.deepEqual(
      t.init.map((i) => [i.name, i.value]),
      [['p', 'y']],
    );
    const decl = t.processes[1]!.body[0] as Extract<Stmt, { kind: 'decl' }>;
    assert.deepEqual([decl.name, decl.pointer], ['r0', true]);
    assert.equal(t.conditionText, 'exists (1:r0=x /\\ 1:r1=0)');
  });

  it('SB+rfionceonce-poonceonces: locations [...] with a (* comment *) after it', () => {
    const t = parseLitmus(readFileSync(KERNEL + 'SB+rfionceonce-poonceonces.litmus', 'utf8'));
    assert.deepEqual(
      t.locations.map((l) => (l.kind === 'reg' ? `${l.thread}:${l.name}` : l.name)),
      ['0:r1', '1:r3', 'x', 'y'],
    );
  });

  it('the forms herd7 accepts in an init block', () => {
    const t = parseLitmus(
      'C t\n{ int x = 1; atomic_t v = ATOMIC_INIT(-2); spinlock_t l; int *p = &x; q=x; 0:r1=x; unsigned long u = 0xffffffff }\n' +
        'P0(int *x) { int r1; }\nexists (x=1)',
    );
    assert.deepEqual(
      t.init.map((i) => [i.type, i.name, i.value]),
      [
        ['int', 'x', 1],
        ['atomic_t', 'v', -2],
        ['spinlock_t', 'l', 0],
        ['int*', 'p', 'x'],
        ['', 'q', 'x'],
        ['unsigned long', 'u', -1],
      ],
    );
    assert.deepEqual(t.registerInit, [
      { thread: 0, name: 'r1', value: 'x', at: { line: 2, column: 76 } },
    ]);
  });

  it('filter, ~exists, forall, !=, ~, \\/ and => print as herd7 prints them', () => {
    const t = parseLitmus(
      'C t\n{}\nP0(int *x) { int r0 = READ_ONCE(*x); }\nfilter (0:r0=0)\n~exists (x=1 /\\ (0:r0=1 \\/ ~x=2) => 0:r0 != 3)',
    );
    assert.equal(t.quantifier, '~exists');
    assert.ok(t.filter);
    // herd7's => binds tighter than /\ (lib/stateParser.mly: %left OR, %left AND, %right IMPLIES)
    assert.equal(t.conditionText, '~exists ([x]=1 /\\ ((0:r0=1 \\/ not ([x]=2)) => not (0:r0=3)))');
  });
});

describe('comments and speed', () => {
  it('(* inside code is a dereference, not a comment: READ_ONCE(*x), (*x)', () => {
    const t = parseLitmus(
      'C t\n(* a comment *)\n{ x=0; }\nP0(int *x) { int r0; r0 = (*x) + READ_ONCE(*x); /* c */ // d\n}\nexists (0:r0=0) (* after *)',
    );
    assert.equal(t.processes[0]!.body.length, 2);
  });

  it('(* comments nest, as in herd7', () => {
    const t = parseLitmus(
      'C t\n(* outer (* inner *) still outer *)\n{ x=0; }\nP0(int *x) { }\nexists (x=0)',
    );
    assert.equal(t.init.length, 1);
  });

  it('a syntax error points at itself, not at a later *)', () => {
    const lines = ['C t', '{ x=0; }', 'P0(int *x) {'];
    for (let i = 0; i < 7; i++) lines.push('  WRITE_ONCE(*x, 1);');
    lines.push('  WRITE_ONCE(*x, 1) oops;', '}', 'exists (x=1) (* fine *)');
    refuses(lines.join('\n'), /^bad\.litmus:11:21: expected/);
  });

  it('an unterminated (* comment is reported where it starts', () => {
    refuses(
      'C t\n{ x=0; }\nP0(int *x) { }\nexists (x=0) (* oops',
      /^bad\.litmus:4:14: unterminated \(\* comment/,
    );
  });

  it('parsing is linear: 4,000 lines of WRITE_ONCE(*x, 1) in well under 5 s of CPU (27 s before; under 0.3 s)', () => {
    const body = Array.from({ length: 4000 }, () => '  WRITE_ONCE(*x, 1);').join('\n');
    const text = `C big\n{ x=0; }\nP0(int *x) {\n${body}\n}\nexists (x=1)`;
    const { result: t, ms } = onCpu(() => parseLitmus(text));
    assert.equal(t.processes[0]!.body.length, 4000);
    // was 27 s: every "(*x" started a comment scanned to the end of the file
    assert.ok(ms < 5000, `${ms.toFixed(0)} ms of CPU`);
  });

  it('a cast changes no value: r2 = (int **)READ_ONCE(*y) (C-WWC+o+o-data-o+o-addr-o)', () => {
    const t = parseLitmus(
      'C t\n{}\nP0(int **y) { int **r2; r2 = (int**)READ_ONCE(*y); }\nexists (0:r2=y)',
    );
    const assign = t.processes[0]!.body[1] as Extract<Stmt, { kind: 'assign' }>;
    assert.equal(assign.expr.kind, 'call');
  });

  it("diy7's doc string and key=value lines before the init block", () => {
    const t = parseLitmus(
      'C LB+gen (LBgen)\n"PodRW Rfe PodRW Rfe"\nCycle=Rfe PodRW Rfe PodRW\nGenerator=diy7\n{ x=0; }\nP0(int *x) { }\nexists (x=0)',
    );
    assert.equal(t.name, 'LB+gen');
  });

  it('(void) discards a value (Atomic-RMW-ops-are-atomic-WRT-atomic_set)', () => {
    const t = parseLitmus(
      'C t\n{ atomic_t v = ATOMIC_INIT(1); }\nP0(atomic_t *v) { (void)atomic_add_unless(v, 1, 0); }\nexists\n(v=2)',
    );
    assert.equal(t.processes[0]!.body[0]!.kind, 'expr');
  });

  it('intptr_t and uintptr_t, whose prefix is int, declare registers and parameters', () => {
    const t = parseLitmus(
      'C t\n{}\nP0(intptr_t *x) { intptr_t r1; uintptr_t r2; r1 = READ_ONCE(*x); }\nexists (0:r1=0)',
    );
    assert.deepEqual(
      t.processes[0]!.body.map((s) => s.kind),
      ['decl', 'decl', 'assign'],
    );
  });

  it('a BOM at the start is accepted', () => {
    assert.equal(parseLitmus('\uFEFFC t\n{ x=0; }\nP0(int *x) { }\nexists (x=0)').name, 't');
  });
});

describe('refused with a location', () => {
  it(`brackets nested deeper than ${MAX_NESTING}: a clean error, not a stack overflow`, () => {
    const deep = '('.repeat(1000) + '1' + ')'.repeat(1000);
    refuses(
      `C t\n{ x=0; }\nP0(int *x) { int r0 = ${deep}; }\nexists (x=0)`,
      new RegExp(`^bad\\.litmus:3:${22 + MAX_NESTING}: nested more than ${MAX_NESTING} levels`),
    );
    refuses(
      `C t\n{ x=0; }\nP0(int *x) { int r0 = ${'!'.repeat(1000)}1; }\nexists (x=0)`,
      /^bad\.litmus:3:\d+: nested more than/,
    );
  });

  const bad: [string, string, RegExp][] = [
    [
      'no header line (the name where C goes)',
      'SB+poonceonces\n{ x = 0; }\nP0(int *x) { WRITE_ONCE(*x, 1); }\nexists (x=1)',
      /^bad\.litmus:1:1: a litmus file starts with its architecture and its name, as in "C SB\+poonceonces"; found "SB\+poonceonces"$/,
    ],
    [
      'no header line at all',
      '(* a test *)\n{ x = 0; }\nP0(int *x) { WRITE_ONCE(*x, 1); }\nexists (x=1)',
      /^bad\.litmus:2:1: a litmus file starts with its architecture and its name, .*; found "\{ x = 0; \}"$/,
    ],
    [
      "P0's closing brace deleted: the error is P0's, not P1's header",
      'C t\n{ x = 0; }\nP0(int *x)\n{\n  WRITE_ONCE(*x, 1);\n\nP1(int *x)\n{\n  int r0 = READ_ONCE(*x);\n}\nexists (1:r0=1)',
      /^bad\.litmus:4:1: P0's body is not closed: its "\{" has no "\}" before P1 \(line 7\)$/,
    ],
    [
      'a header inside a comment is not a process: the error is where it is',
      'C t\n{ x = 0; }\nP0(int *x)\n{\n/*\nP1(int *x)\n*/\n  WRITE_ONCE(*x, 1) + ;\n}\nexists (x=1)',
      /^bad\.litmus:8:23: expected /,
    ],
    [
      "the last process's closing brace deleted",
      'C t\n{ x = 0; }\nP0(int *x) {\n  if (1) { WRITE_ONCE(*x, 1); }\n/* } */\nexists (x=1)',
      /^bad\.litmus:3:12: P0's body is not closed: its "\{" has no "\}" before the end of the file$/,
    ],
    [
      '4294967297 (read as 1 before)',
      'C t\n{ x = 4294967297; }\nP0(int *x) { }\nexists (x=1)',
      /^bad\.litmus:2:7: integer 4294967297 does not fit in 32 bits/,
    ],
    [
      '-2147483649',
      'C t\n{ x = 0; }\nP0(int *x) { }\nexists (x=-2147483649)',
      /^bad\.litmus:4:11: integer -2147483649 does not fit/,
    ],
    [
      'a big constant in code',
      'C t\n{ x = 0; }\nP0(int *x) { WRITE_ONCE(*x, 99999999999); }\nexists (x=1)',
      /^bad\.litmus:3:29: integer 99999999999/,
    ],
    [
      'two init items without ;',
      'C t\n{ x=1 y=2 }\nP0(int *x) { }\nexists (x=1)',
      /^bad\.litmus:2:7: expected/,
    ],
    [
      'a for loop',
      'C t\n{ x = 0; }\nP0(int *x) {\n  for (;;) { }\n}\nexists (x=0)',
      /^bad\.litmus:4:3: for statements are not supported, as herd7's C has none: write a while loop/,
    ],
    [
      'r0++',
      'C t\n{ x = 0; }\nP0(int *x) { int r0; r0++; }\nexists (x=0)',
      /^bad\.litmus:3:22: r0 \+\+ is not supported: write r0 = r0 \+ 1/,
    ],
    [
      'r0 += 2',
      'C t\n{ x = 0; }\nP0(int *x) { int r0; r0 += 2; }\nexists (x=0)',
      /^bad\.litmus:3:22: r0 \+= is not supported: write r0 = r0 \+ …/,
    ],
    [
      '--r0',
      'C t\n{ x = 0; }\nP0(int *x) { int r0; --r0; }\nexists (x=0)',
      /^bad\.litmus:3:22: --r0 is not supported: write r0 = r0 - 1/,
    ],
    [
      'a ?: b',
      'C t\n{ x = 0; }\nP0(int *x) { int r0 = 1 ? 2 : 3; }\nexists (x=0)',
      /^bad\.litmus:3:23: the conditional operator \?: is not supported: use if\/else/,
    ],
    [
      'an array',
      'C t\n{ x = 0; }\nP0(int *x) { int r0 = x[1]; }\nexists (x=0)',
      /^bad\.litmus:3:23: arrays are not supported/,
    ],
    ['no processes', 'C t\n{ x = 0; }\nexists (x=0)', /^bad\.litmus:3:1: expected .*"P"/],
  ];
  for (const [what, text, message] of bad) it(what, () => refuses(text, message));
});
