/** `npm run microbench`: its help, its errors, and its progress when piped (issue 10 item 8). */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CHILD_HANG_MS } from '../helpers/hang.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/microbench.js', import.meta.url));
const microbench = (...args: string[]) =>
  spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8', timeout: CHILD_HANG_MS });

it('--help prints the usage and runs nothing', () => {
  const r = microbench('--help');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^Usage: npm run microbench/);
  assert.match(r.stdout, /--reps N/);
  assert.equal(r.stderr, '');
});

it('an unknown option or a bad value: one line, exit 2', () => {
  for (const [args, message] of [
    [['--fast'], /unknown option --fast/],
    [['--reps', '0'], /--reps needs an integer from 1 to 100000, got 0/],
    [['--ms'], /--ms needs an integer .* got nothing/],
    [['--clock', 'sun'], /--clock needs wall or cpu, got sun/],
  ] as const) {
    const r = microbench(...args);
    assert.equal(r.status, 2);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
});

it('piped, the progress is one line per repetition, and the goal rows print', () => {
  const r = microbench('--reps', '1', '--ms', '1', '--clock', 'cpu');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, 'repetition 1/1\n');
  assert.match(r.stdout, /^PageCache: read\(64\) \/ PageCache: get\+put +\d+\.\d\d×/m);
  assert.match(r.stdout, /^PageCache: get\+put \/ PageRefs frozen-bit: tryGet\+decAndTest +\d/m);
});
