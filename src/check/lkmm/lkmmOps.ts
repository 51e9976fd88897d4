/**
 * The page operations (PageOps) under LKMM: each is the library's own call over recording
 * cells, and the SC world's ghost bookkeeping becomes the thread's registers (README: the
 * page's lifetime as memory).
 */

import type { Value } from '../../axiomatic/events.js';
import type { RecordingCells } from '../../axiomatic/recordingCells.js';
import type { PageRefs } from '../../refcount/pageRefs.js';
import type { DestructorFrom } from '../pageOps.js';
import { POISON, type PageLayout, type Start } from './pageMemory.js';

/**
 * PageOps under LKMM: each operation is the library's own call over recording cells, and
 * what the SC world's ghost updates record becomes this thread's registers (per page: the
 * references it took net, whether it freed, left the page frozen, read freed contents, the
 * destructor's type), judged on the final state of each execution.
 */
export class LkmmOps {
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
    t: number,
    private readonly cells: RecordingCells,
    readonly refs: PageRefs,
    private readonly l: PageLayout,
    st: Start,
    private readonly ctrl: boolean,
  ) {
    const n = st.own.length;
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
export type Ghost = [number, 'held' | 'frozen' | 'free', number];
