import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pageref } from '../helpers/pageref.js';

describe('pageref check --scenario family:TxR', () => {
  it('runs a parametric scenario beside a catalog one', () => {
    const out = pageref('check', '--scenario', 'getters:3x1,kiryl', '--strategy', 'classic');
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stdout, /getters:3x1\s+safe\s+3 threads × 1 round, counts ≤ 6\n/);
    assert.match(out.stdout, /kiryl\s+safe\s+2 threads, counts ≤ 2\n/);
  });
  it('putters fail on v2-inverted as expected, so the run is as the catalog expects', () => {
    const out = pageref('check', '--scenario', 'putters:2x1', '--strategy', 'v2-inverted');
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stdout, /putters:2x1\s+VIOLATION/);
  });
  it('--help lists the families', () => {
    const out = pageref('check', '--help');
    for (const f of ['getters', 'putters', 'freezers'])
      assert.match(out.stdout, new RegExp(`${f}:TxR`));
  });
  it('a size out of range is a usage error (exit 2) that gives the range', () => {
    const out = pageref('check', '--scenario', 'getters:9x1');
    assert.equal(out.status, 2);
    assert.match(out.stderr, /1 to 8 threads and 1 to 16 rounds/);
  });
});
