/**
 * The forms of herd7 7.58's C dialect beyond the kernel's calls (docs/litmus.md, "The
 * dialect"): while loops as herd7 unrolls them, herd7's internal forms (`__load{ONCE}` …),
 * C11's loads, stores and fences as herd7 runs them under linux-kernel.cfg, herd7's types and
 * condition forms; and what is refused, with its place and reason.
 */
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { parseLitmus } from '../../src/litmus/parse.js';
import { checkLitmusModel, formatModelRun, runLitmusModel } from '../../src/litmus/modelRun.js';
import { formatHerd } from '../../src/litmus/format.js';
import { LKMM } from '../../src/axiomatic/models/index.js';
import { matchesHerd7 } from '../helpers/herdGolden.js';
import { refuses } from '../helpers/refuses.js';
import { unorderedAccesses } from '../../src/litmus/unordered.js';

const DIALECT = fileURLToPath(new URL('../../../test/fixtures/litmus/dialect/', import.meta.url));

/** herd7's block for `text` under LKMM, Time left out. */
const answer = (text: string): string => {
  const test = parseLitmus(text, 'x.litmus');
  const r = runLitmusModel(test, LKMM, {}, 'x.litmus');
  assert.equal(r.kind, 'complete');
  return r.kind === 'complete' ? formatHerd(test, r) : '';
};

/** A message-passing test, its accesses written as given. */
const mp = (w: [string, string], r: [string, string], params = 'int *x, int *y') => `C MP
{}
P0(${params})
{
\t${w[0]};
\t${w[1]};
}
P1(${params})
{
\tint r0;
\tint r1;
\tr0 = ${r[0]};
\tr1 = ${r[1]};
}
exists (1:r0=1 /\\ 1:r1=0)
`;

describe('while loops, unrolled as herd7 unrolls them (-unroll 2)', () => {
  const own = (test: string) => `C Own
{}
P0(int *x)
{
\tint r0;
\tint r1 = 0;
\twhile (${test}) {
\t\tr0 = READ_ONCE(*x);
\t\tWRITE_ONCE(*x, r0 + 1);
\t\tr1 = r0;
\t}
}
exists (0:r0=1 /\\ x=2)
`;
  it('a second iteration reads the first one’s write; a third test is the cutoff: Loop Ok', () => {
    const out = answer(own('r1 == 0'));
    assert.match(out, /\nStates 1\n0:r0=1; \[x\]=2;\nLoop Ok\n/);
  });
  it('no execution gets to a third test: no Loop', () => {
    const once = `C Once\n{}\nP0(int *x) { int r0; int r1 = 0; while (r1 == 0) { r0 = READ_ONCE(*x); r1 = 1; } }\nexists (0:r0=0)\n`;
    assert.match(answer(once), /\nStates 1\n0:r0=0;\nOk\n/);
    // a loop whose test is false at once runs no iteration
    assert.match(answer(own('r1 != 0')), /\nStates 1\n0:r0=0; \[x\]=0;\nNo\n/);
  });
  it('every execution reaches the cutoff: no state, Loop No, and herd7’s warning', () => {
    const file = `${DIALECT}While+cutoff.litmus`;
    const run = checkLitmusModel(file, LKMM);
    assert.match(formatModelRun(run), /\nStates 0\nLoop No\n/);
    assert.deepEqual(run.warnings, [
      `${file}: unrolling limit exceeded at While, legal outcomes may be missing (a while loop's body runs at most twice, as herd7 -unroll 2)`,
    ]);
  });
  it('herd7’s while without parentheses: while r0 …', () => {
    const text = `C W\n{ x = 1; }\nP0(int *x) { int r0 = READ_ONCE(*x); while r0 { r0 = 0; } }\nexists (0:r0=0)\n`;
    assert.match(answer(text), /\nStates 1\n0:r0=0;\nOk\n/);
  });
  it('for, do and the rest are refused, as herd7 has none', () => {
    refuses(
      'C t\n{}\nP0(int *x) {\n  do { } while (1);\n}\nexists (x=0)',
      /^bad\.litmus:4:3: do statements are not supported, as herd7's C has none: write a while loop/,
    );
  });
});

describe("herd7's internal forms answer as the kernel's calls that expand to them", () => {
  it('__store{ONCE}, __store{RELEASE}, __fence{wmb};, __load{ACQUIRE}, __load{ONCE}', () => {
    const kernel = answer(
      mp(
        ['WRITE_ONCE(*x, 1); smp_wmb()', 'smp_store_release(y, 1)'],
        ['smp_load_acquire(y)', 'READ_ONCE(*x)'],
      ),
    );
    const internal = answer(
      mp(
        ['__store{ONCE}(*x, 1); __fence{wmb}', '__store{RELEASE}(*y, 1)'],
        ['__load{ACQUIRE}(*y)', '__load{ONCE}(*x)'],
      ),
    );
    assert.equal(internal, kernel);
    assert.match(kernel, /Never 0 3\n$/);
  });
  it('the atomic ops with their operator, &~ included', () => {
    const text = `C Ops
{ x = 7; }
P0(atomic_t *x)
{
\tint r0;
\tr0 = __atomic_fetch_op{MB}(x, &~, 2);
\t__atomic_op{NORETURN}(x, ^, 1);
\tr0 = r0 + __atomic_op_return{ACQUIRE}(x, |, 16) + __xchg{RELEASE}(x, 20) - __cmpxchg{ONCE}(x, 20, 20);
}
exists (0:r0=27 /\\ x=20)
`;
    assert.match(answer(text), /\nStates 1\n0:r0=27; \[x\]=20;\nOk\n/);
  });
  it('refused: a bare location under __load, a list of annotations', () => {
    refuses(
      mp(['__store{ONCE}(x, 1)', 'smp_wmb()'], ['0', '0']),
      /^bad\.litmus:5:16: __store\{ONCE\}\(\) takes a dereference as argument 1: write __store\{ONCE\}\(\*x, …\)/,
    );
    refuses(
      mp(['__store{ONCE,once}(*x, 1)', 'smp_wmb()'], ['0', '0']),
      /^bad\.litmus:5:2: unknown form __store\{ONCE,once\}: pageref takes one annotation per internal form/,
    );
  });
});

describe('C11 atomics, as herd7 runs them under linux-kernel.cfg', () => {
  const c11 = mp(
    [
      'atomic_store_explicit(x, 1, memory_order_relaxed)',
      'atomic_thread_fence(memory_order_seq_cst); atomic_store_explicit(y, 1, memory_order_release)',
    ],
    [
      'atomic_load_explicit(y, memory_order_acquire)',
      'atomic_load_explicit(x, memory_order_relaxed)',
    ],
    'atomic_int *x, atomic_int *y',
  );
  it('a load or store is a plain access and a fence orders nothing: plain MP’s answer', () => {
    const plain = mp(['*x = 1', '*y = 1'], ['*y', '*x']);
    assert.equal(answer(c11).replace(/MP/g, ''), answer(plain).replace(/MP/g, ''));
    assert.match(answer(c11), /\nFlag data-race\n/);
  });
  it('refused: a memory order that is none, a C11 read-modify-write, a C11 mutex', () => {
    refuses(
      c11.replace('memory_order_acquire', 'memory_order_strong'),
      /^bad\.litmus:\d+:\d+: atomic_load_explicit\(\) takes a memory order as argument 2/,
    );
    refuses(
      mp(['atomic_fetch_add_explicit(x, 1, memory_order_relaxed)', '0'], ['0', '0']),
      /atomic_fetch_add_explicit\(\): herd7 runs a C11 read-modify-write as one RMW event/,
    );
    refuses(
      mp(['lock(x)', 'unlock(x)'], ['0', '0']),
      /lock\(\): a C11 mutex, which linux-kernel\.cat does not know/,
    );
  });
});

describe("herd7's types and condition forms", () => {
  it('int8_t … uint64_t, __int128, atomic_int, _Atomic, volatile', () => {
    const text = `C T
{ long x = 1; int16_t y = 2; }
P0(volatile int64_t *x, int16_t *y, _Atomic int *z, __int128 *w)
{
\tint64_t r0 = READ_ONCE(*x);
\tuint8_t r1 = READ_ONCE(*y);
\tWRITE_ONCE(*z, r0 + r1);
}
exists (0:r0=1 /\\ 0:r1=2 /\\ z=3)
`;
    assert.deepEqual(parseLitmus(text).herd7Refuses, []);
    assert.match(answer(text), /\nOk\n/);
    // herd7 7.58 refuses a 64-bit location in the init block
    assert.match(
      parseLitmus(text.replace('long x', 'int64_t x')).herd7Refuses[0]!.what,
      /^herd7 7\.58 refuses a 64- or 128-bit type in the init block/,
    );
  });
  it('an 8- or 16-bit location ends with its low bits, and a condition compares them so', () => {
    const sized = (type: string, write: string, cond: string) =>
      answer(
        `C S\n{ ${type} x = 255; }\nP0(${type} *x) { WRITE_ONCE(*x, ${write}); }\nexists (${cond})\n`,
      );
    assert.match(sized('uint8_t', 'READ_ONCE(*x) + 1', 'x=0'), /\n\[x\]=0;\nOk\n/);
    assert.match(sized('char', '65535', 'x=-1'), /\n\[x\]=-1;\nOk\n/);
    assert.match(sized('uint16_t', '65535', 'x=-1'), /\n\[x\]=65535;\nOk\n/);
    assert.match(sized('int', '65535', 'x=-1'), /\n\[x\]=65535;\nNo\n/);
  });
  it('regions: in the code section is read and ignored, as herd7 does under LKMM', () => {
    const text = `C R\n{}\nP0(int *x) { WRITE_ONCE(*x, 1); }\nregions: x:PROP GLOBAL, y:SHARED\nexists (x=1)\n`;
    assert.match(answer(text), /\nOk\n/);
  });
  const cond = (c: string) =>
    parseLitmus(`C c\n{}\nP0(int *x) { WRITE_ONCE(*x, 1); }\n${c}\n`).conditionText;
  it('=> binds tighter than /\\ and \\/, and nests to the right, as in lib/stateParser.mly', () => {
    assert.equal(cond('exists (x=2 /\\ x=2 => x=3)'), 'exists ([x]=2 /\\ ([x]=2 => [x]=3))');
    assert.equal(cond('exists (x=1 \\/ x=2 => x=3)'), 'exists ([x]=1 \\/ ([x]=2 => [x]=3))');
    // a => (b => c) holds where (a => b) => c does not: a, b and c false
    assert.match(
      answer(`C c\n{}\nP0(int *x) { WRITE_ONCE(*x, 1); }\nexists (x=2 => x=2 => x=3)\n`),
      /\nOk\n/,
    );
    assert.match(
      answer(`C c\n{}\nP0(int *x) { WRITE_ONCE(*x, 1); }\nexists ((x=2 => x=2) => x=3)\n`),
      /\nNo\n/,
    );
  });
  it('final is exists; <> is !=', () => {
    assert.equal(cond('final (x=1 /\\ x<>2)'), 'exists ([x]=1 /\\ not ([x]=2))');
  });
  it('refused: constvar: and codevar:', () => {
    refuses(
      mp(['WRITE_ONCE(*x, constvar:a)', '0'], ['0', '0']),
      /^bad\.litmus:5:17: constvar: names a symbolic constant/,
    );
    refuses(mp(['codevar:c', '0'], ['0', '0']), /^bad\.litmus:5:2: herd7 refuses codevar:/);
  });
});

// the forms above, each in a test whose .expected is herd7 7.58's own output (linux-kernel.cfg)
matchesHerd7('the dialect tests under LKMM match herd7 7.58', DIALECT, 22);

describe('where herd7 orders accesses otherwise', () => {
  it('two accesses in one expression: herd7 evaluates the operands in parallel; a warning', () => {
    const text = `C Two
{}
P0(int *x)
{
\tint r0;
\twhile (READ_ONCE(*x) + READ_ONCE(*x) == 5)
\t\tr0 = xchg(x, 1) + READ_ONCE(*x) - 0;
}
exists (x=1)
`;
    assert.deepEqual(
      unorderedAccesses(parseLitmus(text)).map((n) => `${n.at.line}:${n.at.column}`),
      ['6:9', '7:8'],
    );
  });
});
