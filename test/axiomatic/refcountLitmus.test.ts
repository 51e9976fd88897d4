/**
 * Golden tests: litmus/refcount/, the v4 frozen-bit functions with their real orderings and
 * weakened variants, under LKMM (the .expected beside each file, written by this checker:
 * `npm run promote-litmus`), and each header's `Result:` agrees.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkLitmusModel, formatModelRun } from '../../src/litmus/modelRun.js';
import { LKMM, SC } from '../../src/axiomatic/models/index.js';

const DIR = fileURLToPath(new URL('../../../litmus/refcount/', import.meta.url));
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.litmus'))
  .sort();
const withoutTime = (text: string) =>
  text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('Time '))
    .join('\n');

describe('litmus/refcount under LKMM', () => {
  it('the files are here', () => assert.ok(FILES.length >= 9));
  for (const f of FILES) {
    it(f, () => {
      const run = checkLitmusModel(DIR + f, LKMM);
      const got = withoutTime(formatModelRun(run));
      assert.equal(got, withoutTime(readFileSync(DIR + f + '.expected', 'utf8')));
      const documented = /Result: (Never|Sometimes|Always)/.exec(readFileSync(DIR + f, 'utf8'));
      assert.ok(documented, `${f} states its Result`);
      assert.match(got, new RegExp(`\\nObservation \\S+ ${documented[1]} `));
    });
  }
  it('the v4 orderings forbid every bad outcome; the weakened ones do not', () => {
    const observation = (f: string) =>
      /Observation \S+ (\w+)/.exec(readFileSync(DIR + f + '.expected', 'utf8'))![1];
    for (const f of ['Unfreeze+TryGet', 'Put+Freeze', 'DecAndTest+DecAndTest'])
      assert.equal(observation(`${f}.litmus`), 'Never', f);
    for (const f of ['UnfreezeRelaxed+TryGet', 'Unfreeze+TryGetRelaxed', 'Put+FreezeRelaxed'])
      assert.equal(observation(`${f}.litmus`), 'Sometimes', f);
  });
  it('under SC every bad outcome is Never (JS Atomics are SC)', () => {
    for (const f of FILES) {
      const r = checkLitmusModel(DIR + f, SC).result;
      assert.ok(r.kind === 'complete' && r.positive === 0, f);
    }
  });
});
