/**
 * A catalog scenario under the Linux-kernel memory model: the strategy's own code, run as a
 * black box over recording cells (src/axiomatic/recordingCells.ts), once per combination of
 * values its reads may return, hands src/axiomatic the traces a litmus file would; LKMM keeps
 * the consistent executions, and each is judged on its data-race flag and its final state.
 * See README.md in this folder for the design and the mapping of the SC ghost rules.
 */

import {
  CodeNondeterministic,
  codeProgram,
  modelRuns,
  prefixes,
  type CodeProgram,
  type CodeThread,
} from '../../axiomatic/codeTraces.js';
import type { Program, ThreadTrace } from '../../axiomatic/events.js';
import type { Execution } from '../../axiomatic/execution.js';
import { Budget, LimitReached } from '../../axiomatic/limits.js';
import { LKMM } from '../../axiomatic/models/lkmm.js';
import type { RecordingCells } from '../../axiomatic/recordingCells.js';
import type { Outcome } from '../../axiomatic/run.js';
import { PageRefDebugError } from '../../refcount/debugChecks.js';
import { PageRefs } from '../../refcount/pageRefs.js';
import { isCellsSignal, SignalSwallowed } from '../../axiomatic/recordingCells.js';
import { describeThrown } from '../../explore/violation.js';
import type { Strategy } from '../../refcount/strategy.js';
import { STRATEGIES } from '../../refcount/strategies.js';
import type { PageOps } from '../pageOps.js';
import type { Scenario } from '../scenario.js';
import { formatExecution } from './formatExecution.js';
import { guardedForLkmm, guardFault } from './guardedLkmm.js';
import { judge } from './judge.js';
import { LKMM_DEFAULTS, type LkmmOptions } from './lkmmOptions.js';
import { LkmmOps } from './lkmmOps.js';
import { type FoundViolation, type LkmmResult, type LkmmVerdict } from './lkmmResult.js';
import { pageLayout, runSetup, type PageLayout, type Start } from './pageMemory.js';

/** The strategies this project wrote: they keep to their page and their types, and are deterministic. */
const BUILT_IN: ReadonlySet<Strategy> = new Set(Object.values(STRATEGIES));

/** What the search runs over: the program of a scenario × strategy, and its page memory. */
export interface LkmmProgram {
  code: CodeProgram;
  l: PageLayout;
  st: Start;
  /** The strategy as the setup and the final check run it (guarded, if not built in). */
  probe: Strategy;
  /** Forgets a fault of the probe's, before it judges another execution. */
  resetProbe(): void;
}

/**
 * The traces of `s`'s threads running `strategy`'s code over recording cells, and the page
 * memory they start from: what runScenarioLkmm searches, and what a test that checks its
 * search by brute force enumerates. @throws LimitReached (past `budget`), and the engine's verdicts on the code itself
 * (SignalSwallowed, CodeNondeterministic, a guard's fault or a throw in the setup).
 */
export function lkmmProgram(
  s: Scenario,
  strategy: Strategy,
  options: LkmmOptions,
  budget: Budget,
): LkmmProgram {
  // the strategies this project wrote run as they are; any other is guarded and run twice
  const trusted = BUILT_IN.has(strategy);
  // the strategy as the setup and the final check run it on real memory
  const probe = trusted ? { strategy, reset() {} } : guardedForLkmm(strategy);
  const l = pageLayout(s.pages);
  let st: Start;
  try {
    st = runSetup(s, probe.strategy, l);
  } catch (e) {
    // the setup runs strategy code: what it throws is its verdict, never a crash
    throw guardFault(e) ?? new SetupThrew(`the setup threw ${describeThrown(e)}`);
  }
  const refsOf = new WeakMap<RecordingCells, { refs: PageRefs; reset(): void }>();
  const threads: CodeThread[] = s.threads.map(({ body }, t) => (cells) => {
    let bound = refsOf.get(cells);
    if (!bound) {
      const guarded = trusted ? { strategy, reset() {} } : guardedForLkmm(strategy);
      const over = { pages: s.pages, strategy: guarded.strategy, debug: true };
      bound = { refs: PageRefs.over(cells, over), reset: guarded.reset };
      refsOf.set(cells, bound);
    }
    bound.reset(); // a fault of the last run is not this one's
    const ops = new LkmmOps(t, cells, bound.refs, l, st, options.ctrl ?? true);
    try {
      body(ops as unknown as PageOps);
    } catch (e) {
      // the engine's own signals pass, known by identity (a strategy can construct their
      // classes); what the strategy throws (a debug check, a bug) ends the thread there, as
      // an oops would, and is judged if LKMM allows the run
      if (isCellsSignal(e) || isLimit(e)) throw e;
      const r = ops.registers();
      r.threw = threwText(e);
      return r;
    }
    return ops.registers();
  });
  const init = new Map<string, number>();
  for (let i = 0; i < l.cells; i++) init.set(l.name(i), st.memory[i]!);
  const code = codeProgram(init, threads, {
    cellName: l.name,
    maxEvents: options.maxEvents ?? 24,
    budget,
    ...(options.reorder ? { reorder: options.reorder } : {}),
    runTwice: options.runTwice ?? !trusted,
  });
  return { code, l, st, probe: probe.strategy, resetProbe: probe.reset };
}

/** What the setup threw, when it ran the strategy's code. */
class SetupThrew extends Error {}

/** Whether `e` is the budget's LimitReached; a Proxy that throws on inspection is not. */
function isLimit(e: unknown): boolean {
  try {
    return e instanceof LimitReached;
  } catch {
    return false;
  }
}

/** A thread's end by a throw, as the thread's `threw` register: `kind: message` (judge.ts). */
function threwText(e: unknown): string {
  const fault = guardFault(e);
  if (fault) return `${fault.kind}: ${fault.message}`;
  try {
    // a strategy's own debug checks (Strategy.checked, the C's) and the ports' wrapper's
    if (e instanceof PageRefDebugError) return `debugCheck: ${e.message}`;
  } catch {
    // a revoked Proxy, thrown: no trap of it runs below
  }
  return `threw: ${describeThrown(e)}`;
}

/** The events of an execution's threads, the initial writes not counted: its length. */
export function executionEvents(x: Execution): number {
  return x.events.filter((e) => e.thread >= 0).length;
}

/**
 * One scenario against one strategy under LKMM. A violation comes with a shortest
 * counterexample: of the violating executions, one with the fewest events (README.md,
 * "Shortest counterexamples").
 */
export function runScenarioLkmm(
  s: Scenario,
  strategy: Strategy,
  options: LkmmOptions = {},
): LkmmResult {
  const started = performance.now();
  const maxEvents = options.maxEvents ?? LKMM_DEFAULTS.maxEvents;
  const base = {
    scenario: s.name,
    strategy: strategy.name,
    model: (options.model ?? LKMM).name,
    maxEvents,
  };
  const result = (
    verdict: LkmmVerdict,
    rest: Partial<LkmmResult> & Pick<LkmmResult, 'traces' | 'cut' | 'rounds' | 'executions'>,
  ): LkmmResult => ({
    ...base,
    verdict,
    ...rest,
    ms: Math.round((performance.now() - started) * 10) / 10,
  });
  const none = { traces: [], cut: [], rounds: 0, executions: 0 };
  // the heap ceiling counts from what is in use now: runs before this one leave garbage
  // that a process-wide ceiling would charge to this one
  const budget = new Budget({
    maxSeconds: options.maxSeconds ?? LKMM_DEFAULTS.maxSeconds,
    maxMemoryMB:
      Math.ceil(process.memoryUsage().heapUsed / 2 ** 20) +
      (options.maxMemoryMB ?? LKMM_DEFAULTS.maxMemoryMB),
  });
  const maxStates = options.maxStates ?? LKMM_DEFAULTS.maxStates;
  const model = options.model ?? LKMM;
  let l: PageLayout, st: Start, code: CodeProgram, probe: Strategy, resetProbe: () => void;
  try {
    ({ code, l, st, probe, resetProbe } = lkmmProgram(s, strategy, options, budget));
  } catch (e) {
    if (e instanceof SetupThrew)
      return result('violation', { ...none, kind: 'threw', message: e.message });
    // the strategy's fault, as the SC explorer's pauseSwallowed: no trace of it can be trusted
    if (e instanceof SignalSwallowed)
      return result('violation', { ...none, kind: 'signalSwallowed', message: e.message });
    const fault = guardFault(e); // in the setup, which runs the strategy on real memory
    if (fault) return result('violation', { ...none, kind: fault.kind, message: fault.message });
    if (e instanceof CodeNondeterministic)
      return result('violation', { ...none, kind: 'nondeterministic', message: e.message });
    if (e instanceof LimitReached) return result('incomplete', { ...none, message: e.message });
    throw e;
  }
  const counts = {
    traces: code.program.traces.map((t) => t.length),
    cut: code.cut.map((t) => t.length),
    rounds: code.rounds,
  };
  let found: (FoundViolation & { x: Execution; events: number }) | undefined;
  let allowed = 0;
  let executions = 0;
  /**
   * runModel over every matching choice of one trace per thread with fewer events in all
   * than `below()`, one choice at a time. `onAllowed` is handed each allowed execution and
   * its events; it answers 'choice' to leave this choice (every execution of one choice has
   * the same events) or 'search' to stop altogether. Returns the limit reached, if any.
   */
  const each = (
    program: Program,
    onAllowed: (
      x: Execution,
      o: Outcome,
      flags: readonly string[],
      events: number,
    ) => 'choice' | 'search' | undefined,
    below?: () => number,
  ): string | undefined => {
    try {
      let stop: 'choice' | 'search' | undefined;
      const runs = modelRuns(
        program,
        model,
        (combo) => {
          const events = combo.reduce((a, t) => a + t.events.length, 0);
          stop = undefined;
          return {
            maxExecutions: maxStates - executions,
            coherentOnly: true,
            budget,
            onAllowed: (x, o, flags) => (stop = onAllowed(x, o, flags, events)) !== undefined,
          };
        },
        () => budget.check(),
        below,
      );
      for (const { result: r } of runs) {
        executions += r.explored;
        // runModel names what was left of the run's candidates; the run's own limit is the option
        if (r.kind === 'incomplete')
          return r.limit.startsWith('max-states=') ? `max-states=${maxStates}` : r.limit;
        if (stop === 'search') return undefined;
      }
    } catch (e) {
      if (e instanceof LimitReached) return e.limit;
      throw e;
    }
    return undefined;
  };
  // branch and bound: once a violation is found, only choices with fewer events are tried,
  // so the last one found is a shortest (the first the search meets among the shortest)
  const limit = each(
    code.program,
    (x, o, flags, events) => {
      allowed++;
      resetProbe(); // a fault found judging another execution is not this one's
      const f = judge(s, probe, { x, o, l, st }, flags);
      if (!f) return undefined;
      found = { ...f, x, events };
      return 'choice';
    },
    () => found?.events ?? Infinity,
  );
  // a violation found before a limit is real: it is reported, and marked as maybe not the
  // shortest, since shorter choices may be left
  if (found)
    return result('violation', {
      ...counts,
      executions,
      kind: found.kind,
      message: found.message,
      execution: formatExecution(
        found.x,
        s.threads.map((t) => t.name),
      ),
      witness: { x: found.x, threads: s.threads.map((t) => t.name) },
      events: found.events,
      ...(limit ? { shortestUnproven: limit } : {}),
    });
  if (limit) return result('incomplete', { ...counts, executions, message: `stopped at ${limit}` });
  // A cut run matters if LKMM allows an execution through its prefix, with every other
  // thread at any point of any of its runs.
  for (let t = 0; t < code.cut.length; t++) {
    if (code.cut[t]!.length === 0) continue;
    const traces: ThreadTrace[][] = code.program.traces.map((ts, u) =>
      u === t ? code.cut[t]! : distinct([...ts, ...code.cut[u]!].flatMap(prefixes)),
    );
    const program: Program = { init: code.program.init, traces };
    let through = false;
    const cutLimit = each(program, () => {
      through = true;
      return 'search';
    });
    if (cutLimit)
      return result('incomplete', { ...counts, executions, message: `stopped at ${cutLimit}` });
    if (through)
      return result('bounded', {
        ...counts,
        executions,
        message: `T${t} (${s.threads[t]!.name}) may run past the bound of ${maxEvents} events: no verdict beyond it`,
      });
  }
  if (allowed === 0)
    return result('incomplete', {
      ...counts,
      executions,
      message: 'LKMM allowed no execution at all: nothing was checked',
    });
  return result('safe', { ...counts, executions });
}

function distinct(traces: ThreadTrace[]): ThreadTrace[] {
  const seen = new Map<string, ThreadTrace>();
  for (const t of traces) seen.set(JSON.stringify(t.events), t);
  return [...seen.values()];
}
