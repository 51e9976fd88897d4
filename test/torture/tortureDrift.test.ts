/** scripts/tortureDrift.ts, the drift demo: its table and its argument errors, never its figures. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CHILD_HANG_MS } from '../helpers/hang.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/tortureDrift.js', import.meta.url));
const drift = (...args: string[]) =>
  spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8', timeout: CHILD_HANG_MS });

it('prints a row per strategy; rfc-v1 undoes its failed gets, frozen-bit keeps them', () => {
  const r = drift('1', '1000');
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0], '1 workers × 1,000 gets of one frozen page');
  // one worker alone: nothing interrupts an undo, so these counts are certain
  assert.match(lines[2]!, /^rfc-v1 +1 +0 +0 +0 +\d+$/);
  assert.match(lines[3]!, /^frozen-bit +1000 +0 +1000 +0 +\d+$/);
});

it('a bad argument: one line, exit 2', () => {
  const r = drift('0');
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'tortureDrift: workers must be an integer from 1 to 64, got 0\n');
});
