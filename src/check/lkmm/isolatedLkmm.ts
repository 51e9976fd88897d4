/**
 * A user's strategy module under LKMM, isolated as the SC check isolates it, by the same
 * runner (isolated.ts, runSupervised with `lkmm`): a worker in a child process that freezes
 * the checker and loads the module, under the watchdogs. A run whose strategy code stalls
 * (no budget check of the LKMM run for the stall limit, on the wall clock and in CPU time),
 * passes its time limit, or holds more memory than its limit is stopped and recorded
 * `incomplete`, and a fresh worker goes on with the next scenario. Strategy code that ends
 * its thread (process.exit) records its run as a `threw` violation: the module's doing, as
 * under SC. A module that never finishes loading, or fails to, is a load error.
 */
import { runSupervised, type IsolatedOptions, type LkmmRunOptions } from '../isolated.js';
import type { LkmmResult } from './lkmmResult.js';

export type IsolatedLkmm =
  { kind: 'done'; results: LkmmResult[] } | { kind: 'loadError'; message: string };

/** Runs `scenarios` (catalog or parametric names) against the module in `file` under LKMM. */
export async function runStrategyFileLkmm(
  file: string,
  scenarios: string[],
  options: LkmmRunOptions = {},
  /** The watchdog's stall and load limits, as for the SC check (IsolatedOptions). */
  watchdog: Pick<IsolatedOptions, 'stallMs' | 'loadMs' | 'loadWaitMs'> = {},
): Promise<IsolatedLkmm> {
  const run = await runSupervised({
    scenarios,
    builtIns: [],
    strategyFile: file,
    lkmm: options,
    ...watchdog,
  });
  // with `lkmm`, every result is LKMM's
  return run as IsolatedLkmm;
}
