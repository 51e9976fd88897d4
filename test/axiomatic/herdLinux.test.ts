/**
 * Golden tests, the larger corpus: herdtools7's 79 catalogue/linux tests
 * (test/fixtures/litmus/herd-linux/README.md: origin and licences) under LKMM print herd7's
 * block, line for line, as herdtools7 stores it in each NAME.litmus.expected, apart from the
 * Time and Hash lines. pageref's own remarks follow the block, each line starting `pageref:`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkLitmusModel, formatModelRun } from '../../src/litmus/modelRun.js';
import { LKMM } from '../../src/axiomatic/models/index.js';

const DIR = fileURLToPath(new URL('../../../test/fixtures/litmus/herd-linux/', import.meta.url));
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.litmus'))
  .sort();

/** herd7's block: without Time and Hash, and without pageref's remarks after it. */
const herdBlock = (text: string) =>
  text
    .split('\n')
    .filter((l) => l !== '' && !/^(Time |Hash=|pageref: )/.test(l))
    .join('\n');

describe("herdtools7's catalogue/linux tests under LKMM match herd7", () => {
  it('all 79 are here, each with its .expected', () => {
    assert.equal(FILES.length, 79);
    for (const f of FILES) assert.ok(readFileSync(DIR + f + '.expected', 'utf8').length > 0, f);
  });
  for (const f of FILES) {
    it(f, () => {
      const got = formatModelRun(checkLitmusModel(DIR + f, LKMM));
      assert.equal(herdBlock(got), herdBlock(readFileSync(DIR + f + '.expected', 'utf8')));
    });
  }
});
