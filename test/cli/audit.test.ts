/**
 * `pageref audit` and `pageref check FILE.litmus --show`, as a user runs them: the table and
 * its drawing, the drawing after herd7's block, and bad input as a one-line usage error.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkLkmm, pageref } from '../helpers/pageref.js';

describe('pageref audit', () => {
  it('prints the table of one scenario, with the counterexample drawn', () => {
    const r = pageref('audit', '--strategy', 'classic', '--scenario', 'inc-freeze');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^ordering audit: classic under LKMM/);
    assert.match(r.stdout, /No dependency is assumed/);
    assert.match(
      r.stdout,
      /mainline\.ts:\d+ +unfreeze +atomic_set_release +release +release +once: breaks inc-freeze/,
    );
    assert.match(r.stdout, /^ +race +\w<->\w$/m);
  });

  it('--json names each site, its ordering and the weakest that stays safe', () => {
    const r = pageref('audit', '--strategy', 'classic', '--scenario', 'inc-freeze', '--json');
    assert.equal(r.status, 0, r.stderr);
    const [a] = (
      JSON.parse(r.stdout) as { audits: { sites: { fn: string; weakest: string[] }[] }[] }
    ).audits;
    assert.deepEqual(a!.sites.find((s) => s.fn === 'unfreeze')!.weakest, ['release']);
  });

  it('a bad --assume or a site no scenario reaches is a usage error', () => {
    const bad = pageref('audit', '--strategy', 'classic', '--assume', 'classic.ts:21');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /expected FILE:LINE=ORDER/);
    const far = pageref(
      'audit',
      '--strategy',
      'classic',
      '--scenario',
      'inc-unfreeze',
      '--assume',
      'classic.ts:1=once',
    );
    assert.equal(far.status, 2);
    assert.match(far.stderr, /^pageref: no scenario reaches the assumed site classic\.ts:1/m);
  });

  it('--assume FILE:LINE@WRITTEN=ORDER assumes an ordering at the site with that ordering as written', () => {
    const r = pageref(
      'audit',
      '--strategy',
      'classic',
      '--scenario',
      'inc-freeze',
      '--assume',
      'classic.ts:21@mb=acquire',
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^classic\.ts:21 +tryAdd +atomic_try_cmpxchg +acquire \(assumed\) /m);
    const bad = pageref('audit', '--strategy', 'classic', '--assume', 'classic.ts:21@mbb=acquire');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /expected FILE:LINE=ORDER/);
  });
});

describe('pageref check FILE.litmus --show', () => {
  it("draws MP's witness after herd7's block", () => {
    const r = pageref('check', 'test/fixtures/litmus/kernel/MP+poonceonces.litmus', '--show');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Observation MP\+poonceonces Sometimes 1 3\n/);
    assert.match(r.stdout, /\nMP\+poonceonces: a witness of the condition, allowed by lkmm\n/);
    assert.match(r.stdout, /\nrf +b->c\nfr +d->a\n/);
  });

  it('draws each violation of the catalog under --model lkmm, and refuses --show under sc', () => {
    const r = checkLkmm('kiryl', 'frozen-bit', '--show');
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /\nkiryl × frozen-bit\nT0 putter +\| T1 getter\n/);
    assert.match(r.stdout, /\nrace +\w<->\w\n/);
    const sc = pageref('check', '--scenario', 'inc-freeze', '--show');
    assert.equal(sc.status, 2);
    assert.match(sc.stderr, /^pageref: --show draws executions under LKMM/);
  });
});
