/**
 * The verdict on one allowed execution: the SC world's invariants (src/check/world.ts), on
 * its data-race flag and its final state (README: the table of the SC ghost rules).
 */

import { AtomicCells } from '../../cells/atomicCells.js';
import { PageRefs } from '../../refcount/pageRefs.js';
import type { Strategy } from '../../refcount/strategy.js';
import type { Scenario } from '../scenario.js';
import { wrongDestructor, wrongObservation, type Allowed } from './coherenceChecks.js';
import { describeThrown } from '../../explore/violation.js';
import { guardFault, type StrategyFault } from './guardedLkmm.js';
import type { FoundViolation } from './lkmmResult.js';
import { holdersAtStart } from './pageMemory.js';
import { freeNotFrozen, leftFrozen, liveWrong } from '../endState.js';

/**
 * The conditions on one allowed execution: the SC world's invariants, on its final state.
 * `strategy` probes the final memory; code that throws or faults there is the verdict.
 */
export function judge(
  s: Scenario,
  strategy: Strategy,
  allowed: Allowed,
  flags: readonly string[],
): FoundViolation | undefined {
  try {
    return judgeState(s, strategy, allowed, flags);
  } catch (e) {
    // the probe runs strategy code, without debug checks: whatever it throws is its verdict
    const fault = guardFault(e);
    if (fault) return { kind: fault.kind, message: `the final check's probe: ${fault.message}` };
    return { kind: 'threw', message: `the final check's probe threw ${describeThrown(e)}` };
  }
}

function judgeState(
  s: Scenario,
  strategy: Strategy,
  allowed: Allowed,
  flags: readonly string[],
): FoundViolation | undefined {
  const { o, l, st } = allowed;
  if (flags.includes('data-race'))
    return {
      kind: 'dataRace',
      message:
        "LKMM's data-race flag: a plain access to a page's contents races with another (a use after free, or a use of a page another thread has frozen)",
    };
  for (const [t, r] of o.registers.entries()) {
    const threw = r.threw;
    if (typeof threw !== 'string') continue;
    // `kind: message`, as the thread wrapper (lkmmScenario.ts) writes it
    const kind = threw.slice(0, threw.indexOf(': ')) as
      'debugCheck' | 'threw' | StrategyFault['kind'];
    const what = {
      debugCheck: 'fired a debug check',
      threw: 'threw',
      outOfRange: 'reached outside its page',
      badResult: 'returned a value of the wrong type',
      badOrdering: 'gave an ordering no kernel call has',
    }[kind];
    return { kind, message: `T${t} ${what}: ${threw.slice(threw.indexOf(': ') + 2)}` };
  }
  const sum = (name: string) => o.registers.reduce((a, r) => a + Number(r[name] ?? 0), 0);
  for (let p = 0; p < s.pages; p++) {
    const who = (name: string) =>
      o.registers.flatMap((r, t) => (Number(r[name] ?? 0) !== 0 ? [`T${t}`] : [])).join(', ');
    if (sum(`stale${p}`) > 0)
      return {
        kind: 'useAfterFree',
        message: `${who(`stale${p}`)} read page p${p}'s contents after they were freed`,
      };
    const freed = sum(`freed${p}`);
    const allocs = o.registers.filter((r) => Number(r[`alloc${p}`] ?? 0) !== 0).length;
    // incarnations and frees alternate: a page live at the start ends free after one free
    // more than it was allocated, a free one after as many
    const most = allocs + (st.free[p] ? 0 : 1);
    if (freed > most)
      return {
        kind: 'doubleFree',
        message: `page p${p} was freed ${freed} times (${who(`freed${p}`)}), allocated ${allocs} times`,
      };
    const wrong = wrongDestructor(allowed, p) ?? wrongObservation(allowed, p);
    if (wrong) return wrong;
    const held = holdersAtStart(st, p) + sum(`held${p}`);
    // the final memory, probed by the strategy itself over a copy
    const memory = st.memory.slice();
    memory[p] = Number(o.memory.get(l.name(p)));
    const refs = PageRefs.over(new AtomicCells(memory), { pages: s.pages, strategy, debug: false });
    // Two differences from the SC explorer's end check (scenario.ts), both from what LKMM
    // knows: it has no moment of the free at which to check the holders (SC checks them as
    // the destructor runs), so a freed page's holders are checked here; and a thread's
    // frozen register is cleared only by its own free, where SC clears the page's freezer
    // on any thread's, so a freed page's registers may name a freezer SC would have cleared.
    if (freed === most) {
      if (held > 0)
        return {
          kind: 'freeWhileHeld',
          message: `page p${p} was freed by ${who(`freed${p}`)} while ${held} reference(s) are still held`,
        };
      const notFrozen = freeNotFrozen(p, refs, memory[p]!);
      if (notFrozen) return notFrozen;
      continue;
    }
    if (sum(`frozen${p}`) > 0) return leftFrozen(p, who(`frozen${p}`));
    const live = liveWrong(p, held, refs, memory[p]!);
    if (live) return live;
  }
  return undefined;
}
