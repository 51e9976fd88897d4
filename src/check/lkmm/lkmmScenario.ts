/**
 * A catalog scenario under the Linux-kernel memory model: the strategy's own code, run as a
 * black box over recording cells (src/axiomatic/recordingCells.ts), once per combination of
 * values its reads may return, hands src/axiomatic the traces a litmus file would; LKMM keeps
 * the consistent executions, and each is judged on its data-race flag and its final state.
 * See README.md in this folder for the design and the mapping of the SC ghost rules.
 */

import { AtomicCells } from '../../cells/atomicCells.js';
import type { Order } from '../../cells/cells.js';
import {
  codeProgram,
  matchingCombinations,
  prefixes,
  rmwChainsPossible,
  type CodeThread,
} from '../../axiomatic/codeTraces.js';
import type { Program, ThreadTrace, Value } from '../../axiomatic/events.js';
import type { Execution } from '../../axiomatic/execution.js';
import { Budget, LimitReached } from '../../axiomatic/limits.js';
import { LKMM } from '../../axiomatic/models/lkmm.js';
import type { MemoryModel } from '../../axiomatic/models/model.js';
import type { RecordingCells } from '../../axiomatic/recordingCells.js';
import { runModel, type ModelResult, type Outcome } from '../../axiomatic/run.js';
import { PageRefDebugError } from '../../refcount/debugChecks.js';
import { PageRefs } from '../../refcount/pageRefs.js';
import { TraceCut, TraceFrontier, TraceInfeasible } from '../../axiomatic/recordingCells.js';
import { describeThrown } from '../../explore/violation.js';
import type { Strategy } from '../../refcount/strategy.js';
import type { DestructorFrom, PageOps } from '../pageOps.js';
import type { Scenario, Setup } from '../scenario.js';
import { typeName } from '../world.js';

/** safe: explored completely, nothing found; bounded: a loop was cut where it matters. */
export type LkmmVerdict = 'safe' | 'violation' | 'bounded' | 'unsupported' | 'incomplete';

/** What goes wrong in a violating execution, one kind each. */
export type LkmmViolationKind =
  | 'dataRace'
  | 'useAfterFree'
  | 'doubleFree'
  | 'wrongDestructor'
  | 'freeWhileHeld'
  | 'freeNotFrozen'
  | 'leftFrozen'
  | 'leak'
  | 'wrongCount'
  | 'debugCheck'
  | 'threw';

export interface LkmmResult {
  scenario: string;
  strategy: string;
  /** The model that judged: 'lkmm', or 'sc' for the axiomatic SC model. */
  model: string;
  verdict: LkmmVerdict;
  /** Why: the violation, the cut, the unsupported operation, the limit. */
  message?: string;
  kind?: LkmmViolationKind;
  /** A violating execution in text: events per thread, rf, co. */
  execution?: string;
  /** The violating execution itself, and the thread names, for a drawing (src/text/drawExecution.ts). */
  witness?: { x: Execution; threads: string[] };
  /** Traces per thread (complete runs), cut runs, fixpoint rounds. */
  traces: number[];
  cut: number[];
  rounds: number;
  /** Candidate executions checked against LKMM (the cut check's included). */
  executions: number;
  /** The per-thread event bound. */
  maxEvents: number;
  ms: number;
}

export interface LkmmOptions {
  /** Events in one run of a thread before it is cut. Default 24. */
  maxEvents?: number;
  /** Candidate executions before giving up. Default 1,000,000. */
  maxStates?: number;
  /** MiB of JS heap this run may add before giving up. Default 1,024. */
  maxMemoryMB?: number;
  /** Seconds before giving up. Default 60. */
  maxSeconds?: number;
  /**
   * Whether the free path is control dependent on the reads of the call that decided it (a
   * put's decAndTest, an evict's freeze), as `if (put_testzero()) free()` is. Default true;
   * false assumes no dependency at all.
   */
  ctrl?: boolean;
  /**
   * The model that judges the executions. Default LKMM; the axiomatic SC model
   * (src/axiomatic/models/sc.ts) runs the same traces under sequential consistency, which
   * must agree with the interleaving explorer.
   */
  model?: MemoryModel;
  /** An audit's weakening (RecordingOptions.reorder), per thread. */
  reorder?: (thread: number, method: string, order: Order, n: number) => Order;
}

/** An operation or setup this engine cannot express yet: the verdict is `unsupported`. */
export class Unsupported extends Error {}

/** The value a destructor writes over the page's contents: a read of it is a use after free. */
export const POISON = -559038737; // 0xdeadbeef

/** Four cells per page: counter (cell p), type, free flag, contents. */
function layout(pages: number) {
  const kinds = ['', 'type', 'free', 'data'];
  return {
    cells: 4 * pages,
    typeCell: (p: number) => pages + p,
    freeCell: (p: number) => 2 * pages + p,
    dataCell: (p: number) => 3 * pages + p,
    name: (cell: number) => {
      const kind = kinds[Math.floor(cell / pages)];
      if (kind === undefined || cell < 0)
        throw new Error(`recording cells: cell ${cell} out of range`);
      return kind ? `${kind}[p${cell % pages}]` : `p${cell % pages}`;
    },
  };
}
type Layout = ReturnType<typeof layout>;

/** The initial state the scenario's setup leaves: memory, holders, freezers. */
interface Start {
  memory: Int32Array;
  /** References held at the start, per page (all threads). */
  holders: number[];
  /** The type of each page's incarnation. */
  types: number[];
  /** The thread that has each page frozen at the start, or -1. */
  frozenBy: number[];
  /** Whether each page sits free in the allocator at the start (its incarnation destroyed). */
  free: boolean[];
  /** Per page, the references each thread holds at the start. */
  own: number[][];
}

function start(s: Scenario, strategy: Strategy, l: Layout): Start {
  const memory = new Int32Array(l.cells);
  const refs = PageRefs.over(new AtomicCells(memory), { pages: s.pages, strategy, debug: false });
  const st: Start = {
    memory,
    holders: Array<number>(s.pages).fill(0),
    types: Array<number>(s.pages).fill(0),
    frozenBy: Array<number>(s.pages).fill(-1),
    free: Array<boolean>(s.pages).fill(false),
    own: Array.from({ length: s.pages }, () => []),
  };
  const setup: Setup = {
    refs,
    live(p, type, h) {
      memory[l.typeCell(p)] = type;
      memory[l.dataCell(p)] = type; // the allocator initialised the contents
      st.types[p] = type;
      st.holders[p] = h.reduce((a, b) => a + b, 0);
      st.own[p] = [...h];
    },
    free(p, type) {
      // as the SC setup: frozen, in the allocator, its contents destroyed
      refs.setFrozen(p);
      memory[l.typeCell(p)] = type;
      memory[l.dataCell(p)] = POISON;
      memory[l.freeCell(p)] = 1;
      st.types[p] = type;
      st.free[p] = true;
    },
    frozenBy(p, t) {
      st.frozenBy[p] = t;
    },
    raw(p, value) {
      memory[p] = value;
    },
  };
  s.setup(setup);
  return st;
}

/**
 * PageOps under LKMM: each operation is the library's own call over recording cells, and
 * what the SC world's ghost updates record becomes this thread's registers (per page: the
 * references it took net, whether it freed, left the page frozen, read freed contents, the
 * destructor's type), judged on the final state of each execution.
 */
class LkmmOps {
  held: number[];
  freed: number[];
  frozen: number[];
  stale: number[];
  /** Per page, the destructor's type of each free this thread made, in program order. */
  dtor: number[][];
  /** Per page, the type of the incarnation this thread allocated (0: none). */
  allocated: number[];
  /** Per page, the references this thread held at the start. */
  own: number[];
  /** Per page, the ghost updates this thread made, each at a write of the counter. */
  ghosts: Ghost[][];
  /** Per page, the counts this thread observed: [event index, value, call]. */
  observed: [number, number, string][][];
  /** The counter write of the last successful freeze. */
  private frozeAt = -1;

  constructor(
    private readonly t: number,
    private readonly cells: RecordingCells,
    readonly refs: PageRefs,
    private readonly l: Layout,
    st: Start,
    private readonly ctrl: boolean,
  ) {
    const n = st.holders.length;
    this.held = Array<number>(n).fill(0);
    this.freed = Array<number>(n).fill(0);
    this.frozen = st.frozenBy.map((f) => (f === t ? 1 : 0));
    this.stale = Array<number>(n).fill(0);
    this.dtor = Array.from({ length: n }, () => []);
    this.allocated = Array<number>(n).fill(0);
    this.own = st.own.map((h) => h[t] ?? 0);
    this.ghosts = Array.from({ length: n }, () => []);
    this.observed = Array.from({ length: n }, () => []);
  }

  registers(): Record<string, Value> {
    const r: Record<string, Value> = {};
    this.held.forEach((_, p) => {
      r[`held${p}`] = this.held[p]!;
      r[`freed${p}`] = this.freed[p]!;
      r[`frozen${p}`] = this.frozen[p]!;
      r[`stale${p}`] = this.stale[p]!;
      r[`alloc${p}`] = this.allocated[p]!;
      this.dtor[p]!.forEach((d, k) => (r[`dtor${p}.${k}`] = d));
      if (this.ghosts[p]!.length > 0) r[`ghost${p}`] = JSON.stringify(this.ghosts[p]);
      if (this.observed[p]!.length > 0) r[`obs${p}`] = JSON.stringify(this.observed[p]);
    });
    return r;
  }

  /**
   * Runs `op`, one call on page p, and returns its result with the indices of its first
   * and last write to p's counter and its last read of it (where its ghost updates and
   * what it observed belong).
   */
  private around<T>(
    p: number,
    op: () => T,
  ): { value: T; first: number; last: number; read: number } {
    const from = this.cells.events.length;
    const value = op();
    const loc = this.l.name(p);
    let first = -1;
    let last = -1;
    let read = -1;
    this.cells.events.forEach((e, i) => {
      if (i < from || e.loc !== loc) return;
      if (e.kind === 'W') {
        if (first < 0) first = i;
        last = i;
      } else if (e.kind === 'R') read = i;
    });
    return { value, first, last, read };
  }
  /** A ghost update at write `at` of page p's counter (the SC world's ghostAtWrite). */
  private ghost(p: number, at: number, what: Ghost[1], amount: number): void {
    if (at < 0) throw new Error(`[checker bug] a ghost update with no write of p${p}`);
    this.ghosts[p]!.push([at, what, amount]);
  }
  get(p: number): boolean {
    const a = this.around(p, () => this.refs.tryGet(p));
    if (a.value) this.took(p, a.first, 1);
    return a.value;
  }
  pin(p: number, nr: number): boolean {
    const a = this.around(p, () => this.refs.tryAdd(p, nr));
    if (a.value) this.took(p, a.first, nr);
    return a.value;
  }
  private took(p: number, at: number, nr: number): void {
    this.held[p]! += nr;
    this.ghost(p, at, 'held', nr);
  }
  inc(p: number): boolean {
    this.took(p, this.around(p, () => this.refs.inc(p)).first, 1);
    return false;
  }
  add(p: number, nr: number): boolean {
    this.took(p, this.around(p, () => this.refs.add(p, nr)).first, nr);
    return false;
  }
  dec(p: number): boolean {
    this.took(p, this.around(p, () => this.refs.dec(p)).first, -1);
    return false;
  }
  sub(p: number, nr: number): boolean {
    this.took(p, this.around(p, () => this.refs.sub(p, nr)).first, -nr);
    return false;
  }
  /** set_page_count by the page's lone holder: it then holds `nr`. */
  set(p: number, nr: number): boolean {
    const own = this.own[p]! + this.held[p]!;
    this.took(p, this.around(p, () => this.refs.set(p, nr)).first, nr - own);
    return false;
  }
  /** The *Return calls: the new count, checked against the holders at its write. */
  changeReturn(p: number, delta: number): number {
    const a = this.around(p, () =>
      delta === 1
        ? this.refs.incReturn(p)
        : delta === -1
          ? this.refs.decReturn(p)
          : this.refs.subReturn(p, -delta),
    );
    this.took(p, a.first, delta);
    this.observed[p]!.push([
      a.first,
      a.value,
      delta === 1 ? 'incReturn' : delta === -1 ? 'decReturn' : 'subReturn',
    ]);
    return a.value;
  }
  /** page_count: checked against the holders at the write its read reads from. */
  count(p: number): number {
    const a = this.around(p, () => this.refs.count(p));
    this.observed[p]!.push([a.read, a.value, 'count']);
    return a.value;
  }
  /**
   * Takes page p from the allocator if it is free there (the free list's lock: an acquire
   * of the flag the freer released), writes its type and initialises its contents (plain C
   * stores), then publishes it: `smp_wmb()` before the count is set, standing for the
   * release with which the kernel makes a new page reachable (README: a reused page's
   * publication).
   */
  alloc(p: number, type: number): boolean {
    return this.cells.branch(
      () => this.cells.cas(this.l.freeCell(p), 1, 0, 'acquire') === 1,
      () => {
        this.cells.plainStore(this.l.typeCell(p), type); // page->type = type
        this.cells.plainStore(this.l.dataCell(p), type); // the allocator initialises it
        this.cells.fence('wmb'); // smp_wmb(): the page's publication
        const at = this.around(p, () => this.refs.init(p)).first; // init_page_count()
        this.took(p, at, 1);
        this.ghost(p, at, 'free', 0);
        this.allocated[p] = type;
        this.frozen[p] = 0;
      },
    );
  }
  /** `if (decide()) then()`, the branch control dependent on decide's reads (see README). */
  private branch(decide: () => boolean, then: () => void): boolean {
    return this.ctrl ? this.cells.branch(decide, then) : decide() && (then(), true);
  }
  put(p: number, dtor: DestructorFrom = { from: 'page' }): boolean {
    return this.branch(
      () => this.drop(p, 1, () => this.refs.decAndTest(p)),
      () => this.destroy(p, dtor),
    );
  }
  unpin(p: number, nr: number): boolean {
    return this.branch(
      () => this.drop(p, nr, () => this.refs.subAndTest(p, nr)),
      () => this.destroy(p, { from: 'page' }),
    );
  }
  /** Drops nr references by `test`; the page is free from the winner's last write. */
  private drop(p: number, nr: number, test: () => boolean): boolean {
    const a = this.around(p, test);
    this.took(p, a.first, -nr);
    if (a.value) this.ghost(p, a.last, 'free', 1);
    return a.value;
  }
  /** The free path: the destructor reads the type, poisons the contents, hands the page back. */
  destroy(p: number, dtor: DestructorFrom): void {
    this.dtor[p]!.push(
      dtor.from === 'page' ? this.cells.plainLoad(this.l.typeCell(p)) : dtor.type, // r = *type
    );
    this.cells.plainStore(this.l.dataCell(p), POISON); // *data = POISON
    this.cells.store(this.l.freeCell(p), 1, 'release'); // back to the allocator
    this.freed[p]!++;
    this.frozen[p] = 0;
  }
  freeze(p: number, count: number): boolean {
    const a = this.around(p, () => this.refs.freeze(p, count));
    if (a.value) {
      this.frozen[p] = 1;
      this.ghost(p, a.last, 'frozen', 1);
      this.frozeAt = a.last;
    }
    return a.value;
  }
  unfreeze(p: number, count: number): boolean {
    this.ghost(p, this.around(p, () => this.refs.unfreeze(p, count)).last, 'frozen', 0);
    this.frozen[p] = 0;
    return false;
  }
  evict(p: number, count: number): boolean {
    return this.branch(
      () => this.freeze(p, count),
      () => {
        // the evictor's reference goes, and the page is free, at the freeze
        this.took(p, this.frozeAt, -1);
        this.ghost(p, this.frozeAt, 'free', 1);
        this.destroy(p, { from: 'page' });
      },
    );
  }
  /** A use of the page: a plain read of its contents; a freezer, alone with it, writes it. */
  touch(p: number): void {
    const v = this.cells.plainLoad(this.l.dataCell(p));
    if (v === POISON) this.stale[p] = 1;
    if (this.frozen[p]) this.cells.plainStore(this.l.dataCell(p), v);
  }
}

/** A ghost update at a counter write: [event index, what, amount]. */
type Ghost = [number, 'held' | 'frozen' | 'free', number];

interface Found {
  kind: LkmmViolationKind;
  message: string;
}

/** The conditions on one allowed execution: the SC world's invariants, on its final state. */
function judge(
  s: Scenario,
  strategy: Strategy,
  l: Layout,
  st: Start,
  o: Outcome,
  flags: readonly string[],
  x: Execution,
): Found | undefined {
  if (flags.includes('data-race'))
    return {
      kind: 'dataRace',
      message:
        "LKMM's data-race flag: a plain access to a page's contents races with another (a use after free, or a use of a page another thread has frozen)",
    };
  for (const [t, r] of o.registers.entries()) {
    const threw = r.threw;
    if (typeof threw !== 'string') continue;
    const debug = threw.startsWith('debugCheck: ');
    return {
      kind: debug ? 'debugCheck' : 'threw',
      message: `T${t} ${debug ? 'fired a debug check' : 'threw'}: ${threw.slice(threw.indexOf(': ') + 2)}`,
    };
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
    const wrong = wrongDestructor(x, l, st, p, o) ?? wrongObservation(x, l, st, p, o);
    if (wrong) return wrong;
    const held = st.holders[p]! + sum(`held${p}`);
    // the final memory, probed by the strategy itself over a copy
    const memory = st.memory.slice();
    memory[p] = Number(o.memory.get(l.name(p)));
    const refs = PageRefs.over(new AtomicCells(memory), { pages: s.pages, strategy, debug: false });
    const raw = `raw 0x${(memory[p]! >>> 0).toString(16)}`;
    if (freed === most) {
      if (held > 0)
        return {
          kind: 'freeWhileHeld',
          message: `page p${p} was freed by ${who(`freed${p}`)} while ${held} reference(s) are still held`,
        };
      if (!refs.isFrozen(p) || refs.count(p) !== 0 || refs.tryGet(p))
        return {
          kind: 'freeNotFrozen',
          message: `freed page p${p} is not frozen at the end (${raw})`,
        };
      continue;
    }
    if (sum(`frozen${p}`) > 0)
      return {
        kind: 'leftFrozen',
        message: `page p${p} is left frozen by ${who(`frozen${p}`)} at the end`,
      };
    if (held === 0)
      return {
        kind: 'leak',
        message: `page p${p} leaked: live with no holder and never freed (${raw})`,
      };
    if (refs.isFrozen(p))
      return {
        kind: 'wrongCount',
        message: `live page p${p} is frozen, with ${held} reference(s) held (${raw})`,
      };
    const count = refs.count(p);
    if (count !== held)
      return {
        kind: 'wrongCount',
        message: `page p${p}'s count is ${count}, but ${held} reference(s) are held (${raw})`,
      };
  }
  return undefined;
}

/**
 * Whether each free ran the destructor of the incarnation it destroyed: the one the
 * allocation before it began (or the setup's), in the coherence order of the page's free
 * flag, where each free writes 1 and each allocation's cmpxchg writes 0.
 */
function wrongDestructor(
  x: Execution,
  l: Layout,
  st: Start,
  p: number,
  o: Outcome,
): Found | undefined {
  const loc = l.name(l.freeCell(p));
  const writes = x.events.filter((e) => e.kind === 'W' && e.loc === loc && e.thread >= 0);
  const before = (e: { id: number }) => writes.filter((w) => x.co.has(w.id, e.id)).length;
  writes.sort((a, b) => before(a) - before(b));
  let type = st.types[p]!;
  const frees = o.registers.map(() => 0);
  for (const w of writes) {
    const r = o.registers[w.thread]!;
    if (w.value === 0) {
      type = Number(r[`alloc${p}`]);
      continue;
    }
    const d = Number(r[`dtor${p}.${frees[w.thread]!++}`]);
    if (d !== type)
      return {
        kind: 'wrongDestructor',
        message: `T${w.thread} ran the destructor of ${typeName(d)} on p${p}, an incarnation of ${typeName(type)}`,
      };
  }
  return undefined;
}

/**
 * Whether each count a thread observed (count, the *Return calls) is what the SC world
 * expects at its moment: the moment is a write of the counter, in its coherence order (the
 * one a count reads from, a *Return's own); the holders, frozen and free there are the
 * ghost updates of the writes up to it. 0 while frozen or free, else the references held.
 */
function wrongObservation(
  x: Execution,
  l: Layout,
  st: Start,
  p: number,
  o: Outcome,
): Found | undefined {
  if (!o.registers.some((r) => r[`obs${p}`] !== undefined)) return undefined;
  const loc = l.name(p);
  const id = (thread: number, index: number) =>
    x.events.find((e) => e.thread === thread && e.index === index)!.id;
  const ghostsAt = new Map<number, Ghost[]>();
  o.registers.forEach((r, t) => {
    const gs = r[`ghost${p}`];
    if (typeof gs !== 'string') return;
    for (const g of JSON.parse(gs) as Ghost[]) {
      const w = id(t, g[0]);
      ghostsAt.set(w, [...(ghostsAt.get(w) ?? []), g]);
    }
  });
  // the state after each write, in co order
  const writes = x.events.filter((e) => e.kind === 'W' && e.loc === loc);
  const before = (e: { id: number }) => writes.filter((w) => x.co.has(w.id, e.id)).length;
  writes.sort((a, b) => before(a) - before(b));
  const state = { held: st.holders[p]!, frozen: st.frozenBy[p]! >= 0, free: st.free[p]! };
  const after = new Map<number, { held: number; frozen: boolean; free: boolean }>();
  for (const w of writes) {
    for (const [, what, amount] of ghostsAt.get(w.id) ?? []) {
      if (what === 'held') state.held += amount;
      else if (what === 'frozen') state.frozen = amount === 1;
      else state.free = amount === 1;
    }
    after.set(w.id, { ...state });
  }
  const rfOf = new Map<number, number>();
  for (const [w, r] of x.rf.pairs()) rfOf.set(r, w);
  const label = (e: number) => {
    const ev = x.events[e]!;
    return ev.thread < 0 ? 'the initial value' : `T${ev.thread}.${ev.index}`;
  };
  for (const [t, r] of o.registers.entries()) {
    const obs = r[`obs${p}`];
    if (typeof obs !== 'string') continue;
    for (const [index, value, call] of JSON.parse(obs) as [number, number, string][]) {
      const e = id(t, index);
      const w = x.events[e]!.kind === 'R' ? rfOf.get(e)! : e;
      const at = after.get(w)!;
      const expected = at.frozen || at.free ? 0 : at.held;
      if (value !== expected)
        return {
          kind: 'wrongCount',
          message: `T${t}'s ${call} of p${p} gave ${value}, but at that point of p${p}'s coherence order (${label(w)}) ${at.free ? 'the page is free' : at.frozen ? 'the page is frozen' : `${at.held} reference(s) are held`}: ${expected} expected`,
        };
    }
  }
  return undefined;
}

/** One scenario against one strategy under LKMM. */
export function runScenarioLkmm(
  s: Scenario,
  strategy: Strategy,
  options: LkmmOptions = {},
): LkmmResult {
  const started = performance.now();
  const maxEvents = options.maxEvents ?? 24;
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
  const l = layout(s.pages);
  // the heap ceiling counts from what is in use now: runs before this one leave garbage
  // that a process-wide ceiling would charge to this one
  const budget = new Budget({
    maxSeconds: options.maxSeconds ?? 60,
    maxMemoryMB:
      Math.ceil(process.memoryUsage().heapUsed / 2 ** 20) + (options.maxMemoryMB ?? 1024),
  });
  const maxStates = options.maxStates ?? 1_000_000;
  const model = options.model ?? LKMM;
  let st: Start;
  let code;
  try {
    st = start(s, strategy, l);
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
  let found: (Found & { x: Execution }) | undefined;
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
    const f = judge(s, strategy, l, st, o, flags, x);
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

/**
 * An execution in text: each thread's events in program order (what each read reads from),
 * then the coherence order of each location that more than its initial write reaches.
 */
export function formatExecution(x: Execution, names: readonly string[]): string {
  const label = (id: number) => {
    const e = x.events[id]!;
    return e.thread < 0 ? `init` : `T${e.thread}.${e.index}`;
  };
  const rfOf = new Map<number, number>();
  for (const [w, r] of x.rf.pairs()) rfOf.set(r, w);
  const ctrlOf = new Map<number, number[]>();
  for (const [r, e] of x.ctrl.pairs()) ctrlOf.set(e, [...(ctrlOf.get(e) ?? []), r]);
  const lines: string[] = [];
  names.forEach((name, t) => {
    lines.push(`T${t} ${name}:`);
    for (const e of x.events) {
      if (e.thread !== t) continue;
      const tags = [...e.tags].join(' ') || 'plain';
      const what = `${e.kind} ${e.loc ?? ''}${e.value === undefined ? '' : ` = ${show(e.value)}`}`;
      const rf = e.kind === 'R' && rfOf.has(e.id) ? `  rf from ${label(rfOf.get(e.id)!)}` : '';
      const ctrl = ctrlOf.has(e.id) ? `  ctrl on ${ctrlOf.get(e.id)!.map(label).join(',')}` : '';
      lines.push(
        `  ${label(e.id).padEnd(6)} ${what.padEnd(24)} ${tags.padEnd(9)}${rf}${ctrl}`.trimEnd(),
      );
    }
  });
  for (const loc of x.locations) {
    const writes = x.events.filter((e) => e.kind === 'W' && e.loc === loc);
    if (writes.length < 2) continue;
    const before = (e: { id: number }) => writes.filter((w) => x.co.has(w.id, e.id)).length;
    writes.sort((a, b) => before(a) - before(b));
    lines.push(
      `co ${loc}: ${writes.map((w) => `${label(w.id)} (${show(w.value!)})`).join(' -> ')}`,
    );
  }
  return lines.join('\n');
}

const show = (v: Value) =>
  typeof v === 'number' && (v < 0 || v > 0xffff) ? `0x${(v >>> 0).toString(16)}` : String(v);
