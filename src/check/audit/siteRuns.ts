/**
 * The audit's runs: each scenario with the code as written, recording the sites it reaches
 * (a site is a Cells call's source position, sites.ts, with the ordering the code gives
 * there), and each scenario again with one site at another ordering, the others as audited.
 * Both go through the recording cells' `reorder` hook, so the strategy's file never changes.
 *
 * @module
 */

import type { Order } from '../../cells/cells.js';
import type { CellsMethod } from '../../cells/kernelAtomics.js';
import type { Strategy } from '../../refcount/strategy.js';
import type { Scenario } from '../scenario.js';
import type { LkmmOptions } from '../lkmm/lkmmOptions.js';
import type { LkmmResult } from '../lkmm/lkmmResult.js';
import { runScenarioLkmm } from '../lkmm/lkmmScenario.js';
import { currentSite, type Site } from './sites.js';

/** A site's line as the audit's tables and `assume` name it: `frozenBit.ts:32`. */
export function siteName(site: Site): string {
  return `${site.file.split('/').pop()}:${site.line}`;
}

/** One site as the code writes it: a source position and the ordering the code gives there. */
export interface SiteUse {
  site: Site;
  /**
   * Its name in the tables and in `assume`: its line (`frozenBit.ts:32`), or, where the code
   * reaches that line with several orderings (a helper given its ordering by its callers),
   * the line and the ordering as written (`helper.ts:5@mb`).
   */
  name: string;
  method: CellsMethod;
  /** The ordering the code gives (an omitted one is STRONGEST), or the one assumed. */
  order: Order;
  /** The ordering the code gives. */
  written: Order;
  /** The scenarios whose code reaches it. */
  scenarios: string[];
}

/** What the stages of one audit share. */
export interface Context {
  strategy: Strategy;
  byName: ReadonlyMap<string, Scenario>;
  limits: Required<Pick<LkmmOptions, 'maxEvents' | 'maxSeconds' | 'maxStates'>>;
  assume: ReadonlyMap<string, Order>;
  say: (what: string) => void;
}

/** Runs one scenario with one site at an ordering, the others as audited. */
export type RunWith = (scenario: string, use: SiteUse, order: Order) => LkmmResult;

/** The ordering `assume` gives a call at `site` that the code makes with `written`, if any. */
function assumedAt(
  assume: ReadonlyMap<string, Order>,
  site: Site,
  written: Order,
): Order | undefined {
  const line = siteName(site);
  return assume.get(`${line}@${written}`) ?? assume.get(line);
}

/**
 * Stage 1: each scenario with the code as written (and any ordering assumed), recording the
 * sites it reaches; the sites in source order.
 */
export function findSites(
  ctx: Context,
  scenarios: readonly Scenario[],
): { baseline: LkmmResult[]; uses: SiteUse[] } {
  const byKey = new Map<string, SiteUse>();
  const baseline: LkmmResult[] = [];
  for (const s of scenarios) {
    ctx.say(`${s.name}: as written`);
    const r = runScenarioLkmm(s, ctx.strategy, {
      ...ctx.limits,
      reorder: (_t, method, given) => {
        const site = currentSite();
        if (!site) return given;
        const key = `${site.key}@${given}`;
        let u = byKey.get(key);
        if (!u) {
          const order = assumedAt(ctx.assume, site, given) ?? given;
          const m = method as CellsMethod;
          u = { site, name: siteName(site), method: m, order, written: given, scenarios: [] };
          byKey.set(key, u);
        }
        if (!u.scenarios.includes(s.name)) u.scenarios.push(s.name);
        return u.order;
      },
    });
    baseline.push(r);
  }
  const ran = new Set(baseline.map((r) => r.scenario));
  const uses = [...byKey.values()].sort(
    (a, b) =>
      a.site.file.localeCompare(b.site.file) ||
      a.site.line - b.site.line ||
      a.site.key.localeCompare(b.site.key) ||
      a.written.localeCompare(b.written),
  );
  for (const u of uses) {
    u.scenarios = u.scenarios.filter((n) => ran.has(n));
    if (uses.some((v) => siteName(v.site) === siteName(u.site) && v.written !== u.written))
      u.name = `${u.name}@${u.written}`;
  }
  const names = new Set(
    uses.flatMap((u) => [u.name, siteName(u.site), `${siteName(u.site)}@${u.written}`]),
  );
  const missing = [...ctx.assume.keys()].filter((k) => !names.has(k));
  if (missing.length > 0)
    throw new Error(
      `no scenario reaches the assumed site ${missing.join(', ')}: expected one of ${[...new Set(uses.map((u) => u.name))].join(', ')}`,
    );
  return { baseline, uses };
}

/**
 * The scenarios that judge a weakening: safe as audited, smallest first (candidate executions
 * as written, a count that does not depend on the machine's load), so that the first break
 * found is the quickest to find and to read.
 */
export function judgingScenarios(baseline: readonly LkmmResult[]): string[] {
  return baseline
    .filter((r) => r.verdict === 'safe')
    .sort((a, b) => a.executions - b.executions || a.scenario.localeCompare(b.scenario))
    .map((r) => r.scenario);
}

/** Runs one scenario with `use` at an ordering and the other sites as audited. */
export function runnerFor(ctx: Context, uses: readonly SiteUse[]): RunWith {
  // a call whose method and ordering no rewritten site has needs no stack capture
  const rewritten = uses.filter((u) => u.order !== u.written);
  return (scenario, use, order) => {
    let hits = 0;
    const r = runScenarioLkmm(ctx.byName.get(scenario)!, ctx.strategy, {
      ...ctx.limits,
      reorder: (_t, m, o) => {
        const mayBe = (u: SiteUse) => u.method === m && u.written === o;
        if (!mayBe(use) && !rewritten.some(mayBe)) return o;
        const site = currentSite();
        if (!site) return o;
        if (site.key !== use.site.key || o !== use.written)
          return assumedAt(ctx.assume, site, o) ?? o;
        hits++;
        return order;
      },
    });
    // the run as written reached the site: a run that never asks for its ordering would
    // judge the code as written (an engine that reuses traces across runs, say)
    if (hits === 0 && r.verdict !== 'incomplete')
      throw new Error(
        `[checker bug] ${scenario} reached ${use.site.key} (${use.written}) as written, but not with it as ${order}`,
      );
    return r;
  };
}
