/**
 * The barrier guarantees of two strategies, compared per page_ref function under LKMM.
 *
 * Each client (clients.ts) runs against both strategies (runClient.ts). An outcome splits
 * into what the client saw of the counter, `k` (the page_ref calls' results and the final
 * counter, as each strategy means its raw values), and what it saw of the other locations,
 * `v` (each READ_ONCE, the final x and y). The two strategies need not agree on `k`: they
 * are different algorithms (frozen-bit revives a transitional 0 that classic refuses). A
 * difference in ordering is a `v` that one strategy lets the client see with some `k`, that
 * sequential consistency forbids with that `k` (so it comes from a reordering), and that the
 * other strategy forbids with the same `k` (with any `k`, where the other strategy never
 * shows that `k`). `test` is **weaker** than `base` on a client if it has such an outcome,
 * **stronger** if `base` has one, and both can hold.
 *
 * The literal question of issue 18, whether every outcome `test` allows is allowed by
 * `base`, is also counted (`notInBase`): it mixes the orderings with what the algorithms
 * compute, which is why the verdict rests on the split above.
 *
 * @module
 */

import { LKMM } from '../axiomatic/models/lkmm.js';
import { SC } from '../axiomatic/models/sc.js';
import type { Order } from '../cells/cells.js';
import type { MemoryModel } from '../axiomatic/models/model.js';
import type { Strategy } from '../refcount/strategy.js';
import { clientsOf, type Client, type PageRefFunction } from './clients.js';
import { runClient, type ClientOutcome, type ClientResult } from './runClient.js';

/** A client on which the two strategies differ in ordering, with one distinguishing outcome. */
export interface Difference {
  client: Client;
  /** 'weaker': `test` allows `outcome`, `base` does not; 'stronger': the other way. */
  direction: 'weaker' | 'stronger';
  outcome: ClientOutcome;
  /** Whether the other strategy can show this outcome's counter behaviour `k` at all. */
  sameCounter: boolean;
  /** The runs of the strategy that allows it, for litmusOut. */
  allows: Extract<ClientResult, { kind: 'complete' }>;
  /** The runs of the strategy that forbids it. */
  forbids: Extract<ClientResult, { kind: 'complete' }>;
}

/** Per function: the verdict and its evidence. */
export interface FunctionBarriers {
  fn: PageRefFunction;
  clients: number;
  /**
   * 'same' only where at least one client was compared and every client compared completely;
   * 'no clients' where a filter left none (nothing was compared, so nothing is the same).
   */
  verdict: 'same' | 'weaker' | 'stronger' | 'weaker and stronger' | 'incomplete' | 'no clients';
  weaker: Difference[];
  stronger: Difference[];
  /** Clients on which some outcome of `test` is not one of `base`'s (the literal question). */
  notInBase: number;
  /** Clients whose counter behaviour differs even under SC (the algorithms differ). */
  scDiffers: number;
  /** Clients with a run cut by the event bound, or a search stopped at a limit. */
  incomplete: string[];
  ms: number;
}

export interface BarrierOptions {
  /** Events per thread before a run is cut. Default 32. */
  maxEvents?: number;
  /** Seconds per client run, a safety net. Default 60. */
  maxSeconds?: number;
  /** Trace choices per client run (runClient's maxCombinations). Default 10,000. */
  maxCombinations?: number;
  /** Only these clients (by name), for tests. */
  filter?: (c: Client) => boolean;
  /** An ordering rewrite for `test`'s function under test (a known weaker variant). */
  reorderTest?: (method: string, order: Order) => Order;
}

/** Splits an outcome into its counter part `k` and the rest `v`, as keys. */
function split(client: Client, o: ClientOutcome): { k: string; v: string } {
  const counterRegs = new Set<string>();
  client.threads.forEach((steps, t) => {
    for (const s of steps)
      if (s.op === 'call' && s.reg !== undefined) counterRegs.add(`${t}:${s.reg}`);
  });
  const k: string[] = [];
  const v: string[] = [];
  for (const name of Object.keys(o).sort()) {
    (name === 'c' || counterRegs.has(name) ? k : v).push(`${name}=${o[name]}`);
  }
  return { k: k.join(' '), v: v.join(' ') };
}

/** Per k, the v's allowed; and every v over all k. */
function byCounter(client: Client, outcomes: Iterable<ClientOutcome>) {
  const per = new Map<string, Set<string>>();
  const all = new Set<string>();
  for (const o of outcomes) {
    const { k, v } = split(client, o);
    (per.get(k) ?? per.set(k, new Set()).get(k)!).add(v);
    all.add(v);
  }
  return { per, all };
}

/**
 * The outcomes of `mine` that only a reordering gives (not in `mineSc` with the same k)
 * and that `other` forbids with the same k (with any k when it has not that k).
 */
function relaxedOnlyIn(
  client: Client,
  mine: Iterable<ClientOutcome>,
  mineSc: Iterable<ClientOutcome>,
  other: Iterable<ClientOutcome>,
): { outcome: ClientOutcome; sameCounter: boolean }[] {
  const sc = byCounter(client, mineSc);
  const oth = byCounter(client, other);
  const out: { outcome: ClientOutcome; sameCounter: boolean }[] = [];
  for (const o of mine) {
    const { k, v } = split(client, o);
    if (sc.per.get(k)?.has(v)) continue;
    const theirs = oth.per.get(k);
    if (theirs ? theirs.has(v) : oth.all.has(v)) continue;
    out.push({ outcome: o, sameCounter: theirs !== undefined });
  }
  return out;
}

/** Compares `test` with `base` on every client of `fn`. */
export function compareFunction(
  fn: PageRefFunction,
  base: Strategy,
  test: Strategy,
  options: BarrierOptions = {},
): FunctionBarriers {
  const started = performance.now();
  // runClient's defaults where none is given
  const run = {
    maxEvents: options.maxEvents,
    maxSeconds: options.maxSeconds,
    maxCombinations: options.maxCombinations,
  };
  const clients = clientsOf(fn).filter(options.filter ?? (() => true));
  const weaker: Difference[] = [];
  const stronger: Difference[] = [];
  const incomplete: string[] = [];
  let notInBase = 0;
  let scDiffers = 0;
  const testRun = { ...run, ...(options.reorderTest ? { reorder: options.reorderTest } : {}) };
  /**
   * Both strategies' runs of `client` under `model`, or undefined where either gives no
   * verdict: a limit, or a run cut by the event bound (it lacks outcomes; under SC, an
   * outcome missed would pass for one only a reordering gives).
   */
  const runBoth = (client: Client, model: MemoryModel) => {
    const b = runClient(client, base, model, run);
    const t = runClient(client, test, model, testRun);
    return b.kind === 'complete' && t.kind === 'complete' && b.cut === 0 && t.cut === 0
      ? { b, t }
      : undefined;
  };
  for (const client of clients) {
    const lkmm = runBoth(client, LKMM);
    if (!lkmm) {
      incomplete.push(client.name);
      continue;
    }
    const { b, t } = lkmm;
    const bKeys = new Set(b.outcomes.keys());
    const tKeys = new Set(t.outcomes.keys());
    if ([...tKeys].some((k) => !bKeys.has(k))) notInBase++;
    if (bKeys.size === tKeys.size && [...tKeys].every((k) => bKeys.has(k))) continue;
    const sc = runBoth(client, SC);
    if (!sc) {
      incomplete.push(client.name);
      continue;
    }
    const { b: bSc, t: tSc } = sc;
    const bScKeys = [...bSc.outcomes.values()]
      .map((o) => split(client, o).k)
      .sort()
      .join('|');
    const tScKeys = [...tSc.outcomes.values()]
      .map((o) => split(client, o).k)
      .sort()
      .join('|');
    if (bScKeys !== tScKeys) scDiffers++;
    const w = relaxedOnlyIn(
      client,
      t.outcomes.values(),
      tSc.outcomes.values(),
      b.outcomes.values(),
    );
    if (w.length > 0)
      weaker.push({ client, direction: 'weaker', ...pickOne(w), allows: t, forbids: b });
    const s = relaxedOnlyIn(
      client,
      b.outcomes.values(),
      bSc.outcomes.values(),
      t.outcomes.values(),
    );
    if (s.length > 0)
      stronger.push({ client, direction: 'stronger', ...pickOne(s), allows: b, forbids: t });
  }
  const verdict =
    weaker.length > 0 && stronger.length > 0
      ? 'weaker and stronger'
      : weaker.length > 0
        ? 'weaker'
        : stronger.length > 0
          ? 'stronger'
          : incomplete.length > 0
            ? 'incomplete'
            : clients.length === 0
              ? 'no clients'
              : 'same';
  return {
    fn,
    clients: clients.length,
    verdict,
    weaker,
    stronger,
    notInBase,
    scDiffers,
    incomplete,
    ms: Math.round(performance.now() - started),
  };
}

/** One distinguishing outcome: one whose counter behaviour the other strategy shares, if any. */
function pickOne(list: { outcome: ClientOutcome; sameCounter: boolean }[]) {
  return list.find((d) => d.sameCounter) ?? list[0]!;
}
