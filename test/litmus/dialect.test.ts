/**
 * herd7 7.58's C dialect, both ways: what the project ships runs under herd7 unchanged; what
 * pageref reads but herd7's C front end (lib/CLexer.mll, lib/CParser.mly) refuses is named in
 * a warning; and what herd7 answers, pageref answers as herd7 does (address arithmetic as
 * lib/symbValue.ml computes it, `void P0`, a test without a condition, int32_t).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseLitmus } from '../../src/litmus/parse.js';
import { runLitmusModel } from '../../src/litmus/modelRun.js';
import { formatHerd } from '../../src/litmus/format.js';
import { LKMM } from '../../src/axiomatic/models/index.js';
import { pageref, ROOT } from '../helpers/pageref.js';
import { refuses } from '../helpers/refuses.js';

/** The .litmus files in git under `dir`, relative to the repository's root. */
function tracked(dir: string): string[] {
  return execFileSync('git', ['ls-files', `${dir}/*.litmus`], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
}

/** The processes' code, comments removed: where herd7's C lexer reads. */
function codeOf(text: string): string {
  const bodies = text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|\(\*[\s\S]*?\*\)/g, ' ');
  const start = bodies.search(/\bP0\s*\(/);
  const end = bodies.search(/\n\s*(exists|~\s*exists|forall|locations|filter)\b/);
  return bodies.slice(start, end < 0 ? undefined : end);
}

const notes = (text: string) =>
  parseLitmus(text, 'x.litmus').herd7Refuses.map((n) => `${n.at.line}:${n.at.column} ${n.what}`);

const answer = (text: string) => {
  const test = parseLitmus(text, 'x.litmus');
  const r = runLitmusModel(test, LKMM, {}, 'x.litmus');
  assert.equal(r.kind, 'complete');
  return r.kind === 'complete' ? formatHerd(test, r) : '';
};

describe('what the project ships runs under herd7 unchanged', () => {
  const shipped = tracked('litmus');
  it(`the ${shipped.length} .litmus files of litmus/ have no hex constant in code`, () => {
    assert.ok(shipped.length >= 13);
    for (const f of shipped) {
      const code = codeOf(readFileSync(ROOT + f, 'utf8'));
      assert.ok(code.length > 0, f);
      assert.doesNotMatch(code, /\b0x[0-9a-f]/i, `${f}: herd7 7.58 refuses 0x… in code`);
      for (const n of code.match(/\b\d+\b/g) ?? [])
        assert.ok(Number(n) <= 2147483648, `${f}: ${n} is past herd7's signed 32 bits`);
    }
  });
  it('no shipped file, and no herd7 test of the fixtures, uses a construct herd7 refuses', () => {
    const herds = [
      ...tracked('test/fixtures/litmus/kernel'),
      ...tracked('test/fixtures/litmus/herd-linux'),
      ...tracked('test/fixtures/litmus/dialect'),
    ];
    assert.ok(herds.length > 100);
    for (const f of [...shipped, ...herds])
      assert.deepEqual(notes(readFileSync(ROOT + f, 'utf8')), [], f);
  });
});

describe('input herd7 would refuse gets a warning that says so', () => {
  it('each construct, at its place, with what to write instead', () => {
    const text = `C refused
{ x = 0x10; }
P0(int *x, unsigned int *y, int z)
{
\tint r0, r1;
\tu32 r2 = 0x80000000;
\tr0 = READ_ONCE(*x) % 2;
\tr1 = !r0 && r0 << 1;
\tr2 = r1 -1;
\tr2 = -r1;
\tr2 = - 1;
\tr2 = -1;
\tr2 = -2147483648;
\tr2 = 2147483648;
\tr1 = (bool)r0;
\tWRITE_ONCE(*x, &y);
\t;
\tif (r0) {}
\tr1 = r0 == 1 == 1;
}
exists (x=0x10)
`;
    const got = notes(text);
    const expect: [string, RegExp][] = [
      ['3:12', /does not know the type unsigned int/],
      ['3:29', /takes pointers only as parameters: write int \*z/],
      ['5:2', /one register per declaration: write int r0; int r1;/],
      ['6:2', /does not know the type u32/],
      ['6:11', /decimal constants only: write -2147483648 for 0x80000000/],
      ['7:21', /no operator %/],
      ['8:7', /no unary !/],
      ['8:11', /no operator &&/],
      ['8:17', /no operator <</],
      ['9:10', /lexes -1… here as a negative constant/],
      ['10:7', /no unary -/],
      ['11:7', /no unary -/],
      ['14:7', /signed 32-bit integer, at most 2147483647: write -2147483648 for 2147483648/],
      ['15:7', /does not know the type bool/],
      ['16:17', /no & operator: pass y as a parameter/],
      ['17:2', /no empty statement/],
      ['18:10', /empty block/],
      ['19:7', /comparisons do not chain/],
    ];
    for (const [at, what] of expect)
      assert.ok(
        got.some((g) => g.startsWith(`${at} `) && what.test(g)),
        `${at} ${what}\nin\n${got.join('\n')}`,
      );
    assert.equal(got.length, expect.length, got.join('\n'));
    // the init block and the condition are herd7's state syntax, where 0x10 is fine
    assert.ok(got.every((g) => !g.startsWith('2:') && !g.startsWith('21:')));
  });
  it("where herd7's splitter and state lexer read the file otherwise", () => {
    const text = `C
MP:o
{ x = 0; /* y */ }
(* between processes *)
P0(int *x)
{
\t/* the write exists for P1 */
\tWRITE_ONCE(*x, 1); // "quoted
}
exists (x=1) // done
`;
    assert.deepEqual(notes(text), [
      "1:2 herd7 reads the architecture and the test's name on one line, with blanks between",
      '2:1 herd7 names this test MP: a name takes letters, digits and _ / . - + [ ]',
      '3:10 herd7 reads (* *) comments only in the init block and the condition (lib/stateLexer.mll): write (* … *)',
      '4:1 herd7 reads C comments only between the processes (lib/CLexer.mll): write /* … */',
      `7:15 herd7's splitter ends the code at the word "exists" (lib/splitter.mll): reword it, or rename what it names`,
      '10:14 herd7 reads (* *) comments only in the init block and the condition (lib/stateLexer.mll): write (* … *)',
    ]);
    // a string that does not close on its line: the splitter stops there
    assert.deepEqual(
      notes(`C q\n{}\nP0(int *x) { WRITE_ONCE(*x, 1); /* "a */ }\nexists (x=1)\n`).map((n) =>
        n.slice(0, 40),
      ),
      ["3:36 herd7's splitter reads a string fro"],
    );
    // the init block: herd7's atom_init
    const init = (item: string) =>
      notes(`C q\n{ ${item} }\nP0(int *x) { WRITE_ONCE(*x, 1); }\nexists (x=1)\n`);
    assert.deepEqual(init('unsigned int x = 1;'), [
      '2:3 herd7 takes a type of one word and one * at most in the init block (lib/stateParser.mly), not unsigned int',
    ]);
    assert.match(init('int **p = x;')[0]!, /^2:3 .*, not int\*\*$/);
    assert.match(init('x = ATOMIC_INIT(1);')[0]!, /^2:3 herd7 takes ATOMIC_INIT after a type only/);
    for (const ok of ['int *p = &x;', 'atomic_t x = ATOMIC_INIT(1);', '[x] = 2;', 'spinlock_t l;'])
      assert.deepEqual(init(ok), [], ok);
    // a name that merely contains a keyword is a name: my_exists, existsx
    assert.deepEqual(
      notes(
        `C q\n{}\nP0(int *x) { int my_exists = 1; int existsx = 2; WRITE_ONCE(*x, 1); }\nexists (x=1)\n`,
      ),
      [],
    );
  });
  it('check prints each as a located warning on stderr, and still answers (exit 0)', () => {
    const out = pageref('check', 'test/fixtures/litmus/lkmm/Hex+Herd7Refuses.litmus');
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stdout, /^Test Hex\+Herd7Refuses Allowed\n/);
    assert.deepEqual(out.stderr.trimEnd().split('\n'), [
      "pageref: warning: test/fixtures/litmus/lkmm/Hex+Herd7Refuses.litmus:12:68: herd7's C lexer reads decimal constants only: write -2147483648 for 0x80000000 (herd7 refuses the file; pageref runs it)",
    ]);
  });
});

describe('what herd7 answers, pageref answers as herd7 does', () => {
  const mp = (dep: string, load = '*(y + r1)') => `C MP+wmb+addr
{ x = 0; y = 0; }
void P0(int *x, int *y)
{
\tWRITE_ONCE(*y, 1);
\tsmp_wmb();
\tWRITE_ONCE(*x, 1);
}
P1(int *x, int *y)
{
\tint r0;
\tint r1;
\tint r2;
\tr0 = READ_ONCE(*x);
\tr1 = ${dep};
\tr2 = READ_ONCE(${load});
}
exists (1:r0=1 /\\ 1:r2=0)
`;
  it("diy7's address dependency, *(y + r1) with r1 = r0 ^ r0, orders as an addr (Never)", () => {
    assert.match(answer(mp('r0 ^ r0')), /\nObservation MP\+wmb\+addr Never 0 3\n/);
    // the same address without the dependency: Sometimes
    assert.match(answer(mp('0')), /\nObservation MP\+wmb\+addr Sometimes 1 3\n/);
    // the other forms herd7 computes on an address: 0 + y, y - 0, y | 0, y ^ y = 0, y - y = 0
    const loads = ['*(r1 + y)', '*(y - r1)', '*(y | r1)', '*(y + ((y ^ y) + r1))', '*(y+(x-x+r1))'];
    for (const load of loads) assert.match(answer(mp('r0 ^ r0', load)), /Never 0 3\n/, load);
  });
  it('an address moved off its location, or an operation herd7 refuses, is refused with its place', () => {
    refusesToRun(
      mp('r0 ^ r0', '*(y + 1)'),
      /x\.litmus:16:\d+: \+ 1 moves the address &y off the location y/,
    );
    refusesToRun(
      mp('r0 ^ r0', '*(y * r1)'),
      /x\.litmus:16:\d+: \* applied to the address &y: herd7 allows/,
    );
  });
  it('a binary + or - right before a digit: r1 +1 (refused before: [+-=] was a range)', () => {
    assert.match(answer(mp('r0 ^ r0 +0')), /Never 0 3\n/);
    assert.match(answer(mp('r0 - r0 -0')), /Never 0 3\n/);
  });
  it('void P0, a test without a final condition (forall (true)), int32_t and uint32_t', () => {
    const text = `C NoCondition
{}
void *P0(int32_t *x)
{
\tuint32_t r0 = READ_ONCE(*x);
}
`;
    assert.deepEqual(notes(text), []);
    const out = answer(text);
    assert.match(out, /^Test NoCondition Required\n/);
    assert.match(out, /\nCondition forall \(true\)\nObservation NoCondition Always 1 0\n/);
  });
  it('a bad condition is still refused where it goes wrong', () => {
    refuses(`C bad\n{}\nP0(int *x) { WRITE_ONCE(*x, 1); }\nexist (x=1)\n`, /^bad\.litmus:4:1: /);
  });
});

function refusesToRun(text: string, message: RegExp): void {
  assert.throws(() => runLitmusModel(parseLitmus(text, 'x.litmus'), LKMM, {}, 'x.litmus'), message);
}
