/**
 * The catalog under LKMM (src/check/lkmm): the strategies' own code over recording cells.
 * Each test runs one or a few scenario × strategy pairs; every one is under a few seconds.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scenarioByName } from '../../src/check/catalog.js';
import { runScenario } from '../../src/check/scenario.js';
import type { LkmmOptions } from '../../src/check/lkmm/lkmmOptions.js';
import { runScenarioLkmm } from '../../src/check/lkmm/lkmmScenario.js';
import { SC } from '../../src/axiomatic/models/index.js';
import { runStrategyFileLkmm } from '../../src/check/lkmm/isolatedLkmm.js';
import { CATALOG } from '../../src/check/catalog.js';
import {
  PRODUCTION_STRATEGIES,
  STRATEGIES,
  STRATEGY_NAMES,
} from '../../src/refcount/strategies.js';
import type { StrategyName } from '../../src/refcount/strategy.js';
import type { Order } from '../../src/cells/cells.js';
import { join } from 'node:path';
import { ROOT } from '../helpers/pageref.js';

/**
 * A run's time limit in these tests: a safety net against a hang only, far past any run's
 * time on a loaded machine, so that no verdict here depends on the load (a run stopped at
 * its limit would be incomplete).
 */
const SAFETY_NET_S = 600;

/** A file of the repository, whatever directory the tests run from. */
const fromRoot = (file: string) => join(ROOT, file);

const run = (scenario: string, strategy: StrategyName, options: LkmmOptions = {}) =>
  runScenarioLkmm(scenarioByName(scenario)!, STRATEGIES[strategy], {
    maxSeconds: SAFETY_NET_S,
    ...options,
  });

/** Every access of `method` made with `from` is made with `to` instead (an audit's step). */
const weaken =
  (method: string, from: Order, to: Order) =>
  (_t: number, m: string, o: Order): Order =>
    m === method && o === from ? to : o;

/**
 * The verdicts of the catalog × the production strategies under LKMM: what the engine's
 * speed-ups (coherent candidates only, the values a location's walk reaches) must keep.
 * frozen-bit's violations are all the relaxed cmpxchg after the decrement (README): each is
 * safe, or the SC catalog's expected violation, with that cmpxchg fully ordered (below).
 */
const VERDICTS: Record<string, string> = {
  'inc-free': 'safe safe safe',
  'free-free': 'safe safe safe',
  'inc-freeze': 'safe safe safe',
  'inc-unfreeze': 'safe safe safe',
  kiryl: 'safe safe violation',
  'free-page-get': 'safe safe violation',
  'aba-caller-dtor': 'safe safe violation',
  'aba-page-dtor': 'safe safe violation',
  'debug-inc-live': 'safe safe safe',
  'overflow-guard': 'safe safe safe',
  'freeze-put-get': 'safe safe violation',
  'count-frozen': 'safe safe safe',
  'large-folio-pin': 'safe safe violation',
  'add-sub-return': 'safe safe safe',
  // 30 rounds of calls: far past the event bound, never safe
  'count-widths': 'bounded bounded bounded',
};

describe('the catalog under LKMM', () => {
  it('the catalog × the production strategies: the verdict table', () => {
    assert.deepEqual(PRODUCTION_STRATEGIES, ['classic', 'classic-optimistic', 'frozen-bit']);
    const got: Record<string, string> = {};
    for (const s of CATALOG)
      got[s.name] = PRODUCTION_STRATEGIES.map((st) => {
        const r = run(s.name, st);
        if (r.verdict === 'violation') assert.equal(r.kind, 'dataRace', `${s.name} × ${st}`);
        return r.verdict;
      }).join(' ');
    assert.deepEqual(got, VERDICTS);
  });

  for (const scenario of ['inc-free', 'free-free', 'inc-freeze', 'inc-unfreeze']) {
    for (const strategy of ['classic', 'frozen-bit'] as const) {
      it(`${scenario} × ${strategy} is safe`, () => {
        const r = run(scenario, strategy);
        assert.equal(r.verdict, 'safe', r.message);
        assert.equal(r.model, 'lkmm');
        assert.ok(r.executions > 0);
      });
    }
  }

  it('kiryl and large-folio-pin × classic are safe', () => {
    for (const scenario of ['kiryl', 'large-folio-pin'])
      assert.equal(run(scenario, 'classic').verdict, 'safe', scenario);
  });

  it("kiryl × frozen-bit: the relaxed cmpxchg after the decrement lets the free's plain write race with a reviver's use", () => {
    const r = run('kiryl', 'frozen-bit');
    assert.equal(r.verdict, 'violation');
    assert.equal(r.kind, 'dataRace');
    // the execution: the putter's cmpxchg reads the getter's decrement, the getter's use
    // reads the poison the putter's destructor wrote
    assert.match(r.execution!, /W data\[p0\] = 0xdeadbeef\s+plain/);
    assert.match(r.execution!, /R p0 = 0\s+ONCE RMW\s+rf from T1\./);
    // fully ordered, the same cmpxchg closes the race
    const mb = run('kiryl', 'frozen-bit', { reorder: weaken('cas', 'relaxed', 'mb') });
    assert.equal(mb.verdict, 'safe', mb.message);
  });

  it("classic's fully ordered put needs no dependency: safe with none assumed", () => {
    const r = run('kiryl', 'classic', { ctrl: false });
    assert.equal(r.verdict, 'safe', r.message);
  });

  it("classic's put weakened from fully ordered to relaxed: a holder's use races with the free", () => {
    const r = run('kiryl', 'classic', { reorder: weaken('sub', 'mb', 'relaxed') });
    assert.equal(r.verdict, 'violation');
    assert.equal(r.kind, 'dataRace');
  });

  it("frozen-bit's unfreeze weakened from release to once: a getter's use races with the freezer's write", () => {
    const r = run('inc-freeze', 'frozen-bit', { reorder: weaken('store', 'release', 'once') });
    assert.equal(r.verdict, 'violation');
    assert.equal(r.kind, 'dataRace');
  });

  it('a run cut by the event bound makes the verdict bounded, never safe', () => {
    const r = run('kiryl', 'classic', { maxEvents: 3 });
    assert.equal(r.verdict, 'bounded');
    assert.match(r.message!, /past the bound of 3 events/);
    assert.ok(r.cut.some((n) => n > 0));
  });

  it("frozen-bit's violations are the relaxed cmpxchg: fully ordered, each is safe or the SC catalog's expected one", () => {
    const mb = { reorder: weaken('cas', 'relaxed', 'mb') };
    for (const scenario of ['free-page-get', 'aba-page-dtor', 'freeze-put-get', 'large-folio-pin'])
      assert.equal(run(scenario, 'frozen-bit', mb).verdict, 'safe', scenario);
    const aba = run('aba-caller-dtor', 'frozen-bit', mb);
    assert.equal(aba.verdict, 'violation');
    assert.equal(aba.kind, 'wrongDestructor', aba.message);
  });

  it("reused pages: rfc-v1's free-page-get and overflow-guard bugs are found, as under SC", () => {
    for (const scenario of ['free-page-get', 'overflow-guard']) {
      const r = run(scenario, 'rfc-v1');
      assert.equal(r.verdict, 'violation', scenario);
    }
  });

  it('a count that forgets to mask the frozen bit is caught: the count at its moment of the coherence order', () => {
    const unmasked = {
      ...STRATEGIES['frozen-bit'],
      name: 'unmasked-count',
      count: (c: Parameters<(typeof STRATEGIES)['frozen-bit']['count']>[0], p: number) =>
        c.load(p, 'once'),
    };
    const r = runScenarioLkmm(scenarioByName('count-frozen')!, unmasked, {
      maxSeconds: SAFETY_NET_S,
    });
    assert.equal(r.verdict, 'violation');
    assert.equal(r.kind, 'wrongCount');
    assert.match(
      r.message!,
      /count of p0 gave -2147483648, but .* the page is (frozen|free): 0 expected/,
    );
    // and the *Return calls: an incReturn that returns the old count
    const old = {
      ...STRATEGIES.classic,
      name: 'old-inc-return',
      incReturn: (c: Parameters<(typeof STRATEGIES)['classic']['incReturn']>[0], p: number) =>
        STRATEGIES.classic.incReturn(c, p) - 1,
    };
    const a = runScenarioLkmm(scenarioByName('add-sub-return')!, old, { maxSeconds: SAFETY_NET_S });
    assert.equal(a.verdict, 'violation');
    assert.equal(a.kind, 'wrongCount');
    assert.match(a.message!, /incReturn/);
  });

  it('two engines, one answer: under the axiomatic SC model the code engine gives the interleaving explorer’s verdict on the whole catalog × every strategy', () => {
    // count-widths's 30 rounds pass the event bound: bounded, never safe (unless a debug
    // check fires first, as v2-inverted's does: a violation, as under SC)
    const cut = new Set(['count-widths']);
    const differ: string[] = [];
    for (const s of CATALOG) {
      for (const name of STRATEGY_NAMES) {
        const sc = runScenario(s, STRATEGIES[name], true);
        const axiomatic = runScenarioLkmm(s, STRATEGIES[name], {
          model: SC,
          maxSeconds: SAFETY_NET_S,
        });
        assert.equal(axiomatic.model, 'sc');
        if (axiomatic.verdict === 'bounded' && cut.has(s.name)) continue;
        if (axiomatic.verdict !== sc.verdict)
          differ.push(
            `${s.name} × ${name}: explorer ${sc.verdict}, code engine ${axiomatic.verdict} (${axiomatic.message})`,
          );
      }
    }
    assert.deepEqual(differ, []);
  });

  it("a user strategy file runs in the SC check's child process and worker: naive-fetch-add is caught, a spin is stopped, an exit is its own violation", async () => {
    const naive = await runStrategyFileLkmm(fromRoot('examples/naive-fetch-add.js'), [
      'inc-free',
      'kiryl',
    ]);
    assert.equal(naive.kind, 'done');
    assert.ok(naive.kind === 'done');
    assert.deepEqual(
      naive.results.map((r) => [r.scenario, r.strategy, r.model, r.verdict]),
      [
        ['inc-free', 'naive-fetch-add', 'lkmm', 'violation'],
        ['kiryl', 'naive-fetch-add', 'lkmm', 'violation'],
      ],
    );
    // spins in JavaScript on a frozen page: stopped by the stall watchdog (no budget check
    // for ten stall limits, on both clocks), long before the time limit; never safe; the next
    // scenario runs in a fresh worker
    const spins = await runStrategyFileLkmm(
      fromRoot('test/cli/fixtures/spinsInJs.js'),
      ['inc-unfreeze', 'free-free'],
      { maxSeconds: 3_600 },
      { stallMs: 300 },
    );
    assert.ok(spins.kind === 'done');
    assert.equal(spins.results[0]!.verdict, 'incomplete');
    assert.equal(
      spins.results[0]!.message,
      'stopped by the watchdog: the strategy ran 3 s without a shared access and was stopped (it spins)',
    );
    assert.equal(spins.results[1]!.scenario, 'free-free');
    const exits = await runStrategyFileLkmm(fromRoot('test/cli/fixtures/exitsInGet.js'), [
      'inc-unfreeze',
    ]);
    assert.ok(exits.kind === 'done');
    assert.equal(exits.results[0]!.verdict, 'violation');
    assert.equal(exits.results[0]!.kind, 'threw');
    const missing = await runStrategyFileLkmm(fromRoot('package.json'), ['inc-free']);
    assert.equal(missing.kind, 'loadError');
  });

  it("a strategy file that takes memory without bound inside one call is stopped by the SC check's memory watchdog: incomplete", async () => {
    const r = await runStrategyFileLkmm(
      fromRoot('test/cli/fixtures/hoardsInOneCall.js'),
      ['inc-unfreeze', 'free-free'],
      { maxMemoryMB: 64, maxSeconds: 3_600 },
      // a stall limit of 300 s: only the memory watchdog can stop the hoard, however slowly
      // a loaded machine pages its memory in
      { stallMs: 30_000 },
    );
    assert.ok(r.kind === 'done');
    assert.equal(r.results[0]!.verdict, 'incomplete');
    assert.equal(r.results[0]!.message, 'stopped by the watchdog: 64 MiB of memory');
    // the next scenario runs in a fresh worker (and is stopped too: it hoards again)
    assert.equal(r.results[1]!.scenario, 'free-free');
  });

  it('a strategy file whose import never finishes is a load error, whether it computes or waits', async () => {
    // The import never ends, so only a load check can end the check: no race with the clock.
    // The SC check's two load limits: CPU and wall clock for one that computes, the wall
    // clock alone for one that waits.
    const spins = await runStrategyFileLkmm(
      fromRoot('test/cli/fixtures/spinsOnImport.js'),
      ['inc-free'],
      {},
      { loadMs: 300, loadWaitMs: 3_600_000 },
    );
    assert.equal(spins.kind, 'loadError');
    assert.match(
      spins.kind === 'loadError' ? spins.message : '',
      /did not finish loading in 0.3 s \(does it loop/,
    );
    const waits = await runStrategyFileLkmm(
      fromRoot('test/cli/fixtures/waitsOnImport.js'),
      ['inc-free'],
      {},
      { loadMs: 3_600_000, loadWaitMs: 300 },
    );
    assert.equal(waits.kind, 'loadError');
    assert.match(
      waits.kind === 'loadError' ? waits.message : '',
      /did not finish loading in 0.3 s \(does it wait/,
    );
  });

  it("a strategy's debug check that fires in an allowed execution is a violation (v2-inverted's inverted helper)", () => {
    const r = run('debug-inc-live', 'v2-inverted');
    assert.equal(r.verdict, 'violation');
    assert.equal(r.kind, 'debugCheck');
  });
});
