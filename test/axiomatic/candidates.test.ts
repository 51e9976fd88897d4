/**
 * coherentLocationChoices (the code engine's candidates) against locationChoices filtered
 * by its own consistency flag: the same choices, in the same order, on every trace choice of
 * every litmus fixture and of the refcount shapes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  coherentLocationChoices,
  locationChoices,
  product,
} from '../../src/axiomatic/candidates.js';
import { buildStructure } from '../../src/axiomatic/execution.js';
import { lockStructure } from '../../src/axiomatic/lock.js';
import { parseLitmus } from '../../src/litmus/parse.js';
import { programOf } from '../../src/litmus/traces.js';

function litmusFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return litmusFiles(p);
    return f.endsWith('.litmus') ? [p] : [];
  });
}

const key = (c: { rf: { pairs(): [number, number][] }; co: { pairs(): [number, number][] } }) =>
  JSON.stringify([c.rf.pairs(), c.co.pairs()]);

describe('coherentLocationChoices', () => {
  it('gives locationChoices’ consistent choices, in order, on every litmus fixture', () => {
    let compared = 0;
    for (const file of [
      ...litmusFiles('litmus/refcount'),
      ...litmusFiles('test/fixtures/litmus'),
    ]) {
      let program;
      try {
        program = programOf(parseLitmus(readFileSync(file, 'utf8'), file), file);
      } catch {
        continue; // refused or too large: not this test's business
      }
      let combos = 0;
      for (const traces of product(program.traces)) {
        if (++combos > 200) break;
        const s = buildStructure(program, traces);
        const l = lockStructure(s);
        for (const loc of s.locations) {
          const slow = locationChoices(s, l, loc).filter((c) => c.consistent);
          const fast = coherentLocationChoices(s, l, loc);
          assert.deepEqual(fast.map(key), slow.map(key), `${file} at ${loc}`);
          compared++;
        }
      }
    }
    assert.ok(compared > 1000, `only ${compared} locations compared`);
  });
});
