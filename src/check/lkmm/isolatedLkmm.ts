/**
 * A user's strategy module under LKMM, isolated as the SC check isolates it (isolated.ts):
 * in a child process (lkmmChild.ts) that freezes the checker and loads the module, under a
 * watchdog here. A run that passes its time limit by more than {@link LKMM_GRACE_MS} (strategy
 * code that spins without touching its cells, or blocks) is stopped with the child, recorded
 * `incomplete`, and a fresh child goes on with the next scenario. A child that ends while a
 * run is in progress (the module called process.exit) records that run as a `threw`
 * violation: the module's doing, as under SC.
 */
import { fork } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LKMM_DEFAULTS, type LkmmOptions } from './lkmmOptions.js';
import type { LkmmResult } from './lkmmResult.js';

/** How far past its time limit a run may go before the watchdog stops it. */
export const LKMM_GRACE_MS = 5_000;

export interface LkmmChildRequest {
  path: string;
  /** The file as named on the command line. */
  name: string;
  scenarios: string[];
  options: LkmmOptions;
  startAt: number;
}

export type FromLkmmChild =
  | { type: 'loadError'; message: string }
  | { type: 'start'; index: number; strategy: string }
  | { type: 'result'; index: number; result: LkmmResult }
  | { type: 'failed'; message: string }
  | { type: 'done' };

/** The default load limit: six times the SC check's 10 s, as its limit for a waiting import. */
const LOAD_MS = 60_000;

export type IsolatedLkmm =
  { kind: 'done'; results: LkmmResult[] } | { kind: 'loadError'; message: string };

/** Runs `scenarios` (catalog or parametric names) against the module in `file` under LKMM. */
export async function runStrategyFileLkmm(
  file: string,
  scenarios: string[],
  options: Omit<LkmmOptions, 'model' | 'reorder'> = {},
  /**
   * Loading the module may take this long on the wall clock, then it is a load error: a
   * module that loops or waits as it is imported would otherwise hold the check for ever.
   * Generous, as the SC check's limit for a waiting import (isolated.ts), so that an honest
   * import on a busy machine is never stopped.
   */
  loadMs = LOAD_MS,
): Promise<IsolatedLkmm> {
  const results: LkmmResult[] = [];
  const limitMs = (options.maxSeconds ?? LKMM_DEFAULTS.maxSeconds) * 1000 + LKMM_GRACE_MS;
  let name = file;
  while (results.length < scenarios.length) {
    const startAt = results.length;
    const child = fork(fileURLToPath(new URL('./lkmmChild.js', import.meta.url)), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
    });
    const ended = await new Promise<IsolatedLkmm | undefined>((done, fail) => {
      let since = Date.now();
      let running = -1;
      let loaded = false;
      const stopRun = (verdict: 'incomplete' | 'violation', message: string) => {
        results.push({
          scenario: scenarios[running]!,
          strategy: name,
          model: 'lkmm',
          verdict,
          ...(verdict === 'violation' ? { kind: 'threw' as const } : {}),
          message,
          traces: [],
          cut: [],
          rounds: 0,
          executions: 0,
          maxEvents: options.maxEvents ?? LKMM_DEFAULTS.maxEvents,
          ms: Date.now() - since,
        });
      };
      const timer = setInterval(() => {
        if (!loaded && Date.now() - since > loadMs)
          return finish({
            kind: 'loadError',
            message: `strategy file ${file} did not finish loading in ${loadMs / 1000} s (does it loop, or wait, as it is imported?)`,
          });
        if (running < 0 || Date.now() - since <= limitMs) return;
        stopRun(
          'incomplete',
          `stopped by the watchdog after ${Math.round(limitMs / 1000)} s: the strategy's code did not return`,
        );
        finish(undefined);
      }, 100);
      const finish = (outcome: IsolatedLkmm | undefined | Error) => {
        clearInterval(timer);
        child.removeAllListeners();
        child.kill('SIGKILL');
        if (outcome instanceof Error) fail(outcome);
        else done(outcome);
      };
      child.on('message', (m: FromLkmmChild) => {
        if (m.type === 'loadError') finish({ kind: 'loadError', message: m.message });
        else if (m.type === 'start') {
          loaded = true;
          running = m.index;
          name = m.strategy;
          since = Date.now();
        } else if (m.type === 'result') {
          results.push(m.result);
          running = -1;
        } else if (m.type === 'failed')
          finish(new Error(`[checker bug] the LKMM child failed: ${m.message}`));
        else if (results.length < scenarios.length)
          // only the checker's child says done, after its last result: a module that speaks
          // on the same channel cannot end the check with rows missing and have it pass
          finish(
            new Error(
              `the check of ${file} said done after ${results.length} of ${scenarios.length} results: does the strategy module write to the checker's channel (process.send)?`,
            ),
          );
        else finish({ kind: 'done', results });
      });
      child.on('exit', (code, signal) => {
        if (running < 0)
          return finish({
            kind: 'loadError',
            message: `strategy file ${file} ended the process (${code ?? signal}) as it loaded`,
          });
        stopRun('violation', `the strategy's code ended the process (${code ?? signal})`);
        finish(undefined);
      });
      child.send({
        path: resolve(file),
        name: file,
        scenarios,
        options,
        startAt,
      } satisfies LkmmChildRequest);
    });
    if (ended) return ended;
  }
  return { kind: 'done', results };
}
