/**
 * The ordering audit: which orderings a strategy's code needs under LKMM, from the code.
 *
 * A site is a Cells call's source position (sites.ts) with the ordering the code gives there:
 * a helper that its callers give their own orderings (`rmw(c, p, 'mb')`, `rmw(c, p,
 * 'release')`) is one site per ordering, so each is weakened whole, and named apart when a
 * line has several (`helper.ts:5@mb`). Each site is weakened alone, one step at a time, in
 * the recording cells (their `reorder` hook: the strategy's file never changes), and the
 * catalog's scenarios rerun under LKMM (runScenarioLkmm). The steps follow atomic_t.txt
 * (orderSteps.ts). A weaker ordering only adds executions, so once both acquire and release
 * break a scenario, relaxed is not run: it breaks the same scenario with the same
 * counterexample.
 *
 * The stages: {@link findSites} (siteRuns.ts) runs the code as written; {@link judgeSite}
 * weakens one site, judged only by the scenarios whose verdict as written is `safe` (one
 * that already violates, is bounded or stops at a limit is listed as not judged);
 * {@link findRepairs} (repairs.ts) tries the opposite on each violating scenario, each site
 * it reaches strengthened alone; and where one repair makes violating scenarios safe,
 * {@link audit} runs the first three again on top of it, so that those scenarios judge the
 * other sites too. No dependency is assumed anywhere (README of src/check/lkmm): the free
 * path's control dependency on the deciding call is the only one recorded.
 *
 * @module
 */

import type { Order } from '../../cells/cells.js';
import type { Strategy } from '../../refcount/strategy.js';
import type { Scenario } from '../scenario.js';
import { LKMM_DEFAULTS, type LkmmOptions } from '../lkmm/lkmmOptions.js';
import type { LkmmResult } from '../lkmm/lkmmResult.js';
import { allWeaker, weakerSteps } from './orderSteps.js';
import { bestRepair, findRepairs, type Repair } from './repairs.js';
import {
  findSites,
  judgingScenarios,
  runnerFor,
  type Context,
  type RunWith,
  type SiteUse,
} from './siteRuns.js';

export type { Repair } from './repairs.js';
export type { SiteUse } from './siteRuns.js';

/** One ordering tried at one site. */
export interface Trial {
  order: Order;
  /**
   * `safe`: every judged scenario is safe; `breaks`: `scenario` violates (`result` has its
   * execution); `unknown`: some run stopped at a limit or a bound, and none broke, or no
   * scenario that is safe as written reaches the site (nothing was run: never `safe`);
   * `implied`: not run, because every ordering between it and the code's breaks.
   */
  outcome: 'safe' | 'breaks' | 'unknown' | 'implied';
  scenario?: string;
  result?: LkmmResult;
  ms: number;
}

export interface SiteAudit extends SiteUse {
  /** The weaker orderings, nearest first. */
  trials: Trial[];
  /**
   * The weakest orderings that keep every judged scenario safe (the code's own when no
   * weaker one does). Several when neither is weaker than the other (acquire, release).
   */
  weakest: Order[];
}

export interface AuditResult {
  strategy: string;
  /** Each scenario with the code as written. */
  baseline: LkmmResult[];
  /** The scenarios that judge a weakening: safe as written. */
  judged: string[];
  sites: SiteAudit[];
  /** For each scenario that violates as written, the strengthenings tried. */
  repairs: Repair[];
  /** The scenarios that violate as written and that no strengthening tried makes safe. */
  unrepaired: string[];
  options: Required<Pick<LkmmOptions, 'maxEvents' | 'maxSeconds' | 'maxStates'>>;
  /** The orderings assumed instead of the code's (AuditOptions.assume). */
  assumed: Record<string, Order>;
  /**
   * The same audit on top of the repair that makes the most violating scenarios safe
   * (AuditOptions.onRepair): `site` at `order` assumed, which makes `repairs` safe.
   */
  onRepair?: { site: string; order: Order; repairs: string[]; audit: AuditResult };
  /** This audit's time, without the one on top of the repair. */
  ms: number;
}

/** An audit's own default: each of its many runs gets less time than one check's. */
export const AUDIT_MAX_SECONDS = 20;

export interface AuditOptions {
  /** Per run: events of one thread's run before it is cut (default 24). */
  maxEvents?: number;
  /** Per run: seconds before it stops as incomplete (default 20). */
  maxSeconds?: number;
  /** Per run: candidate executions (default 1,000,000). */
  maxStates?: number;
  /** Whether to try strengthenings on the scenarios that violate as written. Default true. */
  repairs?: boolean;
  /**
   * Whether to audit the sites again on top of the repair that makes the most violating
   * scenarios safe, where one does (AuditResult.onRepair). Default true; needs `repairs`.
   */
  onRepair?: boolean;
  /**
   * Orderings assumed instead of the code's at some sites, by {@link SiteUse.name} or by
   * line, which covers every ordering written there (`{ 'frozenBit.ts:32': 'acquire' }`):
   * to audit the other sites on top of a repair.
   */
  assume?: Record<string, Order>;
  /** Called before each run, for progress on stderr. */
  onRun?: (what: string) => void;
}

/**
 * The trial of `order` without running it, when every ordering between it and the code's
 * already breaks (a weaker ordering only adds executions).
 */
function impliedTrial(use: SiteUse, trials: readonly Trial[], order: Order): Trial | undefined {
  const nearer = trials.filter((t) => weakerSteps(use.method, t.order).includes(order));
  if (
    nearer.length === 0 ||
    !nearer.every((t) => t.outcome === 'breaks' || t.outcome === 'implied')
  )
    return undefined;
  const first = trials.find(
    (t) => t.outcome === 'breaks' && allWeaker(use.method, t.order).includes(order),
  );
  return {
    order,
    outcome: 'implied',
    ms: 0,
    ...(first?.scenario ? { scenario: first.scenario } : {}),
  };
}

/** `use` at `order`, judged by the scenarios in `judged` that reach it, smallest first. */
function runTrial(
  ctx: Context,
  runWith: RunWith,
  judged: readonly string[],
  use: SiteUse,
  order: Order,
): Trial {
  const t0 = performance.now();
  // only the scenarios that reach the site can change
  const judging = judged.filter((n) => use.scenarios.includes(n));
  let trial: Trial | undefined =
    judging.length === 0 ? { order, outcome: 'unknown', ms: 0 } : undefined;
  let unknown: LkmmResult | undefined;
  for (const name of judging) {
    ctx.say(`${use.name} ${use.order} → ${order}: ${name}`);
    const r = runWith(name, use, order);
    if (r.verdict === 'violation') {
      trial = { order, outcome: 'breaks', scenario: name, result: r, ms: 0 };
      break;
    }
    if (r.verdict !== 'safe') unknown ??= r;
  }
  trial ??= unknown
    ? { order, outcome: 'unknown', scenario: unknown.scenario, result: unknown, ms: 0 }
    : { order, outcome: 'safe', ms: 0 };
  trial.ms = performance.now() - t0;
  return trial;
}

/** Stage 2: one site weakened alone, each weaker ordering nearest first. */
function judgeSite(
  ctx: Context,
  runWith: RunWith,
  judged: readonly string[],
  use: SiteUse,
): SiteAudit {
  const trials: Trial[] = [];
  for (const order of allWeaker(use.method, use.order))
    trials.push(impliedTrial(use, trials, order) ?? runTrial(ctx, runWith, judged, use, order));
  const safe = [use.order, ...trials.filter((t) => t.outcome === 'safe').map((t) => t.order)];
  const weakest = safe.filter(
    (o) => !safe.some((p) => p !== o && allWeaker(use.method, o).includes(p)),
  );
  return { ...use, trials, weakest };
}

/** One audit, with no second one on top of a repair: stages 1 to 3. */
function auditOnce(
  strategy: Strategy,
  scenarios: readonly Scenario[],
  options: AuditOptions,
): AuditResult {
  const started = performance.now();
  const ctx: Context = {
    strategy,
    byName: new Map(scenarios.map((s) => [s.name, s])),
    limits: {
      maxEvents: options.maxEvents ?? LKMM_DEFAULTS.maxEvents,
      maxSeconds: options.maxSeconds ?? AUDIT_MAX_SECONDS,
      maxStates: options.maxStates ?? LKMM_DEFAULTS.maxStates,
    },
    assume: new Map(Object.entries(options.assume ?? {})),
    say: options.onRun ?? (() => {}),
  };
  const { baseline, uses } = findSites(ctx, scenarios);
  const judged = judgingScenarios(baseline);
  const runWith = runnerFor(ctx, uses);
  const sites = uses.map((use) => judgeSite(ctx, runWith, judged, use));
  const repairs = (options.repairs ?? true) ? findRepairs(ctx, runWith, baseline, uses) : [];
  const repaired = new Set(repairs.filter((r) => r.verdict === 'safe').map((r) => r.scenario));
  const unrepaired =
    (options.repairs ?? true)
      ? baseline
          .filter((b) => b.verdict === 'violation' && !repaired.has(b.scenario))
          .map((b) => b.scenario)
      : [];
  return {
    strategy: strategy.name,
    baseline,
    judged,
    sites,
    repairs,
    unrepaired,
    options: ctx.limits,
    assumed: Object.fromEntries(ctx.assume),
    ms: performance.now() - started,
  };
}

/**
 * Runs the audit of `strategy` over `scenarios`, then, where a
 * repair makes violating scenarios safe, the audit again on top of the one that makes the
 * most safe (stage 4), so that they judge the other sites: once, not on top of a second repair.
 */
export function audit(
  strategy: Strategy,
  scenarios: readonly Scenario[],
  options: AuditOptions = {},
): AuditResult {
  const first = auditOnce(strategy, scenarios, options);
  const repair = (options.onRepair ?? true) ? bestRepair(first.repairs) : undefined;
  if (!repair) return first;
  const assume = { ...options.assume, [repair.site.name]: repair.order };
  const onTop = auditOnce(strategy, scenarios, { ...options, assume });
  return {
    ...first,
    onRepair: {
      site: repair.site.name,
      order: repair.order,
      repairs: repair.repairs,
      audit: onTop,
    },
  };
}
