/**
 * The condition over outcomes: evaluation, filter, the places a state shows, and vacuity,
 * exact and bounded (a 14-register condition over 815 states took 26 s).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Value } from '../../src/axiomatic/events.js';
import { MAX_NESTING, parseLitmus } from '../../src/litmus/parse.js';
import { printProp } from '../../src/litmus/printProp.js';
import { forEachAtomSide, type Prop } from '../../src/litmus/ast.js';
import { runLitmusModel } from '../../src/litmus/modelRun.js';
import { observation } from '../../src/litmus/format.js';
import { LKMM } from '../../src/axiomatic/models/index.js';
import { validate } from '../../src/litmus/validate.js';
import { onCpu } from '../helpers/cpuTime.js';
import {
  evaluate,
  finalState,
  isVacuous,
  isVacuousOverValues,
  observedPlaces,
  passesFilter,
  satisfies,
  type FinalState,
  type Outcome,
} from '../../src/litmus/condition.js';

function test(text: string) {
  const t = parseLitmus(text, 't.litmus');
  validate(t, 't.litmus');
  return t;
}

const MP = (cond: string) =>
  test(
    `C t\n{ p=y; }\nP0(int *x, int **p) { WRITE_ONCE(*x, 1); }\nP1(int **p, int *x) { int *r0; int r1; r0 = READ_ONCE(*p); r1 = READ_ONCE(*r0); }\n${cond}`,
  );
const outcome = (r0: Value, r1: Value, x: Value, p: Value): Outcome => ({
  registers: [{}, { r0, r1 }],
  memory: new Map<string, Value>([
    ['x', x],
    ['p', p],
    ['y', 0],
  ]),
});

describe('evaluation', () => {
  it('registers, locations, addresses, != and =>', () => {
    const t = MP(
      'locations [x]\nfilter (1:r1=1 \\/ 1:r0=y)\nexists (1:r0=x /\\ 1:r1=0 /\\ p != x /\\ (x=1 => [p]=y))',
    );
    assert.equal(satisfies(t, outcome('x', 0, 1, 'y')), true);
    assert.equal(satisfies(t, outcome('y', 0, 1, 'y')), false);
    assert.equal(satisfies(t, outcome('x', 0, 1, 'x')), false);
    assert.equal(passesFilter(t, outcome('x', 0, 1, 'y')), false);
    assert.equal(passesFilter(t, outcome('y', 0, 1, 'y')), true);
  });
  it("two places compared: 0:r0 == 1:r1 is herd7's LL atom", () => {
    const t = test(
      'C t\n{}\nP0(int *x) { int r0 = 1; }\nP1(int *x) { int r1 = 1; }\nexists (0:r0 == 1:r1)',
    );
    const o = (a: number, b: number): Outcome => ({
      registers: [{ r0: a }, { r1: b }],
      memory: new Map([['x', 0]]),
    });
    assert.deepEqual([satisfies(t, o(1, 1)), satisfies(t, o(1, 2))], [true, false]);
  });
  it('a place missing from an outcome is a model bug, not a 0', () => {
    const t = MP('exists (1:r1=0)');
    assert.throws(
      () => satisfies(t, { registers: [{}, {}], memory: new Map() }),
      /^Error: \[checker bug\] outcome lacks 1:r1/,
    );
  });
});

describe('the places a state shows', () => {
  it('locations [...] and the condition, registers by process then name, then [locations]', () => {
    const t = MP('locations [x; 1:r1]\nexists (p=x /\\ 1:r0=x)');
    assert.deepEqual(finalState(observedPlaces(t), outcome('x', 1, 1, 'y')), {
      places: ['1:r0', '1:r1', '[p]', '[x]'],
      values: ['x', 1, 'y', 1],
      key: '["x",1,"y",1]',
    });
  });

  it('unsigned places print and order as herd7 prints an unsigned int', () => {
    const t = test(
      'C t\n{ unsigned int u = 0; int s = 0; }\nP0(unsigned int *u, int *s) { unsigned int r0 = 0; int r1 = 0; }\nexists (0:r0=0 /\\ 0:r1=0 /\\ u=0 /\\ s=0)',
    );
    const places = observedPlaces(t);
    assert.deepEqual(
      places.map((p) => [p.kind === 'reg' ? p.name : p.name, p.unsigned ?? false]),
      [
        ['r0', true],
        ['r1', false],
        ['s', false],
        ['u', true],
      ],
    );
    const o: Outcome = {
      registers: [{ r0: -1, r1: -1 }],
      memory: new Map<string, Value>([
        ['u', -2],
        ['s', -2],
      ]),
    };
    assert.deepEqual(finalState(places, o).values, [4294967295, -1, -2, 4294967294]);
  });
});

describe('vacuity', () => {
  it('over candidates: vacuous when none satisfies the condition or passes the filter', () => {
    const t = MP('filter (1:r1=0)\nexists (1:r0=x)');
    assert.equal(isVacuous(t, [outcome('y', 0, 1, 'y'), outcome('x', 1, 1, 'x')]), true);
    assert.equal(isVacuous(t, [outcome('x', 0, 1, 'x')]), false);
    assert.equal(isVacuous(t, []), true);
  });

  const N = 14;
  const wide = (cond: string) =>
    test(
      `C wide\n{ x=0; }\n${Array.from({ length: N }, (_, i) => `P${i}(int *x) { int r0 = READ_ONCE(*x); }`).join('\n')}\nexists (${cond})`,
    );
  // 815 states over 14 registers, each taking 0, 1 or 2
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % 3);
  const states: FinalState[] = Array.from({ length: 815 }, () => {
    const values = Array.from({ length: N }, random);
    return { places: values.map((_, i) => `${i}:r0`), values, key: JSON.stringify(values) };
  });

  it("over the SC runner's values: 14 registers, 815 states, in milliseconds (was 26 s)", () => {
    const all = (v: (i: number) => number) =>
      Array.from({ length: N }, (_, i) => `${i}:r0=${v(i)}`).join(' /\\ ');
    const { ms } = onCpu(() => {
      assert.equal(isVacuousOverValues(wide(all((i) => (i === N - 1 ? 5 : 1))), states), true);
      assert.equal(isVacuousOverValues(wide(all(() => 2)), states), false);
    });
    assert.ok(ms < 5000, `${ms} ms of CPU`);
  });

  it('a condition no pruning helps stops at its budget and answers undefined, quickly', () => {
    // each atom compares two places, so no prefix decides the proposition until the end
    const pairs = Array.from(
      { length: N - 1 },
      (_, i) => `(${i}:r0=${i + 1}:r0 \\/ ${i}:r0=3)`,
    ).join(' /\\ ');
    const cond = `${pairs} /\\ 0:r0=7`;
    const { result: answer, ms } = onCpu(() => isVacuousOverValues(wide(cond), states, 10_000));
    assert.ok(answer === undefined || answer === true);
    assert.ok(ms < 5000, `${ms} ms of CPU`);
  });
});

describe('deep conditions: parsed, printed and evaluated without a recursion limit', () => {
  const file = (name: string, cond: string) =>
    `C ${name}\n{ x = 0; }\nP0(int *x) { WRITE_ONCE(*x, 1); }\nexists (${cond})\n`;
  const run = (text: string) => {
    const t = parseLitmus(text, 'deep.litmus');
    const r = runLitmusModel(t, LKMM, {}, 'deep.litmus');
    assert.equal(r.kind, 'complete');
    return r.kind === 'complete'
      ? `${observation(r.positive, r.negative)} ${t.conditionText.length}`
      : '';
  };
  it('10,000 \\/ terms, read from a file (a stack overflow before)', () => {
    const or = Array.from({ length: 10_000 }, (_, i) => `x=${i}`).join(' \\/ ');
    assert.match(run(file('or', or)), /^Always \d+$/);
    // printed as herd7 prints it: one chain, no brackets
    const t = parseLitmus(file('or', or), 'deep.litmus');
    assert.equal(t.conditionText, `exists (${or.replaceAll('x=', '[x]=')})`);
  });
  it('chains of 50,000 /\\, \\/ and =>: evaluated, printed and walked', () => {
    const atom = (v: number): Prop => ({
      kind: 'atom',
      op: '==',
      left: { kind: 'loc', name: 'x', at: { line: 1, column: 1 } },
      right: { kind: 'num', value: v, at: { line: 1, column: 1 } },
    });
    const chain = (kind: 'and' | 'or' | 'implies', n: number, v: (i: number) => number) => {
      let p = atom(v(0));
      for (let i = 1; i < n; i++) p = { kind, left: p, right: atom(v(i)) };
      return p;
    };
    const o: Outcome = { registers: [], memory: new Map([['x', 1]]) };
    const holds = (p: Prop) => evaluate(p, o);
    const N = 50_000;
    assert.equal(holds(chain('and', N, () => 1)), true);
    assert.equal(holds(chain('and', N, (i) => (i === N - 1 ? 0 : 1))), false);
    assert.equal(holds(chain('or', N, (i) => (i === N - 1 ? 1 : 0))), true);
    // (((x=0 => x=0) => x=0) …), left-associative: true after an odd number of arrows
    assert.equal(holds(chain('implies', N, () => 0)), true);
    assert.equal(holds(chain('implies', N - 1, () => 0)), false);
    assert.equal(printProp(chain('or', N, () => 1)), Array(N).fill('[x]=1').join(' \\/ '));
    let sides = 0;
    forEachAtomSide(
      chain('and', 50_000, () => 1),
      () => sides++,
    );
    assert.equal(sides, 100_000);
  });
  it('20,000 nested nots: refused where the nesting passes the limit, not a stack overflow', () => {
    assert.throws(
      () => parseLitmus(file('not', `${'not '.repeat(20_000)}x=1`), 'deep.litmus'),
      new RegExp(
        `^LitmusSyntaxError: deep\\.litmus:4:${9 + 4 * MAX_NESTING}: nested more than ${MAX_NESTING} levels deep`,
      ),
    );
    assert.match(run(file('not', `${'not '.repeat(MAX_NESTING)}x=1`)), /^Always \d+$/);
  });
});
