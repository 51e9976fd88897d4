/**
 * Two implementations of sequential consistency must agree: the interleaving runner (the
 * processes' code run on the checker's explorer, every interleaving) and the axiomatic SC
 * model (candidate executions kept when po ∪ rf ∪ co ∪ fr is acyclic). On every litmus file
 * of the repository that the interleaving runner accepts, the two give the same final states
 * and the same observation; their witness counts differ on purpose (interleavings against
 * executions).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { SC } from '../../src/axiomatic/models/index.js';
import { checkLitmusFile } from '../../src/litmus/checkFile.js';
import { litmusFiles } from '../../src/litmus/golden.js';
import { checkLitmusModel } from '../../src/litmus/modelRun.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FILES = [
  ...litmusFiles(join(ROOT, 'litmus')),
  ...litmusFiles(join(ROOT, 'test/fixtures/litmus/kernel')),
  ...litmusFiles(join(ROOT, 'test/fixtures/litmus/herd-linux')),
];

describe('SC twice: the interleaving runner and the axiomatic model agree', () => {
  let compared = 0;
  for (const file of FILES) {
    const name = file.slice(ROOT.length);
    it(name, (t) => {
      // Count limits decide what is compared; the time limits are their 60 s defaults (the
      // slowest file takes under 0.5 s on a busy machine), so the same files are compared
      // however busy the machine is.
      let interleaved;
      try {
        interleaved = checkLitmusFile(file, { maxStates: 200_000 });
      } catch (e) {
        // locks, pointers, RCU: the interleaving runner refuses them and names --model lkmm
        if (/cannot be run under SC/.test((e as Error).message)) return t.skip('refused under SC');
        throw e;
      }
      if (interleaved.result.kind !== 'complete') return t.skip('interleavings past the limit');
      const axiomatic = checkLitmusModel(file, SC).result;
      assert.equal(axiomatic.kind, 'complete');
      if (axiomatic.kind !== 'complete') return;
      assert.deepEqual(
        interleaved.result.states.map((s) => s.state.key).sort(),
        axiomatic.states.map((s) => s.key).sort(),
      );
      assert.equal(
        interleaved.result.observation,
        axiomatic.positive === 0 ? 'Never' : axiomatic.negative === 0 ? 'Always' : 'Sometimes',
      );
      compared++;
    });
  }
  it('compares most of them', () => {
    // the kernel's and herd's tests without locks or pointers, the seeds, the refcount tests
    assert.ok(compared >= 60, `only ${compared} files compared`);
  });
});
