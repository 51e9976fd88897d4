/**
 * The audit's repairs: a scenario that violates as written judges no weakening, so each site
 * it reaches is strengthened alone instead, one step at a time, and the scenario rerun; and
 * the repair that makes the most of them safe, for the audit on top of it (audit.ts).
 *
 * @module
 */

import type { Order } from '../../cells/cells.js';
import type { LkmmResult } from '../lkmm/lkmmResult.js';
import { allStronger } from './orderSteps.js';
import type { Context, RunWith, SiteUse } from './siteRuns.js';

/** A strengthening tried on a scenario that violates as written, and its verdict. */
export interface Repair {
  scenario: string;
  site: SiteUse;
  order: Order;
  verdict: LkmmResult['verdict'];
  ms: number;
}

/** Each violating scenario, each site it reaches strengthened alone. */
export function findRepairs(
  ctx: Context,
  runWith: RunWith,
  baseline: readonly LkmmResult[],
  uses: readonly SiteUse[],
): Repair[] {
  const repairs: Repair[] = [];
  for (const r of baseline.filter((b) => b.verdict === 'violation'))
    for (const use of uses.filter((u) => u.scenarios.includes(r.scenario)))
      for (const order of allStronger(use.method, use.order)) {
        if (repairedBy(repairs, use, order).includes(r.scenario)) continue;
        ctx.say(`${r.scenario}: ${use.name} ${use.order} → ${order}`);
        const t0 = performance.now();
        const v = runWith(r.scenario, use, order);
        const ms = performance.now() - t0;
        repairs.push({ scenario: r.scenario, site: use, order, verdict: v.verdict, ms });
      }
  return repairs;
}

/**
 * The scenarios that `use` at `order` makes safe, as `repairs` show: those that it or a
 * weaker ordering there repairs (stronger than a safe strengthening is safe too, and is not
 * run).
 */
function repairedBy(repairs: readonly Repair[], use: SiteUse, order: Order): string[] {
  return repairs
    .filter(
      (q) =>
        q.site === use &&
        q.verdict === 'safe' &&
        (q.order === order || allStronger(use.method, q.order).includes(order)),
    )
    .map((q) => q.scenario);
}

/** The repair that makes the most violating scenarios safe (the first found on a tie). */
export function bestRepair(
  repairs: readonly Repair[],
): { site: SiteUse; order: Order; repairs: string[] } | undefined {
  let best: { site: SiteUse; order: Order; repairs: string[] } | undefined;
  for (const r of repairs.filter((q) => q.verdict === 'safe')) {
    const fixed = repairedBy(repairs, r.site, r.order);
    if (!best || fixed.length > best.repairs.length)
      best = { site: r.site, order: r.order, repairs: fixed };
  }
  return best;
}
