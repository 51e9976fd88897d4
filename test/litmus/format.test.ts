/**
 * herd7's output block, checked against herd7's own: for each kernel test, the states of its
 * .expected file, shuffled, printed again must give the file back (Hash aside). That pins
 * the order of places and of states, value printing (`1:r0=x`, `[x]=1`), the Condition line,
 * Ok/No and the Witnesses swap of ~exists.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Value } from '../../src/axiomatic/events.js';
import { parseLitmus } from '../../src/litmus/parse.js';
import { validate } from '../../src/litmus/validate.js';
import { observedPlaces, type FinalState } from '../../src/litmus/condition.js';
import { formatHerd } from '../../src/litmus/format.js';

const KERNEL = fileURLToPath(new URL('../../../test/fixtures/litmus/kernel/', import.meta.url));

/** herd7's block, read back: its states, counts and flags. */
function readBlock(text: string) {
  const lines = text.split('\n');
  const n = Number(lines[1]!.replace('States ', ''));
  const states: FinalState[] = lines.slice(2, 2 + n).map((line) => {
    const pairs = line
      .split(';')
      .map((p) => p.trim())
      .filter((p) => p)
      .map((p) => p.split('='));
    const values: Value[] = pairs.map(([, v]) => (/^-?\d+$/.test(v!) ? Number(v) : v!));
    return { places: pairs.map(([p]) => p!), values, key: JSON.stringify(values) };
  });
  const [, , pos, neg] = text.match(/^Observation \S+ (\w+) (\d+) (\d+)$/m)!;
  const flags = [...text.matchAll(/^Flag (.*)$/gm)].map((m) => m[1]!);
  return { states, positive: Number(pos), negative: Number(neg), flags };
}

/** A fixed shuffle (reversal plus an interleave), so the printer must sort. */
const shuffle = <T>(xs: T[]): T[] => {
  const r = [...xs].reverse();
  return [...r.filter((_, i) => i % 2 === 1), ...r.filter((_, i) => i % 2 === 0)];
};

const withoutHash = (s: string) =>
  s
    .split('\n')
    .filter((l) => !l.startsWith('Hash=') && !l.startsWith('Time '))
    .join('\n')
    .trimEnd();

describe("herd7's block", () => {
  const files = readdirSync(KERNEL).filter((f) => f.endsWith('.litmus'));
  for (const f of files) {
    it(`${f}: states in herd7's order, every line as herd7 prints it`, () => {
      const test = parseLitmus(readFileSync(KERNEL + f, 'utf8'), f);
      validate(test, f);
      const expected = readFileSync(KERNEL + f + '.expected', 'utf8');
      const block = readBlock(expected);
      assert.deepEqual(
        observedPlaces(test).map((p) =>
          p.kind === 'reg' ? `${p.thread}:${p.name}` : `[${p.name}]`,
        ),
        block.states[0]!.places,
      );
      const out = formatHerd(test, { ...block, states: shuffle(block.states) });
      assert.equal(out.trimEnd(), withoutHash(expected));
    });
  }

  it('~exists is Forbidden, Ok when nothing satisfies it, and swaps the witnesses', () => {
    const test = parseLitmus('C t\n{ x=0; }\nP0(int *x) { WRITE_ONCE(*x, 1); }\n~exists (x=2)');
    const state: FinalState = { places: ['[x]'], values: [1], key: '[1]' };
    const out = formatHerd(test, {
      states: [state],
      positive: 0,
      negative: 3,
      flags: ['data-race'],
    });
    assert.equal(
      out,
      'Test t Forbidden\nStates 1\n[x]=1;\nOk\nWitnesses\nPositive: 3 Negative: 0\nFlag data-race\n' +
        'Condition ~exists ([x]=2)\nObservation t Never 0 3\n',
    );
  });

  it('values order as herd7 orders them: negative numbers first, addresses last, by name', () => {
    const test = parseLitmus('C t\n{ p=x; }\nP0(int **p, int *x, int *y) { }\nexists (p=x)');
    const s = (v: Value): FinalState => ({ places: ['[p]'], values: [v], key: String(v) });
    const out = formatHerd(test, {
      states: [s('y'), s(2), s('x'), s(-1)],
      positive: 1,
      negative: 3,
    });
    assert.match(out, /^States 4\n\[p\]=-1;\n\[p\]=2;\n\[p\]=x;\n\[p\]=y;\nOk\n/m);
  });
});
