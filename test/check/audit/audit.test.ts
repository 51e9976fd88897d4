/**
 * The ordering audit (src/check/audit): it must find a weakening known to break, report an
 * ordering stronger than needed as weakenable, name sites by their source line, and repair a
 * strategy broken on purpose. Each test runs a few short scenarios (--scenario filters).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CasOrder, Cells } from '../../../src/cells/cells.js';
import { scenarioByName } from '../../../src/check/catalog.js';
import { audit, type AuditOptions } from '../../../src/check/audit/audit.js';
import { strongerSteps, weakerSteps } from '../../../src/check/audit/orderSteps.js';
import { auditTable, auditTables, formatAudit } from '../../../src/check/audit/auditTable.js';
import { classic } from '../../../src/refcount/classic.js';
import { frozenBit } from '../../../src/refcount/frozenBit.js';
import { FROZEN_BIT } from '../../../src/refcount/layout.js';
import type { Strategy } from '../../../src/refcount/strategy.js';

const scenarios = (...names: string[]) => names.map((n) => scenarioByName(n)!);
/**
 * The audit with each run's time limit far past any run's time on a loaded machine (a safety
 * net against a hang): a trial stopped at its limit would be unknown, not what is asserted.
 */
const auditOf = (s: Strategy, sc: ReturnType<typeof scenarios>, o: AuditOptions = {}) =>
  audit(s, sc, { maxSeconds: 600, ...o });
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

/**
 * onceUnfreeze with its get's increment release, not fully ordered: broken twice, so that no
 * single strengthening makes inc-freeze safe.
 */
const twiceBroken: Strategy = {
  ...onceUnfreeze,
  name: 'frozen-bit-twice-broken',
  tryGet: (c: Cells, p: number) => ((c.add(p, 1, 'release') + 1) & FROZEN_BIT) === 0, // atomic_add_return_release()
};

/** A cmpxchg whose ordering its callers give: one line, a site per ordering. */
function cmpxchg(c: Cells, p: number, old: number, next: number, order: CasOrder): number {
  return c.cas(p, old, next, order); // atomic_cmpxchg()
}

/**
 * classic with the try-get's and the freeze's cmpxchg made by one helper, fully ordered for
 * the get and acquire for the freeze: weakening the get's to release breaks inc-freeze, and
 * the freeze's to relaxed does not.
 */
const sharedCmpxchg: Strategy = {
  ...classic,
  name: 'classic-shared-cmpxchg',
  tryGet: (c: Cells, p: number) => {
    let old = c.load(p, 'once'); // atomic_read()
    while (old !== 0) {
      const seen = cmpxchg(c, p, old, (old + 1) | 0, 'mb');
      if (seen === old) return true;
      old = seen;
    }
    return false;
  },
  freeze: (c: Cells, p: number, count: number) => cmpxchg(c, p, count, 0, 'acquire') === count,
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
    const a = auditOf(classic, scenarios('inc-freeze'), { repairs: false });
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
    const a = auditOf(acquireRead, scenarios('inc-free', 'inc-freeze'), { repairs: false });
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
    const a = auditOf(onceUnfreeze, scenarios('inc-freeze'));
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

  it('audits again on top of the repair, so that the scenario it repairs judges the other sites', () => {
    const a = auditOf(onceUnfreeze, scenarios('inc-freeze'));
    const get = (r: ReturnType<typeof audit>) => siteOf(r, 'atomic_add_return');
    // as written, inc-freeze violates: nothing judges the get's increment
    assert.ok(get(a).trials.every((t) => t.outcome === 'unknown'));
    assert.deepEqual(a.unrepaired, []);
    const on = a.onRepair!;
    assert.ok(on, 'the repair is audited on');
    // the unfreeze's store (this file's line) as release
    assert.match(on.site, /^audit\.test\.ts:\d+$/);
    assert.deepEqual([on.order, on.repairs], ['release', ['inc-freeze']]);
    assert.deepEqual(on.audit.assumed, { [on.site]: 'release' });
    assert.deepEqual(on.audit.judged, ['inc-freeze']);
    // on top of it, inc-freeze judges: release breaks it, acquire does not
    assert.deepEqual(
      get(on.audit).trials.map((t) => [t.order, t.outcome]),
      [
        ['acquire', 'safe'],
        ['release', 'breaks'],
        ['relaxed', 'breaks'],
      ],
    );
    const tables = auditTables(a, 'test');
    assert.equal(tables.length, 2);
    assert.match(
      formatAudit(tables[1]!),
      /^ordering audit: frozen-bit-once-unfreeze under LKMM \([^)]*\), with audit\.test\.ts:\d+ as release assumed;/,
    );
    assert.equal(
      auditOf(onceUnfreeze, scenarios('inc-freeze'), { onRepair: false }).onRepair,
      undefined,
    );
  });

  it('a scenario that no single repair makes safe stays unjudged, and is listed', () => {
    const a = auditOf(twiceBroken, scenarios('inc-freeze'));
    assert.equal(a.baseline[0]!.verdict, 'violation');
    assert.ok(a.repairs.length > 0 && a.repairs.every((r) => r.verdict === 'violation'));
    assert.deepEqual(a.unrepaired, ['inc-freeze']);
    assert.equal(a.onRepair, undefined);
    assert.match(
      formatAudit(auditTable(a, 'test')),
      /^made safe by no single strengthening, so judged by no audit: inc-freeze$/m,
    );
  });

  it('a helper called with two orderings is a site per ordering, each weakened whole', () => {
    const a = auditOf(sharedCmpxchg, scenarios('inc-freeze'), { repairs: false });
    const helper = a.sites.filter((s) => s.site.fn === 'cmpxchg');
    assert.deepEqual(
      helper.map((s) => [s.written, s.weakest]),
      [
        ['acquire', ['relaxed']],
        ['mb', ['acquire']],
      ],
    );
    assert.deepEqual(
      helper.map((s) => s.name.replace(/^audit\.test\.ts:\d+/, 'LINE')),
      ['LINE@acquire', 'LINE@mb'],
    );
    const get = helper.find((s) => s.written === 'mb')!;
    const release = get.trials.find((t) => t.order === 'release')!;
    assert.equal(release.outcome, 'breaks');
    assert.equal(release.scenario, 'inc-freeze');
    const text = formatAudit(auditTable(a, 'test'));
    assert.match(text, /audit\.test\.ts:\d+@mb +cmpxchg +atomic_cmpxchg +mb +acquire /);
    assert.match(text, /audit\.test\.ts:\d+@acquire +cmpxchg +atomic_cmpxchg +acquire +relaxed /);
  });

  it('prints the table, says no dependency is assumed, and draws the counterexample', () => {
    const a = auditOf(classic, scenarios('inc-freeze'), { repairs: false });
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
