/**
 * A catalog scenario under the Linux-kernel memory model: the strategy's own code, run as a
 * black box over recording cells (src/axiomatic/recordingCells.ts), once per combination of
 * values its reads may return, hands src/axiomatic the traces a litmus file would; LKMM keeps
 * the consistent executions, and each is judged on its data-race flag and its final state.
 * See README.md in this folder for the design and the mapping of the SC ghost rules.
 */

import {
  codeProgram,
  matchingCombinations,
  prefixes,
  rmwChainsPossible,
  type CodeThread,
} from '../../axiomatic/codeTraces.js';
import type { Program, ThreadTrace } from '../../axiomatic/events.js';
import type { Execution } from '../../axiomatic/execution.js';
import { Budget, LimitReached } from '../../axiomatic/limits.js';
import { LKMM } from '../../axiomatic/models/lkmm.js';
import type { RecordingCells } from '../../axiomatic/recordingCells.js';
import { runModel, type ModelResult, type Outcome } from '../../axiomatic/run.js';
import { PageRefDebugError } from '../../refcount/debugChecks.js';
import { PageRefs } from '../../refcount/pageRefs.js';
import { TraceCut, TraceFrontier, TraceInfeasible } from '../../axiomatic/recordingCells.js';
import { describeThrown } from '../../explore/violation.js';
import type { Strategy } from '../../refcount/strategy.js';
import type { PageOps } from '../pageOps.js';
import type { Scenario } from '../scenario.js';
import { formatExecution } from './formatExecution.js';
import { judge } from './judge.js';
import { LKMM_DEFAULTS, type LkmmOptions } from './lkmmOptions.js';
import { LkmmOps } from './lkmmOps.js';
import {
  Unsupported,
  type FoundViolation,
  type LkmmResult,
  type LkmmVerdict,
} from './lkmmResult.js';
import { pageLayout, runSetup, type Start } from './pageMemory.js';

/** One scenario against one strategy under LKMM. */
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
  const l = pageLayout(s.pages);
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
  let st: Start;
  let code;
  try {
    st = runSetup(s, strategy, l);
    const refsOf = new WeakMap<RecordingCells, PageRefs>();
    const threads: CodeThread[] = s.threads.map(({ body }, t) => (cells) => {
      let refs = refsOf.get(cells);
      if (!refs) {
        refs = PageRefs.over(cells, { pages: s.pages, strategy, debug: true });
        refsOf.set(cells, refs);
      }
      const ops = new LkmmOps(t, cells, refs, l, st, options.ctrl ?? true);
      try {
        body(ops as unknown as PageOps);
      } catch (e) {
        // the engine's own signals pass; what the strategy throws (a debug check, a bug)
        // ends the thread there, as an oops would, and is judged if LKMM allows the run
        if (
          e instanceof TraceCut ||
          e instanceof TraceFrontier ||
          e instanceof TraceInfeasible ||
          e instanceof Unsupported ||
          e instanceof LimitReached
        )
          throw e;
        const message = e instanceof PageRefDebugError ? e.message : describeThrown(e);
        const r = ops.registers();
        r.threw = `${e instanceof PageRefDebugError ? 'debugCheck' : 'threw'}: ${message}`;
        return r;
      }
      return ops.registers();
    });
    const init = new Map<string, number>();
    for (let i = 0; i < l.cells; i++) init.set(l.name(i), st.memory[i]!);
    code = codeProgram(init, threads, {
      cellName: l.name,
      maxEvents,
      budget,
      ...(options.reorder ? { reorder: options.reorder } : {}),
    });
  } catch (e) {
    if (e instanceof Unsupported) return result('unsupported', { ...none, message: e.message });
    if (e instanceof LimitReached) return result('incomplete', { ...none, message: e.message });
    throw e;
  }
  const counts = {
    traces: code.program.traces.map((t) => t.length),
    cut: code.cut.map((t) => t.length),
    rounds: code.rounds,
  };
  let found: (FoundViolation & { x: Execution }) | undefined;
  let allowed = 0;
  let executions = 0;
  /**
   * runModel over every matching choice of one trace per thread, one choice at a time; stops
   * when `onAllowed` says so. Returns the limit reached, if any.
   */
  const each = (
    program: Program,
    onAllowed: (x: Execution, o: Outcome, flags: readonly string[]) => boolean,
  ): string | undefined => {
    try {
      for (const combo of matchingCombinations(program.init, program.traces, () =>
        budget.check(),
      )) {
        if (!rmwChainsPossible(program.init, combo)) continue;
        let stop = false;
        const r: ModelResult = runModel(
          { init: program.init, traces: combo.map((t) => [t]) },
          model,
          {
            maxExecutions: maxStates - executions,
            coherentOnly: true,
            budget,
            onAllowed: (x, o, flags) => (stop = onAllowed(x, o, flags)),
          },
        );
        executions += r.explored;
        if (r.kind === 'incomplete') return r.limit;
        if (stop) return undefined;
      }
    } catch (e) {
      if (e instanceof LimitReached) return e.limit;
      throw e;
    }
    return undefined;
  };
  const limit = each(code.program, (x, o, flags) => {
    allowed++;
    const f = judge(s, strategy, { x, o, l, st }, flags);
    if (f) found = { ...f, x };
    return f !== undefined;
  });
  const main = limit ? { kind: 'incomplete' as const, limit } : { kind: 'complete' as const };
  if (main.kind === 'incomplete')
    return result('incomplete', { ...counts, executions, message: `stopped at ${main.limit}` });
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
    });
  // A cut run matters if LKMM allows an execution through its prefix, with every other
  // thread at any point of any of its runs.
  for (let t = 0; t < code.cut.length; t++) {
    if (code.cut[t]!.length === 0) continue;
    const traces: ThreadTrace[][] = code.program.traces.map((ts, u) =>
      u === t ? code.cut[t]! : distinct([...ts, ...code.cut[u]!].flatMap(prefixes)),
    );
    const program: Program = { init: code.program.init, traces };
    let through = false;
    const cutLimit = each(program, () => (through = true));
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
