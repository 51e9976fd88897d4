/**
 * The ordering audit: which orderings a strategy's code needs under LKMM, from the code.
 *
 * A site is a Cells call's source position (sites.ts) with the ordering the code gives there:
 * a helper that its callers give their own orderings (`rmw(c, p, 'mb')`, `rmw(c, p,
 * 'release')`) is one site per ordering, so each is weakened whole, and named apart when a
 * line has several (`helper.ts:5@mb`). Each site is weakened alone, one step at a time, in
 * the recording cells (their `reorder` hook: the strategy's file never changes), and the
 * catalog's scenarios rerun under LKMM (runScenarioLkmm). Steps, after atomic_t.txt:
 * - value-returning and conditional RMWs (add, sub, cas): fully ordered → acquire, release →
 *   relaxed (a cas's ordering holds only when it succeeds, as before);
 * - reads: acquire → once; writes: release → once;
 * - RMWs that return nothing (atomic_inc, atomic_add) are unordered already.
 * A weaker ordering only adds executions, so once both acquire and release break a scenario,
 * relaxed is not run: it breaks the same scenario with the same counterexample.
 *
 * The stages: {@link findSites} runs the code as written; {@link judgeSite} weakens one site,
 * judged only by the scenarios whose verdict as written is `safe` (one that already
 * violates, is bounded or stops at a limit is listed as not judged); {@link findRepairs}
 * tries the opposite on each violating scenario, each site it reaches strengthened alone;
 * and where one repair makes violating scenarios safe, {@link audit} runs the first three
 * again on top of it, so that those scenarios judge the other sites too. No dependency is
 * assumed anywhere (README of src/check/lkmm): the free path's control dependency on the
 * deciding call is the only one recorded.
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

/** The orderings one step weaker than `o` for a call of `method`. */
export function weakerSteps(method: CellsMethod, o: Order): Order[] {
  if (method === 'load') return o === 'acquire' ? ['once'] : [];
  if (method === 'store') return o === 'release' ? ['once'] : [];
  if (o === 'mb') return ['acquire', 'release'];
  if (o === 'acquire' || o === 'release') return ['relaxed'];
  return [];
}

/** The orderings one step stronger than `o` (a repair's steps). */
export function strongerSteps(method: CellsMethod, o: Order): Order[] {
  if (method === 'load') return o === 'once' ? ['acquire'] : [];
  if (method === 'store') return o === 'once' ? ['release'] : [];
  if (o === 'relaxed') return ['acquire', 'release'];
  if (o === 'acquire' || o === 'release') return ['mb'];
  return [];
}

/** Every ordering weaker than `o`, nearest first (its steps, then theirs). */
function allWeaker(method: CellsMethod, o: Order): Order[] {
  const out: Order[] = [];
  for (let next = weakerSteps(method, o); next.length > 0;) {
    out.push(...next.filter((x) => !out.includes(x)));
    next = [...new Set(next.flatMap((x) => weakerSteps(method, x)))];
  }
  return out;
}

/** Every ordering stronger than `o`, nearest first. */
function allStronger(method: CellsMethod, o: Order): Order[] {
  const out: Order[] = [];
  for (let next = strongerSteps(method, o); next.length > 0;) {
    out.push(...next.filter((x) => !out.includes(x)));
    next = [...new Set(next.flatMap((x) => strongerSteps(method, x)))];
  }
  return out;
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

/** A strengthening that makes a violating scenario safe. */
export interface Repair {
  scenario: string;
  site: SiteUse;
  order: Order;
  verdict: LkmmResult['verdict'];
  ms: number;
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

/** What the stages of one audit share. */
interface Context {
  strategy: Strategy;
  byName: ReadonlyMap<string, Scenario>;
  limits: AuditResult['options'];
  assume: ReadonlyMap<string, Order>;
  say: (what: string) => void;
}

/** Runs one scenario with one site at an ordering, the others as audited. */
type RunWith = (scenario: string, use: SiteUse, order: Order) => LkmmResult;

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
function findSites(
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
    if (r.verdict !== 'unsupported') baseline.push(r);
  }
  // an unsupported scenario may reach sites before it stops: it ran nothing
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
function judgingScenarios(baseline: readonly LkmmResult[]): string[] {
  return baseline
    .filter((r) => r.verdict === 'safe')
    .sort((a, b) => a.executions - b.executions || a.scenario.localeCompare(b.scenario))
    .map((r) => r.scenario);
}

/** Runs one scenario with `use` at an ordering and the other sites as audited. */
function runnerFor(ctx: Context, uses: readonly SiteUse[]): RunWith {
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
    if (hits === 0 && r.verdict !== 'unsupported' && r.verdict !== 'incomplete')
      throw new Error(
        `[checker bug] ${scenario} reached ${use.site.key} (${use.written}) as written, but not with it as ${order}`,
      );
    return r;
  };
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

/** Stage 3: each violating scenario, each site it reaches strengthened alone. */
function findRepairs(
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
function bestRepair(
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
      maxEvents: options.maxEvents ?? 24,
      maxSeconds: options.maxSeconds ?? 20,
      maxStates: options.maxStates ?? 1_000_000,
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
 * Runs the audit of `strategy` over `scenarios` (unsupported ones are skipped), then, where a
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
