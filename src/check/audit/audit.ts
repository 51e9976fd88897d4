/**
 * The ordering audit: which orderings a strategy's code needs under LKMM, from the code.
 *
 * Each Cells call site of the strategy (sites.ts) is weakened alone, one step at a time, in
 * the recording cells (their `reorder` hook: the strategy's file never changes), and the
 * catalog's scenarios rerun under LKMM (runScenarioLkmm). Steps, after atomic_t.txt:
 * - value-returning and conditional RMWs (add, sub, cas): fully ordered → acquire, release →
 *   relaxed (a cas's ordering holds only when it succeeds, as before);
 * - reads: acquire → once; writes: release → once;
 * - RMWs that return nothing (atomic_inc, atomic_add) are unordered already.
 * A weaker ordering only adds executions, so once both acquire and release break a scenario,
 * relaxed is not run: it breaks the same scenario with the same counterexample.
 *
 * Only scenarios whose verdict with the code as written is `safe` can judge a weakening; one
 * that already violates, is bounded or stops at a limit is listed as not judged, and for each
 * violating one the audit tries the opposite: each site strengthened alone (a repair). No
 * dependency is assumed anywhere (README of src/check/lkmm): the free path's control
 * dependency on the deciding call is the only one recorded.
 *
 * @module
 */

import type { Order } from '../../cells/cells.js';
import type { CellsMethod } from '../../cells/kernelAtomics.js';
import type { Strategy } from '../../refcount/strategy.js';
import type { Scenario } from '../scenario.js';
import { LKMM_DEFAULTS, type LkmmOptions } from '../lkmm/lkmmOptions.js';
import type { LkmmResult } from '../lkmm/lkmmResult.js';
import { runScenarioLkmm } from '../lkmm/lkmmScenario.js';
import { currentSite, type Site } from './sites.js';

/** A site as the audit's tables and `assume` name it: `frozenBit.ts:32`. */
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

/** One site as the code writes it. */
export interface SiteUse {
  site: Site;
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
  options: Required<Pick<LkmmOptions, 'maxEvents' | 'maxSeconds' | 'maxStates'>>;
  /** The orderings assumed instead of the code's (AuditOptions.assume). */
  assumed: Record<string, Order>;
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
   * Orderings assumed instead of the code's at some sites, by {@link siteName}
   * (`{ 'frozenBit.ts:32': 'acquire' }`): to audit the other sites on top of a repair.
   */
  assume?: Record<string, Order>;
  /** Called before each run, for progress on stderr. */
  onRun?: (what: string) => void;
}

/** Runs the audit of `strategy` over `scenarios` (unsupported ones are skipped). */
export function audit(
  strategy: Strategy,
  scenarios: readonly Scenario[],
  options: AuditOptions = {},
): AuditResult {
  const started = performance.now();
  const opts = {
    maxEvents: options.maxEvents ?? LKMM_DEFAULTS.maxEvents,
    maxSeconds: options.maxSeconds ?? 20,
    maxStates: options.maxStates ?? LKMM_DEFAULTS.maxStates,
  };
  const say = options.onRun ?? (() => {});
  const assume = new Map(Object.entries(options.assume ?? {}));
  const unknown = [...assume.keys()];

  // 1. the code as written, recording which sites each scenario reaches
  const uses = new Map<string, SiteUse>();
  const baseline: LkmmResult[] = [];
  for (const s of scenarios) {
    say(`${s.name}: as written`);
    const r = runScenarioLkmm(s, strategy, {
      ...opts,
      reorder: (_t, method, given) => {
        const site = currentSite();
        const order = (site && assume.get(siteName(site))) ?? given;
        if (site) {
          let u = uses.get(site.key);
          if (!u)
            uses.set(
              site.key,
              (u = { site, method: method as CellsMethod, order, written: given, scenarios: [] }),
            );
          if (!u.scenarios.includes(s.name)) u.scenarios.push(s.name);
        }
        return order;
      },
    });
    if (r.verdict !== 'unsupported') baseline.push(r);
  }
  // an unsupported scenario may reach sites before it stops: it ran nothing
  const ran = new Set(baseline.map((r) => r.scenario));
  for (const u of uses.values()) u.scenarios = u.scenarios.filter((n) => ran.has(n));
  const reached = new Set([...uses.values()].map((u) => siteName(u.site)));
  const missing = unknown.filter((k) => !reached.has(k));
  if (missing.length > 0)
    throw new Error(
      `no scenario reaches the assumed site ${missing.join(', ')}: expected one of ${[...reached].join(', ')}`,
    );
  const byName = new Map(scenarios.map((s) => [s.name, s]));
  // smallest first (candidate executions as written, a count that does not depend on the
  // machine's load): the first break found is the quickest to find and to read
  const judged = baseline
    .filter((r) => r.verdict === 'safe')
    .sort((a, b) => a.executions - b.executions || a.scenario.localeCompare(b.scenario))
    .map((r) => r.scenario);

  /** Runs one scenario with `site` at `order`. */
  // a call whose method and ordering no rewritten site has needs no stack capture
  const rewritten = [...uses.values()].filter((u) => assume.has(siteName(u.site)));
  const runWith = (scenario: string, use: SiteUse, order: Order): LkmmResult => {
    let hits = 0;
    const r = runScenarioLkmm(byName.get(scenario)!, strategy, {
      ...opts,
      reorder: (_t, m, o) => {
        const mayBe = (u: SiteUse) => u.method === m && u.written === o;
        if (!mayBe(use) && !rewritten.some(mayBe)) return o;
        const site = currentSite();
        if (!site) return o;
        if (site.key !== use.site.key) return assume.get(siteName(site)) ?? o;
        hits++;
        return order;
      },
    });
    // the run as written reached the site: a run that never asks for its ordering would
    // judge the code as written (an engine that reuses traces across runs, say)
    if (hits === 0 && r.verdict !== 'unsupported' && r.verdict !== 'incomplete')
      throw new Error(
        `[checker bug] ${scenario} reached ${use.site.key} as written, but not with it as ${order}`,
      );
    return r;
  };

  // 2. each site weakened alone
  const sites: SiteAudit[] = [];
  const ordered = [...uses.values()].sort(
    (a, b) => a.site.file.localeCompare(b.site.file) || a.site.line - b.site.line,
  );
  for (const use of ordered) {
    const trials: Trial[] = [];
    for (const order of allWeaker(use.method, use.order)) {
      // implied: every ordering between this one and the code's already breaks
      const between = trials.filter((t) => allWeaker(use.method, t.order).includes(order));
      const nearer = trials.filter((t) => weakerSteps(use.method, t.order).includes(order));
      if (
        nearer.length > 0 &&
        nearer.every((t) => t.outcome === 'breaks' || t.outcome === 'implied')
      ) {
        const first = between.find((t) => t.outcome === 'breaks');
        trials.push({
          order,
          outcome: 'implied',
          ms: 0,
          ...(first?.scenario ? { scenario: first.scenario } : {}),
        });
        continue;
      }
      const t0 = performance.now();
      let trial: Trial | undefined;
      let unknown: LkmmResult | undefined;
      // only the scenarios that reach the site can change
      const judging = judged.filter((n) => use.scenarios.includes(n));
      if (judging.length === 0) trial = { order, outcome: 'unknown', ms: 0 };
      for (const name of judging) {
        say(`${use.site.key} ${use.order} → ${order}: ${name}`);
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
      trials.push(trial);
    }
    const safe = [use.order, ...trials.filter((t) => t.outcome === 'safe').map((t) => t.order)];
    const weakest = safe.filter(
      (o) => !safe.some((p) => p !== o && allWeaker(use.method, o).includes(p)),
    );
    sites.push({ ...use, trials, weakest });
  }

  // 3. repairs: each violating scenario, each site it reaches strengthened alone
  const repairs: Repair[] = [];
  if (options.repairs ?? true)
    for (const r of baseline.filter((b) => b.verdict === 'violation')) {
      for (const use of ordered.filter((u) => u.scenarios.includes(r.scenario)))
        for (const order of allStronger(use.method, use.order)) {
          // stronger than a strengthening that is safe: safe too
          const done = repairs.some(
            (q) =>
              q.scenario === r.scenario &&
              q.site === use &&
              q.verdict === 'safe' &&
              allStronger(use.method, q.order).includes(order),
          );
          if (done) continue;
          say(`${r.scenario}: ${use.site.key} ${use.order} → ${order}`);
          const t0 = performance.now();
          const v = runWith(r.scenario, use, order);
          repairs.push({
            scenario: r.scenario,
            site: use,
            order,
            verdict: v.verdict,
            ms: performance.now() - t0,
          });
        }
    }

  return {
    strategy: strategy.name,
    baseline,
    judged,
    sites,
    repairs,
    options: opts,
    assumed: Object.fromEntries(assume),
    ms: performance.now() - started,
  };
}
