/**
 * Golden files: every litmus file in the repository has `.expected` beside it, and each one
 * this front end answers (SC runs, refusals, LKMM runs outside kernel/ and refcount/, which
 * the model's tests check) is what the code prints now. A failure shows the diff; if the
 * change is meant, `npm run promote-litmus` and commit.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GOLDEN_DIRS, goldenKind, goldenOutput, litmusFiles } from '../../src/litmus/golden.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FILES = GOLDEN_DIRS.flatMap((d) => litmusFiles(join(ROOT, d)));

describe('golden files', () => {
  it('every litmus file has its .expected beside it', () => {
    assert.ok(FILES.length >= 35 + 4 + 6 + 6, String(FILES.length));
    const missing = FILES.filter((f) => !existsSync(f + '.expected')).map((f) => relative(ROOT, f));
    assert.deepEqual(missing, []);
  });
  const mine = FILES.filter((f) => goldenKind(f) !== 'herd7' && !f.split(sep).includes('refcount'));
  for (const file of mine) {
    it(`${relative(ROOT, file)} (${goldenKind(file)})`, () => {
      assert.equal(goldenOutput(file), readFileSync(file + '.expected', 'utf8'));
    });
  }
  // judged as the kernel's judgelitmus.sh judges herd7's output: a DATARACE in the Result
  // line must come with Flag data-race, and then the Never/Sometimes/Always part is forgiven
  it("each file's documented Result: is its golden's Observation", () => {
    for (const f of mine.filter((x) => goldenKind(x) !== 'error')) {
      const documented = /Result: (Never|Sometimes|Always)( DATARACE)?/.exec(
        readFileSync(f, 'utf8'),
      );
      if (!documented) continue;
      const golden = readFileSync(f + '.expected', 'utf8');
      if (documented[2]) {
        assert.match(golden, /\nFlag data-race\n/, f);
        continue;
      }
      assert.match(golden, new RegExp(`\\nObservation \\S+ ${documented[1]} `), f);
    }
  });

  it('errors/ holds only refusals with a file:line:column', () => {
    for (const f of mine.filter((x) => goldenKind(x) === 'error'))
      assert.match(readFileSync(f + '.expected', 'utf8'), /^[^:\n]+\.litmus:\d+:\d+: .+\n$/);
  });

  it('npm run promote-litmus -- FILE writes FILE.expected, and only when it changed', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'promote-')), 'sc');
    mkdirSync(dir);
    const file = join(dir, 'LB+poonceonces.litmus');
    copyFileSync(join(ROOT, 'test/fixtures/litmus/sc/LB+poonceonces.litmus'), file);
    writeFileSync(file + '.expected', 'stale\n');
    const promote = () =>
      execFileSync(process.execPath, [join(ROOT, 'dist/scripts/promote-litmus.js'), file], {
        encoding: 'utf8',
      });
    assert.match(
      promote(),
      /^promoted .*LB\+poonceonces\.litmus\.expected\n1 golden file written, 1 checked\n$/,
    );
    assert.equal(
      readFileSync(file + '.expected', 'utf8'),
      readFileSync(join(ROOT, 'test/fixtures/litmus/sc/LB+poonceonces.litmus.expected'), 'utf8'),
    );
    assert.match(promote(), /^0 golden files written, 1 checked\n$/);
  });
});
