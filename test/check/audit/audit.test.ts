/**
 * The ordering audit (src/check/audit): it must find a weakening known to break, report an
 * ordering stronger than needed as weakenable, name sites by their source line, and repair a
 * strategy broken on purpose. Each test runs a few short scenarios (--scenario filters).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Cells } from '../../../src/cells/cells.js';
import { scenarioByName } from '../../../src/check/catalog.js';
import { audit, strongerSteps, weakerSteps } from '../../../src/check/audit/audit.js';
import { auditTable, formatAudit } from '../../../src/check/audit/auditTable.js';
import { classic } from '../../../src/refcount/classic.js';
import { frozenBit } from '../../../src/refcount/frozenBit.js';
import type { Strategy } from '../../../src/refcount/strategy.js';

const scenarios = (...names: string[]) => names.map((n) => scenarioByName(n)!);
const siteOf = (a: ReturnType<typeof audit>, kernelCall: string) =>
  a.sites.find((s) => s.site.kernelCall === kernelCall)!;

/** classic, with the try-get's first read made atomic_read_acquire: stronger than needed. */
const acquireRead: Strategy = {
  ...classic,
  name: 'classic-acquire-read',
  tryGet: (c: Cells, p: number) => {
    let old = c.load(p, 'acquire'); // atomic_read_acquire()
    while (old !== 0) {
      const seen = c.cas(p, old, (old + 1) | 0, 'mb'); // atomic_try_cmpxchg()
      if (seen === old) return true;
      old = seen;
    }
    return false;
  },
};

/** frozen-bit with page_ref_unfreeze() as a plain atomic_set(): broken on purpose. */
const onceUnfreeze: Strategy = {
  ...frozenBit,
  name: 'frozen-bit-once-unfreeze',
  unfreeze: (c: Cells, p: number, count: number) => c.store(p, count, 'once'), // atomic_set()
};

describe('the ordering audit', () => {
  it('steps one ordering at a time, as atomic_t.txt orders them', () => {
    assert.deepEqual(weakerSteps('cas', 'mb'), ['acquire', 'release']);
    assert.deepEqual(weakerSteps('sub', 'acquire'), ['relaxed']);
    assert.deepEqual(weakerSteps('add', 'noreturn'), []);
    assert.deepEqual(weakerSteps('load', 'acquire'), ['once']);
    assert.deepEqual(weakerSteps('store', 'release'), ['once']);
    assert.deepEqual(strongerSteps('cas', 'relaxed'), ['acquire', 'release']);
    assert.deepEqual(strongerSteps('store', 'once'), ['release']);
  });

  it("finds that unfreeze's release is needed, with inc-freeze's race as the counterexample", () => {
    const a = audit(classic, scenarios('inc-freeze'), { repairs: false });
    const u = siteOf(a, 'atomic_set_release');
    assert.equal(u.site.file, 'src/refcount/mainline.ts');
    assert.equal(u.site.fn, 'unfreeze');
    assert.equal(u.order, 'release');
    assert.deepEqual(u.weakest, ['release']);
    const t = u.trials.find((x) => x.order === 'once')!;
    assert.equal(t.outcome, 'breaks');
    assert.equal(t.scenario, 'inc-freeze');
    assert.equal(t.result?.kind, 'dataRace');
    assert.ok(t.result?.witness, 'the counterexample is kept for its drawing');
  });

  it('reports an unneeded acquire as weakenable to once', () => {
    const a = audit(acquireRead, scenarios('inc-free', 'inc-freeze'), { repairs: false });
    const read = siteOf(a, 'atomic_read_acquire');
    assert.equal(read.site.fn, 'tryGet');
    assert.match(read.site.file, /test\/check\/audit\/audit\.test\.ts$/);
    assert.equal(read.order, 'acquire');
    assert.deepEqual(read.weakest, ['once']);
    assert.deepEqual(
      read.trials.map((t) => [t.order, t.outcome]),
      [['once', 'safe']],
    );
  });

  it('a strategy broken on purpose is not judged by the scenario it breaks, and the repair is found', () => {
    const a = audit(onceUnfreeze, scenarios('inc-freeze'));
    assert.equal(a.baseline[0]!.verdict, 'violation');
    assert.deepEqual(a.judged, []);
    const repair = a.repairs.find((r) => r.site.site.fn === 'unfreeze')!;
    assert.equal(repair.order, 'release');
    assert.equal(repair.verdict, 'safe');
    // no scenario judges, so no weaker ordering is called safe: nothing was run for it
    for (const site of a.sites) {
      assert.ok(
        site.trials.every((t) => t.outcome !== 'safe'),
        `${site.site.key}: ${JSON.stringify(site.trials.map((t) => t.outcome))}`,
      );
      assert.deepEqual(site.weakest, [site.order]);
    }
  });

  it('prints the table, says no dependency is assumed, and draws the counterexample', () => {
    const a = audit(classic, scenarios('inc-freeze'), { repairs: false });
    const text = formatAudit(
      auditTable(a, 'pageref audit --strategy classic --scenario inc-freeze'),
    );
    assert.match(text, /No dependency is assumed/);
    assert.match(
      text,
      /mainline\.ts:\d+ +unfreeze +atomic_set_release +release +release +once: breaks inc-freeze \(dataRace\) \[\d\]/,
    );
    assert.match(text, /race +\w<->\w/);
  });
});
